"""How transactions begin (docs/security.md, "Integrity and concurrency").

PostgreSQL: as it always does; writers lock the rows they change (SELECT ... FOR UPDATE).

SQLite (WAL): a transaction that may write begins IMMEDIATE, taking the write lock when it
starts, so writers queue behind each other (busy_timeout) instead of failing when another
writer made their snapshot stale: requests other than GET, HEAD and OPTIONS, the CLI and
jobs. A request that only reads begins DEFERRED: it reads a snapshot, takes no lock and
waits for no writer, however long a writer holds the lock.

A read-only request that must write after all (an integrity alarm on a download) calls
`begin_writing` first: its read transaction ends and the next one begins IMMEDIATE. A
writing request refused because another writer held the lock (a 409) calls `end_writing`:
the refusal page only reads, so it must not queue for the lock again.
"""

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Table, bindparam, event, exists, insert, select, true
from sqlalchemy.engine import Engine, Result
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update, UpdateBase

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 20_000
_WRITES = "issuer_registry.writes"
_READS = "issuer_registry.reads"
# The execution option of a connection opened only to read (a stored file streamed out):
# on SQLite it begins DEFERRED whatever the request, so it never waits for the write lock,
# which its own request may hold.
READS_ONLY = {"issuer_registry_reads_only": True}


def reads_only() -> bool:
    """Whether transactions begun now only read: inside a GET, HEAD or OPTIONS request
    that has not called `begin_writing`."""
    if not has_request_context():
        return False
    if request.environ.get(_READS):
        return True
    return request.method in READ_ONLY_METHODS and not request.environ.get(_WRITES)


def begin_writing(session) -> None:
    """Call before a read-only request writes: its read transaction (whose snapshot may be
    stale by now) ends, and its next one begins as a writer's. Elsewhere a no-op."""
    if reads_only():
        request.environ[_WRITES] = True
        session.rollback()


def end_writing(session) -> None:
    """Call when a request gives up writing (it lost a race for the lock): its transaction
    ends, and the rest of the request reads without the write lock."""
    session.rollback()
    if has_request_context():
        request.environ[_READS] = True


@event.listens_for(Engine, "connect")
def _sqlite_connection(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, WAL, a busy timeout; SQLAlchemy owns BEGIN (savepoints)."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # A writer waits its turn this long: the one before it may be rendering and sealing a
    # filing's PDF inside its transaction. Below gunicorn's 30 s, so the wait ends first.
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    # Not under AUTOCOMMIT: its statements (ANALYZE, VACUUM) must not sit in a transaction
    # that nothing commits.
    options = connection.get_execution_options()
    autocommit = options.get("isolation_level") == "AUTOCOMMIT"
    if connection.dialect.name == "sqlite" and not autocommit:
        reading = reads_only() or options.get("issuer_registry_reads_only")
        connection.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")


class Writes:
    """Writes of which none reads what another writes, built once with bound parameters
    (each name used by one write, or by several for the same value) and run in one round
    trip where the engine allows it: PostgreSQL takes all but the last as data-modifying
    WITH clauses of the last (each runs once, to completion); SQLite runs them in turn.
    What holds a lock until the COMMIT (the audit chain, the log) waits for one answer, not
    several, and compiles nothing anew. The last may return rows: the answer is its."""

    def __init__(self, *writes: UpdateBase, one_off: bool = False):
        *first, last = writes
        self.writes, self.one_off = writes, one_off
        self.joined = last.add_cte(*(write.cte(f"write_{n}") for n, write in enumerate(first)))
        # The names each write binds, so that SQLite runs each with its own.
        self.names = [frozenset(write.compile().params) for write in writes]

    def run(self, session: Session, params: dict[str, Any]) -> Result:
        if session.get_bind().dialect.name == "postgresql":
            return session.execute(self.joined, params)
        for write, names in zip(self.writes, self.names, strict=True):
            result = session.execute(
                write, {name: params[name] for name in names if name in params}
            )
        return result

    def then(self, others: "Writes") -> "Writes":
        """These writes and then `others`, in one round trip: built once for each pair, unless
        either is `one_off` (made for one bulk append, and not kept)."""
        if self.one_off or others.one_off:
            return Writes(*self.writes, *others.writes, one_off=True)
        return _written_together(self, others)


@lru_cache(maxsize=256)  # Writes hash by identity
def _written_together(first: Writes, then: Writes) -> Writes:
    return Writes(*first.writes, *then.writes)


class TakenTogether:
    """Two UPDATEs that each lock one row and return it, run in one round trip where the
    engine allows it, the first's row locked before the second's in every plan: on
    PostgreSQL both are data-modifying WITH clauses of one SELECT, and the second updates
    its row only once the first has returned (a one-time EXISTS on it); SQLite runs them
    in turn. Built once."""

    def __init__(self, first: Update, then: Update):
        self.first, self.then = first, then
        taken_first = first.cte("taken_first")
        taken_then = then.where(exists(taken_first.select())).cte("taken_then")
        self.joined = select(*taken_first.c, *taken_then.c).select_from(
            taken_first.join(taken_then, true())
        )
        self.width = len(taken_first.c)
        self.names = [frozenset(take.compile().params) for take in (first, then)]

    def run(self, session: Session, params: dict[str, Any]) -> tuple[tuple, tuple]:
        """Each one's returned row: the first's, the second's."""
        if session.get_bind().dialect.name == "postgresql":
            row = tuple(session.execute(self.joined, params).one())
            return row[: self.width], row[self.width :]
        first, then = (
            tuple(session.execute(take, {n: params[n] for n in names if n in params}).one())
            for take, names in zip((self.first, self.then), self.names, strict=True)
        )
        return first, then


def row_insert(table: Table, columns: Iterable[str], prefix: str) -> Insert:
    """The INSERT of one row of `table` whose value of each column is bound as `prefix`
    followed by the column's name (a prefix of its own for each write of a `Writes`)."""
    return insert(table).values({name: bindparam(prefix + name) for name in columns})
