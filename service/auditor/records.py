"""Audit events as CSV, the audit trail extract as PDF, and period exports as ZIP
with a manifest that `flask audit verify-export` checks offline."""

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from sqlalchemy import Row, Select, select

from service import csv_safe, keyset
from service.audit import chain, stored
from service.canonical import canonical_json, sha256_hex
from service.extensions import db
from service.filings import queries as filing_queries
from service.filings.pdf import render
from service.models import Application, AuditEvent, Filing
from service.models.types import as_utc, utcnow
from service.storage import CHUNK
from service.transparency import export as log_export

EXPORT_FORMAT = "issuer-registry-export/1"
MANIFEST = "manifest.json"
EVENTS_CSV = "audit/events.csv"
# The columns are every field the chain hashes, so a CSV can be re-verified offline.
EVENT_COLUMNS = chain.EVENT_COLUMNS


# Rows per query when events are read: each batch is one short keyset query.
EVENT_BATCH = 250
INCOMPLETE = "INCOMPLETE"


def events(
    application_id: int | None = None, upto: int | None = None, batch: int = EVENT_BATCH
) -> Iterator[Row]:
    """The events (plain rows of EVENT_COLUMNS) in chain order, read in the caller's
    transaction, `batch` rows at a time."""
    for rows in _event_batches(
        lambda query: db.session.execute(query).all(), application_id, upto, batch
    ):
        yield from rows


def _event_batches(
    read: Callable[[Select], Sequence[Row]],
    application_id: int | None,
    upto: int | None,
    batch: int,
) -> Iterator[Sequence[Row]]:
    # Keyset batches on seq (unique, and indexed with application_id): service/keyset.py.
    query = select(*(getattr(AuditEvent, name) for name in EVENT_COLUMNS))
    if upto is not None:
        query = query.where(AuditEvent.seq <= upto)
    if application_id is not None:
        query = query.where(AuditEvent.application_id == application_id)
    query = query.order_by(AuditEvent.seq).limit(batch)
    return keyset.batches(
        lambda after: read(query.where(AuditEvent.seq > (after or 0))),
        lambda row: row.seq,
        batch,
    )


def _read_on_its_own(query: Select) -> Sequence[Row]:
    # Each batch in a session of its own, closed before its rows are sent (service/keyset.py).
    return keyset.on_its_own(lambda reading: reading.execute(query).all())


def _row(event: Row) -> list[Any]:
    return [
        event.seq,
        as_utc(event.occurred_at).isoformat(timespec="microseconds"),
        "" if event.actor_id is None else event.actor_id,
        event.actor_label,
        event.action,
        "" if event.application_id is None else event.application_id,
        event.from_state or "",
        event.to_state or "",
        canonical_json(event.detail or {}),
        event.prev_hash,
        event.hash,
    ]


