"""A burst of parallel wrong passwords against a real server (gunicorn, 8 worker processes,
each with its own database connection): exactly the limit get their password checked and
answered 401, every other attempt is refused unchecked with 429, and the lock is set and
audited once. On whichever engine the run uses: PostgreSQL's upsert locks the row,
SQLite's BEGIN IMMEDIATE serialises the writers."""

import re
import subprocess
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import json
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, LoginThrottle
from tests.service import gunicorn_child
from tests.service.factories import user
from tests.service.test_killed_midway import (
    PATIENCE,
    UnixHTTPConnection,
    _kill,
    _wait_until_serving,
)

pytestmark = pytest.mark.real_commits

WORKERS, BURST, LIMIT = 8, 40, 5
GUESSER = "203.0.113.7"  # as the trusted reverse proxy reports it (RFC 5737)


def start_server(app, tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    sock = tmp_path / "server.sock"
    server, log = gunicorn_child.start(
        app,
        tmp_path,
        PROXY_FIX_X_FOR="1",
        GUNICORN_BIND=f"unix:{sock}",
        GUNICORN_WORKERS=str(WORKERS),
        GUNICORN_TIMEOUT=str(PATIENCE),
    )
    return server, sock, log


def send(sock: Path, method: str, path: str, body: bytes, headers: dict):
    connection = UnixHTTPConnection(sock)
    connection.request(method, path, body=body, headers={"X-Forwarded-For": GUESSER, **headers})
    answer = connection.getresponse()
    return answer.status, answer.read(), answer.getheader("Set-Cookie")


def burst(sock: Path, path: str, body: bytes, headers: dict) -> Counter:
    """Send the same request BURST times at once, each on its own connection."""
    gate = threading.Barrier(BURST)
    statuses = []

    def one():
        gate.wait()
        statuses.append(send(sock, "POST", path, body, headers)[0])

    threads = [threading.Thread(target=one) for _ in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=PATIENCE)
    return Counter(statuses)


def login_form_request(sock: Path, email: str) -> tuple[bytes, dict]:
    """The sign-in form as a browser sends it: with the CSRF token of its session."""
    status, page, cookie = send(sock, "GET", "/login", b"", {})
    assert status == 200
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    body = urlencode({"csrf_token": token, "email": email, "password": "guess"}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie.split(";", 1)[0],
    }
    return body, headers


def test_a_parallel_burst_of_guesses_gets_exactly_the_limit_checked_and_one_lock(app, tmp_path):
    with app.app_context():
        web_email, api_email = user("issuer").email, user("reviewer").email
        db.session.remove()
    server, sock, log = start_server(app, tmp_path)
    try:
        _wait_until_serving(server, sock, log)
        body, headers = login_form_request(sock, web_email)
        through_the_form = burst(sock, "/login", body, headers)
        api_body = json.dumps({"email": api_email, "password": "guess"}).encode()
        through_the_api = burst(
            sock, "/api/v1/auth/token", api_body, {"Content-Type": "application/json"}
        )
    finally:
        _kill(server)
    assert through_the_form == {401: LIMIT, 429: BURST - LIMIT}, log.read_text()[-3000:]
    assert through_the_api == {401: LIMIT, 429: BURST - LIMIT}
    with app.app_context():
        for email in (web_email, api_email):
            key = f"account:{email}|address:{GUESSER}"
            locks = [
                event
                for event in db.session.execute(
                    select(AuditEvent).where(AuditEvent.action == "login_locked")
                ).scalars()
                if event.detail["key"] == key
            ]
            assert len(locks) == 1, key
            row = db.session.execute(
                select(LoginThrottle).where(LoginThrottle.key == key)
            ).scalar_one()
            assert row.failures == LIMIT and row.locked_until is not None
        # The address was charged only for the attempts that were checked.
        address = db.session.execute(
            select(LoginThrottle.failures).where(LoginThrottle.key == f"address:{GUESSER}")
        ).scalar_one()
        assert address == 2 * LIMIT
        db.session.remove()
