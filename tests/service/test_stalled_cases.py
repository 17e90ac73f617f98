"""A case the issuer lets stall: flagged on the queue once its deadline has passed, closed
by the reviewer with a filed and mailed notice (docs/domain.md section 4, stalled cases)."""

import html
import json
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from service import timezone
from service.applications import operations
from service.errors import Conflict, Forbidden
from service.extensions import db
from service.models import AuditEvent, Filing
from tests.service.conftest import login, token
from tests.service.notifications.test_mail import _arrived, _outbox, smtp  # noqa: F401

# The factories' deadlines (tests/service/factories.py PATHS): both business days.
RESUBMIT_BY = date(2026, 12, 8)
ANSWER_BY = date(2026, 12, 10)
REASON = {"reason": "No resubmission was received by the deadline."}


def speak(client, language: str) -> None:
    client.set_cookie("lang", language)


def on(monkeypatch, day: date) -> None:
    """The service's Korean today is `day`."""
    moment = datetime.combine(day, time(10), timezone.KST)
    monkeypatch.setattr(timezone, "korea_now", lambda: moment)


def _next(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _closure_filings(case):
    return (
        db.session.execute(
            select(Filing).where(Filing.application_id == case.id, Filing.kind == "closure_notice")
        )
        .scalars()
        .all()
    )


def _row(page: str, case_id: int) -> str:
    start = page.index(f'data-case="{case_id}"')
    return html.unescape(page[start : page.index("</tr>", start)])


@pytest.mark.parametrize(
    "language,flag,words",
    [
        ("ko", "기한 경과", "발행인의 기한이 지났습니다"),
        ("en", "Overdue", "The issuer's deadline has passed"),
    ],
)
def test_the_queue_flags_a_case_once_the_issuers_deadline_has_passed(
    client, cast, monkeypatch, language, flag, words
):
    returned = cast.case_in("returned_incomplete")
    asked = cast.case_in("information_requested")
    speak(client, language)
    login(client, cast.reviewer)
    on(monkeypatch, RESUBMIT_BY)
    page = client.get("/review").get_data(as_text=True)
    for case in (returned, asked):
        assert "data-stalled" not in _row(page, case.id) and words not in _row(page, case.id)
    on(monkeypatch, _next(RESUBMIT_BY))
    page = client.get("/review").get_data(as_text=True)
    row = _row(page, returned.id)
    assert 'data-stalled="1"' in row and flag in row and words in row
    assert "data-stalled" not in _row(page, asked.id)  # its answer is due on the 10th
    on(monkeypatch, _next(ANSWER_BY))
    page = client.get("/review").get_data(as_text=True)
    assert words in _row(page, asked.id)


def test_the_day_of_the_deadline_the_reviewers_close_is_refused_through_http(
    client, cast, monkeypatch
):
    case = cast.case_in("returned_incomplete")
    speak(client, "en")
    login(client, cast.reviewer)
    on(monkeypatch, RESUBMIT_BY)
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "Close as not resubmitted" in page
    answer = client.post(
        f"/applications/{case.id}/transitions/close_not_resubmitted",
        data={"version": case.version, **REASON},
    )
    assert answer.status_code == 409
    assert "The issuer has until 2026-12-08" in answer.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == "returned_incomplete" and not _closure_filings(case)


def test_the_reviewer_closes_a_case_not_resubmitted_and_the_notice_is_filed_and_mailed(
    client,
    cast,
    monkeypatch,
    smtp,  # noqa: F811
):
    case = cast.case_in("returned_incomplete")
    speak(client, "ko")
    login(client, cast.reviewer)
    on(monkeypatch, _next(RESUBMIT_BY))
    empty = client.post(
        f"/applications/{case.id}/transitions/close_not_resubmitted",
        data={"version": case.version, "reason": ""},
    )
    assert empty.status_code == 422 and not _closure_filings(case)
    answer = client.post(
        f"/applications/{case.id}/transitions/close_not_resubmitted",
        data={"version": case.version, **REASON},
    )
    assert answer.status_code == 302
    db.session.refresh(case)
    assert case.state == "discontinued" and case.due_on is None
    (filing,) = _closure_filings(case)
    content = json.loads(filing.content_json)["content"]
    assert content["deadline"] == "2026-12-08" and content["reason"] == REASON["reason"]
    assert "행정절차법 제17조" in content["legal_basis"]["ko"]
    (returned_notice,) = db.session.scalars(
        select(Filing.accession_number).where(
            Filing.application_id == case.id, Filing.kind == "incompleteness_notice"
        )
    )
    assert content["closes"] == returned_notice
    assert _outbox(case.id)[-1].event == "closure" and _outbox(case.id)[-1].sent_at
    ((_rcpt, email),) = _arrived(smtp, "application closed, not resubmitted")
    assert "미보완에 따른 신청 종결 통지" in email["Subject"]
    body = email.get_content()
    assert f"접수 번호: {filing.accession_number}" in body and "기한: 2026-12-08" in body
    assert "Administrative Procedures Act Art 17(6)" in body
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.application_id == case.id, AuditEvent.action == "close_not_resubmitted"
        )
    ).one()
    assert (event.from_state, event.to_state) == ("returned_incomplete", "discontinued")
    # The issuer's case page now shows the case closed, in the issuer's words.
    speak(client, "en")
    login(client, cast.issuer)
    page = client.get(f"/applications/{case.id}").get_data(as_text=True)
    assert "Closed for non-response" in page


def test_over_the_api_the_reviewer_closes_an_unanswered_request_and_the_issuer_cannot(
    client, cast, monkeypatch
):
    case = cast.case_in("information_requested")
    on(monkeypatch, _next(ANSWER_BY))
    url = f"/api/v1/applications/{case.id}"
    issuer = token(client, cast.issuer)
    refused = client.post(
        f"{url}/transitions/close_unanswered",
        json=REASON,
        headers={**issuer, "If-Match": client.get(url, headers=issuer).headers["ETag"]},
    )
    assert refused.status_code == 403
    reviewer = token(client, cast.reviewer)
    listed = {t["name"]: t for t in client.get(f"{url}/transitions", headers=reviewer).json}
    assert listed["close_unanswered"]["allowed"] is True
    closed = client.post(
        f"{url}/transitions/close_unanswered",
        json=REASON,
        headers={**reviewer, "If-Match": client.get(url, headers=reviewer).headers["ETag"]},
    )
    assert closed.status_code == 200, closed.json
    assert closed.json["state"] == "discontinued"
    (filing,) = _closure_filings(case)
    assert json.loads(filing.content_json)["content"]["deadline"] == "2026-12-10"


def test_the_operation_keeps_the_deadline_boundaries(cast):
    """Administrative Procedures Act Art 17(5)-(6): the day before and the day of the
    deadline the case stays the issuer's; the day after, the reviewer may close it."""
    case = cast.case_in("information_requested")
    for day in (date(2026, 12, 9), ANSWER_BY):
        with pytest.raises(Conflict) as refused:
            operations.transition(case.id, "close_unanswered", cast.reviewer, REASON, today=day)
        assert refused.value.code == "deadline_not_passed"
    with pytest.raises(Forbidden):
        operations.transition(
            case.id, "close_unanswered", cast.issuer, REASON, today=_next(ANSWER_BY)
        )
    operations.transition(
        case.id, "close_unanswered", cast.reviewer, REASON, today=_next(ANSWER_BY)
    )
    db.session.refresh(case)
    assert case.state == "discontinued"
