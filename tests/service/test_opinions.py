"""The Bank of Korea's and the ministry's opinions on a KRW stablecoin case: API and page."""

import io
import re

import pytest
from sqlalchemy import select

from service.demo import demo_pdf
from service.extensions import db
from service.models import AuditEvent, Filing
from tests.service.factories import PASSWORD, Cast
from tests.service.test_api_lifecycle import move, token

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


def test_only_reviewers_and_approvers_record_opinions_on_a_recommended_krw_case(client, cast):
    case = cast.case_in("recommended")
    assert post_opinion(client, cast.supervisor, case.id, "bank_of_korea").status_code == 403
    assert post_opinion(client, cast.issuer, case.id, "bank_of_korea").status_code == 403
    early = cast.case_in("assessment")
    assert post_opinion(client, cast.reviewer, early.id, "bank_of_korea").status_code == 409
    other = Cast(category="other_virtual_asset").case_in("recommended")
    answer = post_opinion(client, cast.reviewer, other.id, "bank_of_korea")
    assert answer.status_code == 409 and answer.json["code"] == "not_consulted"


def login(client, user):
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code in (302, 303)


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
