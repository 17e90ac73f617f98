"""Filings are frozen, numbered and hashed; documents are PDFs, checked by content."""

import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from service.canonical import sha256_hex
from service.demo import demo_pdf
from service.documents.operations import add_document
from service.errors import Invalid
from service.extensions import db
from service.filings.kinds import kind_title
from service.models import Document, Filing
from service.storage import storage
from tests.service.factories import draft
from tests.service.pdfs import attachments, embedded_fonts, has_text, pdfa_part
from workflows.bilingual import localize, use_locale


def test_submitting_freezes_the_application_as_a_numbered_hashed_filing(cast):
    case = cast.case_in("submitted")
    filing = db.session.execute(select(Filing).where(Filing.application_id == case.id)).scalar_one()
    assert re.fullmatch(r"VAR-\d{4}-\d{6}", filing.accession_number)
    assert filing.kind == "application"
    assert filing.content_sha256 == sha256_hex(filing.content_json)
    content = json.loads(filing.content_json)["content"]
    assert content["sections"] == case.sections
    assert {d["sha256"] for d in content["documents"]} == {d.sha256 for d in case.documents}


def test_accession_numbers_follow_each_other(cast):
    first, second = cast.case_in("submitted"), cast.case_in("submitted")
    numbers = (
        db.session.execute(
            select(Filing.accession_number)
            .where(Filing.application_id.in_([first.id, second.id]))
            .order_by(Filing.id)
        )
        .scalars()
        .all()
    )
    a, b = (int(n.rsplit("-", 1)[1]) for n in numbers)
    assert b == a + 1


def test_a_filing_can_be_neither_changed_nor_deleted(cast):
    case = cast.case_in("submitted")
    filing = db.session.execute(select(Filing).where(Filing.application_id == case.id)).scalar_one()
    filing.content_json = "{}"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    filing = db.session.execute(select(Filing).where(Filing.application_id == case.id)).scalar_one()
    db.session.delete(filing)
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "The file is empty."),
        (b"PK\x03\x04 this is a zip file renamed .pdf", "The file is not a PDF"),
        (b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10) + b"\n%%EOF\n", "larger than 1 MB"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message_and_nothing_is_stored(
    cast, app, monkeypatch, data, message
):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 1024 * 1024)
    application = draft(cast.issuer, complete=False)
    storage = Path(app.config["STORAGE_PATH"]) / "documents" / str(application.id)
    with pytest.raises(Invalid) as refused, use_locale("en"):
        add_document(application, cast.issuer, "white_paper", "paper.pdf", data)
    assert message in localize(refused.value.errors["file"][0], "en")
    assert not storage.exists() or not list(storage.iterdir())
    assert (
        db.session.execute(
            select(Document).where(Document.application_id == application.id)
        ).first()
        is None
    )


def test_a_new_upload_of_the_same_type_is_a_new_version(cast, app):
    application = draft(cast.issuer, complete=False)
    first = add_document(application, cast.issuer, "white_paper", "v1.pdf", demo_pdf("v1"))
    second = add_document(application, cast.issuer, "white_paper", " 백서 v2.pdf ", demo_pdf("v2"))
    assert first.storage_key != second.storage_key
    assert second.filename == "백서 v2.pdf"
    stored = Path(app.config["STORAGE_PATH"]) / first.storage_key
    assert sha256_hex(stored.read_bytes()) == first.sha256


# Names that are paths or hide characters: each is refused, none is cleaned into another.
TRICK_NAMES = {
    "parent folders": "../../x.pdf",
    "windows parent": "..\\x.pdf",
    "absolute": "/etc/passwd.pdf",
    "windows absolute": "C:\\Users\\x.pdf",
    "drive relative": "C:x.pdf",
    "only dots": "..",
    "nul": "x.pdf\x00.exe",
    "newline": "x\n.pdf",
    "escape sequence": "x\x1b[2J.pdf",
    "direction override": "invoice\u202efdp.exe",
}


