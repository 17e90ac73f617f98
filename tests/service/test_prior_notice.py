"""Prior notice and a hearing before an adverse decision, through HTTP (docs/domain.md
section 4, hearing): Administrative Procedures Act Art 21(1), (3) and Art 22(3), with the
FCA's warning notice before a decision notice as the model; urgent suspension only on a
ground of Art 21(4), stated and filed."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from service import timezone
from service.extensions import db
from service.models import Filing, OutboxMessage, PriorNotice, Registration
from tests.service.conftest import login, token
from tests.service.factories import TODAY

REFUSAL = {"grounds": ["requirements_not_met"], "reasons": "Capital short."}


def on(monkeypatch, day: date) -> None:
    """The service's Korean today is `day`."""
    moment = datetime.combine(day, time(10), timezone.KST)
    monkeypatch.setattr(timezone, "korea_now", lambda: moment)


def notice(client, user, case, action="refuse", days=10, grounds="Capital below the floor."):
    return client.post(
        f"/api/v1/applications/{case.id}/notices",
        json={
            "action": action,
            "grounds": grounds,
            "comment_deadline": (TODAY + timedelta(days=days)).isoformat(),
        },
        headers=token(client, user),
    )


def comments(client, user, case, notice_id, text="The capital was raised on 20 November."):
    return client.post(
        f"/api/v1/applications/{case.id}/notices/{notice_id}/comments",
        json={"comments": text},
        headers=token(client, user),
    )


def step(client, user, case, name, body):
    return client.post(
        f"/api/v1/applications/{case.id}/transitions/{name}",
        json=body,
        headers={**token(client, user), "If-Match": "*"},
    )


def filed(accession: str) -> Filing:
    return db.session.execute(
        select(Filing).where(Filing.accession_number == accession)
    ).scalar_one()


def content(filing: Filing) -> dict:
    return json.loads(filing.content_json)["content"]


def latest_mail(case) -> OutboxMessage:
    return (
        db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.application_id == case.id)
            .order_by(OutboxMessage.id.desc())
        )
        .scalars()
        .first()
    )


def decision_of(case) -> Filing:
    return (
        db.session.execute(
            select(Filing)
            .where(Filing.application_id == case.id, Filing.kind == "decision")
            .order_by(Filing.id.desc())
        )
        .scalars()
        .first()
    )


def test_a_refusal_without_notice_is_409_naming_the_rule(client, cast):
    """APA Art 21(1): the issuer is told of an intended adverse action before it is taken."""
    case = cast.case_in("recommended")
    answer = step(client, cast.approver, case, "refuse", REFUSAL)
    assert answer.status_code == 409, answer.json
    assert answer.json["code"] == "no_prior_notice"
    assert "행정절차법 제21조" in answer.json["detail"]


def test_a_comment_deadline_9_days_out_is_refused_and_10_days_is_accepted(client, cast):
    """APA Art 21(3): the time to comment is set at 10 days or more."""
    case = cast.case_in("recommended")
    short = notice(client, cast.approver, case, days=9)
    assert short.status_code == 422, short.json
    assert "comment_deadline" in short.json["errors"]
    assert "2026-12-04" in " ".join(short.json["errors"]["comment_deadline"])
    assert (
        db.session.scalar(select(PriorNotice.id).where(PriorNotice.application_id == case.id))
        is None
    )

    given = notice(client, cast.approver, case, days=10)
    assert given.status_code == 201, given.json
    assert given.json["comment_deadline"] == "2026-12-04"
    assert given.json["accession_number"]
    # The notice is a filing the issuer receives, and it is told by e-mail.
    letter = filed(given.json["accession_number"])
    assert letter.kind == "prior_notice" and not letter.internal
    assert content(letter)["grounds"] == "Capital below the floor."
    mail = latest_mail(case)
    assert mail.event == "prior_notice" and "2026-12-04" in mail.body
    assert "행정절차법 제21조" in mail.body


def test_a_korean_caller_reads_the_refused_deadline_in_korean(client, cast):
    case = cast.case_in("recommended")
    answer = client.post(
        f"/api/v1/applications/{case.id}/notices",
        json={"action": "refuse", "grounds": "x", "comment_deadline": "2026-11-30"},
        headers={**token(client, cast.approver), "Accept-Language": "ko"},
    )
    assert answer.status_code == 422
    assert "행정절차법 제21조 제3항" in answer.json["errors"]["comment_deadline"][0]


