"""The app gunicorn serves in the transitions bench: the service plus one minimal endpoint.

`POST /_bench/insert` does one INSERT and commits: the floor a request that
writes can reach through the same gunicorn, Flask and SQLAlchemy. It lives
here, never in the service. The chain lock's hold time (from the answer of the
statement that takes the audit head to the commit) is recorded per worker when
BENCH_LOCK_LOG is set.
"""

import os
import time

from flask import Blueprint
from sqlalchemy import event, text

from bench.common import make_app
from service import warm_up
from service.extensions import csrf, db

minimal = Blueprint("bench_minimal", __name__)
csrf.exempt(minimal)


@minimal.route("/_bench/insert", methods=["POST"])
def insert():
    db.session.execute(text("INSERT INTO bench_ping (at) VALUES (CURRENT_TIMESTAMP)"))
    db.session.commit()
    return "", 204


app = make_app(os.environ.get("BENCH_WSGI_DATABASE_URL") or None)
app.register_blueprint(minimal)
warm_up()  # as service.wsgi does

LOCK_LOG = os.environ.get("BENCH_LOCK_LOG")
if LOCK_LOG:
    with app.app_context():
        engine = db.engine

    # After the statement that takes the chain's head returns: it returns once it holds the
    # row lock, so the time spent waiting for another worker's append is not counted.
    @event.listens_for(engine, "after_cursor_execute")
    def _lock_taken(conn, cursor, statement, parameters, context, executemany):
        if "UPDATE audit_head SET length" in statement[:64]:
            conn.info["chain_locked_at"] = time.perf_counter()

    # ConnectionEvents.commit fires just before the driver's COMMIT, so the COMMIT's own
    # round trip is not included either.
    @event.listens_for(engine, "commit")
    def _lock_released(conn):
        started = conn.info.pop("chain_locked_at", None)
        if started is not None:
            with open(f"{LOCK_LOG}.{os.getpid()}", "a") as log:
                log.write(f"{time.perf_counter() - started:.6f}\n")
