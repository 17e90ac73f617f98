"""Login throttling: repeated failures lock a key (an e-mail, an address) for a while.

Keys are counted whether or not the e-mail belongs to anyone, so a lockout
tells an attacker nothing about which accounts exist.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from service.audit import chain
from service.errors import OperationError
from service.extensions import db
from service.models import LoginThrottle
from service.models.types import as_utc, utcnow
from workflows.lifecycle import Actor


class LoginThrottled(OperationError):
    status = 429
    title = "Too many attempts"


def keys_for(email: str, address: str | None) -> list[tuple[str, int]]:
    """Each key with the number of failures that locks it."""
    config = current_app.config
    keys = [(f"account:{email.strip().lower()}", config["LOGIN_MAX_FAILURES"])]
    if address:
        keys.append((f"address:{address}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return keys


def locked_until(keys: list[tuple[str, int]]) -> datetime | None:
    now = utcnow()
    rows = db.session.execute(
        select(LoginThrottle.locked_until).where(LoginThrottle.key.in_([k for k, _ in keys]))
    ).scalars()
    ends = [as_utc(end) for end in rows if end is not None and as_utc(end) > now]
    return max(ends) if ends else None


def record_failure(keys: list[tuple[str, int]], address: str | None) -> None:
    config = current_app.config
    now = utcnow()
    for key, limit in keys:
        row = _row(key)
        if (
            row.first_failure_at is None
            or as_utc(row.first_failure_at) + config["LOGIN_FAILURE_WINDOW"] < now
        ):
            row.failures, row.first_failure_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + config["LOGIN_LOCKOUT"]
            row.failures, row.first_failure_at = 0, None
            chain.append(
                db.session,
                actor=Actor(None, "anonymous", None, f"login from {address or 'unknown address'}"),
                action="login_locked",
                detail={
                    "key": key,
                    "locked_minutes": config["LOGIN_LOCKOUT"] // timedelta(minutes=1),
                },
            )
    db.session.commit()


def clear(email: str) -> None:
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.key == f"account:{email.strip().lower()}")
    )


def _row(key: str) -> LoginThrottle:
    for _ in range(2):
        row = db.session.execute(
            select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
        ).scalar_one_or_none()
        if row is not None:
            return row
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(key=key, failures=0))
        except IntegrityError:
            continue
    raise RuntimeError(f"could not count a login failure for {key}")
