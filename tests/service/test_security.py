"""Web security: headers, session cookies and their timeout, CSRF on every form, login
throttling (behind the reverse proxy too), the password policy."""

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from flask import url_for
from itsdangerous import TimestampSigner
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from service import create_app
from service.auth.operations import create_user, password_problems
from service.errors import Invalid
from service.extensions import db
from service.models import AuditEvent
from service.security import trust_proxies
from tests.service.factories import PASSWORD, organization
from tests.service.test_authorization_matrix import (
    ROLES,
    SIGN_OUT_RULES,
    build_world,
    call,
    expected,
    forget_the_last_user,
    routes,
    sign_in,
)
from workflows.bilingual import use_locale


def test_every_page_carries_the_security_headers(client):
    for path in ("/", "/register", "/login", "/api/v1/register", "/api/v1/openapi.json"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in headers


def test_hsts_is_sent_over_https(client):
    headers = client.get("/register", base_url="https://registry.example").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_session_cookie_is_httponly_samesite_and_expires_when_idle(client, cast, app):
    answer = client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 30 * 60


def test_an_idle_session_is_refused_after_its_lifetime_and_the_user_is_sent_to_sign_in(
    client, cast, monkeypatch
):
    """The server ends the session, not the browser: the cookie is still sent, intact, but
    its signature's timestamp is older than PERMANENT_SESSION_LIFETIME. Each request renews
    it, so the limit is on idle time, not on the length of a working day."""
    clock = {"now": time.time()}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(clock["now"]))
    client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    assert client.get("/applications").status_code == 200
    for _ in range(2):  # 58 minutes signed in, never 30 of them idle
        clock["now"] += 29 * 60
        assert client.get("/applications").status_code == 200
    clock["now"] += 30 * 60 + 1
    answer = client.get("/applications")
    assert answer.status_code == 302
    location = urlparse(answer.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/applications"]
    # Signing in again works, from the same browser.
    client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    assert client.get("/applications").status_code == 200


def test_the_session_cookie_is_secure_when_configured_for_https(cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    client = app.test_client()
    answer = client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    assert "Secure" in answer.headers["Set-Cookie"]


def test_five_failures_from_one_address_lock_the_account_there_and_the_lock_is_audited(
    client, cast
):
    for _ in range(5):
        answer = client.post("/login", data={"email": cast.issuer.email, "password": "wrong"})
        assert answer.status_code == 401
    # Even the right password is refused from that address while locked (the owner at
    # another address is not: test_sign_in_throttle.py).
    answer = client.post(
        "/login",
        data={"email": cast.issuer.email, "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.get_data(as_text=True)
    locks = (
        db.session.execute(select(AuditEvent).where(AuditEvent.action == "login_locked"))
        .scalars()
        .all()
    )
    assert [e.detail["key"] for e in locks] == [f"account:{cast.issuer.email}|address:127.0.0.1"]


def test_an_unknown_email_is_locked_the_same_way_so_accounts_cannot_be_enumerated(client):
    for _ in range(5):
        client.post("/login", data={"email": "ghost@example.test", "password": "wrong"})
    answer = client.post("/login", data={"email": "ghost@example.test", "password": "wrong"})
    assert answer.status_code == 429


def test_the_api_token_endpoint_is_throttled_too(client, cast):
    for _ in range(5):
        client.post("/api/v1/auth/token", json={"email": cast.issuer.email, "password": "x"})
    answer = client.post(
        "/api/v1/auth/token", json={"email": cast.issuer.email, "password": PASSWORD}
    )
    assert answer.status_code == 429
    assert answer.content_type == "application/problem+json"


def test_a_success_clears_earlier_failures(client, cast):
    for _ in range(4):
        client.post("/login", data={"email": cast.issuer.email, "password": "wrong"})
    assert (
        client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD}).status_code
        == 302
    )
    client.post("/logout")
    for _ in range(4):
        client.post("/login", data={"email": cast.issuer.email, "password": "wrong"})
    assert (
        client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD}).status_code
        == 302
    )


# Documentation addresses (RFC 5737): two people in one office behind the reverse proxy.
ATTACKER, COLLEAGUE = "203.0.113.7", "198.51.100.23"


def behind_a_proxy(app, monkeypatch, **settings) -> None:
    """The app as deployed behind the reverse proxy of docs/scaling.md, for this test only.
    Every request still comes from the test client's 127.0.0.1: the proxy's address."""
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # the unwrapped app comes back after
    trust_proxies(app)


def locked_keys() -> list[str]:
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "login_locked"))
    return [event.detail["key"] for event in events.scalars()]


def test_behind_the_proxy_each_client_address_is_throttled_on_its_own(app, cast, monkeypatch):
    behind_a_proxy(app, monkeypatch, PROXY_FIX_X_FOR=1)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    attacker, colleague = app.test_client(), app.test_client()
    right = {"email": cast.issuer.email, "password": PASSWORD}

    def sign_in_through_the_proxy(client, forwarded_for: str, form=right) -> int:
        headers = {"X-Forwarded-For": forwarded_for}
        return client.post("/login", data=form, headers=headers).status_code

    for n in range(3):  # a different account each time: only the address adds up
        guess = {"email": f"guess{n}@example.test", "password": "wrong"}
        assert sign_in_through_the_proxy(attacker, ATTACKER, guess) == 401
    assert locked_keys() == [f"address:{ATTACKER}"]
    assert sign_in_through_the_proxy(attacker, ATTACKER) == 429
    # A colleague behind the same proxy is not locked out with the attacker.
    assert sign_in_through_the_proxy(colleague, COLLEAGUE) == 302
    # Naming the colleague's address in its own header does not help the attacker: the
    # proxy appends the address it saw, and only that last entry is trusted.
    assert sign_in_through_the_proxy(attacker, f"{COLLEAGUE}, {ATTACKER}") == 429


