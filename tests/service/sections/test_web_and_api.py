"""The web form and the API go through the same schemas and operation: the same
section is refused with the same field errors; documents are refused alike."""

import io
import re
from html import unescape
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from forms.documents import DOCUMENT_TYPES
from forms.sections.samples import sample_sections
from service.demo import demo_pdf
from service.extensions import db
from service.models import Document, Filing
from tests.service.conftest import login
from tests.service.factories import TODAY, Cast, draft
from tests.service.sections.conftest import bearer

EN = {"Accept-Language": "en"}


def _flat_messages(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat_messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _flat_messages(value)]
    return [errors]


def _summary_items(html: str) -> list[str]:
    summary = re.search(r'<div class="app-error-summary".*?</ul>', html, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def _as_form(answers: dict) -> dict:
    form = {}
    for key, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                for sub, item in row.items():
                    form[f"{key}-{i}-{sub}"] = str(item).lower() if isinstance(item, bool) else item
        elif isinstance(value, bool):
            form[key] = "true" if value else "false"
        else:
            form[key] = value
    return form


INVALID = {
    "applicant": lambda answers: {
        **answers,
        "business_registration_number": "124-81-00999",
        "contact_email": "not-an-email",
    },
    "ownership": lambda answers: {
        **answers,
        "qualifying_holders": [{**answers["qualifying_holders"][0], "percentage": "130"}]
        + answers["qualifying_holders"][1:],
    },
    # A row under the threshold and a total over 100%: errors on a row and on the whole list.
    "ownership/row-and-total": lambda answers: {
        **answers,
        "qualifying_holders": [
            {**answers["qualifying_holders"][0], "percentage": "5"},
            {**answers["qualifying_holders"][0], "percentage": "99"},
        ],
    },
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_the_same_invalid_section_gets_the_same_errors_from_the_web_form_and_the_api(
    client, cast, case
):
    """The same errors both ways. The API refuses the whole body; the web form keeps the
    answers that were right, so a person loses nothing typed right."""
    name = case.split("/")[0]
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    answers = INVALID[case](sample_sections("krw_stablecoin", TODAY)[name])

    api = client.put(
        f"/api/v1/applications/{application.id}/sections/{name}",
        json=answers,
        headers={**bearer(client, cast.issuer), "If-Match": application.etag},
    )
    assert api.status_code == 422
    assert api.mimetype == "application/problem+json"
    db.session.refresh(application)
    assert name not in application.sections

    login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/sections/{name}",
        data={**_as_form(answers), "version": application.version},
        headers=EN,
    )
    assert page.status_code == 422
    shown = _summary_items(page.get_data(as_text=True))
    messages = _flat_messages(api.json["errors"])
    assert messages and len(shown) == len(messages)
    # Each message is listed in the summary and shown again beside its field or list.
    html = page.get_data(as_text=True)
    beside_fields = unescape(html[html.index("</ul>", html.index('class="app-error-summary"')) :])
    for message in messages:
        assert any(item.endswith(message) for item in shown), (message, shown)
        assert message in beside_fields, message
    assert "Your other answers were saved." in html
    db.session.refresh(application)
    kept = application.sections[name]
    refused = {key for key, error in api.json["errors"].items() if isinstance(error, list)}
    assert set(answers) - refused <= set(kept), (set(answers) - set(kept), refused)
    if case == "applicant":
        # A value refused for itself is not kept (one refused beside others, by a rule
        # across answers, is: each answer is right, the section is not yet).
        assert not refused & set(kept)


def test_a_valid_section_saved_through_the_web_form_equals_the_api_save(client, cast):
    answers = sample_sections("krw_stablecoin", TODAY)["ownership"]
    by_web = draft(cast.issuer, "krw_stablecoin", complete=False)
    by_api = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = client.post(
        f"/applications/{by_web.id}/sections/ownership",
        data={**_as_form(answers), "version": by_web.version},
    )
    assert page.status_code == 302
    api = client.put(
        f"/api/v1/applications/{by_api.id}/sections/ownership",
        json=answers,
        headers={**bearer(client, cast.issuer), "If-Match": by_api.etag},
    )
    assert api.status_code == 200 and api.json["status"] == "complete"
    assert api.headers["ETag"] == f'"{api.json["version"]}"'
    db.session.refresh(by_web)
    assert by_web.sections["ownership"] == api.json["answers"] == answers


def test_the_api_puts_a_section_only_with_a_current_if_match(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    auth = bearer(client, cast.issuer)
    url = f"/api/v1/applications/{application.id}/sections/applicant"
    assert client.put(url, json={}, headers=auth).status_code == 428
    stale = client.put(url, json={"legal_form": "x"}, headers={**auth, "If-Match": '"999"'})
    assert stale.status_code == 412 and stale.json["current_version"] == application.version


def test_the_api_answers_404_for_a_section_the_category_does_not_have(client, ctx):
    cast = Cast("tokenized_deposit")
    application = draft(cast.issuer, "tokenized_deposit", complete=False)
    answer = client.put(
        f"/api/v1/applications/{application.id}/sections/reserve",
        json={},
        headers={**bearer(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 404 and answer.json["code"] == "section_not_found"


def test_the_application_shows_each_sections_status(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    auth = bearer(client, cast.issuer)
    client.put(
        f"/api/v1/applications/{application.id}/sections/capital",
        json={"paid_in_capital_krw": "50,000,000,000"},
        headers={**auth, "If-Match": application.etag},
    )
    seen = client.get(f"/api/v1/applications/{application.id}", headers=auth).json
    assert seen["section_status"]["capital"] == "in_progress"
    assert seen["section_status"]["applicant"] == "not_started"
    assert "reserve" in seen["section_status"]


def test_submit_is_refused_with_a_structured_list_of_what_is_missing(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    answer = client.post(
        f"/api/v1/applications/{application.id}/transitions/submit",
        json={},
        headers={**bearer(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 409 and answer.json["code"] == "incomplete"
    missing = answer.json["missing"]
    first = missing[0]
    assert (first["kind"], first["code"], first["label"]) == ("section", "applicant", "Applicant")
    kinds = {(item["kind"], item["code"]) for item in missing}
    assert ("section", "declaration") in kinds
    assert ("document", "reserve_custody_agreement") in kinds


# -- documents ---------------------------------------------------------------------


BAD_FILES = {
    "not a pdf": (b"PK\x03\x04 a zip file renamed", "not a PDF"),
    "empty": (b"", "empty"),
    "too large": (b"%PDF-1.7\n" + b"0" * 4096 + b"\n%%EOF\n", "larger than 2 KB"),
}


def _stored_files() -> list[Path]:
    root = Path(current_app.config["STORAGE_PATH"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _document_count(application) -> int:
    return db.session.execute(
        select(func.count()).select_from(Document).where(Document.application_id == application.id)
    ).scalar_one()


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_through_the_web_form_and_nothing_is_stored(
    client, cast, case, monkeypatch
):
    monkeypatch.setitem(current_app.config, "MAX_UPLOAD_BYTES", 2048)
    data, message = BAD_FILES[case]
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file-white_paper": (io.BytesIO(data), "paper.pdf")},
        headers=EN,
    )
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    assert _document_count(application) == 0 and _stored_files() == []


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_through_the_api_and_nothing_is_stored(
    client, cast, case, monkeypatch
):
    monkeypatch.setitem(current_app.config, "MAX_UPLOAD_BYTES", 2048)
    data, message = BAD_FILES[case]
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    answer = client.post(
        f"/api/v1/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file": (io.BytesIO(data), "paper.pdf")},
        headers=bearer(client, cast.issuer),
    )
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["code"] == "document_file_refused"
    assert message in answer.json["errors"]["file"][0]
    assert _document_count(application) == 0 and _stored_files() == []


# A type no case takes, and one another category takes (a bank licence is a tokenized
# deposit's, not a stablecoin's): both refused with the same code, nothing stored.
@pytest.mark.parametrize("document_type", ["¤\x91üA", "bank_licence", ""])
def test_a_document_type_the_case_does_not_take_is_refused_through_the_api(
    client, cast, document_type
):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    answer = client.post(
        f"/api/v1/applications/{application.id}/documents",
        data={"document_type": document_type, "file": (io.BytesIO(demo_pdf("x")), "x.pdf")},
        headers={**bearer(client, cast.issuer), **EN},
    )
    assert answer.status_code == 422 and answer.json["code"] == "document_type_refused"
    assert "does not take a document of this type" in answer.json["errors"]["document_type"][0]
    assert _document_count(application) == 0 and _stored_files() == []


def test_the_contract_lists_the_document_types(client):
    contract = client.get("/api/v1/openapi.json").json
    upload = contract["paths"]["/api/v1/applications/{application_id}/documents"]["post"]
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = contract["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert schema["properties"]["document_type"]["enum"] == list(DOCUMENT_TYPES)


# Names with a path in them, as a client sends them: refused, not cleaned (see
# tests/service/test_filings_and_documents.py for every trick at the operation).
TRICK_NAMES = ["../../x.pdf", "/etc/passwd.pdf", "x.pdf\x00.exe"]


@pytest.mark.parametrize("name", TRICK_NAMES)
def test_a_file_name_with_a_path_is_refused_through_the_web_form_and_the_api(client, cast, name):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/documents",
        data={
            "document_type": "white_paper",
            "file-white_paper": (io.BytesIO(demo_pdf("tricked")), name),
        },
        headers=EN,
    )
    assert page.status_code == 422
    assert "may not contain folders" in page.get_data(as_text=True)
    answer = client.post(
        f"/api/v1/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file": (io.BytesIO(demo_pdf("tricked")), name)},
        headers=bearer(client, cast.issuer),
    )
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert "may not contain folders" in answer.json["errors"]["file"][0]
    assert _document_count(application) == 0 and _stored_files() == []


class CountingBody(io.BytesIO):
    """A request body that counts how much of it the server reads."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def _upload_body(file_field: str, size: int) -> tuple[bytes, str]:
    """The multipart body (and its content type) of a PDF of `size` bytes, as a browser or
    an API client would send it."""
    pdf = b"%PDF-1.7\n" + b"0" * (size - 16) + b"\n%%EOF\n"
    fields = {"document_type": "white_paper", file_field: (io.BytesIO(pdf), "paper.pdf")}
    environ = EnvironBuilder(method="POST", data=fields).get_environ()
    return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]


def _post_oversized(client, url: str, file_field: str, chunked: bool, headers: dict):
    """POST a body one file larger than MAX_CONTENT_LENGTH allows: with its length declared,
    or chunked (no length; gunicorn marks such a stream terminated, so werkzeug may cap it)."""
    config = current_app.config
    # The 20 MB document limit plus room for the form's other fields (create_app).
    assert config["MAX_CONTENT_LENGTH"] == config["MAX_UPLOAD_BYTES"] + config["UPLOAD_FORM_MARGIN"]
    data, content_type = _upload_body(file_field, config["MAX_CONTENT_LENGTH"])
    body = CountingBody(data)
    if chunked:
        answer = client.post(
            url,
            input_stream=body,
            content_type=content_type,
            headers={**headers, "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        )
    else:
        answer = client.post(
            url,
            input_stream=body,
            content_length=len(data),
            content_type=content_type,
            headers=headers,
        )
    # A declared length is refused before a byte is read; a chunked body at the limit.
    assert body.bytes_read <= (config["MAX_CONTENT_LENGTH"] if chunked else 0)
    return answer


@pytest.mark.parametrize(
    "chunked,csrf",
    [(False, False), (True, False), (False, True)],
    ids=["content-length", "chunked", "csrf on"],
)
def test_a_body_over_the_limit_gets_413_from_the_web_form_unread_and_nothing_is_stored(
    client, cast, monkeypatch, chunked, csrf
):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    # With CSRF on (as deployed), its check reads the form first, before any view.
    monkeypatch.setitem(current_app.config, "WTF_CSRF_ENABLED", csrf)
    url = f"/applications/{application.id}/documents"
    page = _post_oversized(client, url, "file-white_paper", chunked, EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert "The file is too large" in html
    assert "The file is larger than 20 MB: upload a smaller PDF." in html
    assert _document_count(application) == 0 and _stored_files() == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_gets_413_from_the_api_unread_and_nothing_is_stored(
    client, cast, chunked
):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    url = f"/api/v1/applications/{application.id}/documents"
    answer = _post_oversized(client, url, "file", chunked, bearer(client, cast.issuer))
    assert answer.status_code == 413 and answer.mimetype == "application/problem+json"
    assert answer.json["status"] == 413 and answer.json["code"] == "too_large"
    assert "The file is larger than 20 MB" in answer.json["detail"]
    assert _document_count(application) == 0 and _stored_files() == []


def test_a_file_one_byte_over_the_document_limit_still_gets_the_document_checks_answer(
    client, cast
):
    """The margin leaves room for the form: a file at the limit is read, and the
    document check (not the 413) says what is wrong, beside the field."""
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    one_over = current_app.config["MAX_UPLOAD_BYTES"] + 1
    data, content_type = _upload_body("file-white_paper", one_over)
    page = client.post(
        f"/applications/{application.id}/documents",
        data=data,
        content_type=content_type,
        headers=EN,
    )
    assert page.status_code == 422
    assert 'id="field-file-white_paper-error"' in page.get_data(as_text=True)
    assert "larger than 20 MB" in page.get_data(as_text=True)
    assert _document_count(application) == 0 and _stored_files() == []


def test_a_section_page_upload_error_is_shown_beside_its_document(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/documents",
        data={
            "document_type": "white_paper",
            "section": "white_paper",
            "file-white_paper": (io.BytesIO(b"hello"), "paper.pdf"),
        },
        headers=EN,
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="field-file-white_paper-error"' in html and "not a PDF" in html


def test_a_new_upload_is_a_new_version_and_both_stay_listed_and_downloadable(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    auth = bearer(client, cast.issuer)
    url = f"/api/v1/applications/{application.id}/documents"
    first, second = demo_pdf("first"), demo_pdf("second")
    for data in (first, second):
        answer = client.post(
            url,
            data={"document_type": "white_paper", "file": (io.BytesIO(data), "백서.pdf")},
            headers=auth,
        )
        assert answer.status_code == 201
    listed = client.get(url, headers=auth).json
    assert [(d["version"], d["current"]) for d in listed] == [(1, False), (2, True)]
    download = client.get(f"{url}/{listed[0]['id']}", headers=auth)
    assert download.data == first
    assert download.headers["ETag"] == f'"{listed[0]["sha256"]}"'
    assert download.headers["Content-Disposition"].startswith("attachment")
    login(client, cast.issuer)
    page = client.get(f"/applications/{application.id}/documents/{listed[1]['id']}")
    assert page.data == second and page.headers["ETag"] == f'"{listed[1]["sha256"]}"'


def test_documents_are_for_the_applicant_and_the_regulator_only(client, cast):
    application = cast.case_in("submitted")
    document = application.documents[0]
    url = f"/api/v1/applications/{application.id}/documents/{document.id}"
    assert client.get(url, headers=bearer(client, cast.reviewer)).status_code == 200
    assert client.get(url, headers=bearer(client, cast.auditor)).status_code == 200
    stranger = Cast("krw_stablecoin").issuer
    assert client.get(url, headers=bearer(client, stranger)).status_code == 404
    login(client, stranger)
    assert client.get(f"/applications/{application.id}/documents/{document.id}").status_code == 404


def test_the_submission_filing_lists_every_version_and_marks_the_current_one(client, cast):
    application = draft(cast.issuer, "krw_stablecoin")
    client.post(
        f"/api/v1/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file": (io.BytesIO(demo_pdf("v2")), "v2.pdf")},
        headers=bearer(client, cast.issuer),
    )
    login(client, cast.issuer)
    answer = client.post(
        f"/applications/{application.id}/submit", data={"version": application.version}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/submitted")
    filing = db.session.execute(
        select(Filing).where(Filing.application_id == application.id, Filing.kind == "application")
    ).scalar_one()
    import json

    listed = json.loads(filing.content_json)["content"]["documents"]
    papers = [d for d in listed if d["document_type"] == "white_paper"]
    assert [(d["version"], d["current"]) for d in papers] == [(1, False), (2, True)]
    receipt = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert filing.accession_number in receipt and filing.content_sha256 in receipt


@pytest.mark.parametrize("target", ["/\\evil.example/", "//evil.example/", "https://evil.example/"])
def test_an_upload_never_sends_the_browser_off_site_afterwards(client, cast, target):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = client.post(
        f"/applications/{application.id}/documents",
        data={
            "document_type": "white_paper",
            "file-white_paper": (io.BytesIO(demo_pdf("paper")), "paper.pdf"),
            "next": target,
        },
    )
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/applications/")
