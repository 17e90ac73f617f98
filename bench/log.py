"""The transparency log's append cost at 10,000 and 1,000,000 leaves (docs/transparency.md).

An append reads the O(log n) frontier and writes at most log n nodes, so going from 10^4
to 10^6 leaves should cost about log2(10^6) / log2(10^4) = 1.5 times as much, not 100
times. Each size gets a scratch SQLite database of its own (BENCH_LOG_FOLDER, /tmp by
default), built once by bulk insert with the same node layout the service writes."""

import json
import os
import statistics
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.common import make_app, report
from translog import merkle
from translog.receipt import leaf_bytes

SIZES = (10_000, 1_000_000)
APPENDS = 60
TARGET = 2.5  # the ratio of the two costs; log n predicts 1.5
FOLDER = Path(os.environ.get("BENCH_LOG_FOLDER", "/tmp"))


def _leaf(n: int) -> dict:
    return {"kind": "bench", "n": n, "hash": f"{n:064x}"}


def _database(size: int) -> str:
    path = FOLDER / f"issuer-registry-bench-log-{size}.sqlite"
    url = f"sqlite:///{path}"
    from flask_migrate import upgrade

    if path.exists():
        engine = create_engine(url)
        with engine.connect() as connection:
            built = connection.execute(text("SELECT size FROM log_head")).scalar() == size
        if built:
            with make_app(url).app_context():
                upgrade()  # a migration added since it was built (the head's frontier)
            return url
        path.unlink()
    app = make_app(url)
    with app.app_context():
        upgrade()
    engine = create_engine(url)
    with engine.begin() as connection:
        first = connection.execute(text("SELECT hash FROM log_node")).scalar_one()
        frontier, count, batch = [bytes.fromhex(first)], 1, 20_000
        while count < size:
            leaves = [_leaf(n) for n in range(count, min(size, count + batch))]
            encoded = [leaf_bytes(leaf) for leaf in leaves]
            grown = merkle.appended(count, frontier, [merkle.leaf_hash(data) for data in encoded])
            connection.execute(
                text(
                    "INSERT INTO log_leaf (leaf_index, kind, leaf_json, leaf_hash) "
                    "VALUES (:i, 'bench', :j, :h)"
                ),
                [
                    {"i": count + k, "j": data.decode(), "h": merkle.leaf_hash(data).hex()}
                    for k, data in enumerate(encoded)
                ],
            )
            connection.execute(
                text("INSERT INTO log_node (level, position, hash) VALUES (:l, :p, :h)"),
                [{"l": lv, "p": p, "h": digest.hex()} for lv, p, digest in grown.nodes],
            )
            count += len(leaves)
            frontier = grown.frontier
        connection.execute(
            text("UPDATE log_head SET size = :s, frontier = :f"),
            {"s": size, "f": json.dumps([digest.hex() for digest in frontier])},
        )
    return url


def _append_cost(url: str) -> float:
    from service.extensions import db
    from service.transparency import log

    app = make_app(url)
    times = []
    with app.app_context():
        for n in range(APPENDS):
            started = time.perf_counter()
            log.append(db.session, [(_leaf(10**9 + n), None)])
            times.append(time.perf_counter() - started)
            db.session.rollback()  # the size stays put
    return statistics.median(times[5:])


def run(context: dict | None = None) -> list[dict]:
    costs = {}
    for size in SIZES:
        started = time.perf_counter()
        url = _database(size)
        built = time.perf_counter() - started
        costs[size] = _append_cost(url)
        print(
            f"log append at {size:,} leaves: median {costs[size] * 1000:.3f} ms "
            f"(database ready in {built:.0f}s)",
            flush=True,
        )
    ratio = costs[SIZES[1]] / costs[SIZES[0]]
    return [
        report(
            "log append cost, 10^6 vs 10^4 leaves",
            ratio,
            f"<= {TARGET}x",
            ratio <= TARGET,
            f"{costs[SIZES[0]] * 1000:.3f} ms and {costs[SIZES[1]] * 1000:.3f} ms; log n "
            "predicts 1.5x",
        )
    ]
