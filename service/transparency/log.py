"""Appending to the log: every record that changes hands becomes a leaf in the transaction
that creates it.

Flushes collect the leaves (filings with their PDF, document versions, opinion letters,
changes of a registration's public status). As the audit chain appends an event, they and
the event's leaf are appended under the log head's row lock, taken after the chain's and
in the same statement, and written in the statement that writes the event (its append is
the last write of a change, so the log's order follows the chain's); what is left when
the transaction commits (a change with no event) is appended then. An append costs
O(log n): one UPDATE of the head, which returns the O(log n) frontier it keeps, and the
leaves, their nodes and the new frontier written together (one statement on PostgreSQL).
If it fails, the change fails and the caller rolls all of it back.
"""

import json
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import current_app, has_app_context
from rq import get_current_job
from sqlalchemy import and_, bindparam, event, insert, inspect, or_, select, update
from sqlalchemy.orm import Session

from service.audit import chain
from service.models import (
    AuditEvent,
    Document,
    Filing,
    LogHead,
    LogLeaf,
    LogNode,
    Opinion,
    Registration,
)
from service.models.types import as_utc, utcnow
from service.transactions import Writes, row_insert
from translog import merkle
from translog.receipt import leaf_bytes

HEAD_ID = 1
# A step appends a leaf or two and a few nodes, written an INSERT a row; a bulk append (a
# demo load) writes ROWS_PER_INSERT rows an INSERT, well under each engine's limit on
# bound parameters.
ROWS_ONE_BY_ONE = 32
ROWS_PER_INSERT = 1000
PENDING_LEAVES = "issuer_registry.pending_leaves"
# Set while the log itself is appended to, so its own rows are not taken for records.
APPENDING = "issuer_registry.appending_leaves"
# The log's size after the transaction's last append with an event: its checkpoint, if
# due, is signed as it commits.
APPENDED_SIZE = "issuer_registry.appended_size"


def _timestamp(value: datetime) -> str:
    return as_utc(value).isoformat(timespec="microseconds")


def filing_leaf(filing: Filing) -> dict[str, Any]:
    return {
        "kind": "filing",
        "accession": filing.accession_number,
        "filed_at": _timestamp(filing.filed_at),
        "content_sha256": filing.content_sha256,
        "pdf_sha256": filing.pdf_sha256,
    }


def document_leaf(document: Document) -> dict[str, Any]:
    return {
        "kind": "document",
        "document_id": document.id,
        "case": document.application_id,
        "document_type": document.document_type,
        "sha256": document.sha256,
    }


def opinion_letter_leaf(opinion: Opinion) -> dict[str, Any]:
    return {
        "kind": "opinion_letter",
        "opinion_id": opinion.id,
        "case": opinion.application_id,
        "sha256": opinion.letter_sha256,
    }


def audit_event_leaf(event: AuditEvent) -> dict[str, Any]:
    return {"kind": "audit_event", "seq": event.seq, "hash": event.hash}


def registration_status_leaf(registration: Registration, at: datetime) -> dict[str, Any]:
    since = registration.status_since
    return {
        "kind": "registration_status",
        "registration": registration.number,
        "status": registration.status,
        "since": since.isoformat() if isinstance(since, date) else since,
        "recorded_at": _timestamp(at),
    }


def _changed(obj, key: str) -> bool:
    return inspect(obj).attrs[key].history.has_changes()


@event.listens_for(Session, "after_flush")
def _collect_leaves(session: Session, flush_context) -> None:
    if session.info.get(APPENDING):
        return
    leaves: list[tuple[dict[str, Any], int | None]] = []
    now = utcnow()
    for obj in session.new:
        if isinstance(obj, Filing) and obj.pdf_sha256 is not None:
            leaves.append((filing_leaf(obj), None))
        elif isinstance(obj, Document):
            leaves.append((document_leaf(obj), None))
        elif isinstance(obj, Opinion):
            leaves.append((opinion_letter_leaf(obj), None))
        elif isinstance(obj, Registration):
            leaves.append((registration_status_leaf(obj, now), None))
    for obj in session.dirty:
        # A filing whose PDF the job worker attached after the filing committed.
        if isinstance(obj, Filing) and obj.pdf_sha256 is not None and _changed(obj, "pdf_sha256"):
            leaves.append((filing_leaf(obj), None))
        elif isinstance(obj, Registration) and _changed(obj, "status"):
            leaves.append((registration_status_leaf(obj, now), None))
    if leaves:
        leaves.sort(key=lambda item: _sort_key(item[0]))  # a stable order
        session.info.setdefault(PENDING_LEAVES, []).extend(leaves)


