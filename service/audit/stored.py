"""Stored records checked against what was recorded when they were made: a filing's JSON and
PDF against their hashes, a document or opinion letter against its hash, a registration row
against the audit events that created and changed it.

Every download goes through `verified_file` (`send_verified`) or `verified_filing_json`, a
document also through `upload_recorded`: a record that fails is refused (500) and an
`integrity_alarm` event is committed into the audit chain, so a tampered record is never
served as genuine. `flask audit verify` runs `mismatches` over
everything stored (docs/security.md, "Integrity and concurrency").
"""

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from flask import Response, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from service.audit import chain
from service.canonical import canonical_json, sha256_hex
from service.errors import OperationError
from service.extensions import db
from service.models import AuditEvent, Document, Filing, Opinion, Registration
from service.storage import Storage, StoredFileMismatch, open_verified, storage
from service.transactions import begin_writing
from workflows import lifecycle
from workflows.bilingual import t
from workflows.lifecycle import SYSTEM_ROLE, Actor

ALARM_ACTION = "integrity_alarm"
NO_UPLOAD_EVENT = "no upload event of its case recorded its hash"
INTEGRITY_CHECK = Actor(None, SYSTEM_ROLE, None, "integrity check")

# The steps that create or change a registration row; their events carry the row as the
# step left it (`registration_facts`). An approved renewal changes the row of the case it
# renews: its `renew` event there carries the row, its own `approve` names the number only.
REGISTRATION_STEPS = (*lifecycle.REGISTRATION_STEPS, "renew")
# Every column of the row but its id and application_id (the event's own application_id).
REGISTRATION_FACTS = (
    "number",
    "organization_id",
    "category",
    "status",
    "status_since",
    "registered_on",
    "valid_until",
    "conditions",
    "token_name",
    "token_symbol",
    # The day to redeem every holder by, set by the step that ended the registration.
    "wind_down_by",
)


class TamperedRecord(OperationError):
    status = 500
    title = "Integrity check failed"


# -- serving -------------------------------------------------------------------


def verified_file(key: str, sha256: str, record: dict[str, Any]) -> tuple[BinaryIO, int]:
    """The stored file opened for serving, or the alarm when it no longer has its hash.
    `record` names it in the alarm (kind and identifier)."""
    try:
        return open_verified(storage(), key, sha256)
    except StoredFileMismatch as mismatch:
        raise alarm(record, str(mismatch)) from None


def send_verified(key: str, sha256: str, record: dict[str, Any], download_name: str) -> Response:
    """A stored PDF as an attachment, its SHA-256 the ETag (304 and ranges as for any file)."""
    handle, size = verified_file(key, sha256, record)
    response = send_file(
        handle,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=download_name,
        etag=sha256,
        max_age=0,
        conditional=False,
    )
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    try:
        return response.make_conditional(request, accept_ranges=True, complete_length=size)
    except RequestedRangeNotSatisfiable:
        handle.close()
        raise


def upload_recorded(document: Document, record: dict[str, Any]) -> None:
    """The alarm when no upload event of the case recorded the document's hash: its row was
    rewritten to fit a replaced file."""
    recorded = db.session.execute(
        select(AuditEvent.detail).where(
            AuditEvent.application_id == document.application_id,
            AuditEvent.action == "add_document",
        )
    ).scalars()
    if not any((detail or {}).get("sha256") == document.sha256 for detail in recorded):
        raise alarm(record, f"document {document.id}: {NO_UPLOAD_EVENT}")


def verified_filing_json(filing: Filing) -> str:
    if sha256_hex(filing.content_json) != filing.content_sha256:
        raise alarm(
            {"kind": "filing_json", "accession_number": filing.accession_number},
            f"filing {filing.accession_number}: its JSON does not match its content hash",
        )
    return filing.content_json


def alarm(record: dict[str, Any], problem: str) -> TamperedRecord:
    """Commit an alarm event (and nothing else of the request); the refusal to raise."""
    requested_by = _requester()
    begin_writing(db.session)  # a download is a GET: its read transaction cannot write
    db.session.rollback()
    chain.append(
        db.session,
        actor=INTEGRITY_CHECK,
        action=ALARM_ACTION,
        detail={
            "record": record,
            "problem": problem,
            "path": request.path,
            "requested_by": requested_by,
        },
    )
    db.session.commit()
    return TamperedRecord(
        t(
            "This record failed its integrity check: what is stored no longer matches the "
            "hash recorded when it was made, so it is not served. The alarm is in the audit "
            "log.",
            "이 기록은 무결성 검사를 통과하지 못했습니다. 저장된 내용이 작성 당시 기록된 "
            "해시와 일치하지 않으므로 제공하지 않습니다. 경보가 감사 기록에 남았습니다.",
        ),
        code="integrity_check_failed",
    )


