"""Records tampered with by someone who owns the database and the file store: the
append-only triggers switched off, a filing's JSON edited, bytes added to a stored PDF, a
document replaced on disk, a registration row edited. No download serves them as genuine
(500, and an alarm in the audit chain), and `flask audit verify` names each one."""

import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select, text

from service.applications import operations
from service.audit import chain
from service.audit.stored import ALARM_ACTION
from service.canonical import sha256_hex
from service.demo import demo_pdf
from service.extensions import db
from service.models import AuditEvent, Document, Filing, Registration
from tests.service.conftest import login, token
from tests.service.factories import TODAY, Cast


def switch_off_record_triggers(*tables: str) -> None:
    """As the database's owner would: no trigger stops an UPDATE of these tables."""
    if db.session.get_bind().dialect.name == "postgresql":
        for table in tables:
            db.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        return
    for table in tables:
        names = db.session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table},
        ).scalars()
        for name in list(names):
            db.session.execute(text(f"DROP TRIGGER {name}"))


def stored_path(app, key: str) -> Path:
    return Path(app.config["STORAGE_PATH"]) / key


def alarms() -> list[dict]:
    return [
        event.detail
        for event in db.session.execute(
            select(AuditEvent).where(AuditEvent.action == ALARM_ACTION).order_by(AuditEvent.seq)
        ).scalars()
    ]


def registered_case(cast):
    case = cast.case_in("registered")
    registration = db.session.execute(
        select(Registration).where(Registration.application_id == case.id)
    ).scalar_one()
    certificate = db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == "certificate")
    ).scalar_one()
    return case, registration, certificate


# The refusal as each language says it (pages default to Korean).
REFUSALS = ("failed its integrity check", "무결성 검사를 통과하지 못했습니다")


def assert_refused_with_alarm(answer, record: dict, *, api: bool, before: int) -> None:
    assert answer.status_code == 500, answer.data[:300]
    if api:
        assert answer.mimetype == "application/problem+json"
        assert answer.json["code"] == "integrity_check_failed"
        assert any(said in answer.json["detail"] for said in REFUSALS)
    else:
        assert answer.mimetype == "text/html"
        assert any(said in answer.get_data(as_text=True) for said in REFUSALS)
    raised = alarms()
    assert len(raised) == before + 1, "the alarm is committed although the request failed"
    assert raised[-1]["record"] == record
    assert chain.verify(db.session).ok


# -- a filing's JSON -------------------------------------------------------------------------

JSON_EDITS = {
    # The issuer's name changed inside the filed content.
    "a value": lambda content: content.replace('"name_en":"', '"name_en":"Forged '),
    # A byte that changes nothing a JSON reader sees still changes what was filed.
    "whitespace": lambda content: content + " ",
}


@pytest.mark.parametrize("edit", JSON_EDITS, ids=list(JSON_EDITS))
def test_an_edited_filing_json_is_refused_everywhere_with_an_alarm(client, cast, app, edit):
    case, registration, certificate = registered_case(cast)
    switch_off_record_triggers("filing")
    forged = JSON_EDITS[edit](certificate.content_json)
    db.session.execute(
        text("UPDATE filing SET content_json = :c WHERE id = :id"),
        {"c": forged, "id": certificate.id},
    )
    db.session.commit()
    record = {"kind": "filing_json", "accession_number": certificate.accession_number}
    path = f"{certificate.accession_number}.json"

    public = client.get(f"/register/{registration.number}/documents/certificate.json")
    assert_refused_with_alarm(public, record, api=False, before=0)
    assert forged.encode() not in public.data
    api = client.get(f"/api/v1/filings/{path}", headers=token(client, cast.issuer))
    assert_refused_with_alarm(api, record, api=True, before=1)
    login(client, cast.issuer)
    assert_refused_with_alarm(client.get(f"/filings/{path}"), record, api=False, before=2)
    client.get("/logout")
    login(client, cast.auditor)
    assert_refused_with_alarm(client.get(f"/filings/{path}"), record, api=False, before=3)
    export = client.get("/audit/export.zip")
    assert_refused_with_alarm(export, record, api=False, before=4)
    assert alarms()[-1]["requested_by"] == cast.auditor.email

    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    assert (
        f"MISMATCH filing {certificate.accession_number}: its JSON does not match its content "
        "hash" in outcome.output
    )


# -- a filing's PDF ----------------------------------------------------------------------------

