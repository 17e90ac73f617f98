"""The auditor's events CSV at the bench's scale: every event of the chain (1,000,000 with
the default BENCH_SIZE) downloaded from `/audit/events.csv`.

1. time: the download through the Flask test client as the bench's auditor (the session,
   keyset batches each in a session of their own, the CSV writer that quotes formula
   cells, the streamed response) against a bare loop over the same rows: one query on the
   driver's own cursor, each row written by `csv.writer` as the database returns it;
   target at most 3x;
2. memory: how much the peak resident memory of a fresh process grows while it streams
   the whole file, against the file's size; target: the file at least 50 times that
   growth (the download holds one batch, never the log).

`BENCH_ONLY=event_csv python -m bench`, or `python -m bench.event_csv`.
"""

import csv
import json
import os
import subprocess
import sys
import time

from bench.common import ROOT, make_app, report

AUDITOR = "bench-auditor@bai.example"
TIME_TARGET = 3.0
MEMORY_TARGET = 50.0
COLUMNS = (
    "seq, occurred_at, actor_id, actor_label, action, application_id, from_state, to_state, "
    "detail, prev_hash, hash"
)


class _Counter:
    """A file that only counts what is written to it."""

    def __init__(self):
        self.size = 0

    def write(self, text: str) -> None:
        self.size += len(text.encode())


def stream(client) -> tuple[int, int]:
    """Download the whole log; return its size in bytes and its number of lines."""
    answer = client.get("/audit/events.csv", buffered=False)
    assert answer.status_code == 200, answer.status_code
    size = lines = 0
    for chunk in answer.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
    answer.close()
    return size, lines


def bare(app) -> tuple[float, int]:
    from service.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            started = time.perf_counter()
            cursor = raw.cursor()
            cursor.execute(f"SELECT {COLUMNS} FROM audit_event ORDER BY seq")
            sink = _Counter()
            writer = csv.writer(sink, lineterminator="\n")
            writer.writerow([name.strip() for name in COLUMNS.split(",")])
            while rows := cursor.fetchmany(5000):
                writer.writerows(rows)
            cursor.close()
            raw.rollback()
            return time.perf_counter() - started, sink.size
        finally:
            raw.close()


def _peak_rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")


def child() -> dict:
    """In a fresh process: warm up on one case's events, then stream the whole log."""
    from bench.queue import logged_in_client

    client = logged_in_client(make_app(), AUDITOR)
    assert client.get("/audit/cases/1/events.csv").status_code == 200
    before = _peak_rss()
    started = time.perf_counter()
    size, lines = stream(client)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "size": size, "lines": lines, "growth": _peak_rss() - before}


def run(context: dict | None = None) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.event_csv", "--child"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    ).stdout
    streamed = json.loads(out.strip().splitlines()[-1])
    app = make_app()
    with app.app_context():
        from service.extensions import db

        dialect = db.engine.dialect.name
    bare_seconds, bare_size = bare(app)
    events = streamed["lines"] - 1
    expected = (context or {}).get("audit_events")
    assert expected is None or events >= expected, (events, expected)
    ratio = streamed["seconds"] / bare_seconds
    growth = max(streamed["growth"], 1)
    memory_ratio = streamed["size"] / growth
    return [
        report(
            f"events CSV, {events:,} events: download / bare",
            ratio,
            f"<= {TIME_TARGET:.0f}x",
            ratio <= TIME_TARGET,
            f"download {streamed['seconds']:.1f} s ({events / streamed['seconds']:,.0f} events/s,"
            f" {streamed['size'] / 2**20:,.0f} MiB), bare {bare_seconds:.1f} s"
            f" ({bare_size / 2**20:,.0f} MiB), {dialect}",
        ),
        report(
            f"events CSV, {events:,} events: file / memory",
            memory_ratio,
            f">= {MEMORY_TARGET:.0f}x",
            memory_ratio >= MEMORY_TARGET,
            f"peak resident memory grew {streamed['growth'] / 2**20:.1f} MiB while streaming"
            f" {streamed['size'] / 2**20:,.0f} MiB",
        ),
    ]


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child()))
    else:
        run()
