"""The review queue at 100,000 cases: page time against the queue's own queries.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<db> \
        .venv/bin/python -m bench.review_queue

(as a module: run as a script, `bench/` would come first on the path and its
`transitions.py` would hide the library).

DROPS AND REBUILDS the schema of the database it is given (use a scratch database), inserts
CASES applications in bulk, then times, for the default view and each filter, the queue
query alone (best of RUNS) and the whole page through the test client (best of RUNS), and
prints the ratio (docs/design.md section 6: within 2x).
"""

import os
import random
import sys
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import insert, text

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from service import create_app  # noqa: E402
from service.auth.operations import create_user  # noqa: E402
from service.config import normalise_database_url  # noqa: E402
from service.extensions import db  # noqa: E402
from service.models import Application, Organization  # noqa: E402
from service.review.queries import QueueFilter, queue  # noqa: E402
from service.timezone import korea_today  # noqa: E402
from workflows.lifecycle import OPEN_STATES  # noqa: E402
from workflows.regime import CATEGORIES  # noqa: E402

CASES = int(os.environ.get("CASES", 100_000))
RUNS = 7
VIEWS = {
    "default": ("", QueueFilter()),
    "state": ("state=assessment", QueueFilter(state="assessment")),
    "category": ("category=krw_stablecoin", QueueFilter(category="krw_stablecoin")),
    "unassigned": ("assignee=none", QueueFilter(unassigned=True)),
    "overdue": ("overdue=1", QueueFilter(overdue=True)),
    "due within 5": ("due_within=5", QueueFilter(due_within=5)),
}


def build(app) -> str:
    with app.app_context():
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        org = Organization(name_ko="벤치", name_en="Bench", kind="bank")
        regulator = Organization(name_ko="금융위원회", name_en="FSC", kind="regulator")
        db.session.add_all([org, regulator])
        reviewers = [
            create_user(f"r{i}@bench.example", "bench-pass-1", "reviewer", regulator, f"R{i}")
            for i in range(20)
        ]
        db.session.commit()
        pick = random.Random(6)
        today = korea_today()
        states = [*OPEN_STATES, "registered", "withdrawn", "refused", "draft"]
        for start in range(0, CASES, 10_000):
            rows = []
            for _ in range(min(10_000, CASES - start)):
                state = pick.choice(states)
                rows.append(
                    {
                        "organization_id": org.id,
                        "category": pick.choice(CATEGORIES),
                        "state": state,
                        "version": 1,
                        "sections": {},
                        "assigned_reviewer_id": pick.choice([None, *(r.id for r in reviewers)]),
                        "submitted_on": today - timedelta(days=60),
                        "due_on": today + timedelta(days=pick.randint(-40, 120))
                        if state in OPEN_STATES
                        else None,
                    }
                )
            db.session.execute(insert(Application), rows)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load: statistics, and the visibility map
            # that lets the per-state counts scan the index only.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE application"))
        return reviewers[0].email


def best(action) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("set DATABASE_URL to a scratch database")
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "WTF_CSRF_ENABLED": False,
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        }
    )
    email = build(app)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": "bench-pass-1"})
    today = korea_today()
    print(f"{CASES:,} applications; queue() runs both SQL statements of the page")
    print(f"{'view':<14}{'queue() ms':>12}{'page ms':>10}{'ratio':>8}")
    for name, (args, queue_filter) in VIEWS.items():
        with app.app_context():
            query = best(lambda f=queue_filter: queue(f, today=today, limit=50))
        page = best(lambda a=args: client.get(f"/review?{a}").status_code)
        print(f"{name:<14}{query * 1000:>12.1f}{page * 1000:>10.1f}{page / query:>8.2f}")


if __name__ == "__main__":
    main()
