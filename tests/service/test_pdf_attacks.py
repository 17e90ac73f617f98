"""Crafted PDFs and names against every upload path, through HTTP.

The files are made by tests/fixtures/pdfs/generate.py and committed beside it; the
largest cost bombs (as large as an upload may be) are built by the same script here.
Each attack goes through the web form and the API; a refusal names what was found, and
neither a document row nor a stored file is left behind.
"""

import io
import time
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from service.demo import demo_pdf
from service.documents import pdf_walker
from service.extensions import db
from service.models import Document, Opinion, Registration
from tests.fixtures.pdfs import generate
from tests.service.conftest import login
from tests.service.factories import Cast, draft
from tests.service.sections.conftest import bearer
from tests.service.test_opinions import RECEIVED

FIXTURES = Path(generate.__file__).parent
EN = {"Accept-Language": "en"}


@pytest.fixture
def cast(ctx):
    return Cast("krw_stablecoin")


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.pdf").read_bytes()


def post_web(client, application, data: bytes, name: str = "paper.pdf", language: str = "en"):
    return client.post(
        f"/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file-white_paper": (io.BytesIO(data), name)},
        headers={"Accept-Language": language},
    )


def post_api(client, headers, application, data: bytes, name: str = "paper.pdf"):
    return client.post(
        f"/api/v1/applications/{application.id}/documents",
        data={"document_type": "white_paper", "file": (io.BytesIO(data), name)},
        headers=headers,
    )


def documents_of(application) -> int:
    return db.session.execute(
        select(func.count()).select_from(Document).where(Document.application_id == application.id)
    ).scalar_one()


def stored_files(folder: str) -> list[Path]:
    root = Path(current_app.config["STORAGE_PATH"]) / folder
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def assert_refused(client, cast, data: bytes, message: str, name: str = "paper.pdf"):
    """The web form and the API both refuse `data` with `message`; nothing is kept."""
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = post_web(client, application, data, name)
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    answer = post_api(client, bearer(client, cast.issuer), application, data, name)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert message in answer.json["errors"]["file"][0]
    assert documents_of(application) == 0
    assert stored_files(f"documents/{application.id}") == []


def test_the_committed_fixtures_are_what_the_script_writes():
    committed = {path.name: path.read_bytes() for path in FIXTURES.glob("*.pdf")}
    assert committed == generate.fixtures()


@pytest.mark.parametrize("name", sorted(generate.ACTIVE))
def test_a_pdf_carrying_active_content_is_refused_naming_it_and_nothing_is_stored(
    client, cast, name
):
    _, found = generate.ACTIVE[name]
    assert_refused(client, cast, fixture(name), found)


def test_the_refusal_names_what_was_found_in_korean_too(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    login(client, cast.issuer)
    page = post_web(client, application, fixture("embedded-exe"), language="ko")
    assert page.status_code == 422
    assert "내장 첨부 파일(EmbeddedFiles)" in page.get_data(as_text=True)
    launch = post_web(client, application, fixture("launch-inline"), language="ko")
    assert "프로그램 실행 동작(Launch)" in launch.get_data(as_text=True)
    assert documents_of(application) == 0


def test_a_refused_white_paper_is_never_published_on_the_register(client, cast):
    """The issuer tries to replace the white paper with scripted ones; once registered,
    the public download serves the clean paper filed before."""
    application = draft(cast.issuer, "krw_stablecoin")
    clean = demo_pdf("white_paper")
    headers = bearer(client, cast.issuer)
    for name in ("openaction-inline-javascript", "javascript-past-lying-size", "embedded-exe"):
        answer = post_api(client, headers, application, fixture(name), "white-paper.pdf")
        assert answer.status_code == 422
    cast.drive(application, "registered")
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == application.id)
    ).scalar_one()
    published = client.get(f"/register/{number}/documents/white-paper.pdf")
    assert published.status_code == 200
    assert published.data == clean


# What each bomb comes to: accepted (None) or refused with these words.
BOMB_OUTCOMES = {
    "size-one-billion": None,
    "deep-nesting": "cannot be read",
    "deep-dictionaries": "cannot be read",
    "huge-page-count": None,
    "huge-stream-length": None,
    "reference-cycle": None,
    "xref-stream-huge-index": None,
    "many-revisions": "too complex to check",
    # As large as an upload may be: each needs far more than a check's CPU budget.
    "many-objects": "too complex to check",
    "many-packed-objects": "too complex to check",
    "xref-flood": "too complex to check",
    "huge-array": "too complex to check",
}


def _bomb(name: str) -> bytes:
    if name in generate.LARGE:
        return generate.LARGE[name](current_app.config["MAX_UPLOAD_BYTES"])
    return fixture(name)


