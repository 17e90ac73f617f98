"""A file over the body limit, sent from a section page's upload form, is refused on that
page beside its field (its address names the document type and section), unread and
unstored; without that address the plain 413 page stays, and the API its problem
document (tests/service/sections/test_web_and_api.py)."""

import pytest
from flask import current_app
from sqlalchemy import func, select

from service.extensions import db
from service.models import Opinion
from tests.service.conftest import login as web_login
from tests.service.factories import Cast, draft
from tests.service.sections.test_web_and_api import (
    CountingBody,
    _document_count,
    _stored_files,
    _upload_body,
)

MESSAGES = {
    "en": "The file is larger than 20 MB: upload a smaller PDF.",
    "ko": "파일이 20 MB를 넘습니다. 더 작은 PDF를 올리십시오.",
}


def refused_unread(client, url: str, file_field: str, language: str) -> str:
    """POST a file one byte over the body limit to `url`: refused 413 as a page, its body
    never read; the page's HTML."""
    data, content_type = _upload_body(file_field, current_app.config["MAX_CONTENT_LENGTH"])
    body = CountingBody(data)
    page = client.post(
        url,
        input_stream=body,
        content_length=len(data),
        content_type=content_type,
        headers={"Accept-Language": language},
    )
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert body.bytes_read == 0
    return page.get_data(as_text=True)


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf off", "csrf on"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_oversized_upload_is_refused_beside_its_field_on_the_section_page(
    client, cast, monkeypatch, language, csrf
):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    web_login(client, cast.issuer)
    monkeypatch.setitem(current_app.config, "WTF_CSRF_ENABLED", csrf)
    html = refused_unread(
        client,
        f"/applications/{application.id}/documents?document_type=white_paper&section=white_paper",
        "file-white_paper",
        language,
    )
    # The section page itself: its answers form, the field marked, the message beside it.
    assert 'name="save"' in html and 'id="upload-white_paper"' in html
    assert 'id="field-file-white_paper-error"' in html
    assert MESSAGES[language] in html
    assert _document_count(application) == 0 and _stored_files() == []


def test_an_oversized_upload_for_someone_elses_case_gets_the_plain_413(client, cast, monkeypatch):
    """The inline page is the case's own page: another issuer's case is not shown. (With
    CSRF on, as deployed, its check reads the form, and meets the 413, before any view.)"""
    other = draft(Cast().issuer, "krw_stablecoin", complete=False)
    web_login(client, cast.issuer)
    monkeypatch.setitem(current_app.config, "WTF_CSRF_ENABLED", True)
    data, content_type = _upload_body("file-white_paper", current_app.config["MAX_CONTENT_LENGTH"])
    page = client.post(
        f"/applications/{other.id}/documents?document_type=white_paper&section=white_paper",
        data=data,
        content_type=content_type,
        headers={"Accept-Language": "en"},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 413 and 'name="save"' not in html
    assert "The file is larger than 20 MB" in html


@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_oversized_opinion_letter_is_refused_beside_the_letter_field(
    client, ctx, monkeypatch, language
):
    """The opinion form on the case page, as a section's upload form (issue 20, item 10)."""
    cast = Cast("krw_stablecoin")  # a KRW stablecoin's decision waits for opinions
    case = cast.case_in("recommended")
    stored_before = _stored_files()  # the case's own documents
    web_login(client, cast.reviewer)
    monkeypatch.setitem(current_app.config, "WTF_CSRF_ENABLED", True)
    html = refused_unread(client, f"/review/cases/{case.id}/opinions", "letter", language)
    # The case page with its opinion form, the letter field marked, the message beside it.
    assert 'class="transition-form opinion-form"' in html
    assert 'id="error-summary"' in html and 'href="#t-letter"' in html
    assert f'<p class="form-hint-invalid">{MESSAGES[language]}</p>' in html
    assert _stored_files() == stored_before
    assert not db.session.scalar(select(func.count()).select_from(Opinion))
