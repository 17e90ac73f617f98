"""`make load`: many people at once against gunicorn and PostgreSQL, with Locust.

The run builds a fresh database (the demo, plus issuers with drafts and cases
recommended for approval), serves it with gunicorn (two workers by default), and
drives it twice with the users of bench/locustfile.py: first one user of each kind
(the single-user medians), then the full crowd (50 users by default). It prints
p50, p95 and p99 per request class, the errors, and whether any acknowledged save
was lost; each class's p95 under load is held against five times its single-user
median. The figures go in docs/performance.md.

Environment: LOAD_DATABASE_URL (a PostgreSQL database the run drops and rebuilds;
default issuer_registry_load on 127.0.0.1), LOAD_USERS (50), LOAD_SECONDS (90),
LOAD_SINGLE_SECONDS (40), LOAD_WORKERS (2), LOAD_CASES (cases to approve, 40).
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench import serve

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/issuer_registry_load"
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "90"))
SINGLE_SECONDS = int(os.environ.get("LOAD_SINGLE_SECONDS", "40"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
CASES = int(os.environ.get("LOAD_CASES", "40"))
P95_LIMIT = 5.0  # a class's p95 under load, against its single-user median
SECRET = "load-test-secret-not-for-production"


def crowd(users: int) -> dict[str, int]:
    """How the crowd divides: mostly issuers and the public, a few regulators."""
    approvers = max(1, users // 25)
    reviewers = max(1, users // 5)
    issuers = max(1, (users - approvers - reviewers) * 2 // 5)
    return {
        "issuer": issuers,
        "reviewer": reviewers,
        "approver": approvers,
        "public": max(1, users - issuers - reviewers - approvers),
    }


def fresh_database(url: str) -> None:
    import psycopg

    target = make_url(url)
    admin = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target.database}"')


def build(url: str, storage: Path, issuers: int) -> dict:
    """The demo, `issuers` more firms each with a draft, and CASES recommended cases."""
    from flask_migrate import upgrade

    from forms.sections.samples import sample_sections
    from service import create_app, demo
    from service.applications import operations
    from service.auth.operations import create_user
    from service.extensions import db
    from service.models import LogLeaf, Organization, User
    from service.regime import regime
    from service.timezone import korea_today

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "STORAGE_PATH": str(storage)}
    )
    today = korea_today()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        demo.load(today)
        reviewer = db.session.scalar(select(User).where(User.email == "reviewer@fsc.example"))
        accounts = []
        for n in range(1, issuers + 1):
            firm = Organization(
                name_en=f"Load Test Bank {n}",
                name_ko=f"부하시험은행 {n}",
                kind="bank",
                contact_email=f"compliance@load{n}.example",
            )
            db.session.add(firm)
            email = f"issuer@load{n}.example"
            user = create_user(email, demo.DEMO_PASSWORD, "issuer", firm, "부하")
            db.session.commit()
            draft = operations.create_draft(user, "tokenized_deposit")
            answers = sample_sections("tokenized_deposit", today, regime())["token_design"]
            accounts.append(
                {"email": user.email, "application_id": draft.id, "token_design": answers}
            )
        issuer = db.session.scalar(select(User).where(User.email == "issuer@hanbit.example"))
        cases = [_recommended(issuer, reviewer, today).id for _ in range(CASES)]
        leaves = db.session.scalars(select(LogLeaf.leaf_hash).order_by(LogLeaf.leaf_index)).all()
        db.session.remove()
        db.engine.dispose()
    return {
        "password": demo.DEMO_PASSWORD,
        "issuers": accounts,
        "reviewers": ["reviewer@fsc.example", "reviewer2@fsc.example"],
        "approver": "approver@fsc.example",
        "recommended_cases": cases,
        "search_terms": ["한빛", "Nuri", "HBDT", "stablecoin", "registered"],
        "leaves": list(leaves),
    }


def _recommended(issuer, reviewer, today: date):
    from service import demo
    from service.applications import operations

    case = demo.submitted_application(issuer, "tokenized_deposit", today)
    operations.transition(case.id, "mark_complete", reviewer, {}, today=today)
    return operations.transition(
        case.id,
        "recommend",
        reviewer,
        {"recommendation": "approve", "reasons": "요건을 모두 충족함.", "conditions": []},
        today=today,
    )


def serve_load(url: str, storage: Path, port: int, log: Path):
    server = serve.start(
        log,
        REDIS_URL="",  # PDFs are rendered in the request, as on one machine without a queue
        DATABASE_URL=url,
        SECRET_KEY=SECRET,
        STORAGE_PATH=str(storage),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(WORKERS),
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_LOG_LEVEL="warning",
    )
    serve.wait_until_up(f"http://127.0.0.1:{port}/register", server, log)
    return server


def swarm(port: int, plan: dict, counts: dict[str, int], seconds: int, out: Path) -> dict:
    """One Locust run; its per-class statistics and the saves it was told were kept."""
    acks = out.with_suffix(".acks.json")
    plan_file = out.with_suffix(".plan.json")
    plan_file.write_text(json.dumps(plan))
    env = dict(
        os.environ,
        LOAD_PLAN=str(plan_file),
        LOAD_USERS=json.dumps(counts),
        LOAD_ACKS=str(acks),
    )
    users = sum(counts.values())
    with out.with_suffix(".log").open("wb") as log:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(1, users // 5)),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(out),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            check=False,  # Locust exits 1 when a request failed; the figures say which
        )
    with open(f"{out}_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"}
    with open(f"{out}_failures.csv", newline="") as failures:
        failed = list(csv.DictReader(failures))
    return {"rows": rows, "failures": failed, "acks": json.loads(acks.read_text())}


def lost_updates(url: str, storage: Path, acks: dict[str, str]) -> list[int]:
    """Drafts whose stored answer is not the last one an issuer was told was saved."""
    from service import create_app
    from service.extensions import db
    from service.models import Application

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "STORAGE_PATH": str(storage)}
    )
    with app.app_context():
        lost = []
        for ident, mechanism in acks.items():
            stored = db.session.get(Application, int(ident)).sections["token_design"]
            if stored.get("issuance_mechanism") != mechanism:
                lost.append(int(ident))
        db.session.remove()
        db.engine.dispose()
    return lost


def table(single: dict, loaded: dict) -> tuple[list[str], list[str]]:
    lines = [
        f"{'request class':34} {'n':>6} {'fail':>5} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'1-user p50':>10} {'p95/p50(1)':>10}  target <= {P95_LIMIT:.0f}x",
    ]
    missed = []
    for name in sorted(loaded["rows"]):
        row = loaded["rows"][name]
        base = single["rows"].get(name)
        base_median = float(base["50%"]) if base and int(base["Request Count"]) else None
        p95 = float(row["95%"])
        ratio = p95 / base_median if base_median else None
        verdict = "" if ratio is None else ("PASS" if ratio <= P95_LIMIT else "MISS")
        if verdict == "MISS":
            missed.append(name)
        lines.append(
            f"{name:34} {int(row['Request Count']):>6} {int(row['Failure Count']):>5} "
            f"{float(row['50%']):>6.0f}ms {p95:>6.0f}ms {float(row['99%']):>6.0f}ms "
            f"{(f'{base_median:.0f}ms' if base_median else '-'):>10} "
            f"{(f'{ratio:.1f}x' if ratio else '-'):>10}  {verdict}"
        )
    return lines, missed


def main() -> int:
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        print("make load needs Locust: make load installs it (pip install -e '.[load]')")
        return 2
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    counts = crowd(USERS)
    single = {kind: 1 for kind in counts}
    work = Path(tempfile.mkdtemp(prefix="issuer-registry-load-"))
    storage = work / "storage"
    started = time.perf_counter()
    fresh_database(url)
    plan = build(url, storage, issuers=counts["issuer"] + 1)
    plan["pdf"] = str(work / "document.pdf")
    from service.demo import demo_pdf

    Path(plan["pdf"]).write_bytes(demo_pdf("load test"))
    # Each run approves cases of its own: a case decided in the first is not offered again.
    cases = plan.pop("recommended_cases")
    first = max(1, len(cases) // 5)
    print(
        f"load: {len(plan['issuers'])} issuers' drafts and {len(cases)} "
        f"recommended cases built in {time.perf_counter() - started:.0f}s; "
        f"gunicorn with {WORKERS} workers on {make_url(url).database}",
        flush=True,
    )
    port = serve.free_port()
    server = serve_load(url, storage, port, work / "gunicorn.log")
    try:
        print(f"single users ({SINGLE_SECONDS}s): {single}", flush=True)
        alone = swarm(
            port,
            {**plan, "recommended_cases": cases[:first]},
            single,
            SINGLE_SECONDS,
            work / "single",
        )
        print(f"the crowd ({SECONDS}s): {counts}", flush=True)
        loaded = swarm(
            port, {**plan, "recommended_cases": cases[first:]}, counts, SECONDS, work / "crowd"
        )
    finally:
        serve.stop(server)
    acks = {**alone["acks"], **loaded["acks"]}
    lost = lost_updates(url, storage, acks)
    lines, missed = table(alone, loaded)
    print("\n".join(lines))
    errors = sum(int(row["Failure Count"]) for row in loaded["rows"].values())
    for failure in loaded["failures"]:
        print(f"  failed: {failure['Name']}: {failure['Error'][:160]} x{failure['Occurrences']}")
    print(
        f"\n{sum(counts.values())} users, {WORKERS} workers: {errors} errors (target 0), "
        f"{len(lost)} lost updates of {len(acks)} drafts saved (target 0), "
        f"{len(missed)} classes over {P95_LIMIT:.0f}x: "
        + ("PASS" if not errors and not lost and not missed else "MISS")
        + f" ({time.perf_counter() - started:.0f}s; Locust's files in {work})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
