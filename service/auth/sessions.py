"""Sign-in sessions recorded on the server.

The signed cookie carries a random session key beside Flask-Login's user id; the
`user_session` row named by the key's SHA-256 decides whether it still signs anyone in.
A copy of the cookie is worth nothing once the row is ended (sign-out, sign-out
everywhere, a password change, an administrator) or SESSION_ABSOLUTE_LIFETIME after
sign-in, however often it was renewed. Idle time is bounded by the cookie's signed
timestamp (PERMANENT_SESSION_LIFETIME), which Flask checks on every request.
"""

import secrets

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import func, select, update

from service.canonical import sha256_hex
from service.extensions import db
from service.models import ApiToken, User, UserSession
from service.models.types import utcnow
from service.unit_of_work import unit_of_work

SESSION_KEY = "session_key"
# Why a session ended, as stored in user_session.end_reason.
SIGNED_OUT = "signed_out"
SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
PASSWORD_CHANGED = "password_changed"
ENDED_BY_ADMIN = "ended_by_admin"


def begin(user: User) -> None:
    """Sign the browser in with a session of its own (a fresh cookie: nothing of a session
    from before sign-in carries over)."""
    raw = record(user.id)
    session.clear()
    session.permanent = True  # idle timeout: PERMANENT_SESSION_LIFETIME
    session[SESSION_KEY] = raw
    login_user(user)


def record(user_id: int) -> str:
    """A new session row for the user (the caller commits); the key its cookie carries."""
    raw = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user_id, token_sha256=sha256_hex(raw), created_at=utcnow()))
    return raw


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of the cookie's session while it lasts."""
    record = current()
    if record is None or str(record.user_id) != user_id:
        return None
    return record.user


def current() -> UserSession | None:
    """The request's session row, if it is open and within its absolute lifetime."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return None
    record = db.session.execute(
        select(UserSession).where(UserSession.token_sha256 == sha256_hex(raw))
    ).scalar_one_or_none()
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if record is None or record.ended_at is not None or record.created_at + lifetime <= utcnow():
        return None
    return record


def end_this(reason: str = SIGNED_OUT) -> None:
    """End the browser's own session, then forget it."""
    with unit_of_work(None):
        record = current()
        if record is not None:
            record.ended_at, record.end_reason = utcnow(), reason
    logout_user()
    session.clear()


def end_all(user_id: int, reason: str) -> int:
    """End every open session of the user and revoke every token; how many sessions ended.
    The caller commits (with its audit event)."""
    now = utcnow()
    ended = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    ).rowcount
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return ended


def open_session_counts(user_ids: list[int]) -> dict[int, int]:
    """How many sessions of each user are open and within their lifetime."""
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    rows = db.session.execute(
        select(UserSession.user_id, func.count())
        .where(
            UserSession.user_id.in_(user_ids),
            UserSession.ended_at.is_(None),
            UserSession.created_at > utcnow() - lifetime,
        )
        .group_by(UserSession.user_id)
    )
    return {user_id: count for user_id, count in rows}


def live_token_counts(user_ids: list[int]) -> dict[int, int]:
    """How many API tokens of each user are neither expired nor revoked."""
    rows = db.session.execute(
        select(ApiToken.user_id, func.count())
        .where(
            ApiToken.user_id.in_(user_ids),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
        .group_by(ApiToken.user_id)
    )
    return {user_id: count for user_id, count in rows}
