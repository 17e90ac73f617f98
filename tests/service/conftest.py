"""Service tests: each runs inside a transaction rolled back at its end, unless it is
marked real_commits: those commit, on a database of their own (`committing_app`)."""

import pytest
from flask_sqlalchemy.session import Session as FlaskSession

from service.extensions import db


class _BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks the engine itself; a test session must use the test's connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


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
