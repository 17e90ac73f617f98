"""Logging in and API tokens."""

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from forms.i18n import t
from service.audit import chain
from service.auth import throttle
from service.auth.passwords import check_password, hash_password
from service.canonical import sha256_hex
from service.errors import Invalid
from service.extensions import db
from service.models import ApiToken, Organization, User
from service.models.types import as_utc, utcnow
from workflows.lifecycle import ROLES, Actor

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

    Repeated failures lock the e-mail (and the address) for a while: LoginThrottled.
    """
    keys = throttle.keys_for(email, address)
    until = throttle.locked_until(keys)
    if until is not None:
        minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
        raise throttle.LoginThrottled(
            t(
                "Too many failed sign-ins. Try again in {minutes} minutes.",
                "로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 시도하십시오.",
                minutes=minutes,
            ),
            code="login_locked",
        )
    user = db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    if not check_password(user.password_hash if user else None, password) or not user.active:
        throttle.record_failure(keys, address)
        return None
    throttle.clear(email)
    return user


def record_login(user: User, channel: str) -> None:
    chain.append(
        db.session,
        actor=Actor(user.id, user.role, user.organization_id, user.email),
        action="login",
        detail={"channel": channel},
    )
    db.session.commit()


def issue_token(user: User) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    lifetime: timedelta = current_app.config["API_TOKEN_LIFETIME"]
    token = ApiToken(user_id=user.id, token_sha256=sha256_hex(raw), expires_at=utcnow() + lifetime)
    db.session.add(token)
    db.session.commit()
    return raw, token


def user_for_token(raw: str) -> User | None:
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_sha256 == sha256_hex(raw))
    ).scalar_one_or_none()
    if token is None or as_utc(token.expires_at) <= utcnow() or not token.user.active:
        return None
    return token.user


def create_user(email: str, password: str, role: str, organization: Organization, name: str):
    if role not in ROLES:
        raise Invalid("Unknown role.", errors={"role": [f"One of {list(ROLES)}."]})
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
        organization=organization,
    )
    db.session.add(user)
    return user