def test_without_comments_the_decision_waits_until_the_day_after_the_deadline(
    client, cast, monkeypatch
):
    """APA Art 22(3): the issuer keeps its whole last day to comment (2026-12-04, a
    Friday); the day before and the day itself are 409, the next day the refusal passes
    and cites the notice with no comments."""
    case = cast.case_in("recommended")
    given = notice(client, cast.approver, case).json
    for day in (date(2026, 12, 3), date(2026, 12, 4)):
        on(monkeypatch, day)
        answer = step(client, cast.approver, case, "refuse", REFUSAL)
        assert answer.status_code == 409, (day, answer.json)
        assert answer.json["code"] == "hearing_open"
        assert "2026-12-04" in answer.json["detail"]
    on(monkeypatch, date(2026, 12, 5))
    late = comments(client, cast.issuer, case, given["id"])
    assert late.status_code == 409 and late.json["code"] == "comment_deadline_passed"
    answer = step(client, cast.approver, case, "refuse", REFUSAL)
    assert answer.status_code == 200, answer.json
    hearing = content(decision_of(case))["hearing"]
    assert hearing == {
        "notice": given["accession_number"],
        "given_on": "2026-11-24",
        "comment_deadline": "2026-12-04",
        "comments": None,
        "comments_on": None,
    }


def test_comments_filed_allow_the_decision_at_once_and_it_cites_them(client, cast):
    case = cast.case_in("recommended")
    given = notice(client, cast.approver, case).json
    filed_comments = comments(client, cast.issuer, case, given["id"])
    assert filed_comments.status_code == 201, filed_comments.json
    accession = filed_comments.json["comments_accession"]
    assert filed(accession).kind == "notice_comments"
    assert content(filed(accession))["notice"] == given["accession_number"]
    # Once filed, the comments stand: a second filing is refused.
    again = comments(client, cast.issuer, case, given["id"], "Another thought.")
    assert again.status_code == 409 and again.json["code"] == "comments_filed"

    answer = step(client, cast.approver, case, "refuse", REFUSAL)
    assert answer.status_code == 200, answer.json
    hearing = content(decision_of(case))["hearing"]
    assert hearing["notice"] == given["accession_number"]
    assert hearing["comments"] == accession and hearing["comments_on"] == "2026-11-24"
    # The issuer reads the notices and its comments through the API too.
    listed = client.get(
        f"/api/v1/applications/{case.id}/notices", headers=token(client, cast.issuer)
    )
    assert listed.status_code == 200
    assert [n["comments_accession"] for n in listed.json] == [accession]
    assert listed.json[0]["decided_on"] == "2026-11-24"


def test_a_notice_serves_one_decision_and_names_its_own_action(client, cast):
    """A notice of intended suspension does not hear the issuer on a revocation; and once
    the suspension is taken, a new suspension needs a notice of its own."""
    case = cast.case_in("registered")
    given = notice(client, cast.supervisor, case, action="suspend").json
    comments(client, cast.issuer, case, given["id"])
    revoke = step(
        client,
        cast.approver,
        case,
        "revoke",
        {"grounds": ["serious_infringement"], "reasons": "Repeated."},
    )
    assert revoke.status_code == 409 and revoke.json["code"] == "no_prior_notice"
    assert step(client, cast.supervisor, case, "suspend", {"reason": "Reserve."}).status_code == 200
    db.session.refresh(case)
    assert case.state == "suspended"
    notice_row = db.session.get(PriorNotice, given["id"])
    assert notice_row.decided_on == TODAY


def test_who_may_give_a_notice_is_who_may_take_the_step(client, cast):
    case = cast.case_in("registered")
    # A supervisor may suspend, so may give notice of it; revoking is the approver's.
    assert notice(client, cast.supervisor, case, action="revoke").status_code == 403
    assert notice(client, cast.supervisor, case, action="suspend").status_code == 201
    assert notice(client, cast.reviewer, case, action="suspend").status_code == 403
    assert notice(client, cast.issuer, case, action="suspend").status_code == 403
    # A refusal is announced only while the case awaits its decision.
    wrong_state = notice(client, cast.approver, case, action="refuse")
    assert wrong_state.status_code == 409 and wrong_state.json["code"] == "state"


def test_only_the_issuer_comments_and_only_on_its_own_case(client, cast):
    from tests.service.factories import Cast

    case = cast.case_in("recommended")
    given = notice(client, cast.approver, case).json
    assert comments(client, cast.approver, case, given["id"]).status_code == 403
    other = Cast()
    assert comments(client, other.issuer, case, given["id"]).status_code == 404
    assert comments(client, cast.issuer, case, given["id"] + 1000).status_code == 404
    blank = comments(client, cast.issuer, case, given["id"], "   ")
    assert blank.status_code == 422 and "comments" in blank.json["errors"]


