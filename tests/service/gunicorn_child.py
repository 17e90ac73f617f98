"""The service under gunicorn in a child process, on the test's own database and files.

For the tests that need real processes: a kill midway, a burst of parallel sign-ins,
readers and writers at once.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(app, tmp_path: Path, **settings: str) -> tuple[subprocess.Popen, Path]:
    """gunicorn serving `app`'s database, secret and storage, with `settings` added to its
    environment (GUNICORN_BIND, GUNICORN_WORKERS, ...); its output goes to the log returned.
    It runs in a process group of its own, so the master and its workers stop together."""
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "STORAGE_PATH": app.config["STORAGE_PATH"],
        **settings,
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return server, log