def _requester() -> str:
    # The API's bearer token is read by service.api, which sits above audit (docs/design.md,
    # "Layers and contracts": an ignored import); imported here, when an alarm names
    # who asked, so audit does not load the API.
    from flask_login import current_user

    from service.api.auth import bearer_user
    from service.api.problems import is_api_request

    user = bearer_user() if is_api_request() else current_user
    return user.email if user is not None and user.is_authenticated else "anonymous"


# -- flask audit verify --------------------------------------------------------


def mismatches(session: Session) -> Iterator[str]:
    """Every stored record that differs from what was recorded, one sentence each."""
    store = storage()
    yield from filing_mismatches(session, store)
    yield from document_mismatches(session, store)
    yield from registration_mismatches(session)


def filing_mismatches(session: Session, store: Storage) -> Iterator[str]:
    rows = session.execute(
        select(
            Filing.accession_number,
            Filing.content_json,
            Filing.content_sha256,
            Filing.pdf_storage_key,
            Filing.pdf_sha256,
        )
        .order_by(Filing.id)
        .execution_options(yield_per=500)
    )
    for accession, content, content_sha256, pdf_key, pdf_sha256 in rows:
        if sha256_hex(content) != content_sha256:
            yield f"filing {accession}: its JSON does not match its content hash"
        if pdf_key:
            yield from _file_mismatch(store, pdf_key, pdf_sha256, f"filing {accession}: its PDF")


def document_mismatches(session: Session, store: Storage) -> Iterator[str]:
    """Each file against its row's hash, and each row's hash against the upload's event (a
    row whose hash was rewritten to fit a replaced file has no event that recorded it)."""
    uploaded = {
        (application_id, (detail or {}).get("sha256"))
        for application_id, detail in session.execute(
            select(AuditEvent.application_id, AuditEvent.detail).where(
                AuditEvent.action == "add_document"
            )
        )
    }
    documents = session.execute(
        select(
            Document.id, Document.application_id, Document.storage_key, Document.sha256
        ).order_by(Document.id)
    )
    for document_id, application_id, key, sha256 in documents:
        yield from _file_mismatch(store, key, sha256, f"document {document_id}")
        if (application_id, sha256) not in uploaded:
            yield f"document {document_id}: {NO_UPLOAD_EVENT}"
    letters = session.execute(
        select(Opinion.id, Opinion.letter_storage_key, Opinion.letter_sha256).order_by(Opinion.id)
    )
    for opinion_id, key, sha256 in letters:
        yield from _file_mismatch(store, key, sha256, f"opinion {opinion_id}: its letter")


def _file_mismatch(store: Storage, key: str, sha256: str | None, what: str) -> Iterator[str]:
    try:
        handle, _size = open_verified(store, key, sha256 or "")
    except StoredFileMismatch as mismatch:
        found = "is missing" if mismatch.found is None else "does not match its recorded hash"
        yield f"{what} ({key}) {found}"
    else:
        handle.close()


def registration_facts(registration: Registration) -> dict[str, Any]:
    """The row as an event records it (canonical JSON: dates as ISO strings)."""
    return json.loads(
        canonical_json({name: getattr(registration, name) for name in REGISTRATION_FACTS})
    )


def registration_mismatches(session: Session) -> Iterator[str]:
    """Each registration row against the latest event of its case that made or changed it:
    every fact that event records, and its state. A row no event made, and a registration
    an event made whose row is gone, are named too."""
    latest: dict[int, Any] = {}
    for event in session.execute(
        select(AuditEvent.seq, AuditEvent.application_id, AuditEvent.to_state, AuditEvent.detail)
        .where(AuditEvent.action.in_(REGISTRATION_STEPS))
        .order_by(AuditEvent.seq)
    ):
        if (event.detail or {}).get("renews"):
            continue  # a renewal's approval: the row is its `renew` event's
        latest[event.application_id] = event
    for registration in session.execute(select(Registration).order_by(Registration.id)).scalars():
        event = latest.pop(registration.application_id, None)
        name = f"registration {registration.number}"
        if event is None:
            yield f"{name}: no audit event registered case {registration.application_id}"
            continue
        # Events written before they carried the row record its state only.
        recorded = dict((event.detail or {}).get("registration") or {"status": event.to_state})
        recorded.setdefault("status", event.to_state)
        row = registration_facts(registration)
        for fact, value in recorded.items():
            if row.get(fact) != value:
                yield (
                    f"{name}: {fact} is {row.get(fact)!r} but event {event.seq} recorded {value!r}"
                )
    for application_id, event in latest.items():
        yield (
            f"case {application_id}: event {event.seq} registered it but its registration "
            "row is missing"
        )
