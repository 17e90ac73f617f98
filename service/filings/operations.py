"""Freezing what changed hands as an immutable filing, with its archival PDF."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.canonical import canonical_json, sha256_hex
from service.filings.numbers import next_number
from service.filings.pdf import render_filing
from service.models import Application, Filing
from service.models.types import utcnow
from service.storage import storage
from service.timezone import korea_today
from workflows.lifecycle import Actor

# session.info key: files written in the session's open transaction, deleted unless it commits.
PENDING_FILES = "issuer_registry.pending_files"


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
    transaction fails later, the stored file is deleted (`_forget_or_delete`):
    no filing row without its file, no file without its row.
    """
    filed_at = utcnow()
    accession = next_number(session, "VAR", korea_today().year)
    document = filing_document(accession, kind, filed_at, actor.label, application, content)
    text = canonical_json(document)
    pdf = render_filing(document, text)
    key = pdf_storage_key(accession)
    store_in_transaction(session, key, pdf)
    filing = Filing(
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
        pdf_storage_key=key,
        pdf_sha256=sha256_hex(pdf),
        pdf_size=len(pdf),
    )
    session.add(filing)
    return filing


def filing_document(
    accession: str,
    kind: str,
    filed_at,
    filed_by: str,
    application: Application,
    content: dict[str, Any],
) -> dict[str, Any]:
    """What is frozen: the filed content with who, when, for which case and issuer."""
    return {
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


def pdf_storage_key(accession: str) -> str:
    year = accession.split("-")[1]
    return f"filings/{year}/{accession}.pdf"


def store_in_transaction(session: Session, key: str, data: bytes) -> None:
    """Write a file that lives or dies with the session's current transaction."""
    session.info.setdefault(PENDING_FILES, []).append(key)
    storage().put(key, data)


@event.listens_for(Session, "after_commit")
def _files_committed(session: Session) -> None:
    session.info.pop(PENDING_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_or_delete(session: Session, transaction) -> None:
    """At the end of the outermost transaction, delete files it wrote and did not commit."""
    if transaction.parent is not None:
        return
    keys = session.info.pop(PENDING_FILES, None)
    if not keys:
        return
    from flask import current_app, has_app_context

    if not has_app_context():
        return
    store = storage()
    for key in keys:
        try:
            store.delete(key)
        except OSError:
            current_app.logger.exception("could not delete %s after a rollback", key)
