"""Findings: one opened from a rule's draft, the quarterly enrolment findings record, and
moving a finding (acknowledge, request a remedy, close, escalate) in one transaction.
A remedy request is a letter to the issuer: a filing, and an outbox message sent after
the commit.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service import policy
from service.applications.operations import actor_for
from service.audit import chain
from service.errors import Conflict, Forbidden, NotFound
from service.extensions import db
from service.filings.operations import make_filing
from service.models import Finding, OutboxMessage, Registration, User
from service.notifications.operations import queue_notification
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows.bilingual import BiText, current_locale
from workflows.monitoring import FindingDraft, enrolment_from, finding_move_refusal
from workflows.monitoring.findings import apply_finding_move
from workflows.monitoring.rules import RULES_BY_CODE


def quarterly_enrolment(registration_id: int) -> date | None:
    """The day crossing the threshold enrolled the issuer in quarterly reporting, if it has."""
    rows = db.session.execute(
        select(Finding).where(
            Finding.registration_id == registration_id,
            Finding.rule == "quarterly_reporting_enrolled",
        )
    ).scalars()
    return enrolment_from(
        FindingDraft(f.rule, f.severity, BiText.of(f.message), f.evidence) for f in rows
    )


def new_finding(
    registration: Registration,
    draft: FindingDraft,
    today: date,
    *,
    report_id: int | None = None,
    obligation_key: str | None = None,
) -> Finding:
    return Finding(
        registration_id=registration.id,
        organization_id=registration.organization_id,
        report_id=report_id,
        rule=draft.rule,
        severity=draft.severity,
        message=draft.message.pair(),
        evidence=draft.evidence,
        flag_central_bank=draft.flag_central_bank,
        status="open",
        status_since=today,
        opened_on=today,
        obligation_key=obligation_key,
    )


def raise_once(
    registration: Registration, draft: FindingDraft, today: date, key: str, action: str, **detail
) -> bool:
    """Record a finding the monitoring run draws from the calendar, once per `key`, with its
    audit event `action`: False when it is recorded already (by an earlier or a concurrent
    run)."""
    already = db.session.execute(
        select(Finding.id).where(
            Finding.registration_id == registration.id, Finding.obligation_key == key
        )
    ).first()
    if already is not None:
        return False
    try:
        with unit_of_work(None) as work:
            db.session.add(new_finding(registration, draft, today, obligation_key=key))
            work.audit(
                action,
                application_id=registration.application_id,
                detail={
                    "registration_number": registration.number,
                    "checked_on": today.isoformat(),
                    **detail,
                },
            )
    except IntegrityError:
        return False
    return True


def move_finding(
    finding_id: int,
    move: str,
    user: User,
    comment: str | None = None,
    *,
    today: date | None = None,
) -> Finding:
    """Acknowledge, request a remedy, close or escalate a finding (FINDING_MOVES)."""
    today = today or korea_today()
    with unit_of_work(user) as work:
        finding, message = _move(finding_id, move, user, (comment or "").strip() or None, today)
        work.notify(message)
    return finding


def _move(finding_id, move, user, comment, today) -> tuple[Finding, OutboxMessage | None]:
    finding = db.session.execute(
        select(Finding)
        .where(Finding.id == finding_id)
        .with_for_update(of=Finding)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if finding is None or not policy.allows(user, "finding.view", finding):
        raise NotFound("No such finding.", code="finding_not_found")
    refusal = finding_move_refusal(move, finding.status, user.role)
    if refusal is not None:
        kind = Forbidden if refusal.status == 403 else Conflict
        if refusal.code == "unknown_move":
            kind = NotFound
        raise kind(refusal.text(current_locale()), code=refusal.code)
    from_status = finding.status
    finding.status = apply_finding_move(move, from_status, user.role)
    finding.status_since = today
    finding.last_comment = comment
    if move == "acknowledge" or finding.owner_id is None:
        finding.owner_id = user.id
    actor = actor_for(user)
    filing = message = None
    registration = finding.registration
    if move == "request_remedy":
        # The issuer is asked in writing: the letter changes hands.
        content = {
            "registration_number": registration.number,
            "finding_id": finding.id,
            "rule": finding.rule,
            "rule_source": RULES_BY_CODE[finding.rule].source,
            "message": finding.message,
            "evidence": finding.evidence,
            "comment": comment,
            "requested_on": today,
        }
        filing = make_filing(
            db.session,
            kind="remedy_request",
            application=registration.application,
            actor=actor,
            content=content,
        )
        message = queue_notification(
            db.session, move, registration.application, content, filing.accession_number
        )
    db.session.flush()
    chain.append(
        db.session,
        actor=actor,
        action=f"finding_{move}",
        application_id=registration.application_id,
        detail={
            "registration_number": registration.number,
            "finding_id": finding.id,
            "rule": finding.rule,
            "from_status": from_status,
            "to_status": finding.status,
            "comment": comment,
            "filing": filing.accession_number if filing else None,
        },
    )
    return finding, message
