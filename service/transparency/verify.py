"""`flask audit verify`'s check of the log: every leaf hashes to what is stored, the leaves
give every signed checkpoint's root, and the log and the audit chain agree event by event."""

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import AuditEvent, AuditHead, LogCheckpoint, LogLeaf
from service.transparency import checkpoints, log
from translog import merkle, note
from translog.receipt import leaf_bytes

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class LogCheck:
    ok: bool
    size: int
    checkpoints: int
    problem: str | None = None


def check(session: Session, batch: int = 5000) -> LogCheck:
    size = log.size(session)
    hashes: list[bytes] = []
    start = None
    rows = session.execute(
        select(LogLeaf.leaf_index, LogLeaf.leaf_json, LogLeaf.leaf_hash)
        .order_by(LogLeaf.leaf_index)
        .execution_options(yield_per=batch)
    )
    for row in rows:
        if row.leaf_index != len(hashes):
            return LogCheck(False, size, 0, f"leaf {len(hashes)} is missing")
        leaf = json.loads(row.leaf_json)
        digest = merkle.leaf_hash(leaf_bytes(leaf))
        if leaf_bytes(leaf).decode() != row.leaf_json or digest.hex() != row.leaf_hash:
            return LogCheck(False, size, 0, f"leaf {row.leaf_index} was altered")
        if row.leaf_index == 0:
            start = leaf
        hashes.append(digest)
    if len(hashes) != size:
        return LogCheck(False, size, 0, f"the log holds {len(hashes)} leaves, its head {size}")
    signed = session.execute(
        select(LogCheckpoint.tree_size, LogCheckpoint.root_hash, LogCheckpoint.note)
    ).all()
    roots = merkle.roots_at(hashes, [c.tree_size for c in signed if c.tree_size <= size] + [size])
    if merkle.root_hash(size, log.fetcher(session)) != roots[size]:
        return LogCheck(False, size, 0, "the stored tree nodes do not give the leaves' root")
    verifier = checkpoints.verifier()
    for checkpoint in signed:
        if checkpoint.tree_size > size:
            return LogCheck(False, size, 0, f"checkpoint {checkpoint.tree_size} is past the log")
        try:
            opened = note.open_checkpoint(checkpoint.note, verifier)
        except note.NoteError as error:
            return LogCheck(False, size, 0, f"checkpoint {checkpoint.tree_size}: {error}")
        if opened.size != checkpoint.tree_size or opened.root != roots[checkpoint.tree_size]:
            return LogCheck(
                False,
                size,
                0,
                f"the leaves no longer give the root signed at size {checkpoint.tree_size}",
            )
    problem = _agrees_with_chain(session, start, batch)
    return LogCheck(problem is None, size, len(signed), problem)


def _agrees_with_chain(session: Session, start, batch: int) -> str | None:
    """The first leaf anchors the chain's head when the log began; every later event has
    its own leaf, in order, with its hash."""
    if not start or start.get("kind") != "log_start":
        return "the log's first leaf is not the anchor of the audit chain"
    anchored = start["audit_seq"]
    if anchored:
        found = session.execute(
            select(AuditEvent.hash).where(AuditEvent.seq == anchored)
        ).scalar_one_or_none()
        if found != start["audit_hash"]:
            return f"audit event {anchored} no longer has the hash the log anchored"
    elif start["audit_hash"] != GENESIS_HASH:
        return "the log's anchor names an audit chain that is not there"
    rows = session.execute(
        select(AuditEvent.seq, AuditEvent.hash, LogLeaf.leaf_json, LogLeaf.leaf_index)
        .outerjoin(LogLeaf, LogLeaf.audit_seq == AuditEvent.seq)
        .where(AuditEvent.seq > anchored)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=batch)
    )
    previous_index, count = -1, 0
    for row in rows:
        if row.leaf_json is None:
            return f"audit event {row.seq} has no leaf in the log"
        if json.loads(row.leaf_json) != log.audit_event_leaf(row):
            return f"audit event {row.seq} differs from its leaf {row.leaf_index}"
        if row.leaf_index < previous_index:
            return f"audit event {row.seq} stands in the log before the event it follows"
        previous_index, count = row.leaf_index, count + 1
    leaves = session.execute(
        select(func.count()).select_from(LogLeaf).where(LogLeaf.audit_seq.is_not(None))
    ).scalar_one()
    length = session.execute(select(AuditHead.length)).scalar() or 0
    if leaves != count or length - anchored != count:
        return f"the log records {leaves} audit events, the chain {length - anchored}"
    return None
