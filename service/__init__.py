"""Issuer Registry: the Flask service."""

import json
import os
import secrets
from pathlib import Path

from flask import Flask, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import refresh
from werkzeug.routing import IntegerConverter

from service import config, transactions  # noqa: F401  (how transactions begin)
from service.extensions import babel, csrf, db, login_manager, migrate
from service.json_bodies import refuse_unreadable_json
from workflows.bilingual import both_languages, set_locale

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _BilingualJSON(DefaultJSONProvider):
    def dumps(self, obj, **kwargs):
        return super().dumps(both_languages(obj), **kwargs)


def _stored_json(value) -> str:
    return json.dumps(both_languages(value))


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: defaults, then `instance/config.py`, then the environment, then overrides."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config.from_environment())
    app.config.from_mapping(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _defaults_from_instance(app)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = (
            app.config["MAX_UPLOAD_BYTES"] + app.config["UPLOAD_FORM_MARGIN"]
        )

    # JSON is written with each BiText in both languages: in responses as in stored columns.
    app.json = _BilingualJSON(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "json_serializer": _stored_json,
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    }

    from service import models  # noqa: F401  (registers the tables)

    # First of the request hooks, so the CSRF check's refusal is in the request's language.
    app.before_request(_use_request_locale)
    app.before_request(refuse_unreadable_json)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Asia/Seoul")

    # Ids in URLs stay within the INTEGER columns of both engines: larger ones are a 404.
    app.url_map.converters["int"] = DatabaseId

    # The wiring imports every part, and the parts import this package (MAX_DATABASE_ID,
    # the worker's create_app): loaded when an app is built (docs/design.md, "Layers and
    # contracts").
    from service.register_blueprints import register_all

    register_all(app)
    return app


def warm_up() -> None:
    """Before a serving process takes its first request: the holiday calendars of this
    year and the next (a deadline set in December runs into January), which every step
    that reads a clock needs. Without it, a gunicorn worker's first step took about 0.2 s
    of CPU more than the next ones (docs/performance.md)."""
    from service.timezone import korea_today
    from workflows import clock

    year = korea_today().year
    clock.load_calendars(year, year + 1)


MAX_DATABASE_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_DATABASE_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _defaults_from_instance(app: Flask) -> None:
    """SQLite in the instance folder and a secret key kept there, when none is configured."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        database = Path(app.instance_path) / "registry.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    if not app.config.get("SECRET_KEY"):
        key_file = Path(app.instance_path) / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    app.config.setdefault("STORAGE_PATH", str(Path(app.instance_path) / "storage"))


def _use_request_locale() -> None:
    # Flask-Babel caches the locale, and Flask-Login the user, on the app context, which a
    # test or a CLI command may share between requests: forget both, so each request is
    # judged by its own cookie or token alone.
    g.pop("_login_user", None)
    refresh()
    set_locale(str(_select_locale()))


def _select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
