"""One unit of work: how every change the service records is made (docs/design.md, "The unit
of work").

    with unit_of_work(user, case=application_id) as work:
        work.case.state = ...                         # rows, through db.session
        work.store(key, data, Document.storage_key)   # files, named by the row that claims them
        work.notify(queue_notification(...))          # outbox messages, sent after the commit
        work.audit("add_document", application_id=..., detail={...})

The unit locks the case (when given) before anything is read, commits once, appends its
audit events last (they hold the chain's lock until the commit), and on any failure rolls
back and deletes the files it wrote. A lock, deadlock or serialization failure becomes
`ConcurrentChange` (409). Filings (`make_filing`) and transparency-log leaves join the
same transaction through the session: see the design page for the order.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import bindparam, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute, Session, lazyload
from sqlalchemy.orm.exc import StaleDataError

from service.access import can_read
from service.audit import chain
from service.errors import ConcurrentChange, NotFound
from service.extensions import db
from service.models import Application, User
from service.notifications.operations import deliver
from service.storage import storage
from service.transactions import begin_writing
from service.webhooks import deliveries as webhooks
from workflows import lifecycle

# session.info keys: the open unit (its Work); the files written in the open transaction,
# each with the column of the row that claims it; set while the COMMIT runs.
OPEN_UNIT = "issuer_registry.unit_of_work"
PENDING_FILES = "issuer_registry.pending_files"
COMMITTING = "issuer_registry.committing"

# A writer that lost a race: SQLite's lock (after the busy timeout), PostgreSQL's deadlock
# (40P01), serialization failure (40001) and lock-not-available (55P03).
CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
CONFLICT_MESSAGES = ("database is locked", "deadlock detected", "could not serialize access")


def actor_for(user: User | None) -> lifecycle.Actor:
    """Who acts, as the audit chain and the rulebook name them (None: the system)."""
    if user is None:
        return lifecycle.SYSTEM
    return lifecycle.Actor(user.id, user.role, user.organization_id, user.email, user.duty)


@dataclass
class Work:
    """What one unit collects: who acts, the locked case, audit events and outbox messages."""

    actor: lifecycle.Actor
    user: User | None
    case: Application | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    messages: list[Any] = field(default_factory=list)

    def store(self, key: str, data: bytes, claimed_by: InstrumentedAttribute) -> None:
        store_in_transaction(db.session, key, data, claimed_by)

    def notify(self, message) -> None:
        if message is not None:
            self.messages.append(message)

    def audit(self, action: str, *, actor: lifecycle.Actor | None = None, **fields) -> None:
        """An audit event, appended after the work (the chain's lock is held until the
        commit) in the order recorded."""
        self.events.append({"actor": actor or self.actor, "action": action, **fields})


@contextmanager
def unit_of_work(actor: User | lifecycle.Actor | None, case: int | None = None) -> Iterator[Work]:
    """One transaction for one change by `actor` (a user, an actor, or None: the system),
    on the case `case` locked first when given. See the module's docstring."""
    session = db.session
    if session.info.get(OPEN_UNIT) is not None:
        raise RuntimeError("a unit of work is already open: one change commits once")
    begin_writing(session)  # a GET that writes: its next transaction is a writer's
    user = actor if isinstance(actor, User) else None
    work = Work(actor if isinstance(actor, lifecycle.Actor) else actor_for(actor), user)
    session.info[OPEN_UNIT] = work
    try:
        if case is not None:
            work.case = lock_case(case, user)
        yield work
        session.flush()
        for fields in work.events:
            chain.append(session, **fields)
        # Closed before the COMMIT: what runs after it (a job run in-process) is a unit of its own.
        session.info.pop(OPEN_UNIT, None)
        session.commit()
    except Exception as exc:
        session.rollback()
        webhooks.forget_recorded(session)
        if is_write_conflict(exc):
            raise ConcurrentChange() from exc
        raise
    finally:
        session.info.pop(OPEN_UNIT, None)
    if work.messages:
        deliver([message.id for message in work.messages])
    webhooks.dispatch(session)


def current_work() -> Work:
    """The unit open on this session, for a step's effect that records an event of its own."""
    work = db.session.info.get(OPEN_UNIT)
    if work is None:
        raise RuntimeError("no unit of work is open")
    return work


# Built once: every step runs it. The organization is read by the steps that use it (a
# filing's issuer, a notice's address), not joined to every lock.
_LOCK_CASE = (
    select(Application)
    .where(Application.id == bindparam("case_id"))
    .with_for_update(of=Application)
    .options(lazyload(Application.organization))
    .execution_options(populate_existing=True)
)


def lock_case(application_id: int, user: User | None) -> Application:
    """The case under its row lock (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
    IMMEDIATE transaction already holds the write lock), read afresh; 404 when `user` may
    not read it."""
    application = db.session.execute(_LOCK_CASE, {"case_id": application_id}).scalar_one_or_none()
    if application is None or (user is not None and not can_read(user, application)):
        raise NotFound("No such application.", code="application_not_found")
    return application


def is_write_conflict(error: BaseException) -> bool:
    """Whether `error` says another writer got there first, rather than that this one is wrong."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, DBAPIError) or error.orig is None:
        return False
    if getattr(error.orig, "sqlstate", None) in CONFLICT_SQLSTATES:
        return True
    return any(text in str(error.orig) for text in CONFLICT_MESSAGES)


# -- files that live or die with the transaction -----------------------------------------


def store_in_transaction(
    session: Session, key: str, data: bytes, claimed_by: InstrumentedAttribute
) -> None:
    """Write a file that lives or dies with the session's current transaction; `claimed_by`
    is the column whose committed row names `key` (how a lost COMMIT answer is settled)."""
    session.info.setdefault(PENDING_FILES, []).append((key, claimed_by))
    storage().put(key, data)


@event.listens_for(Session, "before_commit")
def _committing(session: Session) -> None:
    session.info[COMMITTING] = True


@event.listens_for(Session, "after_commit")
def _files_committed(session: Session) -> None:
    session.info.pop(COMMITTING, None)
    session.info.pop(PENDING_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_or_delete(session: Session, transaction) -> None:
    """At the end of the outermost transaction, delete the files it wrote and did not commit:
    all of them after a failure before the COMMIT; after a failed COMMIT, those no committed
    row claims (the lost-answer policy, docs/design.md "The unit of work")."""
    if transaction.parent is not None:
        return
    commit_failed = session.info.pop(COMMITTING, False)
    pending = session.info.pop(PENDING_FILES, None)
    if not pending or not has_app_context():
        return
    store = storage()
    for key in _unclaimed(pending) if commit_failed else [key for key, _column in pending]:
        try:
            store.delete(key)
        except OSError:
            current_app.logger.exception("could not delete %s after a rollback", key)


def _unclaimed(pending: list[tuple[str, InstrumentedAttribute]]) -> list[str]:
    """The keys no committed row names. A COMMIT can succeed in the database and still report
    an error (the connection lost on the way back): its files must then stay. Read on a
    connection of its own, which sees only what was committed; when that read fails too,
    keep every file (a stray file is harmless; a row without its file is not)."""
    by_column: dict[Any, list[str]] = {}
    for key, column in pending:
        by_column.setdefault(column, []).append(key)
    try:
        with db.engine.connect() as connection:
            claimed = {
                key
                for column, keys in by_column.items()
                for key in connection.execute(select(column).where(column.in_(keys))).scalars()
            }
    except Exception:  # noqa: BLE001 - see above: unsure means keep
        current_app.logger.exception("could not tell which of %s were committed", pending)
        return []
    return [key for key, _column in pending if key not in claimed]
