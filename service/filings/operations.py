"""Freezing what changed hands as an immutable filing, with its archival PDF.

Embedded default: the PDF is rendered and stored in the transaction that makes the
filing, so a failed render rolls the whole change back. With REDIS_URL set, the filing
(its canonical JSON, the record of what was filed) commits with the change and its PDF
is rendered afterwards by the job worker (`render_pdf`), once: the render leaves the
request and no longer holds the accession-number lock. With FILING_PDFS_ON_DEMAND (the
service tests' setting, docs/design.md section 7) and no REDIS_URL, the same job renders
it when it is first downloaded (`render_on_demand`).
"""

import json
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from service import jobs
from service.canonical import canonical_json, sha256_hex
from service.extensions import db
from service.filings.contents import check_content
from service.filings.envelope import ENVELOPE
from service.filings.numbers import next_number
from service.filings.pdf import render_filing
from service.models import Application, Filing
from service.models.types import utcnow
from service.timezone import korea_today
from service.unit_of_work import store_in_transaction, unit_of_work
from workflows.lifecycle import Actor

# session.info key: filings whose PDF the worker renders once the transaction commits.
PENDING_RENDERS = "issuer_registry.pending_renders"


def make_filing(
    session: Session,
    *,
    kind: str,
    application: Application,
    actor: Actor,
    content: dict[str, Any],
    internal: bool = False,
) -> Filing:
    """Number, hash, render and store a filing of `content` in the caller's transaction.

    The PDF is rendered and stored here, once; if rendering or storing fails
    the error propagates and the caller's transaction rolls back whole. If the
    transaction fails later, the stored file is deleted (service.unit_of_work): no
    filing row without its file, no file without its row.
    """
    filed_at = utcnow()
    accession = next_number(session, "VAR", korea_today().year)
    document = filing_document(accession, kind, filed_at, actor.label, application, content)
    text = canonical_json(document)
    check_content(kind, json.loads(text)["content"])
    if renders_on_worker():
        filing = _filing(accession, kind, application, filed_at, actor, text, internal)
        session.add(filing)
        session.flush()  # its id, for the job
        session.info.setdefault(PENDING_RENDERS, []).append(filing.id)
        return filing
    if renders_on_demand():
        filing = _filing(accession, kind, application, filed_at, actor, text, internal)
        session.add(filing)
        return filing
    pdf = render_filing(document, text)
    key = pdf_storage_key(accession)
    store_in_transaction(session, key, pdf, Filing.pdf_storage_key)
    filing = _filing(accession, kind, application, filed_at, actor, text, internal)
    filing.pdf_storage_key, filing.pdf_sha256, filing.pdf_size = key, sha256_hex(pdf), len(pdf)
    session.add(filing)
    return filing


def renders_on_worker() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def renders_on_demand() -> bool:
    """FILING_PDFS_ON_DEMAND without a worker: the PDF waits for its first download."""
    return bool(current_app.config.get("FILING_PDFS_ON_DEMAND")) and not renders_on_worker()


def _filing(accession, kind, application, filed_at, actor, text, internal) -> Filing:
    return Filing(
        accession_number=accession,
        kind=kind,
        application_id=application.id,
        organization_id=application.organization_id,
        filed_at=filed_at,
        filed_by_id=actor.user_id,
        filed_by_label=actor.label,
        content_json=text,
        content_sha256=sha256_hex(text),
        internal=internal,
    )


def render_pdf(filing_id: int) -> str | None:
    """The worker's job: render a committed filing's PDF from its canonical JSON, store it
    and attach it, once. Run again (a retry), it finds the PDF attached and does nothing."""
    filing = db.session.get(Filing, filing_id)
    if filing is None or filing.pdf_sha256 is not None:
        return None
    pdf = render_filing(json.loads(filing.content_json), filing.content_json)
    key = pdf_storage_key(filing.accession_number)
    with unit_of_work(None) as work:
        # Two renders at once (two first downloads): the one that locks second finds the PDF
        # attached and stores nothing, so it cannot overwrite or delete the other's file.
        filing = db.session.get(Filing, filing_id, with_for_update=True, populate_existing=True)
        if filing.pdf_sha256 is not None:
            return None
        work.store(key, pdf, Filing.pdf_storage_key)
        filing.pdf_storage_key, filing.pdf_sha256, filing.pdf_size = key, sha256_hex(pdf), len(pdf)
    return filing.accession_number


def render_on_demand(accession: str) -> Filing:
    """The filing `accession` with its PDF, rendered now if it has none yet (FILING_PDFS_ON_DEMAND):
    by the same renderer and job as the worker's, so the file is the one it would have made."""
    filing = db.session.execute(
        select(Filing).where(Filing.accession_number == accession)
    ).scalar_one()
    if filing.pdf_sha256 is None:
        render_pdf(filing.id)
        db.session.refresh(filing)
    return filing


def filing_document(
    accession: str,
    kind: str,
    filed_at,
    filed_by: str,
    application: Application,
    content: dict[str, Any],
) -> dict[str, Any]:
    """What is frozen: the filed content with who, when, for which case and issuer, built
    through the envelope the published schema is converted from (service/filings/envelope.py)."""
    return ENVELOPE.dump(
        {
            "accession_number": accession,
            "kind": kind,
            "filed_at": filed_at,
            "filed_by": filed_by,
            "application_id": application.id,
            "organization": {
                "id": application.organization.id,
                "name_ko": application.organization.name_ko,
                "name_en": application.organization.name_en,
            },
            "category": application.category,
            "content": content,
        }
    )


def pdf_storage_key(accession: str) -> str:
    year = accession.split("-")[1]
    return f"filings/{year}/{accession}.pdf"


@event.listens_for(Session, "after_commit")
def _renders_queued(session: Session) -> None:
    filing_ids = session.info.pop(PENDING_RENDERS, None)
    if filing_ids:
        try:
            for filing_id in filing_ids:
                jobs.enqueue("service.filings.operations.render_pdf", filing_id)
        except Exception:  # noqa: BLE001 - the change is committed; its PDF can follow later
            current_app.logger.exception(
                "could not queue the PDFs of filings %s: `flask --app service filings "
                "render-pending` queues them again",
                filing_ids,
            )


@event.listens_for(Session, "after_transaction_end")
def _renders_dropped(session: Session, transaction) -> None:
    """A transaction that ends without committing leaves nothing to render."""
    if transaction.parent is None:
        session.info.pop(PENDING_RENDERS, None)
