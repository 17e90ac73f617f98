"""Fill a database with a regulator's load: 100,000 applications, their filings, 1,000,000 events.

    python -m bench.generate            # BENCH_DATABASE_URL, BENCH_SIZE as in bench.common

The schema is the real one (the migrations run first). Rows go in by bulk load:
COPY through psycopg on PostgreSQL, executemany on SQLite. The audit events form
a valid hash chain (each hash computed by service.audit.chain.event_hash while
streaming), so `flask --app service audit verify` passes on the result. A
database already generated at the same size and version is reused.
"""

import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from bench.common import BENCH_REVIEWER, BENCH_TOKEN, SIZE, make_app
from service.auditor.records import EVENT_COLUMNS
from workflows.lifecycle import REGISTER_STATES

GENERATOR_VERSION = "2"
EVENTS_PER_APPLICATION = 10
LONG_CASE_ID = 1  # the case with a long history (about 2,000 events)
LONG_CASE_EVENTS = 2000
ISSUER_ORGS = 200
REVIEWERS = 10
TODAY = date(2026, 11, 24)

# Final states and their share of the applications (every state appears).
STATE_SHARES = {
    "draft": 8,
    "submitted": 12,
    "returned_incomplete": 4,
    "assessment": 16,
    "information_requested": 6,
    "recommended": 4,
    "refused": 4,
    "withdrawn": 5,
    "discontinued": 2,
    "registered": 26,
    "suspended": 4,
    "revoked": 3,
    "surrender_requested": 1,
    "surrendered": 3,
    "lapsed": 4,
}
# The real transitions that lead from a draft to each state.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "returned_incomplete": ["submit", "return_incomplete"],
    "assessment": ["submit", "mark_complete"],
    "information_requested": ["submit", "mark_complete", "request_information"],
    "recommended": ["submit", "mark_complete", "recommend"],
    "refused": ["submit", "mark_complete", "recommend", "refuse"],
    "withdrawn": ["submit", "withdraw"],
    "discontinued": ["submit", "return_incomplete", "close_not_resubmitted"],
    "registered": ["submit", "mark_complete", "recommend", "approve"],
    "suspended": ["submit", "mark_complete", "recommend", "approve", "suspend"],
    "revoked": ["submit", "mark_complete", "recommend", "approve", "revoke"],
    "surrender_requested": ["submit", "mark_complete", "recommend", "approve", "surrender"],
    "surrendered": [
        "submit",
        "mark_complete",
        "recommend",
        "approve",
        "surrender",
        "accept_surrender",
    ],
    "lapsed": ["submit", "mark_complete", "recommend", "approve", "lapse"],
}
DESTINATION = {
    "submit": "submitted",
    "return_incomplete": "returned_incomplete",
    "mark_complete": "assessment",
    "request_information": "information_requested",
    "respond": "assessment",
    "recommend": "recommended",
    "refuse": "refused",
    "withdraw": "withdrawn",
    "close_not_resubmitted": "discontinued",
    "close_unanswered": "discontinued",
    "approve": "registered",
    "suspend": "suspended",
    "revoke": "revoked",
    "surrender": "surrender_requested",
    "accept_surrender": "surrendered",
    "lapse": "lapsed",
}
ISSUER_ACTIONS = {"create", "add_document", "submit", "respond", "withdraw", "surrender"}
# A surrender asked for leaves the registration's status as it was until it is decided.
REGISTRATION_STATUS = {"surrender_requested": "registered"}
OPEN_STATES = (
    "submitted",
    "returned_incomplete",
    "assessment",
    "information_requested",
    "recommended",
)


def _log(message: str) -> None:
    print(f"[generate] {message}", file=sys.stderr, flush=True)


# -- loading rows ----------------------------------------------------------------


