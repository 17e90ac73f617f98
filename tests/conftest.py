"""The app is built once per run, its schema migrated once; each test runs in a
transaction that is rolled back (docs/design.md section 7).

`DATABASE_URL` picks the engine: SQLite in a temporary folder when unset. Run
in parallel (pytest-xdist), each worker gets a PostgreSQL database of its own
beside the one named (`test_gw0`, `test_gw1`, ...).
"""

import os
from datetime import date

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from service import create_app
from service.config import normalise_database_url
from service.extensions import db

# A Tuesday with ordinary business days around it.
TODAY = date(2026, 11, 24)


def database_url(folder, worker_id: str, suffix: str = "") -> str:
    """This worker's database: a SQLite file in `folder`, or its own PostgreSQL database."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{folder}/test{suffix}.sqlite"
    url = make_url(normalise_database_url(url))
    if worker_id == "master" and not suffix:
        return url.render_as_string(hide_password=False)
    name = f"{url.database}_{worker_id}{suffix}"
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory, worker_id):
    instance = tmp_path_factory.mktemp("instance")
    return migrated_app(instance, database_url(instance, worker_id))


@pytest.fixture(scope="session")
def committing_app(tmp_path_factory, worker_id):
    """For tests that commit for real: a database of their own, so the rows they leave
    behind (filings whose files lived in that test's folder) never reach the others."""
    instance = tmp_path_factory.mktemp("committing")
    return migrated_app(instance, database_url(instance, worker_id, "_commits"))


def migrated_app(instance, url: str):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
            "STORAGE_PATH": str(instance / "storage"),
            "SEAL_DEMO_PATH": str(instance / "seal"),
            "WTF_CSRF_ENABLED": False,
            # Cheap hashing: the suite creates hundreds of users.
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
    return app


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()
