"""Logging in and API tokens."""

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, lazyload

from service import policy
from service.auth import sessions, throttle
from service.auth.passwords import check_password, hash_password
from service.canonical import sha256_hex
from service.errors import Invalid, NotFound
from service.extensions import db
from service.models import ApiToken, Organization, User
from service.models.types import utcnow
from service.unit_of_work import actor_for, unit_of_work
from workflows.bilingual import t
from workflows.lifecycle import DUTIES, OFFICER, ROLES

# NIST SP 800-63B: at least 8 characters, checked against commonly used passwords.
MIN_PASSWORD_LENGTH = 8
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password1!",
        "12345678",
        "123456789",
        "1234567890",
        "qwerty123",
        "qwertyuiop",
        "iloveyou1",
        "admin1234",
        "welcome1",
        "letmein1",
        "passw0rd",
        "p@ssw0rd",
        "1q2w3e4r",
        "1q2w3e4r!",
        "abcd1234",
        "asdf1234",
    }
)


def password_problems(password: str, email: str) -> list:
    """Why a new password is not acceptable; empty when it is."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            t("Use at least {n} characters.", "{n}자 이상이어야 합니다.", n=MIN_PASSWORD_LENGTH)
        )
    if password.isalpha() or password.isdigit():
        problems.append(
            t("Mix letters with digits or symbols.", "문자와 숫자 또는 기호를 섞어 쓰십시오.")
        )
    local = email.split("@", 1)[0].lower()
    if password.lower() in COMMON_PASSWORDS or (len(local) >= 3 and local in password.lower()):
        problems.append(
            t(
                "Choose a password that is not common and not your e-mail.",
                "흔한 비밀번호나 이메일 주소가 들어간 비밀번호는 쓸 수 없습니다.",
            )
        )
    return problems


def authenticate(email: str, password: str, address: str | None = None) -> User | None:
    """The active user with these credentials, or None; the same answer for every failure.

    The attempt is counted before the password is checked, and refused unchecked while
    throttled (LoginThrottled; service/auth/throttle.py).
    """
    attempt = throttle.claim(email, address)
    user = db.session.execute(
        select(User).where(func.lower(User.email) == throttle.normal_email(email))
    ).scalar_one_or_none()
    if not check_password(user.password_hash if user else None, password) or not user.active:
        attempt.fail(address)
        return None
    attempt.succeed()
    return user


def record_login(user: User, channel: str) -> None:
    with unit_of_work(user) as work:
        work.audit("login", detail={"channel": channel})


def issue_token(user: User) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    lifetime: timedelta = current_app.config["API_TOKEN_LIFETIME"]
    with unit_of_work(user):
        token = ApiToken(
            user_id=user.id, token_sha256=sha256_hex(raw), expires_at=utcnow() + lifetime
        )
        db.session.add(token)
    return raw, token


# A token that still works: not revoked, not expired, its user active. Held in the query
# (one home for the rule), built once: every API request runs it.
_GOOD_TOKEN = (
    ApiToken.token_sha256 == bindparam("digest"),
    ApiToken.revoked_at.is_(None),
    ApiToken.expires_at > bindparam("now"),
    User.active.is_(True),
)
# The user the rule joins is the one loaded with the token (not joined a second time).
_TOKEN = (
    select(ApiToken).join(ApiToken.user).where(*_GOOD_TOKEN).options(contains_eager(ApiToken.user))
)
# What an API request needs: the user alone, without the organization a user row brings
# (its names are read where they are shown, not on every request).
_TOKEN_USER = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(*_GOOD_TOKEN)
    .options(lazyload(User.organization))
)


def _token_params(raw: str) -> dict:
    return {"digest": sha256_hex(raw), "now": utcnow()}


def _token(raw: str) -> ApiToken | None:
    """The token if it is still good: not expired, not revoked, its user active."""
    return db.session.execute(_TOKEN, _token_params(raw)).scalar_one_or_none()


def user_for_token(raw: str) -> User | None:
    """The user of a token that is still good, in one statement."""
    return db.session.execute(_TOKEN_USER, _token_params(raw)).scalar_one_or_none()


def revoke_token(raw: str) -> None:
    """Revoke the token presented (a good one: the caller checked it)."""
    with unit_of_work(None) as work:
        token = _token(raw)
        if token is None:
            return
        token.revoked_at = utcnow()
        work.audit("token_revoked", actor=actor_for(token.user), detail={})


def sign_out_everywhere(user: User) -> int:
    """The user ends every session of theirs, this browser's too, and revokes every token."""
    return _end_all_sessions(actor_for(user), user, sessions.SIGNED_OUT_EVERYWHERE)


def end_sessions_of(admin: User, user_id: int) -> User:
    """An administrator ends every session and revokes every token of a user."""
    policy.require(admin, "admin.sessions")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(t("No such user.", "그런 사용자가 없습니다."))
    _end_all_sessions(actor_for(admin), user, sessions.ENDED_BY_ADMIN)
    return user


def _end_all_sessions(actor, user: User, reason: str) -> int:
    """End every session and token of `user`, audited as `actor`'s act; how many ended."""
    with unit_of_work(actor) as work:
        ended = sessions.end_all(user.id, reason)
        work.audit(
            "sessions_ended", detail={"user": user.email, "sessions": ended, "reason": reason}
        )
    return ended


def change_password(
    user: User, current_password: str, new_password: str, address: str | None
) -> None:
    """Set a new password after checking the current one (throttled like a sign-in); every
    session and token of the user ends. The caller begins a new session for the browser."""
    problems = password_problems(new_password, user.email)
    if new_password == current_password:
        problems.append(
            t("Choose a password other than the current one.", "지금과 다른 비밀번호를 고르십시오.")
        )
    # The current password first: its guesses are counted even when the new one is weak.
    if authenticate(user.email, current_password, address) is None:
        raise Invalid(
            t("The current password is not correct.", "현재 비밀번호가 맞지 않습니다."),
            errors={"current_password": [t("Not correct.", "맞지 않습니다.")]},
        )
    if problems:
        raise Invalid(
            t("The password is not acceptable.", "사용할 수 없는 비밀번호입니다."),
            errors={"new_password": problems},
        )
    with unit_of_work(user) as work:
        user.password_hash = hash_password(new_password)
        ended = sessions.end_all(user.id, sessions.PASSWORD_CHANGED)
        work.audit("password_changed", detail={"sessions": ended})


def create_user(
    email: str,
    password: str,
    role: str,
    organization: Organization,
    name: str,
    *,
    duty: str | None = None,
    organization_admin: bool = False,
):
    """A user; an issuer's user is an officer unless named a preparer."""
    if role not in ROLES:
        raise Invalid("Unknown role.", errors={"role": [f"One of {list(ROLES)}."]})
    if role == "issuer":
        duty = duty or OFFICER
        if duty not in DUTIES:
            raise Invalid("Unknown duty.", errors={"duty": [f"One of {list(DUTIES)}."]})
    elif duty is not None or organization_admin:
        raise Invalid(
            "Only an issuer's user has a duty or administers an organization.",
            errors={"duty": ["Only for the role issuer."]},
        )
    problems = password_problems(password, email)
    if problems:
        raise Invalid(
            t("The password is not acceptable.", "사용할 수 없는 비밀번호입니다."),
            errors={"password": problems},
        )
    user = User(
        email=email.strip().lower(),
        name=name,
        password_hash=hash_password(password),
        role=role,
        duty=duty,
        organization_admin=organization_admin,
        organization=organization,
    )
    db.session.add(user)
    return user
