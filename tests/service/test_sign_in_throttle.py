"""Password guessing locks the guesser's address out of the account, not the owner: the
account as a whole is only slowed, by a delay that doubles per failure; the administrator
sees every lock and delay in force and can lift one."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.auth import throttle
from service.extensions import db
from service.models import AuditEvent
from service.models.types import utcnow
from tests.service.factories import PASSWORD, user

# Documentation addresses (RFC 5737).
GUESSER, OWNER = "203.0.113.7", "198.51.100.23"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand."""
    moment = {"now": utcnow()}
    monkeypatch.setattr(throttle, "utcnow", lambda: moment["now"])

    def advance(**delta):
        moment["now"] += timedelta(**delta)

    return advance


@pytest.fixture
def issuer(ctx):
    return user("issuer")


def sign_in(app, email, password, address, path="/login"):
    client = app.test_client()
    environ = {"REMOTE_ADDR": address}
    headers = {"Accept-Language": "en"}
    if path == "/login":
        form = {"email": email, "password": password}
        return client.post(path, data=form, environ_base=environ, headers=headers)
    body = {"email": email, "password": password}
    return client.post(path, json=body, environ_base=environ, headers=headers)


def audited(action: str) -> list[str]:
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == action))
    return [event.detail["key"] for event in events.scalars()]


@pytest.mark.parametrize("path", ["/login", "/api/v1/auth/token"])
def test_locking_the_account_from_one_address_does_not_lock_out_the_owner_at_another(
    app, issuer, clock, path
):
    for _ in range(5):
        assert sign_in(app, issuer.email, "guess", GUESSER, path).status_code == 401
    # The guesser's address is locked out of the account, even with the right password.
    assert sign_in(app, issuer.email, PASSWORD, GUESSER, path).status_code == 429
    assert audited("login_locked") == [f"account:{issuer.email}|address:{GUESSER}"]
    # The owner, elsewhere, waits the account's first delay (2 seconds), then signs in.
    waiting = sign_in(app, issuer.email, PASSWORD, OWNER, path)
    assert waiting.status_code == 429
    assert waiting.headers["Retry-After"] == "2"
    assert "Try again in 2 seconds" in waiting.get_data(True)
    clock(seconds=2)
    assert sign_in(app, issuer.email, PASSWORD, OWNER, path).status_code in (201, 302)
    # The owner's success leaves the guesser locked out.
    assert sign_in(app, issuer.email, PASSWORD, GUESSER, path).status_code == 429
    clock(minutes=15)
    assert sign_in(app, issuer.email, PASSWORD, GUESSER, path).status_code in (201, 302)


def test_guessing_from_many_addresses_meets_a_delay_that_doubles_per_failure(app, issuer, clock):
    """A botnet spreads its guesses over addresses: no address reaches its own limit, but
    the account's delay grows, 2, 4, 8, ... seconds, and a guess inside it is refused
    unchecked (the right password too)."""
    addresses = (f"192.0.2.{n}" for n in range(1, 100))
    for _ in range(5):
        assert sign_in(app, issuer.email, "guess", next(addresses), "/login").status_code == 401
    waits = []
    for _ in range(5):
        refused = sign_in(app, issuer.email, PASSWORD, next(addresses), "/login")
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock(seconds=waits[-1])
        assert sign_in(app, issuer.email, "guess", next(addresses), "/login").status_code == 401
    assert waits == [2, 4, 8, 16, 32]
    # Refused guesses did not lengthen the wait: the owner signs in once it is over.
    for _ in range(3):
        assert sign_in(app, issuer.email, "guess", next(addresses), "/login").status_code == 429
    clock(seconds=64)
    assert sign_in(app, issuer.email, PASSWORD, OWNER, "/login").status_code == 302
    assert audited("login_locked") == []
    assert len(audited("login_delayed")) == 6  # once per delay set


def test_the_delay_stops_growing_at_its_maximum(app, issuer, clock, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_DELAY_MAX", timedelta(seconds=10))
    addresses = (f"192.0.2.{n}" for n in range(1, 100))
    answers, waits = [], []
    while len(waits) < 5:  # guess, and when refused wait exactly as long as told
        answer = sign_in(app, issuer.email, "guess", next(addresses), "/login")
        answers.append(answer.status_code)
        if answer.status_code == 429:
            waits.append(int(answer.headers["Retry-After"]))
            clock(seconds=waits[-1])
    assert waits == [2, 4, 8, 10, 10]
    assert answers == [401] * 5 + [429, 401] * 4 + [429]


def test_a_success_takes_back_its_count_at_the_address(app, clock, ctx, monkeypatch):
    """An office behind one address signs in all day: only failures add up there."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    colleagues = [user("reviewer") for _ in range(4)]
    for colleague in colleagues:
        assert sign_in(app, colleague.email, PASSWORD, OWNER, "/login").status_code == 302
    for colleague in colleagues[:2]:
        assert sign_in(app, colleague.email, "typo", OWNER, "/login").status_code == 401
    assert sign_in(app, colleagues[3].email, PASSWORD, OWNER, "/login").status_code == 302
    assert sign_in(app, "someone@else.example", "guess", OWNER, "/login").status_code == 401
    assert sign_in(app, colleagues[3].email, PASSWORD, OWNER, "/login").status_code == 429
    assert audited("login_locked") == [f"address:{OWNER}"]


def test_the_administrator_sees_the_locks_in_force_and_lifts_one(app, issuer, clock):
    for _ in range(5):
        sign_in(app, issuer.email, "guess", GUESSER, "/login")
    admin_user = user("admin")
    admin = app.test_client()
    admin.post("/login", data={"email": admin_user.email, "password": PASSWORD})
    for language, kind in (("en", "Locked from this address"), ("ko", "이 주소에서 잠김")):
        page = admin.get("/admin/sign-ins", headers={"Accept-Language": language})
        assert page.status_code == 200
        text = page.get_data(True)
        assert kind in text and issuer.email in text and GUESSER in text
    # Only the administrator sees the page or lifts a lock.
    reviewer = app.test_client()
    reviewer.post("/login", data={"email": user("reviewer").email, "password": PASSWORD})
    assert reviewer.get("/admin/sign-ins").status_code == 403
    lock = next(row for row in throttle.locks_in_force() if row.key.endswith(f"address:{GUESSER}"))
    lock_id, lock_key = lock.id, lock.key
    assert reviewer.post(f"/admin/sign-ins/locks/{lock_id}/release").status_code == 403
    assert sign_in(app, issuer.email, PASSWORD, GUESSER, "/login").status_code == 429

    assert admin.post(f"/admin/sign-ins/locks/{lock_id}/release").status_code == 302
    clock(seconds=2)  # the account's own delay still runs its course
    assert sign_in(app, issuer.email, PASSWORD, GUESSER, "/login").status_code == 302
    assert audited("login_lock_released") == [lock_key]
    # Lifting a lock that is gone is no error.
    assert admin.post(f"/admin/sign-ins/locks/{lock_id}/release").status_code == 302
    assert admin.post("/admin/sign-ins/locks/999999/release").status_code == 302


def test_an_address_longer_than_its_column_and_a_huge_email_are_throttled_not_crashed(app, ctx):
    email = "x" * 5000 + "@example.test"
    for _ in range(5):
        assert sign_in(app, email, "guess", "2001:db8::" + "f" * 200, "/login").status_code == 401
    assert sign_in(app, email, "guess", "2001:db8::" + "f" * 200, "/login").status_code == 429
