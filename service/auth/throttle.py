"""Sign-in throttling, counted per key in `login_throttle`:

- an account from one address: LOGIN_MAX_FAILURES failures lock that pair for
  LOGIN_LOCKOUT. The guesser is shut out; the owner, elsewhere, is not.
- an address, whatever the account: LOGIN_MAX_FAILURES_PER_ADDRESS failures lock it
  (one client spraying many accounts).
- an account, from every address: after LOGIN_DELAY_AFTER failures each further attempt
  waits a delay that doubles per failure, from LOGIN_DELAY_FIRST up to LOGIN_DELAY_MAX.
  Guessing from many addresses slows to a crawl, yet the owner can still sign in.

An attempt is counted before its password is checked, in one transaction whose upserts
lock the rows (PostgreSQL) or the database (SQLite): of many parallel guesses exactly the
limit get their password checked, the rest are refused unchecked, and exactly one request
sets each lock and writes its audit event. A success takes its count back and clears the
account's own keys. A count starts again after LOGIN_FAILURE_WINDOW without a failure.

Keys are counted whether or not the e-mail belongs to anyone, so a lockout tells an
attacker nothing about which accounts exist.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from service.audit import chain
from service.errors import OperationError
from service.extensions import db
from service.models import LoginThrottle
from service.models.types import utcnow
from service.unit_of_work import unit_of_work
from workflows.bilingual import t
from workflows.lifecycle import Actor

# The longest e-mail an account can have, and the longest address kept (the columns'
# lengths; the key column holds both): longer input is cut, and is no account anyway.
EMAIL_LENGTH = 254
ADDRESS_LENGTH = 100


class LoginThrottled(OperationError):
    status = 429
    title = "Too many attempts"


@dataclass(frozen=True)
class Key:
    name: str
    email: str | None
    address: str | None
    limit: int
    kind: str  # "lock": locked for LOGIN_LOCKOUT at the limit; "delay": growing delays after it

    @property
    def of_the_account(self) -> bool:
        """Cleared by the account's successful sign-in."""
        return self.email is not None


@dataclass
class Claim:
    """An attempt admitted and counted; what it set, so a failure can report it."""

    keys: list
    set_by_this: dict  # key name -> the locked_until this attempt set

    def fail(self, address: str | None) -> None:
        """The password was wrong: the count stays; the locks this attempt set are audited."""
        if not self.set_by_this:
            return
        for key in self.keys:
            until = self.set_by_this.get(key.name)
            if until is None:
                continue
            chain.append(
                db.session,
                actor=Actor(None, "anonymous", None, f"login from {address or 'unknown address'}"),
                action="login_locked" if key.kind == "lock" else "login_delayed",
                detail={
                    "key": key.name,
                    "seconds": round((until - utcnow()).total_seconds()),
                },
            )
        db.session.commit()

    def succeed(self) -> None:
        """The password was right: this attempt is taken back, and the account's own keys
        (its count from every address, its count from this one) are cleared."""
        names = [key.name for key in self.keys if key.of_the_account]
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(names)))
        for key in self.keys:
            if key.of_the_account:
                continue
            unlock = key.name in self.set_by_this
            db.session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key.name)
                .values(
                    failures=case(
                        (LoginThrottle.failures > 0, LoginThrottle.failures - 1), else_=0
                    ),
                    locked_until=None if unlock else LoginThrottle.locked_until,
                )
            )
        db.session.commit()


def normal_email(email: str) -> str:
    return email.strip().lower()[:EMAIL_LENGTH]


def keys_for(email: str, address: str | None) -> list[Key]:
    """The keys an attempt counts against, in a fixed order (so row locks never deadlock)."""
    config = current_app.config
    email = normal_email(email)
    address = (address or "unknown")[:ADDRESS_LENGTH]
    return [
        Key(
            f"account:{email}|address:{address}",
            email,
            address,
            config["LOGIN_MAX_FAILURES"],
            "lock",
        ),
        Key(f"address:{address}", None, address, config["LOGIN_MAX_FAILURES_PER_ADDRESS"], "lock"),
        Key(f"account:{email}", email, None, config["LOGIN_DELAY_AFTER"], "delay"),
    ]


