"""After submission: answering an information request with text and documents,
fixing a returned application and resubmitting, withdrawing with a reason."""

import io
import json

from sqlalchemy import select

from service.applications import operations
from service.applications.completeness import missing_items, outstanding_items
from service.demo import demo_pdf
from service.extensions import db
from service.models import AuditEvent, Filing
from service.storage import storage
from tests.service.conftest import login
from tests.service.factories import TODAY
from tests.service.pdfs import has_text
from tests.service.sections.conftest import bearer

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
    login(client, cast.issuer)
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


PROCEDURE = "Complaints are answered within 3 business days."


def test_the_issuer_amends_a_section_while_a_request_is_open_and_the_response_files_it(
    client, cast
):
    application = cast.case_in("information_requested")
    login(client, cast.issuer)
    url = f"/applications/{application.id}"
    page = client.get(f"{url}/sections/consumer_protection", headers=EN).get_data(as_text=True)
    assert 'name="complaints_procedure"' in page and "filed with your response" in page
    amended = {**application.sections["consumer_protection"], "complaints_procedure": PROCEDURE}
    saved = client.post(
        f"{url}/sections/consumer_protection", data={"version": application.version, **amended}
    )
    assert saved.status_code == 302
    db.session.refresh(application)
    assert application.sections["consumer_protection"]["complaints_procedure"] == PROCEDURE
    # A changed answer withdraws the officer's declaration, as it does in a draft.
    assert "signed_at" not in application.sections["declaration"]

    tasks = client.get(f"{url}/tasks", headers=EN).get_data(as_text=True)
    assert 'data-amended="consumer_protection"' in tasks and 'data-amended="declaration"' in tasks
    assert "What you change is filed with your response" in tasks
    respond = client.get(f"{url}/respond", headers=EN).get_data(as_text=True)
    assert 'data-section="consumer_protection"' in respond
    assert "Before you can send your response" in respond and 'data-code="declaration"' in respond
    refused = client.post(
        f"{url}/respond",
        data={"version": application.version, "answers-0": "Two banks."},
        headers=EN,
    )
    assert refused.status_code == 409
    assert "The answers you changed are not complete: Declaration" in refused.get_data(as_text=True)
    db.session.refresh(application)
    assert application.state == "information_requested"

    declaration = {**application.sections["declaration"], "confirmed": "true"}
    signed = client.post(
        f"{url}/sections/declaration", data={"version": application.version, **declaration}
    )
    assert signed.status_code == 302
    db.session.refresh(application)
    answer = client.post(
        f"{url}/respond", data={"version": application.version, "answers-0": "Two banks."}
    )
    assert answer.status_code == 302
    db.session.refresh(application)
    assert application.state == "assessment"
    [response] = _filings(application, "response")
    content = json.loads(response.content_json)["content"]
    assert content["sections"]["consumer_protection"]["complaints_procedure"] == PROCEDURE
    assert content["sections"]["declaration"]["signed_at"]
    assert content["amended_sections"] == ["consumer_protection", "declaration"]
    # Its PDF prints the amended sections as filed; the answer to the question comes first.
    pdf = storage().get(response.pdf_storage_key)
    assert has_text(pdf, "Two banks.", "Sections amended", "Consumer protection", PROCEDURE)
    # Answered, the case is the reviewer's again: the issuer's pen is put down.
    late = client.post(
        f"{url}/sections/consumer_protection", data={"version": application.version, **amended}
    )
    assert late.status_code == 409


def test_the_api_amends_a_section_while_a_request_is_open_with_the_forms_rules(client, cast):
    application = cast.case_in("information_requested")
    auth = bearer(client, cast.issuer)
    url = f"/api/v1/applications/{application.id}/sections/consumer_protection"
    answers = {**application.sections["consumer_protection"], "complaints_email": "not-an-email"}
    refused = client.put(url, json=answers, headers={**auth, "If-Match": application.etag})
    assert refused.status_code == 422 and "complaints_email" in refused.json["errors"]
    answers["complaints_email"] = "complaints@hanbit.example"
    saved = client.put(url, json=answers, headers={**auth, "If-Match": application.etag})
    assert saved.status_code == 200 and saved.json["status"] == "complete"
    event = (
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.application_id == application.id)
            .order_by(AuditEvent.seq.desc())
        )
        .scalars()
        .first()
    )
    assert event.action == "save_section" and event.detail["declaration_withdrawn"] is True
    steps = client.get(f"/api/v1/applications/{application.id}/transitions", headers=auth).json
    respond = next(step for step in steps if step["name"] == "respond")
    assert respond["allowed"] is False and "Declaration" in respond["reason"]


def test_a_response_without_changes_is_not_judged_again_on_the_day_it_is_sent(cast):
    application = cast.case_in("information_requested")
    # Years on, the ISMS certificate filed with the submission has expired: a submission
    # made that day would be refused, but the response amends nothing.
    later = TODAY.replace(year=TODAY.year + 4)
    assert any(
        item.code == "ict_security"
        for item in missing_items(application, later, operations.regime())
    )
    assert outstanding_items(application, later, operations.regime()) == []
    answered = operations.transition(
        application.id, "respond", cast.issuer, {"answers": ["Two banks."]}, today=TODAY
    )
    assert answered.state == "assessment"


def test_a_returned_application_shows_what_is_missing_and_is_resubmitted(client, cast):
    application = cast.case_in("returned_incomplete")
    login(client, cast.issuer)
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
    login(client, cast.issuer)
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
    login(client, cast.issuer)
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
    login(client, cast.reviewer)
    for page in ("tasks", "sections/applicant", "check", "documents"):
        answer = client.get(f"/applications/{application.id}/{page}", headers=EN)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, page
        assert 'name="legal_name_ko"' not in html and 'type="file"' not in html, page
        assert "submit-application" not in html and "Withdraw the application" not in html, page


def test_an_upload_refusal_reads_in_the_pages_language(client, cast):
    application = cast.case_in("returned_incomplete")
    login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file-white_paper": (io.BytesIO(b""), "a.pdf")},
        headers={"Accept-Language": "ko"},
    )
    assert page.status_code == 422 and "빈 파일입니다." in page.get_data(as_text=True)
