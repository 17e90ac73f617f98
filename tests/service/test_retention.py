"""Sign-in records are deleted once older than the period the privacy page states
(RETENTION_YEARS["sign_ins"], 2 years): to the day, by their last use, and the purge is an
audit event (issue 20, item 15)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from service.extensions import db
from service.models import ApiToken, AuditEvent, LoginThrottle, UserSession
from service.models.types import utcnow
from service.retention import purge_sign_in_records


def _session(user, started, ended=None, key="s"):
    row = UserSession(
        user_id=user.id, token_sha256=key.ljust(64, "0"), created_at=started, ended_at=ended
    )
    db.session.add(row)
    return row


def test_sign_in_records_older_than_two_years_are_deleted_and_younger_ones_kept(app, cast):
    now = utcnow()
    limit = now - relativedelta(years=2)
    day = timedelta(days=1)
    user = cast.issuer
    old_session = _session(user, limit - 3 * day, limit - day, "a")
    never_ended = _session(user, limit - day, None, "b")
    recent_session = _session(user, limit - 3 * day, limit + day, "c")  # ended within 2 years
    old_token = ApiToken(
        user_id=user.id, token_sha256="d" * 64, created_at=limit - 9 * day, expires_at=limit - day
    )
    revoked_lately = ApiToken(
        user_id=user.id,
        token_sha256="e" * 64,
        created_at=limit - 9 * day,
        expires_at=limit - day,
        revoked_at=limit + day,
    )
    old_failures = LoginThrottle(key="acct:old", failures=3, last_failure_at=limit - day)
    still_locking = LoginThrottle(
        key="addr:old", failures=9, last_failure_at=limit - day, locked_until=now + day
    )
    recent_failures = LoginThrottle(key="acct:new", failures=1, last_failure_at=limit + day)
    db.session.add_all([old_token, revoked_lately, old_failures, still_locking, recent_failures])
    db.session.commit()
    kept = {
        "sessions": {recent_session.id},
        "tokens": {revoked_lately.id},
        "throttles": {still_locking.id, recent_failures.id},
    }
    gone = {old_session.id, never_ended.id}
    old_failures_id = old_failures.id

    purged = purge_sign_in_records(now)

    assert (purged.sessions, purged.tokens, purged.failed_sign_ins) == (2, 1, 1)
    sessions = set(db.session.scalars(select(UserSession.id).where(UserSession.user_id == user.id)))
    assert sessions == kept["sessions"] and not sessions & gone
    tokens = set(db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == user.id)))
    assert tokens == kept["tokens"]
    throttles = set(db.session.scalars(select(LoginThrottle.id)))
    assert kept["throttles"] <= throttles and old_failures_id not in throttles
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention_purge")
    ).one()
    assert event.detail == {
        "before": limit.isoformat(),
        "sessions": 2,
        "tokens": 1,
        "failed_sign_ins": 1,
    }

    # A second run finds nothing and records nothing.
    again = purge_sign_in_records(now)
    assert (again.sessions, again.tokens, again.failed_sign_ins) == (0, 0, 0)
    assert (
        len(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "retention_purge")
            ).all()
        )
        == 1
    )


def test_the_cli_purges_and_says_what_it_deleted(app, cast):
    now = utcnow()
    _session(cast.issuer, now - relativedelta(years=3), None, "f")
    db.session.commit()
    answer = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert answer.exit_code == 0, answer.output
    assert "1 session(s), 0 token(s), 0 failed sign-in count(s) deleted" in answer.output