def delay(failures_past_the_limit: int) -> timedelta:
    config = current_app.config
    first, longest = config["LOGIN_DELAY_FIRST"], config["LOGIN_DELAY_MAX"]
    # Doubling past 2**20 is already longer than any sensible maximum.
    return min(first * 2 ** min(failures_past_the_limit - 1, 20), longest)


def claim(email: str, address: str | None) -> Claim:
    """Count an attempt against every key, or refuse it (LoginThrottled) and count nothing."""
    keys = keys_for(email, address)
    now = utcnow()
    set_by_this = {}
    try:
        for key in keys:
            failures = _count(key, now)
            if failures is None:  # the key is locked or waiting: the attempt is refused
                raise _refusal(_locked_until(keys, now), now)
            if failures >= key.limit:
                lockout = current_app.config["LOGIN_LOCKOUT"]
                until = now + (lockout if key.kind == "lock" else delay(failures - key.limit + 1))
                db.session.execute(
                    update(LoginThrottle)
                    .where(LoginThrottle.key == key.name)
                    .values(locked_until=until)
                )
                set_by_this[key.name] = until
    except BaseException:
        db.session.rollback()  # a refused attempt counts against no key
        raise
    db.session.commit()
    return Claim(keys, set_by_this)


def _count(key: Key, now: datetime) -> int | None:
    """One statement: insert the key's row or add this attempt to it, unless it is locked.
    The row stays locked (on SQLite the database) until the transaction ends."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = LoginThrottle.__table__
    quiet_since = now - current_app.config["LOGIN_FAILURE_WINDOW"]
    statement = insert(table).values(
        key=key.name, email=key.email, address=key.address, failures=1, last_failure_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": case(
                (table.c.last_failure_at.is_(None), 1),
                (table.c.last_failure_at < quiet_since, 1),
                else_=table.c.failures + 1,
            ),
            "last_failure_at": now,
        },
        where=table.c.locked_until.is_(None) | (table.c.locked_until <= now),
    ).returning(table.c.failures)
    return db.session.execute(statement).scalar_one_or_none()


def _locked_until(keys: list[Key], now: datetime) -> datetime:
    """The latest time any of the keys takes attempts again."""
    return db.session.execute(
        select(func.max(LoginThrottle.locked_until)).where(
            LoginThrottle.key.in_([key.name for key in keys]), LoginThrottle.locked_until > now
        )
    ).scalar_one()


def _refusal(until: datetime, now: datetime) -> LoginThrottled:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    if seconds < 120:
        message = t(
            "Too many failed sign-ins. Try again in {seconds} seconds.",
            "로그인 실패가 너무 많습니다. {seconds}초 뒤에 다시 시도하십시오.",
            seconds=seconds,
        )
    else:
        message = t(
            "Too many failed sign-ins. Try again in {minutes} minutes.",
            "로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 시도하십시오.",
            minutes=(seconds + 59) // 60,
        )
    refusal = LoginThrottled(message, code="login_locked")
    refusal.retry_after_seconds = seconds
    return refusal


def locks_in_force() -> list[LoginThrottle]:
    """Every key that refuses attempts now, the longest first: the admin's list."""
    return list(
        db.session.execute(
            select(LoginThrottle)
            .where(LoginThrottle.locked_until > utcnow())
            .order_by(LoginThrottle.locked_until.desc(), LoginThrottle.key)
        ).scalars()
    )


def release(admin, key_id: int) -> LoginThrottle | None:
    """An administrator lifts a lock or a delay: the key counts from zero again."""
    with unit_of_work(admin) as work:
        row = db.session.get(LoginThrottle, key_id)
        if row is None or row.locked_until is None or row.locked_until <= utcnow():
            return None
        row.failures, row.last_failure_at, row.locked_until = 0, None, None
        work.audit("login_lock_released", detail={"key": row.key})
    return row