def test_every_bomb_has_an_expected_outcome():
    assert set(BOMB_OUTCOMES) == set(generate.BOMBS) | set(generate.LARGE)


@pytest.mark.parametrize("name", sorted(BOMB_OUTCOMES))
def test_a_cost_bomb_is_answered_within_the_checks_budget(client, cast, name):
    """The check is bounded by the file's content and at worst by its CPU budget, not by what
    the file claims: a bomb is accepted or refused as too complex, never left hanging. The
    CPU budget is what bounds it; wall time on this shared machine is no measure of it, so
    only the parent's own give-up delay is asserted (a hang would reach it)."""
    data = _bomb(name)
    assert len(data) <= current_app.config["MAX_UPLOAD_BYTES"]
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    headers = bearer(client, cast.issuer)
    assert post_api(client, headers, application, fixture("clean")).status_code == 201

    started = time.perf_counter()
    answer = post_api(client, headers, application, data)
    assert time.perf_counter() - started < pdf_walker.WALL_SECONDS
    expected = BOMB_OUTCOMES[name]
    if expected is None:
        assert answer.status_code == 201, answer.json
        assert documents_of(application) == 2
    else:
        assert answer.status_code == 422
        assert expected in answer.json["errors"]["file"][0]
        assert documents_of(application) == 1
        assert len(stored_files(f"documents/{application.id}")) == 1


@pytest.mark.parametrize("name", sorted(generate.INTACT))
def test_a_pdf_with_harmless_links_streams_or_updates_is_accepted(client, cast, name):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    answer = post_api(client, bearer(client, cast.issuer), application, fixture(name))
    assert answer.status_code == 201, answer.json
    assert documents_of(application) == 1


@pytest.mark.parametrize("name", sorted(generate.NOT_PDF))
def test_a_file_that_does_not_start_as_a_pdf_is_refused(client, cast, name):
    assert_refused(client, cast, fixture(name), "not a PDF")


# -- names -----------------------------------------------------------------------------

WRONG_NAMES = ["evil.html", "paper.pdf.html", "setup.exe", "white-paper", "paper.pdfx"]


@pytest.mark.parametrize("name", WRONG_NAMES)
def test_a_document_not_named_pdf_is_refused_through_the_web_form_and_the_api(client, cast, name):
    assert_refused(client, cast, demo_pdf("named"), "must end in .pdf", name=name)


def test_an_html_polyglot_named_html_is_refused_for_its_name_and_its_content(client, cast):
    assert_refused(client, cast, fixture("html-polyglot"), "must end in .pdf", name="evil.html")
    assert_refused(client, cast, fixture("html-polyglot"), "not a PDF", name="evil.pdf")


def test_a_stored_name_always_ends_in_pdf_and_is_what_the_download_carries(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    headers = bearer(client, cast.issuer)
    long_name = "백서 " + "x" * 300 + ".PDF"
    for name in ("REPORT.PDF", long_name):
        answer = post_api(client, headers, application, demo_pdf(name), name)
        assert answer.status_code == 201, answer.json
        stored = answer.json["filename"]
        assert stored.lower().endswith(".pdf") and len(stored) <= 200
        download = client.get(
            f"/api/v1/applications/{application.id}/documents/{answer.json['id']}",
            headers=headers,
        )
        assert download.status_code == 200
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert ".PDF" in disposition and ".html" not in disposition


def test_an_opinion_letter_not_named_pdf_or_scripted_is_refused_on_the_page_and_the_api(
    client, cast
):
    case = cast.case_in("recommended")
    fields = {
        "authority": "bank_of_korea",
        "opinion": "favourable",
        "summary": "No objection.",
        "received_on": RECEIVED,
    }
    attempts = [
        (demo_pdf("letter"), "letter.html", "must end in .pdf"),
        (fixture("openaction-inline-javascript"), "letter.pdf", "JavaScript"),
        (fixture("html-polyglot"), "letter.pdf", "not a PDF"),
    ]
    login(client, cast.reviewer)
    headers = bearer(client, cast.reviewer)
    for data, name, message in attempts:
        page = client.post(
            f"/review/cases/{case.id}/opinions",
            data={**fields, "letter": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            headers=EN,
        )
        assert page.status_code == 422
        assert message in page.get_data(as_text=True)
        answer = client.post(
            f"/api/v1/applications/{case.id}/opinions",
            data={**fields, "letter": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
            headers=headers,
        )
        assert answer.status_code == 422
        assert message in answer.json["errors"]["letter"][0]
    opinions = db.session.execute(
        select(func.count()).select_from(Opinion).where(Opinion.application_id == case.id)
    ).scalar_one()
    assert opinions == 0
    assert stored_files(f"opinions/{case.id}") == []
