"""With REDIS_URL set, a filing commits with its change and the job worker renders its PDF
afterwards, once; on real Redis, with a real RQ worker, on committed data. With
FILING_PDFS_ON_DEMAND (the service tests' default, never production's), the same job
renders it when it is first downloaded."""

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from service.audit import chain
from service.canonical import sha256_hex
from service.config import Defaults
from service.extensions import db
from service.filings import operations as filing_operations
from service.filings.pdf import RenderingFailed
from service.models import Filing
from service.storage import storage
from tests.service.conftest import run_worker, token
from tests.service.factories import Cast
from tests.service.pdfs import attachments, has_text, pdfa_part

pytestmark = pytest.mark.real_commits


def _filing_of(case_id: int) -> Filing:
    return (
        db.session.execute(
            select(Filing).where(Filing.application_id == case_id).order_by(Filing.id.desc())
        )
        .scalars()
        .first()
    )


def test_the_filing_commits_at_once_and_the_worker_attaches_its_pdf(app, redis_queue):
    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("submitted").id
        filing = _filing_of(case_id)
        accession = filing.accession_number
        # Filed, numbered and hashed with the submission; the PDF waits for the worker.
        assert filing.content_sha256 == sha256_hex(filing.content_json)
        assert filing.pdf_sha256 is None and filing.pdf_storage_key is None
        assert redis_queue.count == 1
        client = app.test_client()
        auth = token(client, cast.issuer)
        pending = client.get(f"/api/v1/filings/{accession}.pdf", headers=auth)
        assert pending.status_code == 503 and pending.headers["Retry-After"] == "5"
        assert pending.json["code"] == "pdf_pending"
        db.session.remove()

        run_worker(redis_queue)

        filing = _filing_of(case_id)
        stored = storage().get(filing.pdf_storage_key)
        assert filing.pdf_sha256 == sha256_hex(stored) and filing.pdf_size == len(stored)
        assert pdfa_part(stored) == ("3", "A")
        assert attachments(stored) == {f"{accession}.json": filing.content_json.encode()}
        served = client.get(f"/api/v1/filings/{accession}.pdf", headers=auth)
        assert served.status_code == 200 and served.data == stored
        # Run again, as a retry would: the PDF is attached once and stays as it is.
        assert filing_operations.render_pdf(filing.id) is None
        assert _filing_of(case_id).pdf_sha256 == sha256_hex(stored)
        assert chain.verify(db.session).ok


def test_the_database_lets_a_pdf_be_attached_once_and_nothing_else_change(app, redis_queue):
    with app.app_context():
        case = Cast().case_in("submitted")
        filing_id = _filing_of(case.id).id
        db.session.remove()
        changes = [
            "UPDATE filing SET content_json = '{}' WHERE id = :id",
            "UPDATE filing SET kind = 'decision', pdf_storage_key = 'k', pdf_sha256 = 'h', "
            "pdf_size = 1 WHERE id = :id",
        ]
        for change in changes:
            with pytest.raises(DatabaseError):
                db.session.execute(text(change), {"id": filing_id})
            db.session.rollback()
        run_worker(redis_queue)
        with pytest.raises(DatabaseError):
            db.session.execute(
                text("UPDATE filing SET pdf_sha256 = 'x', pdf_size = 2 WHERE id = :id"),
                {"id": filing_id},
            )
        db.session.rollback()
        with pytest.raises(DatabaseError):
            db.session.execute(text("DELETE FROM filing WHERE id = :id"), {"id": filing_id})
        db.session.rollback()
        filing = db.session.get(Filing, filing_id)
        with pytest.raises(PermissionError):
            filing.pdf_sha256 = "0" * 64
            db.session.flush()
        db.session.rollback()


def test_a_failed_render_keeps_the_filing_pending_until_it_is_queued_again(
    app, redis_queue, monkeypatch
):
    with app.app_context():
        case = Cast().case_in("submitted")
        filing_id = _filing_of(case.id).id
        db.session.remove()

        def broken(document, canonical):
            raise RenderingFailed("the fonts are missing")

        working = filing_operations.render_filing
        monkeypatch.setattr(filing_operations, "render_filing", broken)
        run_worker(redis_queue)
        (failed,) = redis_queue.failed_job_registry.get_job_ids()
        assert "the fonts are missing" in redis_queue.fetch_job(failed).latest_result().exc_string
        filing = db.session.get(Filing, filing_id)
        assert filing.pdf_sha256 is None
        key = filing_operations.pdf_storage_key(filing.accession_number)
        assert not storage().exists(key)  # no file without its row
        db.session.remove()

        monkeypatch.setattr(filing_operations, "render_filing", working)
        outcome = app.test_cli_runner().invoke(args=["filings", "render-pending"])
        assert outcome.exit_code == 0, outcome.output
        assert "sent to be rendered" in outcome.output
        run_worker(redis_queue)
        filing = db.session.get(Filing, filing_id)
        assert filing.pdf_sha256 == sha256_hex(storage().get(filing.pdf_storage_key))
        assert json.loads(filing.content_json)["kind"] == "application"


def test_on_demand_the_filing_commits_without_its_pdf_and_its_first_download_renders_it(
    app, monkeypatch
):
    assert Defaults.FILING_PDFS_ON_DEMAND is False  # production renders with the change
    monkeypatch.setitem(app.config, "FILING_PDFS_ON_DEMAND", True)
    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("submitted").id
        filing = _filing_of(case_id)
        accession = filing.accession_number
        assert filing.content_sha256 == sha256_hex(filing.content_json)
        assert filing.pdf_sha256 is None and filing.pdf_storage_key is None
        assert not storage().exists(filing_operations.pdf_storage_key(accession))
        client = app.test_client()
        auth = token(client, cast.issuer)
        db.session.remove()

        first = client.get(f"/api/v1/filings/{accession}.pdf", headers=auth)
        assert first.status_code == 200, first.data

        filing = _filing_of(case_id)
        stored = storage().get(filing.pdf_storage_key)
        assert first.data == stored
        assert filing.pdf_sha256 == sha256_hex(stored) and filing.pdf_size == len(stored)
        assert attachments(stored) == {f"{accession}.json": filing.content_json.encode()}
        assert has_text(stored, accession, cast.org.name_ko)
        # Rendered once: the next download serves the stored file, the job does nothing.
        again = client.get(f"/api/v1/filings/{accession}.pdf", headers=auth)
        assert again.status_code == 200 and again.data == stored
        assert filing_operations.render_pdf(filing.id) is None
        assert chain.verify(db.session).ok


def test_on_demand_render_pending_renders_every_filing_still_without_its_pdf(app, monkeypatch):
    monkeypatch.setitem(app.config, "FILING_PDFS_ON_DEMAND", True)
    with app.app_context():
        case_id = Cast().case_in("submitted").id
        assert _filing_of(case_id).pdf_sha256 is None
        db.session.remove()
        outcome = app.test_cli_runner().invoke(args=["filings", "render-pending"])
        assert outcome.exit_code == 0, outcome.output
        filing = _filing_of(case_id)
        stored = storage().get(filing.pdf_storage_key)
        assert filing.pdf_sha256 == sha256_hex(stored)
        assert attachments(stored) == {
            f"{filing.accession_number}.json": filing.content_json.encode()
        }
