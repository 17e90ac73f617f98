"""Every change is one unit of work (docs/design.md, "The unit of work"): a writer that meets a
locked case or database is told 409 and keeps nothing; a failed COMMIT leaves no file of the
unit behind, whatever kind of file; a document is added only while the applicant holds the pen.

These commit for real, on whichever engine the run uses.
"""

import io
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from service import transactions
from service.demo import demo_pdf
from service.extensions import db
from service.models import Application, AuditEvent, Document
from tests.service import factories
from tests.service.factories import PASSWORD, Cast

pytestmark = pytest.mark.real_commits

# How long a writer waits for a lock in these tests: long enough to be sure it waited.
WAIT_MS = 300
ENGLISH = {"Accept-Language": "en"}


def _signed_in(app, user):
    client = app.test_client()
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def _token(app, user) -> dict:
    answer = app.test_client().post(
        "/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {answer.json['token']}"}


def _events(action: str, application_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.application_id == application_id)
    )


def _documents(application_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Document).where(Document.application_id == application_id)
    )


def _stored_documents(app, application_id: int) -> list[Path]:
    folder = Path(app.config["STORAGE_PATH"]) / "documents" / str(application_id)
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


@contextmanager
def _case_locked(app, monkeypatch, case_id: int):
    """Another writer holds the case: on PostgreSQL its row lock, on SQLite the database's
    write lock. The service's writers give up after WAIT_MS instead of the usual wait."""
    engine = db.engine
    monkeypatch.setattr(transactions, "BUSY_TIMEOUT_MS", WAIT_MS)

    def short_lock_wait(dbapi_connection, record):
        if engine.dialect.name == "postgresql":
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{WAIT_MS}ms'")
            dbapi_connection.commit()  # a setting made in a transaction rolled back is undone

    event.listen(engine, "connect", short_lock_wait)
    engine.dispose()  # every connection from now on waits WAIT_MS at most
    holder = engine.connect()
    transaction = holder.begin()  # BEGIN IMMEDIATE on SQLite: the write lock
    holder.execute(select(Application.id).where(Application.id == case_id).with_for_update())
    try:
        yield
    finally:
        transaction.rollback()
        holder.close()
        event.remove(engine, "connect", short_lock_wait)
        engine.dispose()


def test_a_section_save_that_meets_a_locked_case_answers_409_and_keeps_nothing(app, monkeypatch):
    with app.app_context():
        cast = Cast()
        case = factories.draft(cast.issuer, complete=False)
        case_id, version, etag = case.id, case.version, case.etag
        form, api = _signed_in(app, cast.issuer), _token(app, cast.issuer)
        db.session.remove()

    with app.app_context(), _case_locked(app, monkeypatch, case_id):
        page = form.post(
            f"/applications/{case_id}/sections/capital",
            data={"paid_in_capital_krw": "50,000,000,000", "version": version},
            headers=ENGLISH,
        )
        problem = app.test_client().put(
            f"/api/v1/applications/{case_id}/sections/capital",
            json={"paid_in_capital_krw": "60,000,000,000"},
            headers={**api, "If-Match": etag},
        )

    assert page.status_code == 409
    assert "reload and try again" in page.get_data(as_text=True)
    assert problem.status_code == 409
    assert problem.headers["Content-Type"].startswith("application/problem+json")
    assert problem.json["code"] == "concurrent_change"
    with app.app_context():
        application = db.session.get(Application, case_id)
        assert (application.version, application.sections.get("capital")) == (version, None)
        assert _events("save_section", case_id) == 0
        db.session.remove()
    # The lock gone, the same save goes through.
    answer = form.post(
        f"/applications/{case_id}/sections/capital",
        data={"paid_in_capital_krw": "50,000,000,000", "version": version},
    )
    assert answer.status_code == 302