def events_csv(rows: Iterable[Row]) -> Iterator[str]:
    """CSV lines, header first, a chunk per EVENT_BATCH rows; each cell through
    `service.csv_safe`, so no cell can run as a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv_safe.Writer(buffer, lineterminator="\n")
    writer.writerow(EVENT_COLUMNS)
    yield _drain(buffer)  # before the first read, so even a file cut there has its header
    for n, event in enumerate(rows, 1):
        writer.writerow(_row(event))
        if n % EVENT_BATCH == 0:
            yield _drain(buffer)
    yield buffer.getvalue()


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def streamed_events_csv(application_id: int | None, upto: int) -> Iterator[str]:
    """The events CSV as a response body, up to event `upto` (the head when the request
    came: events are never changed, so the file is the chain as it was then).

    It runs after the request's session is closed, so each batch is read on its own.
    When a read fails midway, the file ends with an INCOMPLETE row saying so and the
    error is raised again, so the server breaks off the chunked response too: a cut file
    is never taken for the whole log."""
    last = 0  # the last event written

    def read() -> Iterator[Row]:
        nonlocal last
        for rows in _event_batches(_read_on_its_own, application_id, upto, EVENT_BATCH):
            yield from rows
            last = rows[-1].seq

    try:
        yield from events_csv(read())
    except Exception:
        buffer = io.StringIO()
        csv_safe.Writer(buffer, lineterminator="\n").writerow(
            [
                INCOMPLETE,
                f"The download stopped after event {last} because of a server error: "
                "download the file again.",
                f"서버 오류로 {last}번 기록 이후 내려받기가 중단되었습니다. 다시 내려받으십시오.",
            ]
        )
        yield buffer.getvalue()
        raise


def recheck_csv_chain(text: str) -> tuple[bool, str | None, str]:
    """Recompute the hash chain of an events CSV: (intact, problem, last hash)."""
    last = None
    for cells in csv.DictReader(io.StringIO(text)):
        record = {name: csv_safe.original(value or "") for name, value in cells.items()}
        if record["seq"] == INCOMPLETE:  # its message stands in the second column
            return False, "the file says it is incomplete: " + record["occurred_at"], last
        seq = int(record["seq"])
        if last is not None and record["prev_hash"] != last:
            return False, f"event {seq} does not link to the event before it", last
        fields = {
            "seq": seq,
            "occurred_at": record["occurred_at"],
            "actor_id": int(record["actor_id"]) if record["actor_id"] else None,
            "actor_label": record["actor_label"],
            "action": record["action"],
            "application_id": int(record["application_id"]) if record["application_id"] else None,
            "from_state": record["from_state"] or None,
            "to_state": record["to_state"] or None,
            "detail": json.loads(record["detail"]),
        }
        if chain.event_hash(record["prev_hash"], fields) != record["hash"]:
            return False, f"event {seq} does not match its hash", record["hash"]
        last = record["hash"]
    return True, None, last or chain.GENESIS_HASH


def audit_extract_pdf(application: Application) -> bytes:
    """The audit trail of one case as a PDF/A-3a, its events attached as JSON."""
    rows = list(events(application.id))
    # As the integrity page: a full pass over a national chain takes minutes, so one
    # case's extract recomputes what was appended since the last intact full pass.
    last_full = chain.last_full_verification(db.session, intact=True)
    verification = chain.since_last_full_verification(db.session)
    extracted_at = utcnow()
    data = canonical_json(
        {
            "application_id": application.id,
            "events": [dict(zip(EVENT_COLUMNS, _row(e), strict=True)) for e in rows],
        }
    )
    subject = f"AUDIT-{application.id}"
    return render(
        "audit_extract.html",
        {
            "application": application,
            "events": rows,
            "verification": verification,
            "last_full": last_full,
            "extracted_at": extracted_at,
            "data_sha256": sha256_hex(data),
        },
        title=f"감사 기록 발췌 {subject}",
        subject=subject,
        attachment=(f"{subject}.json", data.encode(), "Audit events of the case (JSON)"),
        created=extracted_at,
    )


# --- exports ------------------------------------------------------------------


def write_export(target: IO[bytes], filed_from: date | None, filed_to: date | None) -> dict:
    """Write a ZIP of the period's filings (PDF and JSON), the audit events up to the
    chain's head, and a manifest of every file's SHA-256 and the chain head. The chain is
    recomputed since the last intact full pass; `verify_export` recomputes all of it
    offline from the events in the ZIP."""
    verification = chain.since_last_full_verification(db.session)
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, data: bytes) -> None:
            archive.writestr(path, data)
            files.append({"path": path, "sha256": sha256_hex(data), "size": len(data)})

        def add_stored_pdf(path: str, filing: Filing) -> None:
            # Checked against its recorded hash first, then streamed into the archive.
            handle, size = stored.verified_file(
                filing.pdf_storage_key,
                filing.pdf_sha256,
                {"kind": "filing_pdf", "accession_number": filing.accession_number},
            )
            with handle, archive.open(path, "w") as entry:
                shutil.copyfileobj(handle, entry, CHUNK)
            files.append({"path": path, "sha256": filing.pdf_sha256, "size": size})

        filings = []
        for filing in filing_queries.in_period(filed_from, filed_to):
            json_path = f"filings/{filing.accession_number}.json"
            add(json_path, stored.verified_filing_json(filing).encode())
            if filing.pdf_storage_key:
                add_stored_pdf(f"filings/{filing.accession_number}.pdf", filing)
            filings.append(
                {
                    "accession_number": filing.accession_number,
                    "kind": filing.kind,
                    "filed_at": as_utc(filing.filed_at).isoformat(),
                    "content_sha256": filing.content_sha256,
                    "pdf_sha256": filing.pdf_sha256,
                }
            )
        # The log: its key, a checkpoint, its leaf hashes and each filing's receipt.
        from service.transparency import export as log_export

        log_export.add_log(add, [f["accession_number"] for f in filings])
        # Up to the head just verified: events appended meanwhile belong to the next export.
        add(EVENTS_CSV, "".join(events_csv(events(upto=verification.checked))).encode())
        manifest = {
            "format": EXPORT_FORMAT,
            "created_at": utcnow().isoformat(),
            "period": {
                "from": filed_from.isoformat() if filed_from else None,
                "to": filed_to.isoformat() if filed_to else None,
            },
            "chain": verification.as_dict(),
            "filings": filings,
            "files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


@dataclass
class ExportCheck:
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_export(source: str | IO[bytes], held_checkpoints: str | None = None) -> ExportCheck:
    """Check an export offline: every file against the manifest's SHA-256, no file
    missing or unlisted, each filing's JSON against its recorded hash, and the
    audit events' chain up to the manifest's head; the log's receipts and leaves against its
    checkpoint and against every checkpoint in the folder `held_checkpoints` (an auditor's
    own copies: a rewritten history is not consistent with them)."""
    result = ExportCheck()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        result.problems.append(f"not a readable ZIP file: {error}")
        return result
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            result.problems.append(f"{MANIFEST} is missing")
            return result
        manifest = json.loads(archive.read(MANIFEST))
        listed = {entry["path"]: entry for entry in manifest.get("files", [])}
        for path, entry in listed.items():
            if path not in names:
                result.problems.append(f"{path}: listed in the manifest but missing")
                continue
            data = archive.read(path)
            result.checked += 1
            if sha256_hex(data) != entry["sha256"] or len(data) != entry["size"]:
                result.problems.append(f"{path}: does not match its SHA-256 in the manifest")
        for path in sorted(names - set(listed) - {MANIFEST}):
            result.problems.append(f"{path}: not listed in the manifest")
        for filing in manifest.get("filings", []):
            path = f"filings/{filing['accession_number']}.json"
            if path in names and sha256_hex(archive.read(path)) != filing["content_sha256"]:
                result.problems.append(f"{path}: does not match the filing's recorded hash")
            pdf_path = f"filings/{filing['accession_number']}.pdf"
            if (
                filing.get("pdf_sha256")
                and pdf_path in names
                and sha256_hex(archive.read(pdf_path)) != filing["pdf_sha256"]
            ):
                result.problems.append(f"{pdf_path}: does not match the filing's recorded hash")
        if EVENTS_CSV in names:
            intact, problem, last = recheck_csv_chain(archive.read(EVENTS_CSV).decode())
            if not intact:
                result.problems.append(f"{EVENTS_CSV}: {problem}")
            elif last != manifest.get("chain", {}).get("head_hash"):
                result.problems.append(
                    f"{EVENTS_CSV}: the chain does not end at the manifest's head"
                )
        result.problems += log_export.check_log(archive, held_checkpoints)
    return result
