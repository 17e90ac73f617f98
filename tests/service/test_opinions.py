"""The Bank of Korea's and the ministry's opinions on a KRW stablecoin case: API and page."""

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from service.applications.operations import transition
from service.demo import demo_pdf
from service.extensions import db
from service.models import AuditEvent, Filing, Opinion
from service.storage import storage
from tests.service.conftest import login
from tests.service.factories import RECOMMEND, TODAY, Cast
from tests.service.pdfs import has_text
from tests.service.test_api_lifecycle import move, token
from workflows.clock import add_business_days

RECEIVED = "2026-11-20"


@pytest.fixture
def cast(ctx):
    return Cast(category="krw_stablecoin")


def post_opinion(client, user, application_id, authority, opinion="favourable", letter=None):
    return client.post(
        f"/api/v1/applications/{application_id}/opinions",
        data={
            "authority": authority,
            "opinion": opinion,
            "summary": f"{authority} answers: {opinion}.",
            "received_on": RECEIVED,
            "letter": (io.BytesIO(letter or demo_pdf("letter")), "letter.pdf"),
        },
        content_type="multipart/form-data",
        headers=token(client, user),
    )


def steps(client, user, application_id) -> dict:
    answer = client.get(
        f"/api/v1/applications/{application_id}/transitions",
        headers={**token(client, user), "Accept-Language": "en"},
    )
    assert answer.status_code == 200
    return {item["name"]: item for item in answer.json}


def test_a_krw_stablecoin_case_is_approved_only_once_both_opinions_are_recorded(client, cast):
    case = cast.case_in("recommended")
    listed = steps(client, cast.approver, case.id)["approve"]
    assert listed["allowed"] is False
    assert listed["reason"] == (
        "The opinion of the Bank of Korea and the Ministry of Economy and Finance "
        "is not yet recorded."
    )

    refused = move(client, cast.approver, case.id, "approve")
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    assert refused.json["code"] == "opinion_missing"
    # The same reason as the listing gives, in the caller's language (Korean by default).
    assert refused.json["detail"] == "한국은행·기획재정부의 의견이 아직 기록되지 않았습니다."
    assert "Bank of Korea" in refused.json["detail"] or "한국은행" in refused.json["detail"]

    answer = post_opinion(client, cast.reviewer, case.id, "bank_of_korea")
    assert answer.status_code == 201, answer.json
    assert answer.json["authority"] == "bank_of_korea"
    assert re.fullmatch(r"VAR-\d{4}-\d{6}", answer.json["accession_number"])
    listed = steps(client, cast.approver, case.id)["approve"]
    assert listed["reason"] == (
        "The opinion of the Ministry of Economy and Finance is not yet recorded."
    )

    assert (
        post_opinion(client, cast.approver, case.id, "ministry_of_economy_and_finance").status_code
        == 201
    )
    listed = steps(client, cast.approver, case.id)["approve"]
    assert listed == {**listed, "allowed": True, "reason": None}
    approved = move(client, cast.approver, case.id, "approve")
    assert approved.status_code == 200, approved.json
    assert approved.json["state"] == "registered"


def test_an_unfavourable_bank_of_korea_opinion_leaves_only_refuse_and_send_back(client, cast):
    case = cast.case_in("recommended")
    assert (
        post_opinion(client, cast.reviewer, case.id, "bank_of_korea", "unfavourable").status_code
        == 201
    )
    assert (
        post_opinion(client, cast.reviewer, case.id, "ministry_of_economy_and_finance").status_code
        == 201
    )
    cast.hear(case, "refuse")  # the issuer heard first (docs/domain.md section 4)
    listed = steps(client, cast.approver, case.id)
    assert sorted(name for name, item in listed.items() if item["allowed"]) == [
        "refuse",
        "send_back",
    ]
    assert listed["approve"]["reason"] == (
        "The Bank of Korea's opinion is unfavourable; the case may only be refused or sent back."
    )
    refused = move(client, cast.approver, case.id, "approve")
    assert refused.status_code == 409
    assert refused.json["code"] == "central_bank_unfavourable"
    answer = move(
        client,
        cast.approver,
        case.id,
        "refuse",
        {"grounds": ["threat_to_stability"], "reasons": "The Bank of Korea objects."},
    )
    assert answer.status_code == 200 and answer.json["state"] == "refused"


def test_each_opinion_is_a_filing_and_an_audit_event_hidden_from_the_issuer(client, cast):
    case = cast.case_in("recommended")
    answer = post_opinion(client, cast.reviewer, case.id, "bank_of_korea")
    filing = db.session.execute(
        select(Filing).where(Filing.accession_number == answer.json["accession_number"])
    ).scalar_one()
    assert filing.kind == "opinion" and filing.internal
    assert '"opinion":"favourable"' in filing.content_json
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "record_opinion")
    ).scalar_one()
    assert event.application_id == case.id
    assert event.detail["filing"] == filing.accession_number
    issuer_sees = client.get(
        f"/api/v1/applications/{case.id}/opinions", headers=token(client, cast.issuer)
    )
    assert issuer_sees.status_code == 200 and issuer_sees.json == []
    staff_sees = client.get(
        f"/api/v1/applications/{case.id}/opinions", headers=token(client, cast.approver)
    )
    assert [o["authority"] for o in staff_sees.json] == ["bank_of_korea"]


