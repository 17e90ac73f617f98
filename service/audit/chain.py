"""The audit log: append-only, hash-chained, written in the caller's transaction."""

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Update, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service import jobs
from service.canonical import canonical_json, sha256_hex
from service.extensions import db
from service.models import AuditEvent, AuditHead, AuditVerification
from service.models.audit import UNFINISHED
from service.models.types import utcnow
from service.transactions import TakenTogether, Writes, row_insert
from workflows.lifecycle import Actor

GENESIS_HASH = "0" * 64
HEAD_ID = 1


@dataclass(frozen=True)
class JoinedAppend:
    """What is appended with an event, in the chain's two round trips: `take` locks a head
    of its own (an UPDATE ... RETURNING with `params`), run with the chain's and locked
    after it; `writes`, given what that returned and the event, gives the writes that run
    with the event's, and their parameters."""

    take: Update
    params: dict[str, Any]
    writes: Callable[[tuple, AuditEvent], tuple[Writes, dict[str, Any]]]


# Asked as each event is appended, before the chain's head is taken: the transparency log
# appends the event's leaf and those flushed before it (service/transparency/log.py sets
# it; it sits above).
joined_append: Callable[[Session], JoinedAppend | None] | None = None


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return sha256_hex(prev_hash + canonical_json(fields))


# What an event's hash covers, besides the hash of the event before it.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "application_id",
    "from_state",
    "to_state",
    "detail",
)
# An event's row: what its hash covers, the hash before it, and its own.
EVENT_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


# The append runs under the chain's lock: its statements are plain table statements (no ORM
# bookkeeping), built once.
_HEAD, _EVENTS = AuditHead.__table__, AuditEvent.__table__
_TAKE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(length=_HEAD.c.length + 1)
    .returning(_HEAD.c.length, _HEAD.c.head_hash)
)
# The event and the head's new hash, one round trip on PostgreSQL.
_WRITE_EVENT = Writes(
    row_insert(_EVENTS, EVENT_COLUMNS, "event_"),
    update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(head_hash=bindparam("event_hash")),
)


@lru_cache(maxsize=8)
def _taken_with(take: Update) -> TakenTogether:
    return TakenTogether(_TAKE_HEAD, take)