def test_a_transition_that_meets_a_locked_case_answers_409_as_a_section_save_does(app, monkeypatch):
    with app.app_context():
        cast = Cast()
        case = factories.draft(cast.issuer, complete=False)
        case_id, etag = case.id, case.etag
        api = _token(app, cast.issuer)
        db.session.remove()

    with app.app_context(), _case_locked(app, monkeypatch, case_id):
        problem = app.test_client().post(
            f"/api/v1/applications/{case_id}/transitions/withdraw",
            json={},
            headers={**api, "If-Match": etag},
        )
    assert (problem.status_code, problem.json["code"]) == (409, "concurrent_change")
    with app.app_context():
        assert db.session.get(Application, case_id).state == "draft"
        db.session.remove()


def refused_commit(session):
    raise OperationalError("COMMIT", {}, Exception("injected: the commit was refused"))


def test_a_document_upload_whose_commit_fails_leaves_no_file_behind(app):
    with app.app_context():
        cast = Cast()
        case = factories.draft(cast.issuer, complete=False)
        case_id = case.id
        client = _signed_in(app, cast.issuer)
        db.session.remove()
    stored_at_commit = []

    def fail(session):
        stored_at_commit.append(len(_stored_documents(app, case_id)))
        refused_commit(session)

    event.listen(Session, "before_commit", fail)
    try:
        with pytest.raises(OperationalError, match="injected"):
            client.post(
                f"/applications/{case_id}/documents",
                data={
                    "document_type": "white_paper",
                    "file": (io.BytesIO(demo_pdf("x")), "paper.pdf"),
                },
                content_type="multipart/form-data",
            )
    finally:
        event.remove(Session, "before_commit", fail)
    assert stored_at_commit == [1]  # the file was stored when the commit failed
    assert _stored_documents(app, case_id) == []
    with app.app_context():
        assert (_documents(case_id), _events("add_document", case_id)) == (0, 0)
        db.session.remove()


def test_a_document_whose_commit_answer_is_lost_keeps_its_file_as_a_filing_does(app, monkeypatch):
    """The database carries out the COMMIT but its answer never comes back: the row is
    committed, so its file stays (one policy for every kind of file)."""
    with app.app_context():
        cast = Cast()
        case = factories.draft(cast.issuer, complete=False)
        case_id = case.id
        client = _signed_in(app, cast.issuer)
        dialect = db.engine.dialect
        db.session.remove()
    commit = dialect.do_commit

    def commit_then_lose_the_answer(dbapi_connection):
        commit(dbapi_connection)
        raise OperationalError("COMMIT", {}, Exception("injected: the answer was lost"))

    monkeypatch.setattr(dialect, "do_commit", commit_then_lose_the_answer)
    with pytest.raises(OperationalError, match="injected"):
        client.post(
            f"/applications/{case_id}/documents",
            data={"document_type": "white_paper", "file": (io.BytesIO(demo_pdf("x")), "paper.pdf")},
            content_type="multipart/form-data",
        )
    monkeypatch.setattr(dialect, "do_commit", commit)
    with app.app_context():
        (document,) = db.session.execute(
            select(Document).where(Document.application_id == case_id)
        ).scalars()
        assert [p.name for p in _stored_documents(app, case_id)] == [
            Path(document.storage_key).name
        ]
        db.session.remove()


def test_a_document_cannot_be_added_to_an_application_not_open_for_editing(app):
    with app.app_context():
        cast = Cast()
        case = cast.case_in("submitted")
        case_id = case.id
        before = _documents(case_id)
        form, api = _signed_in(app, cast.issuer), _token(app, cast.issuer)
        db.session.remove()
    upload = {"document_type": "white_paper"}

    page = form.post(
        f"/applications/{case_id}/documents",
        data={**upload, "file": (io.BytesIO(demo_pdf("late")), "late.pdf")},
        content_type="multipart/form-data",
        headers=ENGLISH,
    )
    problem = app.test_client().post(
        f"/api/v1/applications/{case_id}/documents",
        data={**upload, "file": (io.BytesIO(demo_pdf("late")), "late.pdf")},
        content_type="multipart/form-data",
        headers=api,
    )
    assert page.status_code == 409
    assert "can no longer be added" in page.get_data(as_text=True)
    assert (problem.status_code, problem.json["code"]) == (409, "state")
    with app.app_context():
        assert _documents(case_id) == before
        assert _events("add_document", case_id) == before
        db.session.remove()
    assert len(_stored_documents(app, case_id)) == before