FILE_EDITS = {
    "bytes appended": lambda path: path.write_bytes(path.read_bytes() + b"%% appended\n"),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:-200]),
    "replaced by another valid PDF": lambda path: path.write_bytes(demo_pdf("forged")),
    "deleted": lambda path: path.unlink(),
}


@pytest.mark.parametrize("edit", FILE_EDITS, ids=list(FILE_EDITS))
def test_a_tampered_filing_pdf_is_refused_everywhere_with_an_alarm(client, cast, app, edit):
    case, registration, certificate = registered_case(cast)
    FILE_EDITS[edit](stored_path(app, certificate.pdf_storage_key))
    record = {"kind": "filing_pdf", "accession_number": certificate.accession_number}
    path = f"{certificate.accession_number}.pdf"

    public = client.get(f"/register/{registration.number}/documents/certificate.pdf")
    assert_refused_with_alarm(public, record, api=False, before=0)
    api = client.get(f"/api/v1/filings/{path}", headers=token(client, cast.issuer))
    assert_refused_with_alarm(api, record, api=True, before=1)
    login(client, cast.issuer)
    # A client that holds the genuine copy's ETag is refused too, not told "not modified".
    revalidated = client.get(f"/filings/{path}", headers={"If-None-Match": certificate.pdf_sha256})
    assert_refused_with_alarm(revalidated, record, api=False, before=2)
    client.get("/logout")
    login(client, cast.auditor)
    assert_refused_with_alarm(client.get(f"/filings/{path}"), record, api=False, before=3)
    assert_refused_with_alarm(client.get("/audit/export.zip"), record, api=False, before=4)

    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    found = "is missing" if edit == "deleted" else "does not match its recorded hash"
    assert (
        f"MISMATCH filing {certificate.accession_number}: its PDF "
        f"({certificate.pdf_storage_key}) {found}" in outcome.output
    )


# -- documents ----------------------------------------------------------------------------------


@pytest.mark.parametrize("edit", FILE_EDITS, ids=list(FILE_EDITS))
def test_a_document_replaced_on_disk_is_refused_everywhere_with_an_alarm(client, cast, app, edit):
    case, registration, _certificate = registered_case(cast)
    white_paper = db.session.execute(
        select(Document).where(
            Document.application_id == case.id, Document.document_type == "white_paper"
        )
    ).scalar_one()
    FILE_EDITS[edit](stored_path(app, white_paper.storage_key))
    record = {"kind": "document", "document_id": white_paper.id, "application_id": case.id}
    address = f"/applications/{case.id}/documents/{white_paper.id}"

    public = client.get(f"/register/{registration.number}/documents/white-paper.pdf")
    assert_refused_with_alarm(public, record, api=False, before=0)
    assert alarms()[-1]["requested_by"] == "anonymous"
    api = client.get(f"/api/v1{address}", headers=token(client, cast.issuer))
    assert_refused_with_alarm(api, record, api=True, before=1)
    login(client, cast.issuer)
    assert_refused_with_alarm(client.get(address), record, api=False, before=2)
    client.get("/logout")
    login(client, cast.auditor)
    assert_refused_with_alarm(client.get(address), record, api=False, before=3)

    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    found = "is missing" if edit == "deleted" else "does not match its recorded hash"
    assert f"MISMATCH document {white_paper.id} ({white_paper.storage_key}) {found}" in (
        outcome.output
    )


def test_a_document_row_rewritten_to_fit_its_replaced_file_is_refused_with_an_alarm(
    client, cast, app
):
    case, registration, _certificate = registered_case(cast)
    white_paper = db.session.execute(
        select(Document).where(
            Document.application_id == case.id, Document.document_type == "white_paper"
        )
    ).scalar_one()
    forged = demo_pdf("a white paper promising more")
    stored_path(app, white_paper.storage_key).write_bytes(forged)
    db.session.execute(
        text("UPDATE document SET sha256 = :h, size = :n WHERE id = :id"),
        {"h": sha256_hex(forged), "n": len(forged), "id": white_paper.id},
    )
    db.session.commit()
    record = {"kind": "document", "document_id": white_paper.id, "application_id": case.id}
    public = client.get(f"/register/{registration.number}/documents/white-paper.pdf")
    assert_refused_with_alarm(public, record, api=False, before=0)
    assert forged not in public.data
    login(client, cast.issuer)
    address = f"/applications/{case.id}/documents/{white_paper.id}"
    assert_refused_with_alarm(client.get(address), record, api=False, before=1)
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    assert (
        f"MISMATCH document {white_paper.id}: no upload event of its case recorded its hash"
        in outcome.output
    )