def append(
    session: Session,
    *,
    actor: Actor,
    action: str,
    application_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it last before commit: it holds the chain's lock until then.

    The UPDATE of the head row takes its row lock on PostgreSQL and the write lock on
    SQLite, so concurrent appends queue up and the chain stays linear. What is appended
    with the event (`joined_append`) takes its head in that same round trip, and its writes
    go with the event's and the head's new hash in one more (`Writes`): two answers from
    the lock to the COMMIT on PostgreSQL. The event returned is not in the session; it is
    the row as written.
    """
    # Made before the lock is taken, as is everything that does not depend on the head; the
    # detail stored as it will read back, so the hash survives the round trip.
    fields = {
        "actor_id": actor.user_id,
        "actor_label": actor.label,
        "action": action,
        "application_id": application_id,
        "from_state": from_state,
        "to_state": to_state,
        "detail": json.loads(canonical_json(detail or {})),
    }
    joined = joined_append(session) if joined_append is not None else None
    if joined is None:
        seq, prev_hash = session.execute(_TAKE_HEAD).one()
    else:
        (seq, prev_hash), theirs = _taken_with(joined.take).run(session, joined.params)
    fields.update(seq=seq, occurred_at=utcnow())
    written = {**fields, "prev_hash": prev_hash, "hash": event_hash(prev_hash, fields)}
    event = AuditEvent(**written)
    writes, params = _WRITE_EVENT, {f"event_{name}": value for name, value in written.items()}
    if joined is not None:
        their_writes, their_params = joined.writes(theirs, event)
        writes, params = writes.then(their_writes), {**params, **their_params}
    writes.run(session, params)
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    head_hash: str
    broken_seq: int | None = None
    problem: str | None = None
    verified_at: datetime | None = None
    # What was recomputed: events first_seq to `checked` (none when first_seq > checked).
    # A check since a full pass starts after it, and says when that pass was.
    first_seq: int = 1
    since_full_pass_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head_hash": self.head_hash,
            "broken_seq": self.broken_seq,
            "problem": self.problem,
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
            "recomputed_from": self.first_seq,
            "since_full_pass_at": (
                self.since_full_pass_at.isoformat() if self.since_full_pass_at else None
            ),
        }


# What verification reads of each event: the hashed fields and the two hashes (rows, not
# ORM objects: a full pass reads every event there is).
_VERIFIED_COLUMNS = (
    AuditEvent.seq,
    AuditEvent.occurred_at,
    AuditEvent.actor_id,
    AuditEvent.actor_label,
    AuditEvent.action,
    AuditEvent.application_id,
    AuditEvent.from_state,
    AuditEvent.to_state,
    AuditEvent.detail,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


def verify(
    session: Session, batch: int = 5000, *, since: tuple[int, str] | None = None
) -> Verification:
    """Recompute the chain from the first event; name the first event that does not fit.

    `since` = (seq, hash) of a head that a full verification found intact: only what was
    appended after it is recomputed, and that event must still carry that hash (a chain
    rewritten from an earlier event cannot keep it). An event altered in place before it
    takes a full pass to find."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    query = select(*_VERIFIED_COLUMNS).order_by(AuditEvent.seq)
    if since is not None and since[0] > 0:
        seq, head_hash = since
        stored = session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar()
        if stored != head_hash:
            return Verification(
                False,
                0,
                head_hash,
                seq,
                f"event {seq} no longer has the hash the last full verification found",
                utcnow(),
                seq,
            )
        expected_prev, expected_seq = head_hash, seq + 1
        query = query.where(AuditEvent.seq > seq)
    rows = session.execute(query.execution_options(yield_per=batch))
    first_seq = expected_seq

    def broken(seq: int, problem: str) -> Verification:
        return Verification(False, seq - 1, expected_prev, seq, problem, utcnow(), first_seq)

    for event in rows:
        if event.seq != expected_seq:
            return broken(expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return broken(event.seq, f"event {event.seq} does not link to event {event.seq - 1}")
        if event_hash(event.prev_hash, _hashed_fields(event)) != event.hash:
            return broken(event.seq, f"event {event.seq} was altered after it was written")
        expected_prev = event.hash
        expected_seq += 1
    checked = expected_seq - 1
    head = session.get(AuditHead, HEAD_ID)
    length, head_hash = (head.length, head.head_hash) if head else (0, GENESIS_HASH)
    if length != checked or head_hash != expected_prev:
        return Verification(
            False,
            checked,
            expected_prev,
            checked + 1,
            f"the chain ends at event {checked} but its head records {length} events",
            utcnow(),
            first_seq,
        )
    return Verification(True, checked, expected_prev, verified_at=utcnow(), first_seq=first_seq)


# An unfinished pass this much older than its last change of status stopped (its worker
# died, or RQ killed it): it is marked abandoned, so it no longer blocks the next one.
ABANDONED_AFTER = timedelta(hours=1)


class FullPassRunning(Exception):
    """A full pass is queued or running already: one at a time."""

    def __init__(self, unfinished: AuditVerification | None):
        super().__init__("a full verification is already queued or running")
        self.unfinished = unfinished


def start_full_verification(session: Session, requested_by: str) -> AuditVerification:
    """Record a queued full pass and commit it, before any work: a pass that never ends
    stays visibly unfinished rather than claiming a result. Refuses a second one."""
    session.execute(
        update(AuditVerification)
        .where(
            AuditVerification.status.in_(UNFINISHED),
            AuditVerification.verified_at < utcnow() - ABANDONED_AFTER,
        )
        .values(status="abandoned", problem="the pass stopped before it finished")
    )
    session.commit()
    if (unfinished := unfinished_verification(session)) is not None:
        raise FullPassRunning(unfinished)
    pending = AuditVerification(
        verified_at=utcnow(),
        verified_by=requested_by,
        ok=False,
        checked=0,
        head_hash="",
        status="queued",
    )
    session.add(pending)
    try:
        session.commit()
    except IntegrityError:  # uq_audit_verification_one_unfinished: another started first
        session.rollback()
        raise FullPassRunning(unfinished_verification(session)) from None
    return pending


def start_full_verification_job(requested_by: str) -> AuditVerification:
    """Start a full pass and hand it to the job seam: run at once without REDIS_URL, by the
    worker with it (given until it would count as abandoned, not JOBS_TIMEOUT: a million
    events take minutes)."""
    pending = start_full_verification(db.session, requested_by)
    jobs.enqueue(
        "service.audit.chain.run_full_verification",
        pending.id,
        timeout=int(ABANDONED_AFTER.total_seconds()),
    )
    return pending


def run_full_verification(verification_id: int) -> dict[str, Any] | None:
    """The job of a started pass: recompute every event, then record the result. None when
    the pass is not queued any more (a retry of a job that ran, or an abandoned pass)."""
    session = db.session
    started = utcnow()
    claimed = session.execute(
        update(AuditVerification)
        .where(AuditVerification.id == verification_id, AuditVerification.status == "queued")
        .values(status="running", started_at=started, verified_at=started)
    ).rowcount
    session.commit()
    if not claimed:
        return None
    result = verify(session)
    session.execute(
        update(AuditVerification)
        .where(AuditVerification.id == verification_id, AuditVerification.status == "running")
        .values(
            status="done",
            verified_at=result.verified_at,
            ok=result.ok,
            checked=result.checked,
            head_hash=result.head_hash,
            broken_seq=result.broken_seq,
            problem=result.problem,
        )
    )
    session.commit()
    return result.as_dict()


def verify_and_record(verified_by: str) -> dict[str, Any]:
    """A full pass run here and now, recorded as a job's is (the CLI's, from cron)."""
    pending = start_full_verification(db.session, verified_by)
    result = run_full_verification(pending.id)
    if result is None:  # another process claimed the pass first
        raise RuntimeError(f"verification {pending.id} was claimed by another process")
    return result


def last_full_verification(session: Session, *, intact: bool = False) -> AuditVerification | None:
    """The latest finished full pass (with `intact`, the latest that found the chain whole)."""
    query = (
        select(AuditVerification)
        .where(AuditVerification.status == "done")
        .order_by(AuditVerification.id.desc())
        .limit(1)
    )
    if intact:
        query = query.where(AuditVerification.ok.is_(True))
    return session.execute(query).scalar_one_or_none()


def unfinished_verification(session: Session) -> AuditVerification | None:
    """The full pass queued or running now, if any."""
    return session.execute(
        select(AuditVerification).where(AuditVerification.status.in_(UNFINISHED)).limit(1)
    ).scalar_one_or_none()


def since_last_full_verification(session: Session) -> Verification:
    """Only what was appended after the latest intact full verification (all of it when
    there is none yet); a broken one is not a base to build on."""
    last = last_full_verification(session, intact=True)
    if last is None:
        return verify(session)
    result = verify(session, since=(last.checked, last.head_hash))
    return replace(result, since_full_pass_at=last.verified_at)
