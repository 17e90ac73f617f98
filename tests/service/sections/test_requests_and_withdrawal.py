"""After submission: answering an information request with text and documents,
fixing a returned application and resubmitting, withdrawing with a reason."""

import io
import json

from sqlalchemy import select

from service.demo import demo_pdf
from service.extensions import db
from service.models import Filing
from tests.service.sections.conftest import web_login

EN = {"Accept-Language": "en"}


def _filings(application, kind):
    return (
        db.session.execute(
            select(Filing).where(Filing.application_id == application.id, Filing.kind == kind)
        )
        .scalars()
        .all()
    )


def test_the_issuer_answers_each_question_and_the_answer_is_filed(client, cast):
    application = cast.case_in("information_requested")
    web_login(client, cast.issuer)
    page = client.get(f"/applications/{application.id}/respond", headers=EN).get_data(as_text=True)
    assert "Explain the custody arrangement." in page and "2026-12-10" in page
    upload = client.post(
        f"/applications/{application.id}/documents",
        data={
            "document_type": "reserve_custody_agreement",
            "file-reserve_custody_agreement": (io.BytesIO(demo_pdf("custody")), "custody.pdf"),
        },
    )
    assert upload.status_code == 302
    empty = client.post(
        f"/applications/{application.id}/respond",
        data={"version": application.version, "answers-0": ""},
        headers=EN,
    )
    assert empty.status_code == 422 and "There is a problem" in empty.get_data(as_text=True)
    answer = client.post(
        f"/applications/{application.id}/respond",
        data={"version": application.version, "answers-0": "Segregated accounts at two banks."},
    )
    assert answer.status_code == 302
    db.session.refresh(application)
    assert application.state == "assessment"
    [response] = _filings(application, "response")
    content = json.loads(response.content_json)["content"]
    assert content["answers"] == ["Segregated accounts at two banks."]
    assert [d["document_type"] for d in content["documents_with_answers"]] == [
        "reserve_custody_agreement"
    ]


def test_a_returned_application_shows_what_is_missing_and_is_resubmitted(client, cast):
    application = cast.case_in("returned_incomplete")
    web_login(client, cast.issuer)
    tasks = client.get(f"/applications/{application.id}/tasks", headers=EN).get_data(as_text=True)
    assert "Returned as incomplete" in tasks and "Audited statements" in tasks
    assert "2026-12-08" in tasks
    fixed = client.post(
        f"/applications/{application.id}/documents",
        data={
            "document_type": "audited_financial_statements",
            "file-audited_financial_statements": (io.BytesIO(demo_pdf("audited")), "fs.pdf"),
        },
    )
    assert fixed.status_code == 302
    db.session.refresh(application)
    answer = client.post(
        f"/applications/{application.id}/submit", data={"version": application.version}
    )
    assert answer.status_code == 302
    db.session.refresh(application)
    assert application.state == "submitted"
    assert len(_filings(application, "application")) == 2


def test_withdrawal_needs_a_reason_and_is_confirmed_on_its_own_page(client, cast):
    application = cast.case_in("assessment")
    web_login(client, cast.issuer)
    url = f"/applications/{application.id}/withdraw"
    assert "Are you sure?" in client.get(url, headers=EN).get_data(as_text=True)
    refused = client.post(url, data={"version": application.version, "reason": ""}, headers=EN)
    assert refused.status_code == 422
    db.session.refresh(application)
    assert application.state == "assessment"
    done = client.post(url, data={"version": application.version, "reason": "Plan changed."})
    assert done.status_code == 302
    db.session.refresh(application)
    assert application.state == "withdrawn"
    assert _filings(application, "withdrawal_notice")


def test_a_submitted_application_shows_its_answers_read_only(client, cast):
    application = cast.case_in("submitted")
    web_login(client, cast.issuer)
    page = client.get(f"/applications/{application.id}/sections/applicant", headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "can no longer be changed" in html
    assert 'name="legal_name_ko"' not in html
    posted = client.post(
        f"/applications/{application.id}/sections/applicant", data={"legal_name_ko": "x"}
    )
    assert posted.status_code == 409


def test_the_regulator_reads_a_returned_application_without_any_form(client, cast):
    application = cast.case_in("returned_incomplete")
    web_login(client, cast.reviewer)
    for page in ("tasks", "sections/applicant", "check", "documents"):
        answer = client.get(f"/applications/{application.id}/{page}", headers=EN)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, page
        assert 'name="legal_name_ko"' not in html and 'type="file"' not in html, page
        assert "submit-application" not in html and "Withdraw the application" not in html, page


def test_an_upload_refusal_reads_in_the_pages_language(client, cast):
    application = cast.case_in("returned_incomplete")
    web_login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file-white_paper": (io.BytesIO(b""), "a.pdf")},
        headers={"Accept-Language": "ko"},
    )
    assert page.status_code == 422 and "빈 파일입니다." in page.get_data(as_text=True)
