"""Service tests: each runs inside a transaction rolled back at its end, unless it is
marked real_commits: those commit, on a database of their own (`committing_app`)."""

import uuid
from datetime import datetime, time

import pytest
import redis
from flask_sqlalchemy.session import Session as FlaskSession

from service import jobs, timezone
from service.extensions import db
from tests.conftest import TODAY
from tests.service.factories import PASSWORD, Cast


class _BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks the engine itself; a test session must use the test's connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _korean_today_is_the_suites_today(monkeypatch):
    """The service's Korean "today" is TODAY, so the dates a test writes stay ahead of it on
    whatever day the suite runs (timestamps stay real)."""
    moment = datetime.combine(TODAY, time(10), timezone.KST)
    monkeypatch.setattr(timezone, "korea_now", lambda: moment)


@pytest.fixture
def app(request, app):
    """Tests marked real_commits run on the committing app, every other on the shared one."""
    if request.node.get_closest_marker("real_commits"):
        return request.getfixturevalue("committing_app")
    return app


@pytest.fixture(autouse=True)
def _rolled_back(request, app, tmp_path, monkeypatch):
    """Every test's writes, commits included, vanish when it ends; its files live in tmp_path."""
    monkeypatch.setitem(app.config, "STORAGE_PATH", str(tmp_path / "storage"))
    if request.node.get_closest_marker("real_commits"):
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": _BoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def cast(ctx):
    """The people of one case of the default category; a module about another category
    overrides this fixture."""
    return Cast()


def login(client, user, language: str | None = None):
    """Sign `user` in through the login form, in `language` if given; the client then carries
    the session."""
    if language:
        client.get(f"/language/{language}")
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.data
    return client


def token(client, user) -> dict:
    """The headers of an API call made as `user`, with a bearer token of its own."""
    answer = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 201, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_queue(app, monkeypatch):
    """REDIS_URL set, with a queue of its own on the real Redis at 127.0.0.1:6379 (this
    machine kind runs it for every session and CI run), emptied afterwards."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis at {REDIS_URL} is not answering: the queue tests need it ({error})")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"test-{uuid.uuid4().hex}")
    with app.app_context():
        queue = jobs.queue()
    yield queue
    queue.delete(delete_jobs=True)
    for registry in (queue.failed_job_registry, queue.finished_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


def run_worker(queue) -> None:
    """Run every queued job in this process, as `flask --app service worker --burst` does."""
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)