class Loader:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite; values given as Python objects."""

    def __init__(self, engine):
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        self.driver = self.raw.driver_connection
        if self.dialect == "sqlite":
            self.driver.isolation_level = None
            self.driver.execute("PRAGMA synchronous=OFF")
            self.driver.execute("BEGIN")

    @classmethod
    def joining(cls, connection) -> "Loader":
        """A loader writing in the open transaction of a SQLAlchemy connection (a test's),
        which its owner commits or rolls back: never call `commit` on it."""
        loader = cls.__new__(cls)
        loader.dialect = connection.dialect.name
        loader.raw = None
        loader.driver = connection.connection.driver_connection
        return loader

    def load(
        self, table: str, columns: list[str], rows: Iterable[tuple], batch: int = 20000
    ) -> int:
        quoted = f'"{table}"'
        names = ", ".join(columns)
        count = 0
        if self.dialect == "postgresql":
            with (
                self.driver.cursor() as cursor,
                cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {quoted} ({names}) VALUES ({marks})"
        chunk = []
        for row in rows:
            chunk.append(tuple(_sqlite_value(v) for v in row))
            if len(chunk) >= batch:
                self.driver.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            self.driver.executemany(sql, chunk)
            count += len(chunk)
        return count

    def execute(self, sql: str, params: tuple = ()) -> None:
        if self.dialect == "postgresql":
            with self.driver.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
        else:
            self.driver.execute(sql, params)

    def commit(self) -> None:
        if self.dialect == "postgresql":
            self.driver.commit()
        else:
            self.driver.execute("COMMIT")
        self.raw.close()


def _sqlite_value(value):
    """The text SQLAlchemy's SQLite types store (DateTime, Date, Boolean)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


# -- the audit chain ---------------------------------------------------------------------

# The chain's hashed fields, as the auditor's CSV writes them.
AUDIT_EVENT_COLUMNS = list(EVENT_COLUMNS)


def load_audit_events(
    loader: Loader,
    events: Iterable[tuple],
    head: dict,
    label: Callable[[int | None], str],
    moments: Iterator[datetime],
) -> int:
    """Append `events` (application_id, actor_id, action, from_state, to_state, detail) to
    the chain whose head is `head` ({"seq", "hash"}, advanced as they go), each hash
    computed by service.audit.chain.event_hash while streaming, and move the head row to
    the new end. The chain verifies as if every event had been appended one by one."""
    from service.audit.chain import event_hash
    from service.canonical import canonical_json

    def chained() -> Iterator[tuple]:
        for application_id, actor, action, from_state, to_state, detail in events:
            head["seq"] += 1
            moment = next(moments)
            fields = {
                "seq": head["seq"],
                "occurred_at": moment,
                "actor_id": actor,
                "actor_label": label(actor),
                "action": action,
                "application_id": application_id,
                "from_state": from_state,
                "to_state": to_state,
                "detail": detail,
            }
            digest = event_hash(head["hash"], fields)
            yield (
                *(fields[name] for name in AUDIT_EVENT_COLUMNS[:8]),
                canonical_json(detail),
                head["hash"],
                digest,
            )
            head["hash"] = digest

    # The database numbers the rows (id); seq is the chain's own order.
    count = loader.load("audit_event", AUDIT_EVENT_COLUMNS, chained())
    loader.execute(
        "UPDATE audit_head SET length = ?, head_hash = ? WHERE id = 1",
        (head["seq"], head["hash"]),
    )
    return count


def _moments(start: datetime, rng: random.Random) -> Iterator[datetime]:
    moment = start
    while True:
        moment += timedelta(seconds=97, microseconds=rng.randrange(1_000_000))
        yield moment


# -- the data ----------------------------------------------------------------------


def _states(size: int, rng: random.Random) -> list[str]:
    total = sum(STATE_SHARES.values())
    states = []
    for state, share in STATE_SHARES.items():
        states += [state] * (size * share // total)
    states += ["assessment"] * (size - len(states))
    rng.shuffle(states)
    states[LONG_CASE_ID - 1] = "assessment"
    return states


def _create_database(url) -> None:
    """A fresh server has no bench database yet: make it (the bench owns it)."""
    import psycopg

    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,))
        if found.fetchone() is None:
            _log(f"creating database {url.database}")
            conn.execute(f'CREATE DATABASE "{url.database}"')


