"""What every bench module shares: the database, the app, timing and the report line."""

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent

# Debian's Chromium (`make browser`), for the benches and the browser tests alike. Flags
# for this closed network: no background calls home, no GPU, root without a sandbox.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# BENCH_SIZE applications, ten audit events each (100,000 and 1,000,000 by default).
SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
# How many times each measurement repeats; the median is reported.
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))

BENCH_REVIEWER = "bench-reviewer@fsc.example"
BENCH_TOKEN = "bench-reviewer-token-not-a-secret"  # the generated database's reviewer token
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_issue8"


def database_url() -> str:
    from service.config import normalise_database_url

    url = (
        os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:////tmp/issuer-registry-bench-{SIZE}.sqlite"
    )
    return normalise_database_url(url)


def postgres_url() -> str | None:
    """The PostgreSQL database of the transitions bench (gunicorn needs a real server)."""
    from service.config import normalise_database_url

    url = os.environ.get("BENCH_PG_URL") or os.environ.get("BENCH_DATABASE_URL") or PG_DEFAULT
    url = normalise_database_url(url)
    return url if url.startswith("postgresql") else PG_DEFAULT


def make_app(url: str | None = None):
    from service import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url or database_url(),
            "SECRET_KEY": "bench-secret",
            "WTF_CSRF_ENABLED": False,
            "STORAGE_PATH": "/tmp/issuer-registry-bench-storage",
        }
    )


def median_seconds(work: Callable[[], object], repeat: int = REPEAT, warmup: int = 2) -> float:
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(name: str, ratio: float, target: str, ok: bool, detail: str = "") -> dict:
    verdict = "PASS" if ok else "MISS"
    line = f"{name:<44} {ratio:6.2f}x   target {target:<12} {verdict}"
    print(line + (f"   ({detail})" if detail else ""), flush=True)
    return {"name": name, "ratio": ratio, "target": target, "ok": ok, "detail": detail}


def bench_user_id(connection, email: str = BENCH_REVIEWER) -> int:
    return connection.execute(
        text('SELECT id FROM "user" WHERE email = :e'), {"e": email}
    ).scalar_one()
