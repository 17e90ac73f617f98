"""A warning letter to the issuer: a filing, an audit event and an outbox message written in
one transaction and sent after the commit; no change of state. Suspension, reinstatement
and revocation are lifecycle transitions: `service.applications.operations.transition`.
"""

from datetime import date

from sqlalchemy import select

from service import policy
from service.applications.operations import actor_for
from service.audit import chain
from service.errors import Conflict, Invalid
from service.extensions import db
from service.filings.operations import make_filing
from service.models import Filing, Finding, OutboxMessage, User
from service.monitoring.supervision import SUPERVISED_STATUSES, registration_by_number
from service.notifications.operations import queue_notification
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows.bilingual import t


def warning_letter(
    number: str,
    user: User,
    reasons: str,
    finding_ids: list[int] | None = None,
    *,
    today: date | None = None,
) -> Filing:
    """A warning letter to the issuer: a filing and an audit event, no change of state."""
    today = today or korea_today()
    with unit_of_work(user) as work:
        filing, message = _warn(number, user, (reasons or "").strip(), finding_ids or [], today)
        work.notify(message)
    return filing


def _warn(number, user, reasons, finding_ids, today) -> tuple[Filing, OutboxMessage | None]:
    registration = registration_by_number(number, user)
    policy.require(user, "warning.send", registration)
    if registration.status not in SUPERVISED_STATUSES:
        raise Conflict(f"The registration is {registration.status}.", code="state")
    if not reasons:
        raise Invalid(
            "Give the reasons.",
            errors={"reasons": [t("This field is required.", "필수 입력 항목입니다.")]},
        )
    findings = [
        f
        for f in db.session.execute(
            select(Finding).where(
                Finding.registration_id == registration.id, Finding.id.in_(finding_ids)
            )
        ).scalars()
    ]
    actor = actor_for(user)
    content = {
        "registration_number": registration.number,
        "reasons": reasons,
        "findings": [
            {"id": f.id, "rule": f.rule, "severity": f.severity, "message": f.message}
            for f in findings
        ],
        "sent_on": today,
    }
    filing = make_filing(
        db.session,
        kind="warning_letter",
        application=registration.application,
        actor=actor,
        content=content,
    )
    message = queue_notification(
        db.session, "warning_letter", registration.application, content, filing.accession_number
    )
    db.session.flush()
    chain.append(
        db.session,
        actor=actor,
        action="warning_letter",
        application_id=registration.application_id,
        detail={
            "registration_number": registration.number,
            "filing": filing.accession_number,
            "findings": [f.id for f in findings],
        },
    )
    return filing, message
