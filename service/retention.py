"""Personal data kept no longer than the privacy page says (`RETENTION_YEARS`, shown on
/privacy): sign-in records, that is sessions, API tokens and the failed sign-ins counted
with the address they came from, are deleted once they are older than their period
(docs/security.md, "Retention"). The audit trail is kept for as long as the register
exists; the purge itself is one of its events, with what it deleted."""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, func, or_

from service.extensions import db
from service.models import ApiToken, LoginThrottle, UserSession
from service.models.types import utcnow
from service.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Purged:
    before: datetime  # records last used before this moment were deleted
    sessions: int
    tokens: int
    failed_sign_ins: int


def purge_sign_in_records(now: datetime | None = None) -> Purged:
    """Delete the sign-in records whose last use is older than the retention period: a
    session by its end (or its start, for one never ended: it lapsed within hours), a token
    by its revocation or expiry, a count of failed sign-ins by its last failure, unless it
    still locks sign-in."""
    now = now or utcnow()
    years = current_app.config["RETENTION_YEARS"]["sign_ins"]
    before = now - relativedelta(years=years)
    with unit_of_work(None) as work:
        session = db.session
        sessions = session.execute(
            delete(UserSession).where(
                func.coalesce(UserSession.ended_at, UserSession.created_at) < before
            )
        ).rowcount
        tokens = session.execute(
            delete(ApiToken).where(
                func.coalesce(ApiToken.revoked_at, ApiToken.expires_at) < before,
                ApiToken.expires_at < now,
            )
        ).rowcount
        failed = session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.last_failure_at < before,
                or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
            )
        ).rowcount
        purged = Purged(before, sessions, tokens, failed)
        if sessions or tokens or failed:
            work.audit(
                "retention_purge",
                detail={
                    "before": before.isoformat(),
                    "sessions": sessions,
                    "tokens": tokens,
                    "failed_sign_ins": failed,
                },
            )
    return purged
