"""A server process killed in the middle of a transition leaves a consistent database.

The real app runs under gunicorn in a child process, on this run's database
and a storage folder of the test's own. Its storage backend
(tests/service/stalling_storage.py) stops right after a filing's PDF is
written, before the transaction commits; the test then SIGKILLs the server and
checks from outside that nothing of the half-done step remains but the stray
PDF, which holds a number no row has and is replaced by the next filing.
"""

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.applications import operations
from service.audit import chain
from service.canonical import sha256_hex
from service.extensions import db
from service.models import Application, AuditEvent, Filing, User
from tests.service import gunicorn_child
from tests.service.factories import PASSWORD, TODAY, Cast

pytestmark = pytest.mark.real_commits

# Generous: the child starts a Python interpreter and renders a PDF on a loaded CI machine.
PATIENCE = 120


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over the server's Unix socket: no TCP port to pick or to race for."""

    def __init__(self, path: Path):
        super().__init__("localhost", timeout=PATIENCE)
        self.socket_path = str(path)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def _start_server(app, tmp_path: Path) -> tuple[subprocess.Popen, Path, Path, Path]:
    sock, stalled = tmp_path / "server.sock", tmp_path / "stalled"
    server, log = gunicorn_child.start(
        app,
        tmp_path,
        STORAGE_BACKEND="tests.service.stalling_storage:StallingStorage",
        STALL_SIGNAL=str(stalled),
        GUNICORN_BIND=f"unix:{sock}",
        GUNICORN_WORKERS="1",
        # Longer than the test waits, so the kill is ours and not gunicorn's timeout.
        GUNICORN_TIMEOUT=str(PATIENCE * 3),
    )
    return server, sock, stalled, log


def _wait_until_serving(server, sock: Path, log: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            probe = UnixHTTPConnection(sock)
            probe.request("GET", "/register")
            if probe.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not start:\n{log.read_text()}")


def _kill(server) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=PATIENCE)


def test_a_server_killed_after_storing_the_pdf_leaves_the_case_and_the_chain_as_they_were(
    app, tmp_path
):
    with app.app_context():
        cast = Cast()
        case = cast.case_in("draft")
        case_id, version, issuer_id = case.id, case.version, cast.issuer.id
        token = (
            app.test_client()
            .post("/api/v1/auth/token", json={"email": cast.issuer.email, "password": PASSWORD})
            .json["token"]
        )
        events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        filings_before = db.session.scalar(select(func.count()).select_from(Filing))
        db.session.remove()

    server, sock, stalled, log = _start_server(app, tmp_path)
    try:
        _wait_until_serving(server, sock, log)
        request = UnixHTTPConnection(sock)
        request.request(
            "POST",
            f"/api/v1/applications/{case_id}/transitions/submit",
            body="{}",
            headers={
                "Authorization": f"Bearer {token}",
                "If-Match": f'"{version}"',
                "Content-Type": "application/json",
            },
        )
        deadline = time.monotonic() + PATIENCE
        while not stalled.exists() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.1)
        if not stalled.exists():
            answer = request.getresponse()
            pytest.fail(f"the submit never reached storage: {answer.status} {answer.read()!r}")
        _kill(server)
        with pytest.raises((http.client.HTTPException, OSError)):
            request.getresponse()  # the request died with the server: no answer at all
    finally:
        _kill(server)

    stray_key = stalled.read_text()
    storage_root = Path(app.config["STORAGE_PATH"])
    with app.app_context():
        application = db.session.get(Application, case_id)
        assert (application.state, application.version) == ("draft", version)
        assert db.session.scalar(select(func.count()).select_from(Filing)) == filings_before
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
        verification = chain.verify(db.session)
        assert verification.ok, verification.problem
        # The PDF written before the kill is there, and no filing claims it.
        assert (storage_root / stray_key).is_file()
        assert db.session.scalar(select(Filing).where(Filing.pdf_storage_key == stray_key)) is None

        # Nothing stays locked: the same step succeeds now, takes the number the killed
        # transaction never committed, and its PDF replaces the stray file.
        issuer = db.session.get(User, issuer_id)
        operations.transition(case_id, "submit", issuer, {}, today=TODAY)
        filing = db.session.execute(
            select(Filing).where(Filing.application_id == case_id)
        ).scalar_one()
        assert filing.pdf_storage_key == stray_key
        assert sha256_hex((storage_root / stray_key).read_bytes()) == filing.pdf_sha256
        assert db.session.get(Application, case_id).state == "submitted"
        verification = chain.verify(db.session)
        assert verification.ok, verification.problem
        db.session.remove()