def test_an_opinion_letter_replaced_on_disk_is_refused_with_an_alarm(client, app, ctx):
    cast = Cast("krw_stablecoin")
    case = cast.case_in("recommended")
    opinion = cast.record_opinion(case, "bank_of_korea")
    stored_path(app, opinion.letter_storage_key).write_bytes(demo_pdf("another letter"))
    login(client, cast.reviewer)
    answer = client.get(f"/review/cases/{case.id}/opinions/{opinion.id}/letter")
    record = {"kind": "opinion_letter", "opinion_id": opinion.id, "application_id": case.id}
    assert_refused_with_alarm(answer, record, api=False, before=0)
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    assert f"MISMATCH opinion {opinion.id}: its letter" in outcome.output


def test_untouched_records_are_served_and_verify_clean(client, cast, app):
    case, registration, certificate = registered_case(cast)
    cast.hear(case, "suspend", cast.supervisor)
    operations.transition(case.id, "suspend", cast.supervisor, {"reason": "Audit."}, today=TODAY)
    public = client.get(f"/register/{registration.number}/documents/certificate.pdf")
    assert public.status_code == 200 and sha256_hex(public.data) == certificate.pdf_sha256
    assert public.content_length == certificate.pdf_size
    assert client.get(f"/register/{registration.number}/documents/white-paper.pdf").status_code == (
        200
    )
    login(client, cast.auditor)
    export = client.get("/audit/export.zip")
    assert export.status_code == 200
    manifest = json.loads(zipfile.ZipFile(BytesIO(export.data)).read("manifest.json"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    pdf = listed[f"filings/{certificate.accession_number}.pdf"]
    assert (pdf["sha256"], pdf["size"]) == (certificate.pdf_sha256, certificate.pdf_size)
    ranged = client.get(
        f"/filings/{certificate.accession_number}.pdf", headers={"Range": "bytes=0-4"}
    )
    assert ranged.status_code == 206 and ranged.data == b"%PDF-"
    assert alarms() == []
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 0, outcome.output
    assert "stored records intact" in outcome.output


# -- registrations -------------------------------------------------------------------------------

REGISTRATION_EDITS = {
    "token_name": ("token_name", "'Forged Coin'"),
    "token_symbol": ("token_symbol", "'FRG'"),
    "status": ("status", "'registered'"),
    "valid_until": ("valid_until", "'2099-12-31'"),
    "status_since": ("status_since", "'2020-01-01'"),
    "number": ("number", "'KVI-2099-9999'"),
    "conditions": ("conditions", "'[]'"),
    # A wind-down moved off to another day would let an ended issuer off its redemption.
    "wind_down_by": ("wind_down_by", "'2099-12-31'"),
}


@pytest.mark.parametrize("edit", REGISTRATION_EDITS, ids=list(REGISTRATION_EDITS))
def test_an_edited_registration_row_is_named_by_verify(app, cast, edit):
    case = cast.case_in("suspended")
    registration = db.session.execute(
        select(Registration).where(Registration.application_id == case.id)
    ).scalar_one()
    column, value = REGISTRATION_EDITS[edit]
    db.session.execute(
        text(f"UPDATE registration SET {column} = {value} WHERE id = :id"),
        {"id": registration.id},
    )
    db.session.commit()
    db.session.expire_all()
    number = db.session.get(Registration, registration.id).number
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    assert f"MISMATCH registration {number}: {column} is " in outcome.output, outcome.output
    # The chain itself is whole: only the row was changed.
    assert "audit chain intact" in outcome.output


def test_a_registration_row_no_event_made_is_named(app, cast):
    case, registration, _certificate = registered_case(cast)
    # A forged row for another case, as if it had been registered.
    other = cast.case_in("recommended")
    db.session.execute(
        text(
            "INSERT INTO registration (number, application_id, organization_id, category, "
            "status, status_since, registered_on, valid_until, conditions, token_name) "
            "VALUES ('KVI-2026-9999', :app, :org, :category, 'registered', :day, :day, "
            ":until, '[]', 'Forged')"
        ),
        {
            "app": other.id,
            "org": other.organization_id,
            "category": other.category,
            "day": TODAY,
            "until": TODAY.replace(year=TODAY.year + 3),
        },
    )
    db.session.commit()
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    assert f"registration KVI-2026-9999: no audit event registered case {other.id}" in (
        outcome.output
    )
    assert f"registration {registration.number}" not in outcome.output
