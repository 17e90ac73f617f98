"""Web security: headers, session cookies, login throttling, the password policy."""

import pytest
from sqlalchemy import select

from forms.i18n import use_locale
from service.auth.operations import create_user, password_problems
from service.errors import Invalid
from service.extensions import db
from service.models import AuditEvent
from tests.service.factories import PASSWORD, Cast, organization


@pytest.fixture
def cast(ctx):
    return Cast()


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


def test_the_session_cookie_is_secure_when_configured_for_https(cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    client = app.test_client()
    answer = client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    assert "Secure" in answer.headers["Set-Cookie"]


def test_five_failures_lock_the_account_and_the_lock_is_audited(client, cast):
    for _ in range(5):
        answer = client.post("/login", data={"email": cast.issuer.email, "password": "wrong"})
        assert answer.status_code == 401
    # Even the right password is refused while locked.
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
    assert [e.detail["key"] for e in locks] == [f"account:{cast.issuer.email}"]


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
