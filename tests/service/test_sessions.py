"""Sessions live on the server: a copy of the session cookie, taken by an attacker before
the owner signs out, changes the password or an administrator ends the sessions, opens
nothing afterwards; nor does any session 12 hours after its sign-in. API tokens are
revoked one at a time (DELETE /api/v1/auth/token) or all together with the sessions."""

import time
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from service.auth import sessions
from service.extensions import db
from service.models import ApiToken, AuditEvent, UserSession
from service.models.types import utcnow
from tests.service.factories import PASSWORD, user

NEW_PASSWORD = "lantern-harbour-58"


@pytest.fixture
def reviewer(ctx):
    return user("reviewer")


def signed_in(app, person, password=PASSWORD):
    client = app.test_client()
    answer = client.post("/login", data={"email": person.email, "password": password})
    assert answer.status_code == 302, answer.status_code
    return client


def copy_of_cookie(app, client):
    """What a thief takes: the session cookie's value, replayed from another browser."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def opens_the_queue(client) -> bool:
    answer = client.get("/review")
    if answer.status_code == 302:
        assert urlparse(answer.headers["Location"]).path == "/login"
        return False
    assert answer.status_code == 200, answer.status_code
    return True


def token_for(app, person, password=PASSWORD) -> dict:
    answer = app.test_client().post(
        "/api/v1/auth/token", json={"email": person.email, "password": password}
    )
    assert answer.status_code == 201, answer.data
    return {"Authorization": f"Bearer {answer.json['token']}"}


def api_answers(app, bearer) -> int:
    return app.test_client().get("/api/v1/applications", headers=bearer).status_code


def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(app, reviewer):
    owner = signed_in(app, reviewer)
    taken_at_sign_in = copy_of_cookie(app, owner)
    assert opens_the_queue(owner)
    # Every answer renews the cookie; a copy of a renewed one is just as dead afterwards.
    taken_later = copy_of_cookie(app, owner)
    assert opens_the_queue(taken_later)
    assert owner.post("/logout").status_code == 302
    assert not opens_the_queue(owner)
    assert not opens_the_queue(taken_at_sign_in)
    assert not opens_the_queue(taken_later)
    record = db.session.execute(
        select(UserSession).where(UserSession.user_id == reviewer.id)
    ).scalar_one()
    assert record.end_reason == sessions.SIGNED_OUT


def test_a_forged_cookie_naming_a_user_but_no_recorded_session_opens_nothing(app, reviewer):
    """Flask-Login's own keys, signed with the real secret key (as a leaked old cookie would
    carry them), are not enough: the server must know the session."""
    forger = app.test_client()
    with forger.session_transaction() as cookie:
        cookie["_user_id"] = str(reviewer.id)
        cookie["_fresh"] = True
    assert not opens_the_queue(forger)
    with forger.session_transaction() as cookie:
        cookie[sessions.SESSION_KEY] = "made-up-session-key"
    assert not opens_the_queue(forger)


def test_signing_out_everywhere_ends_every_browser_and_revokes_every_token(app, reviewer):
    office, home = signed_in(app, reviewer), signed_in(app, reviewer)
    stolen = copy_of_cookie(app, home)
    bearer = token_for(app, reviewer)
    assert opens_the_queue(stolen) and api_answers(app, bearer) == 200
    assert office.post("/account/sign-out-everywhere").status_code == 302
    for browser in (office, home, stolen):
        assert not opens_the_queue(browser)
    assert api_answers(app, bearer) == 401
    # Signing in again works.
    assert opens_the_queue(signed_in(app, reviewer))


def test_a_password_change_ends_every_other_copy_and_token_and_keeps_this_browser(app, reviewer):
    owner = signed_in(app, reviewer)
    stolen = copy_of_cookie(app, owner)
    bearer = token_for(app, reviewer)
    # A wrong current password changes nothing: the copy still works (and the guess counts).
    refused = owner.post(
        "/account/password",
        data={
            "current_password": "not the password",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 422
    assert "The current password is not correct." in refused.get_data(True)
    assert opens_the_queue(stolen) and api_answers(app, bearer) == 200

    changed = owner.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert opens_the_queue(owner)  # this browser got a new session
    assert not opens_the_queue(stolen)
    assert not opens_the_queue(copy_of_cookie(app, stolen))
    assert api_answers(app, bearer) == 401
    # The old password is gone, the new one signs in.
    old = app.test_client().post("/login", data={"email": reviewer.email, "password": PASSWORD})
    assert old.status_code == 401
    assert opens_the_queue(signed_in(app, reviewer, NEW_PASSWORD))
    events = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "password_changed")
    ).scalars()
    assert [event.actor_id for event in events] == [reviewer.id]


@pytest.mark.parametrize(
    "form,field,message",
    [
        ({"new_password": "short1!", "confirm_password": "short1!"}, "new_password", "at least 8"),
        (
            {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"},
            "confirm_password",
            "not the same",
        ),
        ({"new_password": PASSWORD, "confirm_password": PASSWORD}, "new_password", "other than"),
    ],
)
def test_a_refused_new_password_says_why_and_ends_nothing(app, reviewer, form, field, message):
    owner = signed_in(app, reviewer)
    stolen = copy_of_cookie(app, owner)
    answer = owner.post(
        "/account/password",
        data={"current_password": PASSWORD, **form},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 422
    page = answer.get_data(True)
    assert message in page and f'id="field-{field}-error"' in page
    assert opens_the_queue(owner) and opens_the_queue(stolen)


def test_an_administrator_ends_every_session_and_token_of_a_user(app, reviewer):
    victim = signed_in(app, reviewer)
    stolen = copy_of_cookie(app, victim)
    bearer = token_for(app, reviewer)
    admin = signed_in(app, user("admin"))
    page = admin.get("/admin/sign-ins", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and reviewer.email in page.get_data(True)
    # Anyone else is refused, and ends nothing.
    other = signed_in(app, user("supervisor"))
    assert other.post(f"/admin/users/{reviewer.id}/end-sessions").status_code == 403
    assert opens_the_queue(stolen)

    assert admin.post(f"/admin/users/{reviewer.id}/end-sessions").status_code == 302
    assert not opens_the_queue(victim) and not opens_the_queue(stolen)
    assert api_answers(app, bearer) == 401
    assert opens_the_queue(admin)  # the administrator's own session goes on
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "sessions_ended")
    ).scalar_one()
    assert event.detail == {"user": reviewer.email, "sessions": 1, "reason": "ended_by_admin"}


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(app, reviewer, monkeypatch):
    """The clock moved for the cookie's signature and for the server's record alike: a
    request every 29 minutes keeps the cookie fresh, and still the session ends."""
    start = utcnow()
    clock = {"now": time.time()}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(clock["now"]))
    monkeypatch.setattr(
        sessions, "utcnow", lambda: start + timedelta(seconds=clock["now"] - start.timestamp())
    )
    owner = signed_in(app, reviewer)
    stolen = copy_of_cookie(app, owner)
    worked = timedelta()
    while worked + timedelta(minutes=29) < timedelta(hours=12):
        clock["now"] += 29 * 60
        worked += timedelta(minutes=29)
        assert opens_the_queue(owner), worked
        assert opens_the_queue(stolen), worked  # the thief keeps the copy fresh too
    clock["now"] = start.timestamp() + 12 * 3600 + 1
    assert not opens_the_queue(owner)
    assert not opens_the_queue(stolen)
    assert opens_the_queue(signed_in(app, reviewer))  # a new sign-in gets 12 hours again


def test_a_revoked_token_gets_401_and_the_users_other_tokens_go_on(app, reviewer):
    first, second = token_for(app, reviewer), token_for(app, reviewer)
    client = app.test_client()
    assert client.delete("/api/v1/auth/token", headers=first).status_code == 204
    assert api_answers(app, first) == 401
    assert client.get("/api/v1/filings", headers=first).status_code == 401
    # Revoking again, or with no token or a made-up one, is a 401 problem, not a 500.
    for headers in (
        first,
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic x"},
    ):
        answer = client.delete("/api/v1/auth/token", headers=headers)
        assert answer.status_code == 401
        assert answer.content_type == "application/problem+json"
    assert api_answers(app, second) == 200
    # The scheme's case does not matter (RFC 9110): "bearer" revokes the same way.
    lower = {"Authorization": second["Authorization"].replace("Bearer", "bearer")}
    assert client.delete("/api/v1/auth/token", headers=lower).status_code == 204
    assert api_answers(app, second) == 401


def test_a_token_past_its_expiry_gets_401_to_the_second(app, reviewer):
    """The token's lifetime is checked by the database in the read that finds the token
    (on SQLite the stored text is compared): one second past it is too late, for any
    request and for revoking it."""
    late, fresh = token_for(app, reviewer), token_for(app, reviewer)
    tokens = db.session.execute(select(ApiToken).order_by(ApiToken.id)).scalars().all()
    tokens[-2].expires_at = utcnow() - timedelta(seconds=1)
    tokens[-1].expires_at = utcnow() + timedelta(seconds=60)
    db.session.commit()
    assert api_answers(app, late) == 401
    assert app.test_client().delete("/api/v1/auth/token", headers=late).status_code == 401
    assert api_answers(app, fresh) == 200


def test_the_openapi_document_describes_revoking_a_token(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/auth/token"]["delete"]
    assert {"204", "401"} <= set(operation["responses"])
    assert "security" not in operation  # the document's default: the bearer token
