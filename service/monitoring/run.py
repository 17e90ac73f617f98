"""The monitoring run (cron): overdue reports become findings, expired unrenewed
registrations lapse, a wind-down past its day is a finding; it acts as the named system
actor and a second run on the same day creates nothing new.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.applications import operations as lifecycle_operations
from service.applications.operations import regime
from service.extensions import db
from service.models import Application, Finding, Registration, Report
from service.monitoring.findings import new_finding, quarterly_enrolment, raise_once
from service.monitoring.supervision import SUPERVISED_STATUSES
from service.monitoring.wind_down import wind_down_overdue
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows import lifecycle
from workflows.monitoring import (
    Obligation,
    isms_expiry,
    isms_past_expiry_findings,
    missing_report_findings,
    obligations,
    overdue,
)


@dataclass
class RunResult:
    findings: list[str] = field(default_factory=list)  # "<registration> <rule> <key>"
    lapsed: list[str] = field(default_factory=list)


def filed_keys(registration_id: int) -> set[tuple[str, date]]:
    rows = db.session.execute(
        select(Report.kind, Report.period_start).where(Report.registration_id == registration_id)
    ).all()
    return {(kind, start) for kind, start in rows}


def owed_until(registration: Registration, until: date) -> list[Obligation]:
    """The periodic reports owed for periods ended by `until`; for a registration that has
    ended (revoked, surrendered, lapsed), only those of periods ended by its last day."""
    if registration.status not in SUPERVISED_STATUSES:
        until = min(until, registration.status_since)
    return obligations(
        registration.category,
        registration.registered_on,
        until,
        regime(),
        enrolled_quarterly_since=quarterly_enrolment(registration.id),
    )


def run_monitoring(today: date | None = None) -> RunResult:
    """Overdue reports become findings; expired, unrenewed registrations lapse.

    Meant for cron: a second run on the same day creates nothing new. Acts as
    the named system actor.
    """
    today = today or korea_today()
    result = RunResult()
    registrations = db.session.execute(
        select(Registration)
        .where(Registration.status.in_(SUPERVISED_STATUSES))
        .order_by(Registration.id)
    ).scalars()
    for registration in list(registrations):
        result.findings.extend(_missing_reports(registration, today))
        result.findings.extend(_isms_past_expiry(registration, today))
    ended = db.session.execute(
        select(Registration)
        .where(Registration.wind_down_by.is_not(None), Registration.wound_down_on.is_(None))
        .order_by(Registration.id)
    ).scalars()
    for registration in list(ended):
        result.findings.extend(wind_down_overdue(registration, today))
    for registration in _expired(today):
        if _pending_renewal(registration) is None:
            lifecycle_operations.transition(registration.application_id, "lapse", None, today=today)
            result.lapsed.append(registration.number)
    return result


def _missing_reports(registration: Registration, today: date) -> list[str]:
    late = overdue(owed_until(registration, today), filed_keys(registration.id), today)
    existing = set(
        db.session.execute(
            select(Finding.obligation_key).where(
                Finding.registration_id == registration.id, Finding.obligation_key.is_not(None)
            )
        ).scalars()
    )
    new = [(o, f"{o.kind}:{o.period_start.isoformat()}") for o in late]
    new = [(o, key) for o, key in new if key not in existing]
    if not new:
        return []
    drafts = missing_report_findings([o for o, _key in new], today)
    try:
        with unit_of_work(None) as work:
            for (_obligation, key), draft in zip(new, drafts, strict=True):
                db.session.add(new_finding(registration, draft, today, obligation_key=key))
            work.audit(
                "reports_overdue",
                application_id=registration.application_id,
                detail={
                    "registration_number": registration.number,
                    "checked_on": today.isoformat(),
                    "overdue": [key for _o, key in new],
                },
            )
    except IntegrityError:
        return []  # a concurrent run recorded them first
    return [f"{registration.number} report_missing {key}" for _o, key in new]


def isms_certificate(registration: Registration) -> tuple[date | None, str | None]:
    """The ISMS certificate's expiry and number: the application's ICT security section,
    unless a later ISMS change report gave another (docs/domain.md section 5)."""
    section = (registration.application.sections or {}).get("ict_security") or {}
    changes = list(
        db.session.execute(
            select(Report.body)
            .where(
                Report.registration_id == registration.id,
                Report.kind == "change_report",
                Report.change == "isms",
            )
            .order_by(Report.id)
        ).scalars()
    )
    expires_on = isms_expiry(section.get("expires_on"), changes)
    numbers = [c.get("isms_certificate_number") for c in changes if c.get("isms_valid_until")]
    number = numbers[-1] if numbers else section.get("certificate_number")
    return expires_on, number


def _isms_past_expiry(registration: Registration, today: date) -> list[str]:
    expires_on, number = isms_certificate(registration)
    drafts = isms_past_expiry_findings(expires_on, today, number)
    if not drafts:
        return []
    key = f"isms_expiry:{expires_on.isoformat()}"
    if not raise_once(
        registration,
        drafts[0],
        today,
        key,
        action="isms_past_expiry",
        isms_valid_until=expires_on.isoformat(),
    ):
        return []
    return [f"{registration.number} isms_certificate_past_expiry {key}"]


def _expired(today: date) -> list[Registration]:
    return list(
        db.session.execute(
            select(Registration)
            .where(Registration.status.in_(SUPERVISED_STATUSES), Registration.valid_until < today)
            .order_by(Registration.id)
        ).scalars()
    )


def _pending_renewal(registration: Registration) -> Application | None:
    """A renewal application awaiting its decision keeps the registration alive."""
    return (
        db.session.execute(
            select(Application).where(
                Application.renews_registration_id == registration.id,
                Application.state.in_(lifecycle.OPEN_STATES),
            )
        )
        .scalars()
        .first()
    )