def _join_event(session: Session) -> chain.JoinedAppend:
    """As the chain appends an event: the leaves its transaction flushed before it (so the
    log's order follows the chain's) and then the event's own, the log's head taken in the
    round trip that takes the chain's and written in the one that writes the event."""
    leaves = session.info.pop(PENDING_LEAVES, [])
    encoded = [leaf_bytes(leaf) for leaf, _ in leaves]  # before the lock is taken
    hashes = [merkle.leaf_hash(data) for data in encoded]

    def writes(taken: tuple, event: AuditEvent) -> tuple[Writes, dict[str, Any]]:
        own = (audit_event_leaf(event), event.seq)
        data = leaf_bytes(own[0])
        session.info[APPENDED_SIZE] = taken[0]
        return _grown(taken, [*leaves, own], [*encoded, data], [*hashes, merkle.leaf_hash(data)])

    return chain.JoinedAppend(_TAKE_HEAD, {"count": len(leaves) + 1}, writes)


chain.joined_append = _join_event


def _sort_key(leaf: dict[str, Any]) -> str:
    return leaf_bytes(leaf).decode()


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    """The leaves still gathered (a change with no event), and a checkpoint if one is due."""
    session.flush()  # so every record of the transaction is collected first
    appended = session.info.pop(APPENDED_SIZE, None)
    leaves = session.info.pop(PENDING_LEAVES, [])
    if leaves:
        appended = append(session, leaves)
    if appended is not None:
        _checkpoint_if_due(session, appended)


def _checkpoint_if_due(session: Session, size: int) -> None:
    """A checkpoint at least every minute while the log grows, signed in the appending
    transaction (a read of O(log n) nodes and one Ed25519 signature). With REDIS_URL only
    the job worker's transactions sign (requests leave it to it and to cron's
    `flask log checkpoint`); in the embedded default, any change that finds it due."""
    if not has_app_context():
        return
    if current_app.config.get("REDIS_URL") and get_current_job() is None:
        return
    # Checkpoints read the log they sign (its size and nodes), so the two modules import
    # each other: closed here, at the append, rather than when either module loads.
    from service.transparency import checkpoints

    if checkpoints.due(session, size):
        checkpoints.sign_size(session, size)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING_LEAVES, None)
    session.info.pop(APPENDED_SIZE, None)


def append(session: Session, leaves: list[tuple[dict[str, Any], int | None]]) -> int:
    """Append leaves (leaf, audit seq or None) in the session's transaction; the new size."""
    session.info[APPENDING] = True
    try:
        # What does not depend on the head is made before its lock is taken.
        encoded = [leaf_bytes(leaf) for leaf, _ in leaves]
        hashes = [merkle.leaf_hash(data) for data in encoded]
        taken = session.execute(_TAKE_HEAD, {"count": len(leaves)}).one()
        writes, params = _grown(tuple(taken), leaves, encoded, hashes)
        writes.run(session, params)
    finally:
        session.info.pop(APPENDING, None)
    return taken[0]