def test_urgent_suspension_needs_a_ground_and_a_reason_which_are_filed(client, cast):
    """APA Art 21(4): notice may be omitted only on its listed grounds; the ground and the
    reason are stated and written in the notice of suspension."""
    case = cast.case_in("registered")
    bare = step(client, cast.supervisor, case, "suspend_urgently", {})
    assert bare.status_code == 422, bare.json
    assert {"reason", "omission_ground"} <= set(bare.json["errors"])
    no_reason = step(
        client,
        cast.supervisor,
        case,
        "suspend_urgently",
        {"omission_ground": "urgent_public_safety", "reason": "  "},
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    # The approver decides suspensions after a hearing; the urgent step is the supervisor's.
    by_approver = step(
        client,
        cast.approver,
        case,
        "suspend_urgently",
        {"omission_ground": "urgent_public_safety", "reason": "Keys stolen."},
    )
    assert by_approver.status_code == 403

    reason = "The issuer's signing keys were stolen today; holders' funds are at risk."
    done = step(
        client,
        cast.supervisor,
        case,
        "suspend_urgently",
        {"omission_ground": "urgent_public_safety", "reason": reason},
    )
    assert done.status_code == 200, done.json
    assert done.json["state"] == "suspended"
    letter = db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == "suspension_notice")
    ).scalar_one()
    assert content(letter)["reason"] == reason
    assert content(letter)["omission_ground"] == "urgent_public_safety"
    assert "제21조 제4항" in content(letter)["legal_basis"]["ko"]
    mail = latest_mail(case)
    assert reason in mail.body


def test_the_case_page_form_gives_notice_and_the_issuer_page_files_comments(client, cast):
    case = cast.case_in("recommended")
    login(client, cast.approver, "ko")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "처분의 사전 통지" in page and f'action="/applications/{case.id}/notices"' in page
    form = {
        "action": "refuse",
        "grounds": "자본금 미달",
        "comment_deadline": "2026-12-03",
        "version": str(case.version),
    }
    short = client.post(f"/applications/{case.id}/notices", data=form)
    assert short.status_code == 422
    assert "행정절차법 제21조 제3항" in short.get_data(as_text=True)
    given = client.post(
        f"/applications/{case.id}/notices", data={**form, "comment_deadline": "2026-12-04"}
    )
    assert given.status_code == 302, given.get_data(as_text=True)
    notice_row = db.session.execute(
        select(PriorNotice).where(PriorNotice.application_id == case.id)
    ).scalar_one()

    client.post("/logout")
    login(client, cast.issuer, "en")
    db.session.refresh(case)
    page = client.get(f"/applications/{case.id}").get_data(as_text=True)
    assert f"Comment on notice {notice_row.accession_number}" in page
    assert "You may comment until 2026-12-04" in page
    url = f"/applications/{case.id}/notices/{notice_row.id}/comments"
    empty = client.post(url, data={"comments": "", "version": str(case.version)})
    assert empty.status_code == 422
    done = client.post(url, data={"comments": "Raised on 20 Nov.", "version": str(case.version)})
    assert done.status_code == 302, done.get_data(as_text=True)
    db.session.refresh(notice_row)
    assert notice_row.comments == "Raised on 20 Nov." and notice_row.comments_accession
    page = client.get(f"/applications/{case.id}").get_data(as_text=True)
    assert "Raised on 20 Nov." in page and "Comment on notice" not in page


@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_a_registration_decision_without_notice_is_409(client, cast, action):
    case = cast.case_in("registered")
    who = cast.supervisor if action == "suspend" else cast.approver
    body = (
        {"reason": "Reserve."}
        if action == "suspend"
        else {"grounds": ["serious_infringement"], "reasons": "Repeated."}
    )
    answer = step(client, who, case, action, body)
    assert answer.status_code == 409 and answer.json["code"] == "no_prior_notice"


@pytest.mark.parametrize(
    "target", ["//evil.example/phish", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_a_notice_from_the_registrations_page_leads_back_only_within_the_service(
    client, cast, target
):
    """The supervisor's page sends the page to come back to; anything that would leave the
    service is ignored and the notice leads to the case as the supervisor reads it."""
    case = cast.case_in("registered")
    login(client, cast.supervisor, "en")
    form = {
        "action": "suspend",
        "grounds": "Reserve reports late.",
        "comment_deadline": (TODAY + timedelta(days=10)).isoformat(),
        "version": str(case.version),
    }
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == case.id)
    ).scalar_one()
    back = f"/monitoring/registrations/{number}"
    given = client.post(f"/applications/{case.id}/notices", data={**form, "next": back})
    assert given.status_code == 302 and given.headers["Location"] == back
    db.session.refresh(case)
    refused = client.post(
        f"/applications/{case.id}/notices",
        data={**form, "version": str(case.version), "next": target},
    )
    assert refused.status_code == 302
    assert refused.headers["Location"] == f"/review/cases/{case.id}"