def generate(url: str | None = None, size: int = SIZE, force: bool = False) -> dict:
    """Generate (or reuse) the bench database; return facts the benches need."""
    from flask_migrate import upgrade

    from service.auth.passwords import hash_password
    from service.canonical import canonical_json, sha256_hex
    from service.extensions import db
    from workflows.regime import CATEGORIES

    app = make_app(url)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            _create_database(engine.url)
        existing = _existing(engine)
        if (
            existing
            and not force
            and existing.get("size") == str(size)
            and (existing.get("version") == GENERATOR_VERSION)
            and _pool(engine) >= size // 50
        ):
            _log(f"reusing {engine.url.render_as_string(hide_password=True)} ({size} applications)")
            upgrade()  # a migration added since it was generated (an index) applies here
            return _facts(engine)
        started = time.perf_counter()
        _log(f"generating {size} applications in {engine.url.render_as_string()}")
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            engine.dispose()
            from pathlib import Path

            for suffix in ("", "-wal", "-shm"):
                Path(engine.url.database + suffix).unlink(missing_ok=True)
        upgrade()
        db.session.remove()

        rng = random.Random(8)
        now = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
        password = hash_password("bench1234!")
        loader = Loader(engine)

        # Organizations: the regulator (1), the audit authority (2), then issuers.
        orgs = [
            (1, "금융위원회", "Financial Services Commission", "regulator", None),
            (2, "감사원", "Board of Audit and Inspection", "audit_authority", None),
        ]
        for n in range(ISSUER_ORGS):
            kind = "bank" if n % 4 == 0 else "non_bank"
            orgs.append(
                (3 + n, f"벤치 발행인 {n}", f"Bench Issuer {n}", kind, f"{100 + n:03d}-81-{n:05d}")
            )
        loader.load(
            "organization",
            ["id", "name_ko", "name_en", "kind", "business_registration_number", "created_at"],
            (o + (now,) for o in orgs),
        )

        users = [(1, BENCH_REVIEWER, "Bench Reviewer", "reviewer", 1)]
        users += [
            (1 + n, f"bench-reviewer{n}@fsc.example", f"Reviewer {n}", "reviewer", 1)
            for n in range(1, REVIEWERS)
        ]
        users += [
            (REVIEWERS + 1, "bench-approver@fsc.example", "Bench Approver", "approver", 1),
            (REVIEWERS + 2, "bench-supervisor@fsc.example", "Bench Supervisor", "supervisor", 1),
            (REVIEWERS + 3, "bench-auditor@bai.example", "Bench Auditor", "auditor", 2),
        ]
        first_issuer = REVIEWERS + 4
        users += [
            (first_issuer + n, f"issuer{n}@bench{n}.example", f"Issuer {n}", "issuer", 3 + n)
            for n in range(ISSUER_ORGS)
        ]
        loader.load(
            "user",
            [
                "id",
                "email",
                "name",
                "password_hash",
                "role",
                "organization_id",
                "active",
                "created_at",
            ],
            ((u[0], u[1], u[2], password, u[3], u[4], True, now) for u in users),
        )
        loader.load(
            "api_token",
            ["id", "user_id", "token_sha256", "created_at", "expires_at"],
            [(1, 1, sha256_hex(BENCH_TOKEN), now, now + timedelta(days=3650))],
        )
        labels = {u[0]: u[1] for u in users}
        approver = REVIEWERS + 1

        # Applications.
        states = _states(size, rng)
        apps = []  # (id, org, category, state, reviewer, submitted_on, due_on)
        for index, state in enumerate(states):
            ident = index + 1
            org = 3 + rng.randrange(ISSUER_ORGS)
            category = CATEGORIES[rng.randrange(len(CATEGORIES))]
            submitted = None if state == "draft" else TODAY - timedelta(days=rng.randrange(5, 1500))
            reviewer = None
            if state not in ("draft", "submitted", "withdrawn"):
                reviewer = 1 + rng.randrange(REVIEWERS)
            due = TODAY + timedelta(days=rng.randrange(-20, 120)) if state in OPEN_STATES else None
            apps.append((ident, org, category, state, reviewer, submitted, due))
        sample = _long_case_sections(apps[LONG_CASE_ID - 1][2])
        loader.load(
            "application",
            [
                "id",
                "organization_id",
                "category",
                "state",
                "version",
                "sections",
                "assigned_reviewer_id",
                "recommended_by_id",
                "recommendation",
                "submitted_on",
                "complete_on",
                "recommended_on",
                "due_on",
                "created_at",
                "updated_at",
            ],
            (
                (
                    a[0],
                    a[1],
                    a[2],
                    a[3],
                    1,
                    sample
                    if a[0] == LONG_CASE_ID
                    else json.dumps({"applicant": {"name": f"App {a[0]}"}}),
                    a[4],
                    a[4] if a[3] in ("recommended", "refused", *REGISTER_STATES) else None,
                    json.dumps({"recommendation": "approve", "reasons": "Meets the requirements."})
                    if a[3] == "recommended"
                    else None,
                    a[5],
                    a[5] + timedelta(days=10) if a[5] and a[4] else None,
                    None,
                    a[6],
                    now,
                    now,
                )
                for a in apps
            ),
        )
        _log(f"applications loaded ({time.perf_counter() - started:.0f}s)")

        # Open information requests, registrations.
        loader.load(
            "information_request",
            ["application_id", "questions", "due_on", "opened_on", "opened_by_id"],
            (
                (
                    a[0],
                    json.dumps(["Explain the reserve custody arrangement."]),
                    a[6],
                    TODAY - timedelta(days=3),
                    a[4],
                )
                for a in apps
                if a[3] == "information_requested"
            ),
        )
        registered = [a for a in apps if a[3] in REGISTER_STATES]
        loader.load(
            "registration",
            [
                "number",
                "application_id",
                "organization_id",
                "category",
                "status",
                "status_since",
                "registered_on",
                "valid_until",
                "conditions",
                "token_name",
                "token_symbol",
            ],
            (
                (
                    f"KVI-{a[5].year}-{n + 1:06d}",
                    a[0],
                    a[1],
                    a[2],
                    REGISTRATION_STATUS.get(a[3], a[3]),
                    TODAY,
                    a[5] + timedelta(days=60),
                    a[5] + timedelta(days=60 + 5 * 365),
                    "[]",
                    f"Bench Token {a[0]}",
                    f"BT{a[0] % 1000}",
                )
                for n, a in enumerate(registered)
            ),
        )

        # Filings: the application for every submitted case, the decision for registered ones.
        numbers = {}

        def accession(year: int) -> str:
            numbers[year] = numbers.get(year, 0) + 1
            return f"VAR-{year}-{numbers[year]:06d}"

        def filings() -> Iterator[tuple]:
            for a in apps:
                if a[5] is None:
                    continue
                kinds = ["application"] + (["decision"] if a[3] in REGISTER_STATES else [])
                for kind in kinds:
                    filed = datetime.combine(a[5], datetime.min.time(), UTC)
                    number = accession(a[5].year)
                    content = canonical_json(
                        {
                            "accession_number": number,
                            "kind": kind,
                            "application_id": a[0],
                            "category": a[2],
                        }
                    )
                    yield (
                        number,
                        kind,
                        a[0],
                        a[1],
                        filed,
                        None,
                        labels[first_issuer + a[1] - 3],
                        content,
                        sha256_hex(content),
                        False,
                    )

        count = loader.load(
            "filing",
            [
                "accession_number",
                "kind",
                "application_id",
                "organization_id",
                "filed_at",
                "filed_by_id",
                "filed_by_label",
                "content_json",
                "content_sha256",
                "internal",
            ],
            filings(),
        )
        for year, value in numbers.items():
            loader.execute(
                "INSERT INTO number_sequence (name, year, value) VALUES (?, ?, ?)",
                ("VAR", year, value),
            )
        loader.execute(
            "INSERT INTO number_sequence (name, year, value) VALUES (?, ?, ?)",
            ("KVI", TODAY.year, len(registered)),
        )
        _log(f"{count} filings loaded ({time.perf_counter() - started:.0f}s)")

        # Audit events: a hash chain, computed while streaming.
        from service.audit.chain import GENESIS_HASH

        total_events = size * EVENTS_PER_APPLICATION

        def actions_for(app: tuple, budget: int) -> list[str]:
            path = PATHS[app[3]]
            actions = ["create", "add_document", "add_document", *path]
            pad = max(0, budget - len(actions))
            if "mark_complete" in path:  # information requests and answers while assessed
                at = path.index("mark_complete") + 3 + 1
                pairs = ["request_information", "respond"] * (pad // 2)
                actions = actions[:at] + pairs + actions[at:] + ["add_document"] * (pad % 2)
            else:
                actions = actions[:3] + ["add_document"] * pad + actions[3:]
            return actions

        def app_events(app: tuple, budget: int) -> Iterator[tuple]:
            state = "draft"
            for action in actions_for(app, budget):
                to_state = DESTINATION.get(action)
                issuer = action in ISSUER_ACTIONS
                actor = (
                    first_issuer + app[1] - 3
                    if issuer
                    else (
                        approver
                        if action in ("approve", "refuse", "revoke", "suspend", "accept_surrender")
                        else app[4] or 1
                    )
                )
                if action == "lapse":
                    actor = None
                detail = (
                    {"document_id": None, "document_type": "business_plan"}
                    if action == "add_document"
                    else {
                        "payload": {"comment": "bench"},
                        "filing": None,
                        "internal": action in ("recommend",),
                    }
                    if to_state
                    else {}
                )
                yield (app[0], actor, action, state if to_state else None, to_state, detail)
                if to_state:
                    state = to_state

        def ordered_events() -> Iterator[tuple]:
            remaining = total_events - LONG_CASE_EVENTS
            others = [a for a in apps if a[0] != LONG_CASE_ID]
            per_app = remaining / len(others)
            long_case = app_events(apps[LONG_CASE_ID - 1], LONG_CASE_EVENTS)
            spacing = max(1, remaining // LONG_CASE_EVENTS)
            emitted = 0
            carry = 0.0
            for app in others:
                carry += per_app
                budget = int(carry)
                carry -= budget
                for event in app_events(app, budget):
                    yield event
                    emitted += 1
                    if emitted % spacing == 0:  # the long case's history spans the whole chain
                        yield from _take(long_case, 1)
            yield from long_case

        count = load_audit_events(
            loader,
            ordered_events(),
            {"seq": 0, "hash": GENESIS_HASH},
            lambda actor: "system" if actor is None else labels[actor],
            _moments(datetime(2022, 1, 1, tzinfo=UTC), rng),
        )
        _log(f"{count} audit events loaded ({time.perf_counter() - started:.0f}s)")

        if engine.dialect.name == "postgresql":
            for table in ("organization", "user", "api_token", "application"):
                loader.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
        loader.execute(
            "CREATE TABLE IF NOT EXISTS bench_info (key VARCHAR(40) PRIMARY KEY, "
            "value VARCHAR(200))"
        )
        loader.execute("DELETE FROM bench_info")
        for key, value in (("size", str(size)), ("version", GENERATOR_VERSION)):
            loader.execute("INSERT INTO bench_info (key, value) VALUES (?, ?)", (key, value))
        loader.commit()
        # Statistics for the planner; on PostgreSQL also the visibility map, without which
        # index-only scans (the queue's counts) fetch every row from the heap.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(
                text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
            )
        _log(f"done in {time.perf_counter() - started:.0f}s")
        return _facts(engine)


def _take(iterator: Iterator, n: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) == n:
            break
    return out


def _long_case_sections(category: str) -> str:
    from forms.sections.samples import sample_sections

    try:
        return json.dumps(sample_sections(category), default=str)
    except Exception:  # noqa: BLE001 - a plain section is enough for the bench
        return json.dumps({"applicant": {"name": "Long history"}})


def _existing(engine) -> dict[str, str] | None:
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT key, value FROM bench_info")).all()
    except Exception:  # noqa: BLE001 - no such table: not generated yet
        return None
    return dict(rows)


def _pool(engine) -> int:
    """Submitted cases no one has taken: what the transitions bench consumes."""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM application WHERE state = 'submitted' "
                "AND assigned_reviewer_id IS NULL"
            )
        ).scalar_one()


def _facts(engine) -> dict:
    with engine.connect() as connection:
        events = connection.execute(
            text("SELECT count(*) FROM audit_event WHERE application_id = :i"), {"i": LONG_CASE_ID}
        ).scalar_one()
        applications = connection.execute(text("SELECT count(*) FROM application")).scalar_one()
        length = connection.execute(text("SELECT length FROM audit_head")).scalar_one()
    return {
        "long_case_id": LONG_CASE_ID,
        "long_case_events": events,
        "applications": applications,
        "audit_events": length,
    }


if __name__ == "__main__":
    facts = generate(force="--force" in sys.argv)
    print(facts)