@pytest.mark.parametrize("name", list(TRICK_NAMES.values()), ids=list(TRICK_NAMES))
def test_a_file_name_with_a_path_trick_is_refused_and_nothing_is_stored(cast, app, name):
    application = draft(cast.issuer, complete=False)
    with pytest.raises(Invalid) as refused, use_locale("en"):
        add_document(application, cast.issuer, "white_paper", name, demo_pdf("tricked"))
    assert "may not contain folders" in localize(refused.value.errors["file"][0], "en")
    assert _stored_files(app) == []
    assert (
        db.session.execute(
            select(Document).where(Document.application_id == application.id)
        ).first()
        is None
    )


def _stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_demo_loads_once_with_cases_across_the_lifecycle(ctx, app):
    from service.demo import load

    assert load() is True
    assert load() is False
    states = db.session.execute(select(db.text("state")).select_from(db.text("application")))
    counted = [row[0] for row in states]
    assert counted.count("submitted") >= 2
    assert "assessment" in counted and "registered" in counted and "draft" in counted
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 0 and "intact" in outcome.output

    # Every kind of filing the demo made is an archival PDF that reads in Korean.
    first_of_each: dict[str, Filing] = {}
    for filing in db.session.execute(select(Filing).order_by(Filing.id)).scalars():
        first_of_each.setdefault(filing.kind, filing)
    assert set(first_of_each) >= {
        "application",
        "incompleteness_notice",
        "information_request",
        "opinion",
        "decision",
        "certificate",
        "report:reserve_report",
        "report:cross_border_flows",
        "report:redemption_statistics",
    }
    for kind, filing in first_of_each.items():
        pdf = storage().get(filing.pdf_storage_key)
        assert sha256_hex(pdf) == filing.pdf_sha256, kind
        assert pdfa_part(pdf) == ("3", "A"), kind
        assert attachments(pdf) == {f"{filing.accession_number}.json": filing.content_json.encode()}
        assert all(font.startswith("Pretendard-GOV") for font in embedded_fonts(pdf)), kind
        title = kind_title(kind).ko
        assert has_text(pdf, title, filing.accession_number, filing.organization.name_ko), kind


def _pdf(build) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(writer, action: str) -> None:
    """An action run when the file opens: a script, or launching a program."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    fields = {NameObject("/S"): NameObject(action)}
    if action == "/JavaScript":
        fields[NameObject("/JS")] = TextStringObject("app.alert('opened');")
    else:
        fields[NameObject("/F")] = TextStringObject("cmd.exe")
    reference = writer._add_object(DictionaryObject(fields))
    writer._root_object[NameObject("/OpenAction")] = reference


@pytest.mark.parametrize(
    "build,message",
    [
        (lambda w: w.encrypt("secret"), "encrypted"),
        (lambda w: _open_action(w, "/JavaScript"), "carries JavaScript"),
        (lambda w: _open_action(w, "/Launch"), "carries a launch action"),
        (lambda w: None, None),
    ],
    ids=["encrypted", "javascript", "launch", "plain"],
)
def test_encrypted_and_scripted_pdfs_are_refused_and_nothing_is_stored(cast, app, build, message):
    application = draft(cast.issuer, complete=False)
    data = _pdf(build)
    if message is None:
        assert add_document(application, cast.issuer, "white_paper", "ok.pdf", data).size
        return
    with pytest.raises(Invalid) as refused, use_locale("en"):
        add_document(application, cast.issuer, "white_paper", "paper.pdf", data)
    assert message in localize(refused.value.errors["file"][0], "en")
    assert (
        db.session.execute(
            select(Document).where(Document.application_id == application.id)
        ).first()
        is None
    )
    assert _stored_files(app) == []


def test_an_interrupted_demo_load_is_reported_instead_of_left_half_done(ctx):
    from service.demo import DemoIncomplete, load
    from service.models import Organization

    db.session.add(Organization(name_en="Hanbit Bank", name_ko="한빛은행", kind="bank"))
    db.session.commit()
    with pytest.raises(DemoIncomplete):
        load()