def test_without_a_trusted_proxy_a_forged_x_forwarded_for_escapes_no_throttle(
    app, client, cast, monkeypatch
):
    assert app.config["PROXY_FIX_X_FOR"] == 0  # the default
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    for n in range(3):  # each guess claims another address; all come from 127.0.0.1
        client.post(
            "/login",
            data={"email": f"guess{n}@example.test", "password": "wrong"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
    assert locked_keys() == ["address:127.0.0.1"]
    answer = client.post(
        "/login",
        data={"email": cast.issuer.email, "password": PASSWORD},
        headers={"X-Forwarded-For": COLLEAGUE},
    )
    assert answer.status_code == 429


def test_behind_a_tls_proxy_hsts_is_sent_only_when_its_scheme_is_trusted(app, client, monkeypatch):
    over_tls = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in client.get("/register", headers=over_tls).headers
    behind_a_proxy(app, monkeypatch, PROXY_FIX_X_PROTO=1)
    headers = app.test_client().get("/register", headers=over_tls).headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_trusted_proxies_and_the_body_limit_are_read_from_the_environment(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    minimal = {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    built = create_app(minimal)
    assert not isinstance(built.wsgi_app, ProxyFix)
    assert built.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024 + 1024 * 1024
    monkeypatch.setenv("PROXY_FIX_X_FOR", "2")
    monkeypatch.setenv("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))
    built = create_app(minimal)
    assert isinstance(built.wsgi_app, ProxyFix)
    assert (built.wsgi_app.x_for, built.wsgi_app.x_proto) == (2, 0)
    assert built.config["MAX_CONTENT_LENGTH"] == 6 * 1024 * 1024


def forms(app) -> list[tuple[str, str]]:
    """Every state-changing route outside the API (which takes bearer tokens, never
    cookies, and is exempt), read from the URL map: a new form is in without a word here."""
    api = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    return [(e, m) for e, m in routes(app) if m != "GET" and e not in api]


def everything(app) -> dict:
    """Every row of every table and every stored file: what a refused form must leave."""
    root = Path(app.config["STORAGE_PATH"])
    return {
        "rows": {
            table.name: sorted(map(repr, db.session.execute(table.select())))
            for table in db.metadata.sorted_tables
        },
        "files": sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else [],
    }


def test_every_form_refuses_a_post_without_the_csrf_token_and_changes_nothing(
    app, ctx, monkeypatch
):
    world = build_world()
    clients = {"anonymous": app.test_client()}
    for role, user in world.users.items():
        clients[role] = app.test_client()
        sign_in(clients[role], user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    posts = forms(app)
    assert {("auth.login", "POST"), ("sections.upload", "POST"), ("review.claim", "POST")} <= set(
        posts
    )
    before = everything(app)
    accepted = []
    for endpoint, method in posts:
        # As a role the permission policy lets through: without the check, the request
        # would reach the view and, with the matrix's bodies, often change the case.
        role = next(r for r in ROLES if expected(world, endpoint, method, r) == "allowed")
        if (endpoint, method) in SIGN_OUT_RULES:  # on the role's own session, not a new one
            forget_the_last_user()
            with app.test_request_context():
                answer = clients[role].post(url_for(endpoint))
        else:
            _outcome, answer = call(app, clients[role], world, endpoint, method, role, None)
        if answer.status_code != 400 or "양식은 만료되었거나" not in answer.get_data(True):
            accepted.append(f"{method} {answer.request.path} as {role}: {answer.status_code}")
    assert accepted == []
    assert everything(app) == before
    forget_the_last_user()
    assert clients["issuer"].get("/applications").status_code == 200  # still signed in
    # The comparison sees a change: the same note, with the check off, is kept.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    call(app, clients["reviewer"], world, "review.add_note", "POST", "reviewer", None)
    assert everything(app) != before


def test_a_refused_form_says_what_to_do_in_the_request_language(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = app.test_client()
    client.set_cookie("lang", "en")
    answer = client.post("/login", data={"email": "someone@bank.example", "password": "x"})
    assert answer.status_code == 400
    page = answer.get_data(True)
    assert "The request could not be read" in page
    assert "This form has expired or did not come from this site, so nothing was saved." in page


@pytest.mark.parametrize(
    "password,problem",
    [
        ("short1!", "at least 8 characters"),
        ("onlyletterslong", "Mix letters"),
        ("1234567890", "Mix letters"),
        ("p@ssw0rd", "not common"),
        ("kim.hana2026!", "not your e-mail"),
    ],
)
def test_the_password_policy_names_what_is_wrong(password, problem):
    with use_locale("en"):
        problems = password_problems(password, "kim.hana@bank.example")
    assert any(problem in p.en for p in problems)


def test_a_good_password_passes_and_a_weak_one_cannot_be_set(ctx):
    assert password_problems("harbour-lantern-47", "kim.hana@bank.example") == []
    with pytest.raises(Invalid):
        create_user("weak@bank.example", "password1", "issuer", organization(), "Weak")
