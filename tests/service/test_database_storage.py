"""STORAGE_BACKEND=database keeps filed PDFs and documents in the database, in chunks written
in the same transaction as the rows that name them, and reads them back a chunk at a time
(docs/scaling.md, "Where files live"). These tests commit for real: a file read on its own
connection sees committed files only, as a download does after its request ends."""

from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import OperationalError

from service.applications import operations
from service.audit import chain
from service.audit.stored import ALARM_ACTION
from service.demo import demo_pdf
from service.documents.operations import add_document
from service.extensions import db
from service.models import Application, AuditEvent, Filing, StoredChunk, User
from service.storage import CHUNK, DatabaseStorage, storage
from tests.conftest import database_url, migrated_app
from tests.service.conftest import login, token
from tests.service.factories import TODAY, Cast, draft
from tests.service.test_conditional_downloads import streamed

pytestmark = [pytest.mark.real_commits, pytest.mark.rendered_pdfs]


@pytest.fixture(scope="module")
def files_app(tmp_path_factory, worker_id):
    """A database of these tests' own: the files they commit live in it (one of them
    tampered with), where `flask audit verify` in another test would find them missing
    from that test's folder store."""
    instance = tmp_path_factory.mktemp("database-storage")
    return migrated_app(instance, database_url(instance, worker_id, "_files"))


@pytest.fixture
def app(files_app):
    return files_app


@pytest.fixture
def cast(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "database")
    yield Cast()
    db.session.remove()


def _chunks(key: str | None = None) -> int:
    query = select(func.count()).select_from(StoredChunk)
    if key is not None:
        query = query.where(StoredChunk.key == key)
    return db.session.scalar(query)


def _files_on_disk(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _filing(case, kind="application") -> Filing:
    return db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == kind)
    ).scalar_one()


def test_filings_and_documents_live_in_the_database_and_are_served_from_it(app, client, cast):
    assert isinstance(storage(), DatabaseStorage)
    case = cast.case_in("submitted")
    filing = _filing(case)
    assert _chunks(filing.pdf_storage_key) == 1 and _files_on_disk(app) == []
    stored = storage().get(filing.pdf_storage_key)
    assert stored.startswith(b"%PDF-") and len(stored) == filing.pdf_size

    url = f"/api/v1/filings/{filing.accession_number}.pdf"
    auth = token(client, cast.issuer)
    answer = client.get(url, headers=auth)
    assert answer.status_code == 200 and answer.data == stored
    assert answer.headers["ETag"] == f'"{filing.pdf_sha256}"'
    again = client.get(url, headers={**auth, "If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    part = client.get(url, headers={**auth, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == stored[100:200]

    document = case.documents[0]
    login(client, cast.issuer)
    download = client.get(f"/applications/{case.id}/documents/{document.id}")
    assert download.status_code == 200
    assert download.data == storage().get(document.storage_key)


def test_a_step_whose_commit_fails_leaves_neither_its_filing_nor_its_chunks(cast):
    case = cast.case_in("draft")
    case_id, issuer_id, version, before = case.id, cast.issuer.id, case.version, _chunks()
    stored_at_commit = []

    def refuse(connection):
        count = select(func.count()).select_from(StoredChunk)
        stored_at_commit.append(connection.scalar(count))
        raise OperationalError("COMMIT", {}, Exception("injected: the commit was refused"))

    event.listen(db.engine, "commit", refuse)
    try:
        with pytest.raises(OperationalError, match="injected"):
            operations.transition(case_id, "submit", cast.issuer, {}, today=TODAY)
    finally:
        event.remove(db.engine, "commit", refuse)
    db.session.remove()
    assert stored_at_commit == [before + 1]  # the PDF was written in the transaction
    case = db.session.get(Application, case_id)
    assert (case.state, case.version) == ("draft", version)
    assert _chunks() == before
    # The same step commits now, with its file.
    operations.transition(case_id, "submit", db.session.get(User, issuer_id), {}, today=TODAY)
    filing = _filing(db.session.get(Application, case_id))
    assert _chunks(filing.pdf_storage_key) == 1


def test_a_large_document_goes_in_chunks_and_streams_out_without_being_read_whole(client, cast):
    application = draft(cast.issuer, cast.category, complete=False)
    size = 16 * CHUNK
    data = demo_pdf("a large document " * (size // 17))
    document = add_document(application, cast.issuer, "business_plan", "plan.pdf", data)
    assert _chunks(document.storage_key) == -(-len(data) // CHUNK) >= 16
    del data
    login(client, cast.issuer)
    received, peak = streamed(client, f"/applications/{application.id}/documents/{document.id}")
    assert received == document.size > size
    # A few chunks at a time (the one loaded, the one read from it), whatever the size.
    assert peak < 6 * CHUNK, f"peak {peak:,} B for a {size:,} B file"


def test_a_chunk_changed_in_the_database_is_refused_with_an_alarm(client, cast):
    """Someone with write access to the table swaps bytes of a stored PDF: the download
    is refused and the alarm is committed into the audit chain."""
    case = cast.case_in("submitted")
    filing = _filing(case)
    db.session.execute(
        update(StoredChunk)
        .where(StoredChunk.key == filing.pdf_storage_key)
        .values(data=b"%PDF-1.7 forged")
    )
    db.session.commit()
    alarms = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == ALARM_ACTION)
    before = db.session.scalar(alarms)
    answer = client.get(
        f"/api/v1/filings/{filing.accession_number}.pdf", headers=token(client, cast.issuer)
    )
    assert answer.status_code == 500
    assert answer.json["code"] == "integrity_check_failed"
    db.session.remove()
    assert db.session.scalar(alarms) == before + 1
    assert chain.verify(db.session).ok


def test_a_missing_file_is_reported_as_missing(ctx, app, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "database")
    store = storage()
    with pytest.raises(FileNotFoundError):
        store.open("filings/none.pdf")
    store.put("probe/empty.bin", b"")
    db.session.commit()
    assert store.exists("probe/empty.bin") and store.get("probe/empty.bin") == b""
    # Rolled back with its transaction, a file is gone without being deleted.
    store.put("probe/rolled-back.bin", b"x" * (CHUNK + 1))
    assert store.exists("probe/rolled-back.bin")
    db.session.rollback()
    assert not store.exists("probe/rolled-back.bin")
