"""gunicorn in a child process, for whatever needs the service in real processes: the load
test, Lighthouse, the transitions bench, and the tests that kill or crowd a server.

It runs with the production settings (gunicorn.conf.py, tuned by GUNICORN_* variables),
its output in a log file, in a process group of its own so that the master and its
workers stop together.
"""

import os
import signal
import socket
import subprocess  # nosec B404: starts this project's own server
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from service.transparency import checkpoints

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(log: Path, app: str = "service.wsgi:app", **settings: str) -> subprocess.Popen:
    """gunicorn serving `app` with `settings` added to its environment (DATABASE_URL,
    GUNICORN_BIND, GUNICORN_WORKERS, ...)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **settings}
    with log.open("wb") as out:
        return subprocess.Popen(  # nosec B603: a fixed command line
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_app(app, folder: Path, log: Path, **settings: str) -> subprocess.Popen:
    """gunicorn serving the database, secret, storage and log key of `app` (a Flask app
    built here), its instance folder under `folder`."""
    with app.app_context():
        log_key = checkpoints.signing_key_text()
    return start(
        log,
        INSTANCE_PATH=str(folder / "instance"),
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY=app.config["SECRET_KEY"],
        STORAGE_PATH=app.config["STORAGE_PATH"],
        LOG_SIGNING_KEY=log_key,
        **settings,
    )


def wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Return once `url` answers 200; raise with the server's log if it exits or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited before it served:\n{log.read_text()}")
        try:
            with urlopen(url, timeout=5) as answer:  # nosec B310: our own server
                if answer.status == 200:
                    return
        except OSError:  # not listening yet, or too busy starting to answer
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds:.0f} s:\n{log.read_text()}")


def stop(server: subprocess.Popen, seconds: float = 60) -> None:
    """Stop the master and its workers, by force if they do not end in time."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
