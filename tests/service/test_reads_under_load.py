"""Reads under load never fail: eight readers and two writers against a real server.

The app runs under gunicorn (threaded workers) in a child process on a loopback port,
on this run's database. For a few seconds eight threads read cases, their events and the
filings through the API while two write: one saves a section again and again, the other
asks for information and answers it, each step filing a PDF inside its transaction. On
SQLite a read is a deferred transaction (no write lock); writers still queue with BEGIN
IMMEDIATE. No answer may be a 5xx, and no write may be lost.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.audit import chain
from service.extensions import db
from service.models import Application
from service.models.types import utcnow
from service.transparency import checkpoints
from tests.service import gunicorn_child
from tests.service.factories import PASSWORD, QUESTIONS, Cast, draft

pytestmark = pytest.mark.real_commits

READERS, LOAD_SECONDS = 8, 5
# Generous: the child starts Python and the first PDF render warms up on a loaded machine.
PATIENCE = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(app, tmp_path: Path, port: int) -> tuple[subprocess.Popen, Path]:
    return gunicorn_child.start(
        app,
        tmp_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_WORKER_CLASS="gthread",
        GUNICORN_THREADS="6",
        GUNICORN_TIMEOUT=str(PATIENCE),
        GUNICORN_ACCESS_LOG="/dev/null",
    )


def _call(port: int, method: str, path: str, token: str, body=None, etag=None):
    """One request on its own connection: (status, parsed JSON body or None, ETag)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if etag:
            headers["If-Match"] = etag
        connection.request(
            method, path, body=json.dumps(body) if body is not None else None, headers=headers
        )
        answer = connection.getresponse()
        data = answer.read()
        parsed = json.loads(data) if answer.getheader("Content-Type", "").endswith("json") else None
        return answer.status, parsed, answer.getheader("ETag")
    finally:
        connection.close()