def test_an_opinion_needs_a_pdf_letter_and_valid_fields(client, cast):
    case = cast.case_in("recommended")
    answer = client.post(
        f"/api/v1/applications/{case.id}/opinions",
        data={"authority": "bank_of_japan", "opinion": "maybe", "received_on": "2099-01-01"},
        content_type="multipart/form-data",
        headers={**token(client, cast.reviewer), "Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {
        "authority",
        "opinion",
        "summary",
        "received_on",
        "letter",
    }
    not_pdf = post_opinion(client, cast.reviewer, case.id, "bank_of_korea", letter=b"hello")
    assert not_pdf.status_code == 422 and "letter" in not_pdf.json["errors"]
    assert (
        db.session.execute(select(AuditEvent).where(AuditEvent.action == "record_opinion")).first()
        is None
    )


def test_a_letter_whose_name_is_a_path_is_refused_and_nothing_is_stored(client, cast, app):
    case = cast.case_in("recommended")
    answer = client.post(
        f"/api/v1/applications/{case.id}/opinions",
        data={
            "authority": "bank_of_korea",
            "opinion": "favourable",
            "summary": "No objection.",
            "received_on": RECEIVED,
            "letter": (io.BytesIO(demo_pdf("letter")), "../../filings/2026/VAR-2026-000001.pdf"),
        },
        content_type="multipart/form-data",
        headers={**token(client, cast.reviewer), "Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert "may not contain folders" in answer.json["errors"]["letter"][0]
    assert not db.session.scalars(select(Opinion).where(Opinion.application_id == case.id)).all()
    letters = Path(app.config["STORAGE_PATH"]) / "opinions"
    assert not letters.exists() or not any(letters.rglob("*.pdf"))


def test_only_reviewers_and_approvers_record_opinions_on_a_recommended_krw_case(client, cast):
    case = cast.case_in("recommended")
    assert post_opinion(client, cast.supervisor, case.id, "bank_of_korea").status_code == 403
    assert post_opinion(client, cast.issuer, case.id, "bank_of_korea").status_code == 403
    early = cast.case_in("assessment")
    assert post_opinion(client, cast.reviewer, early.id, "bank_of_korea").status_code == 409
    other = Cast(category="other_virtual_asset").case_in("recommended")
    answer = post_opinion(client, cast.reviewer, other.id, "bank_of_korea")
    assert answer.status_code == 409 and answer.json["code"] == "not_consulted"


def test_the_case_page_shows_the_due_date_the_closed_approve_and_records_an_opinion(client, cast):
    case = cast.case_in("recommended")
    login(client, cast.approver)
    client.set_cookie("lang", "en")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "Opinions due on 2026-12-22" in page
    assert "The opinion of the Bank of Korea and the Ministry of Economy and Finance" in page
    assert 'name="letter"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(
        f"/review/cases/{case.id}/opinions",
        data={
            "csrf_token": csrf,
            "authority": "bank_of_korea",
            "opinion": "favourable",
            "summary": "No objection on monetary grounds.",
            "received_on": RECEIVED,
            "letter": (io.BytesIO(demo_pdf("BoK letter")), "bok.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "No objection on monetary grounds." in page
    assert "The opinion of the Ministry of Economy and Finance is not yet recorded." in page
    link = re.search(r'href="(/review/cases/\d+/opinions/\d+/letter)"', page).group(1)
    letter = client.get(link)
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF-")


def test_a_missing_letter_on_the_page_shows_the_error_next_to_the_field(client, cast):
    case = cast.case_in("recommended")
    login(client, cast.reviewer)
    client.set_cookie("lang", "en")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(
        f"/review/cases/{case.id}/opinions",
        data={
            "csrf_token": csrf,
            "authority": "bank_of_korea",
            "opinion": "favourable",
            "summary": "x",
            "received_on": RECEIVED,
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert "The file is empty." in answer.get_data(as_text=True)


def test_the_openapi_document_describes_the_multipart_opinion_upload(client, ctx):
    spec = client.get("/api/v1/openapi.json").json
    post = spec["paths"]["/api/v1/applications/{application_id}/opinions"]["post"]
    body = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    if "$ref" in body:
        body = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert body["properties"]["letter"]["format"] == "binary"
    assert set(body["required"]) >= {"authority", "opinion", "summary", "received_on", "letter"}
    assert "/api/v1/register/{number}" in spec["paths"]


def _requests(case) -> list[Filing]:
    return list(
        db.session.execute(
            select(Filing)
            .where(Filing.application_id == case.id, Filing.kind == "opinion_request")
            .order_by(Filing.id)
        ).scalars()
    )


def _recommend_events(case) -> list[AuditEvent]:
    return list(
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.application_id == case.id, AuditEvent.action == "recommend")
            .order_by(AuditEvent.seq)
        ).scalars()
    )


def test_recommending_a_krw_stablecoin_case_sends_the_request_for_opinions_as_a_filing(cast):
    case = cast.case_in("recommended")
    [request] = _requests(case)
    assert request.internal and request.filed_by_id == cast.reviewer.id
    content = json.loads(request.content_json)["content"]
    assert [a["authority"] for a in content["addressees"]] == [
        "bank_of_korea",
        "ministry_of_economy_and_finance",
    ]
    assert {a["name_ko"] for a in content["addressees"]} == {"한국은행", "기획재정부"}
    assert (content["sent_on"], content["due_on"]) == (TODAY.isoformat(), "2026-12-22")
    assert "monetary policy" in content["asked"]["en"] and "통화정책" in content["asked"]["ko"]
    submitted = db.session.execute(
        select(Filing.accession_number).where(
            Filing.application_id == case.id, Filing.kind == "application"
        )
    ).scalar_one()
    assert content["application_filing"] == submitted
    [event] = _recommend_events(case)
    assert event.detail["opinion_request"] == request.accession_number
    assert event.detail["internal"] is True
    pdf = storage().get(request.pdf_storage_key)
    assert has_text(pdf, "관계기관 의견 요청서", request.accession_number, "2026-12-22")


def test_a_case_of_another_category_is_recommended_without_a_request(ctx):
    case = Cast(category="other_virtual_asset").case_in("recommended")
    assert _requests(case) == []
    [event] = _recommend_events(case)
    assert "opinion_request" not in event.detail


def test_the_case_page_shows_the_request_beside_the_opinions(client, cast):
    case = cast.case_in("recommended")
    [request] = _requests(case)
    login(client, cast.reviewer)
    client.set_cookie("lang", "en")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    opinions = page[page.index('id="opinions-title"') : page.index('id="actions-title"')]
    row = re.search(rf'<tr data-accession="{request.accession_number}">(.*?)</tr>', opinions, re.S)
    assert row, "the request is listed in the opinions section"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    assert cells[0] == request.accession_number
    assert cells[1] == "Bank of Korea, Ministry of Economy and Finance"
    assert cells[2:4] == [TODAY.isoformat(), "2026-12-22"]
    assert f'href="/filings/{request.accession_number}.pdf"' in row.group(1)


def test_the_issuer_never_sees_the_request_for_opinions(app, client, cast):
    case = cast.case_in("recommended")
    [request] = _requests(case)
    accession = request.accession_number
    login(client, cast.issuer)
    auth = token(app.test_client(), cast.issuer)
    for url, headers in (
        (f"/applications/{case.id}", {}),
        (f"/applications/{case.id}/tasks", {}),
        (f"/api/v1/applications/{case.id}", auth),
        (f"/api/v1/applications/{case.id}/events", auth),
        ("/api/v1/filings", auth),
    ):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200, url
        body = answer.get_data(as_text=True)
        assert accession not in body and "opinion_request" not in body, url
    for url, headers in (
        (f"/filings/{accession}.pdf", {}),
        (f"/filings/{accession}.json", {}),
        (f"/api/v1/filings/{accession}", auth),
    ):
        assert client.get(url, headers=headers).status_code == 404, url
    # Staff do reach it.
    staff = token(app.test_client(), cast.auditor)
    assert client.get(f"/api/v1/filings/{accession}", headers=staff).status_code == 200


def test_a_send_back_and_a_new_recommendation_send_a_new_request(client, cast):
    case = cast.case_in("recommended")
    move(client, cast.approver, case.id, "send_back", {"reason": "Check the reserve auditor."})
    again = date(2026, 12, 1)
    transition(case.id, "recommend", cast.reviewer, RECOMMEND, today=again)
    first, second = _requests(case)
    assert first.accession_number != second.accession_number
    sent = json.loads(second.content_json)["content"]
    due = add_business_days(again, 20)
    assert (sent["sent_on"], sent["due_on"]) == (again.isoformat(), due.isoformat())
    events = _recommend_events(case)
    assert [e.detail["opinion_request"] for e in events] == [
        first.accession_number,
        second.accession_number,
    ]
    login(client, cast.approver)
    client.set_cookie("lang", "en")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert f"Opinions due on {due.isoformat()}" in page
    listed = re.findall(r'<tr data-accession="(VAR-[^"]+)">', page)
    assert listed == [first.accession_number, second.accession_number]
