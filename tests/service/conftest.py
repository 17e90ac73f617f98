"""Service tests: each runs inside a transaction rolled back at its end, unless it is
marked real_commits: those commit, on a database of their own (`committing_app`)."""

import uuid
from datetime import datetime, time
from pathlib import Path

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


# The tests about the filings' PDFs themselves, or that read, check, export or publish the
# stored ones (a test elsewhere may carry the mark itself): marked rendered_pdfs. A module
# named alone has all its tests marked.
RENDERED_PDF_TESTS = {
    "test_filing_pdfs.py": (),
    "test_sealed_decisions.py": (),
    "test_filings_stored.py": (),
    "test_stored_integrity.py": (),
    "test_integrity_wording.py": (),
    "test_transparency_log.py": (),
    "test_auditor_desk.py": (),
    "test_register_disclosures.py": (),
    # The public disclosure page lists the certificate with its size and hash.
    "register/test_register_fields.py": ("test_the_html_disclosure_shows_the_same_fields",),
    "test_monitoring.py": (
        "test_an_approved_renewal_keeps_the_number_and_runs_on_from_the_old_end_date",
    ),
    "sections/test_requests_and_withdrawal.py": (
        "test_the_issuer_amends_a_section_while_a_request_is_open_and_the_response_files_it",
    ),
    # Their world downloads a filing's PDF as each role.
    "test_authorization_matrix.py": (
        "test_every_route_answers_each_role_as_the_table_says",
        "test_the_policy_lets_the_auditor_change_nothing_and_no_issuer_touch_another_organization",
    ),
    "test_security.py": (
        "test_every_form_refuses_a_post_without_the_csrf_token_and_changes_nothing",
    ),
    "test_filings_and_documents.py": ("test_the_demo_loads_once_with_cases_across_the_lifecycle",),
    "test_killed_midway.py": (
        "test_a_server_killed_after_storing_the_pdf_leaves_the_case_and_the_chain_as_they_were",
    ),
    "test_opinions.py": (
        "test_recommending_a_krw_stablecoin_case_sends_the_request_for_opinions_as_a_filing",
    ),
    "test_storage_backend.py": (
        "test_filings_and_documents_are_stored_and_served_through_another_backend",
    ),
    # A filing's receipt waits for its PDF.
    "test_reads_under_load.py": (
        "test_a_get_that_signs_a_checkpoint_waits_for_the_writer_instead_of_failing",
    ),
}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here not in item.path.parents:
            continue
        named = RENDERED_PDF_TESTS.get(item.path.relative_to(here).as_posix())
        if named is not None and (not named or item.originalname in named):
            item.add_marker(pytest.mark.rendered_pdfs)


@pytest.fixture(autouse=True)
def _filing_pdfs_on_demand(request, app, monkeypatch):
    """The cases a test builds file many PDFs that most tests never read: each is rendered
    by the real renderer when it is first downloaded (FILING_PDFS_ON_DEMAND). A test about
    PDFs (marked rendered_pdfs) has them rendered with the change that files them, as in
    production."""
    if not request.node.get_closest_marker("rendered_pdfs"):
        monkeypatch.setitem(app.config, "FILING_PDFS_ON_DEMAND", True)


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