def _grown(
    taken: tuple,
    leaves: list[tuple[dict[str, Any], int | None]],
    encoded: list[bytes],
    hashes: list[bytes],
) -> tuple[Writes, dict[str, Any]]:
    """From the head as taken (its new size and the frontier before the leaves): the
    writes of the leaves, their nodes and the new frontier, and their parameters. A step's
    few rows go an INSERT each through statements built once for their number (a
    multi-row VALUES would be compiled anew each time, under the lock); a bulk append
    goes ROWS_PER_INSERT rows an INSERT."""
    size, frontier = taken
    start = size - len(leaves)
    grown = merkle.appended(start, [bytes.fromhex(h) for h in json.loads(frontier)], hashes)
    leaf_rows = [
        {
            "leaf_index": start + offset,
            "kind": leaf["kind"],
            "leaf_json": data.decode(),
            "leaf_hash": digest.hex(),
            "audit_seq": seq,
        }
        for offset, ((leaf, seq), data, digest) in enumerate(
            zip(leaves, encoded, hashes, strict=True)
        )
    ]
    node_rows = [
        {"level": lv, "position": p, "hash": digest.hex()} for lv, p, digest in grown.nodes
    ]
    params = {"frontier": json.dumps([d.hex() for d in grown.frontier])}
    if len(leaf_rows) + len(node_rows) > ROWS_ONE_BY_ONE:
        chunks = [
            insert(table).values(rows[first : first + ROWS_PER_INSERT])
            for table, rows in ((_LEAVES, leaf_rows), (_NODES, node_rows))
            for first in range(0, len(rows), ROWS_PER_INSERT)
        ]
        return Writes(*chunks, _SET_FRONTIER, one_off=True), params
    for prefix, rows in (("leaf", leaf_rows), ("node", node_rows)):
        for n, row in enumerate(rows):
            params.update({f"{prefix}{n}_{name}": value for name, value in row.items()})
    return _step_writes(len(leaf_rows), len(node_rows)), params


# An append runs under the chain's lock: its statements are plain table statements (no ORM
# bookkeeping), built once for each shape.
_HEAD, _LEAVES, _NODES = LogHead.__table__, LogLeaf.__table__, LogNode.__table__
_TAKE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(size=_HEAD.c.size + bindparam("count"))
    .returning(_HEAD.c.size, _HEAD.c.frontier)
)
_SET_FRONTIER = update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(frontier=bindparam("frontier"))
_LEAF_COLUMNS = ("leaf_index", "kind", "leaf_json", "leaf_hash", "audit_seq")
_NODE_COLUMNS = ("level", "position", "hash")


@lru_cache(maxsize=128)
def _step_writes(leaves: int, nodes: int) -> Writes:
    return Writes(
        *(row_insert(_LEAVES, _LEAF_COLUMNS, f"leaf{n}_") for n in range(leaves)),
        *(row_insert(_NODES, _NODE_COLUMNS, f"node{n}_") for n in range(nodes)),
        _SET_FRONTIER,
    )


@lru_cache(maxsize=128)
def _nodes_at(count: int):
    """The read of `count` nodes by their key: an OR of (level, position) pairs, which both
    engines answer from the primary key (SQLite scans the table for a row-value IN)."""
    pairs = (
        and_(_NODES.c.level == bindparam(f"level_{n}"), _NODES.c.position == bindparam(f"at_{n}"))
        for n in range(count)
    )
    return select(_NODES.c.level, _NODES.c.position, _NODES.c.hash).where(or_(*pairs))


def nodes(session: Session, wanted: list[merkle.Node]) -> dict[merkle.Node, bytes]:
    """Stored subtree hashes, in one query."""
    if not wanted:
        return {}
    keys = {}
    for n, (level, position) in enumerate(wanted):
        keys[f"level_{n}"], keys[f"at_{n}"] = level, position
    rows = session.execute(_nodes_at(len(wanted)), keys)
    return {(row.level, row.position): bytes.fromhex(row.hash) for row in rows}


def fetcher(session: Session) -> merkle.NodeFetcher:
    return lambda wanted: nodes(session, wanted)


def size(session: Session) -> int:
    return session.execute(select(LogHead.size).where(LogHead.id == HEAD_ID)).scalar_one()


def leaf_of(session: Session, leaf: dict[str, Any]) -> LogLeaf | None:
    """The first leaf with this content, or None."""
    digest = merkle.leaf_hash(leaf_bytes(leaf)).hex()
    return session.execute(
        select(LogLeaf).where(LogLeaf.leaf_hash == digest).order_by(LogLeaf.leaf_index).limit(1)
    ).scalar_one_or_none()


def leaf_object(row: LogLeaf) -> dict[str, Any]:
    return json.loads(row.leaf_json)
