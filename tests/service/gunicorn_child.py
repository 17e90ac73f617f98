"""The service under gunicorn in a child process, on the test's own database and files.

For the tests that need real processes: a kill midway, a burst of parallel sign-ins,
readers and writers at once.
"""

from pathlib import Path

from bench import serve


def start(app, tmp_path: Path, **settings: str):
    """gunicorn serving `app`'s database, secret and storage, with `settings` added to its
    environment (GUNICORN_BIND, GUNICORN_WORKERS, ...); its output goes to the log returned.
    It runs in a process group of its own, so the master and its workers stop together."""
    log = tmp_path / "server.log"
    server = serve.start_app(app, tmp_path, log, **settings)
    return server, log