def _wait_until_serving(server, port: int, log: Path, token: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if _call(port, "GET", "/api/v1/applications?limit=1", token)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not start:\n{log.read_text()}")


def _stop(server) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def _token(app, user) -> str:
    answer = app.test_client().post(
        "/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}
    )
    return answer.json["token"]


def test_eight_readers_and_two_writers_get_no_5xx_and_lose_no_write(app, tmp_path):
    with app.app_context():
        cast = Cast()
        saved = draft(cast.issuer, complete=False)
        asked = cast.case_in("assessment")
        ids = {"saved": saved.id, "asked": asked.id, "saved_version": saved.version}
        issuer, reviewer, auditor = (
            _token(app, user) for user in (cast.issuer, cast.reviewer, cast.auditor)
        )
        db.session.remove()

    port = _free_port()
    server, log = _start_server(app, tmp_path, port)
    answers: dict[str, list[int]] = {}
    saves_accepted = []
    try:
        _wait_until_serving(server, port, log, reviewer)
        reads = [
            (reviewer, f"/api/v1/applications/{ids['asked']}"),
            (reviewer, f"/api/v1/applications/{ids['asked']}/events"),
            (reviewer, "/api/v1/applications?limit=50"),
            (auditor, "/api/v1/filings?limit=50"),
            (issuer, f"/api/v1/applications/{ids['saved']}"),
            (issuer, f"/api/v1/applications/{ids['asked']}/transitions"),
            (auditor, f"/api/v1/applications/{ids['asked']}/events"),
            (reviewer, "/api/v1/filings?limit=20"),
        ]
        start = threading.Barrier(READERS + 2)
        deadline = []

        def reader(name, token, path):
            start.wait()
            seen = answers.setdefault(name, [])
            while time.monotonic() < deadline[0]:
                seen.append(_call(port, "GET", path, token)[0])

        def section_writer():
            start.wait()
            seen = answers.setdefault("section writer", [])
            etag, n = f'"{ids["saved_version"]}"', 0
            while time.monotonic() < deadline[0]:
                n += 1
                status, body, new_etag = _call(
                    port,
                    "PUT",
                    f"/api/v1/applications/{ids['saved']}/sections/business_plan",
                    issuer,
                    {"programme_of_operations": f"Plan, take {n}."},
                    etag,
                )
                seen.append(status)
                if status == 200:
                    saves_accepted.append(body["version"])
                    etag = new_etag

        def request_writer():
            start.wait()
            seen = answers.setdefault("request writer", [])
            path = f"/api/v1/applications/{ids['asked']}/transitions"
            while time.monotonic() < deadline[0]:
                for token, step, body in (
                    (reviewer, "request_information", QUESTIONS),
                    (issuer, "respond", {"answers": ["In cold storage."]}),
                ):
                    seen.append(_call(port, "POST", f"{path}/{step}", token, body, "*")[0])

        threads = [
            threading.Thread(target=reader, args=(f"reader {i}", *reads[i])) for i in range(READERS)
        ] + [threading.Thread(target=section_writer), threading.Thread(target=request_writer)]
        deadline.append(time.monotonic() + PATIENCE)  # until the barrier lets everyone go
        for thread in threads:
            thread.start()
        deadline[0] = time.monotonic() + LOAD_SECONDS
        for thread in threads:
            thread.join(timeout=PATIENCE)
        assert not any(thread.is_alive() for thread in threads), "a request never finished"
    finally:
        _stop(server)

    failures = {
        name: failed for name, seen in answers.items() if (failed := [s for s in seen if s >= 500])
    }
    errors = [
        line for line in log.read_text().splitlines() if "Error" in line or "service/" in line
    ]
    assert not failures, (failures, errors[-30:])
    assert len(answers) == READERS + 2
    assert all(seen and set(seen) == {200} for name, seen in answers.items() if "reader" in name)
    assert 200 in answers["section writer"] and 200 in answers["request writer"], answers
    with app.app_context():
        # Every accepted save is in the case's versions, one after the other: none was lost.
        application = db.session.get(Application, ids["saved"])
        assert saves_accepted == list(
            range(ids["saved_version"] + 1, ids["saved_version"] + 1 + len(saves_accepted))
        )
        assert application.version == saves_accepted[-1]
        result = chain.verify(db.session)
        assert result.ok, result.problem
        db.session.remove()


# -- what each kind of transaction locks (SQLite; PostgreSQL readers never lock) ---------


@pytest.fixture
def sqlite_file(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's write lock: PostgreSQL readers take none")
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def _write_lock_is_free(path: str) -> bool:
    """Whether another connection can take the write lock right now (no waiting)."""
    import sqlite3

    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_read_only_request_holds_no_write_lock_until_it_says_it_writes(app, sqlite_file, method):
    from sqlalchemy import select

    from service.models import User
    from service.transactions import begin_writing

    with app.test_request_context("/review", method=method):
        db.session.execute(select(User.id)).all()
        assert db.session().in_transaction()
        assert _write_lock_is_free(sqlite_file)
        begin_writing(db.session)  # an alarm on a download, say
        db.session.execute(select(User.id)).all()
        assert not _write_lock_is_free(sqlite_file)
        db.session.rollback()
    assert _write_lock_is_free(sqlite_file)


def _first_read_takes_the_write_lock(path: str) -> None:
    from sqlalchemy import select

    from service.models import User

    db.session.execute(select(User.id)).all()
    assert not _write_lock_is_free(path)
    db.session.rollback()
    assert _write_lock_is_free(path)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_request_that_writes_takes_the_write_lock_when_it_begins(app, sqlite_file, method):
    with app.test_request_context("/x", method=method):
        _first_read_takes_the_write_lock(sqlite_file)


def test_the_cli_and_jobs_take_the_write_lock_when_they_begin(app, sqlite_file):
    with app.app_context():
        _first_read_takes_the_write_lock(sqlite_file)
        db.session.remove()


def test_pages_and_the_api_answer_reads_while_a_writer_holds_the_lock(app, sqlite_file):
    """Before, every request began IMMEDIATE: these reads waited for the writer's lock and,
    after busy_timeout, answered 500."""
    import sqlite3

    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("submitted").id
        token = _token(app, cast.reviewer)
        page = app.test_client()
        signed_in = page.post("/login", data={"email": cast.reviewer.email, "password": PASSWORD})
        assert signed_in.status_code == 302
        db.session.remove()
    api = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    writer = sqlite3.connect(sqlite_file, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        for path in (f"/api/v1/applications/{case_id}", "/api/v1/applications", "/api/v1/filings"):
            assert api.get(path, headers=auth).status_code == 200, path
            assert api.head(path, headers=auth).status_code == 200, path
        for path in ("/review", f"/review/cases/{case_id}", "/register"):
            assert page.get(path).status_code == 200, path
        assert time.monotonic() - started < 10  # no read waited out a busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_get_that_signs_a_checkpoint_waits_for_the_writer_instead_of_failing(app, sqlite_file):
    """A filing's receipt may need a new checkpoint of the log: the GET writes. Read in a
    deferred transaction and then written, SQLite would refuse at once ("database is
    locked") while a writer holds the lock; begun as a writer's, it waits its turn."""
    import sqlite3

    from service.models import Filing, LogCheckpoint

    with app.app_context():
        cast = Cast()
        cast.case_in("submitted")
        # As if a checkpoint was signed just now: for a minute no change signs another, so
        # the next filing is not covered however slowly a loaded machine files it.
        app.extensions[checkpoints._RECENT] = utcnow()
        later = cast.case_in("submitted")  # filed after the checkpoint the first one signed
        accession = db.session.execute(
            select(Filing.accession_number).where(Filing.application_id == later.id)
        ).scalar_one()
        token = _token(app, cast.issuer)
        checkpoints_before = db.session.scalar(select(func.count()).select_from(LogCheckpoint))
        db.session.remove()

    held, released = threading.Event(), threading.Event()

    def writer():
        connection = sqlite3.connect(sqlite_file, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(1.5)
        connection.execute("ROLLBACK")
        connection.close()
        released.set()

    thread = threading.Thread(target=writer)
    thread.start()
    held.wait(timeout=30)
    answer = app.test_client().get(
        f"/api/v1/filings/{accession}/receipt", headers={"Authorization": f"Bearer {token}"}
    )
    thread.join(timeout=30)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert released.is_set()  # it was answered once the writer let go, not refused before
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(LogCheckpoint))
        assert count == checkpoints_before + 1
        db.session.remove()
