"""Every state change of supervision after registration, one transaction each.

Filing a report (checked by the automatic rules, each breach a finding), the
monitoring run (overdue reports, lapses; the named system actor), moving a
finding, a warning letter, opening a renewal. Each freezes what changes hands
as a filing where a document does, appends its audit event last and commits
once; on any error it rolls back whole. A letter to the issuer (warning, remedy
request) is also written to the outbox in that transaction and sent after the
commit, as the lifecycle's notices are. Suspension, reinstatement and
revocation are lifecycle transitions: `service.applications.operations.transition`.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forms.i18n import localize, t
from forms.reports import KST, REPORT_SCHEMAS
from service.applications import operations as lifecycle_operations
from service.applications.operations import actor_for, regime
from service.audit import chain
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.extensions import db
from service.filings.operations import make_filing
from service.models import (
    Application,
    Filing,
    Finding,
    OutboxMessage,
    Registration,
    Report,
    User,
)
from service.notifications.operations import deliver, queue_notification
from service.timezone import korea_today
from workflows import lifecycle
from workflows.monitoring import (
    REPORT_KINDS,
    CheckContext,
    FindingDraft,
    Obligation,
    average_reserve,
    check_report,
    enrolment_from,
    event_obligation,
    finding_move_refusal,
    missing_report_findings,
    obligations,
    overdue,
)
from workflows.monitoring.findings import FINDING_MOVES_BY_NAME
from workflows.monitoring.obligations import ANNUAL, EVENT, MONTHLY, monthly_period_start
from workflows.monitoring.rules import RULES_BY_CODE

# Registrations that still owe reports: a suspended issuer keeps reporting.
SUPERVISED_STATUSES = ("registered", "suspended")
SUPERVISORY_ROLES = ("supervisor", "approver")


def _commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def registration_by_number(number: str, user: User | None) -> Registration:
    """The registration if `user` may see it (issuers: their own); 404 otherwise."""
    registration = db.session.execute(
        select(Registration).where(Registration.number == number)
    ).scalar_one_or_none()
    hidden = user is not None and user.role == "issuer"
    if registration is None or (hidden and registration.organization_id != user.organization_id):
        raise NotFound("No such registration.", code="registration_not_found")
    if user is not None and user.role not in ("issuer",) + lifecycle.REGULATOR_ROLES:
        raise NotFound("No such registration.", code="registration_not_found")
    return registration


# -- reports -------------------------------------------------------------------


def obligation_of(kind: str, report: dict[str, Any], category: str) -> Obligation:
    """The obligation a loaded report answers: its period, or its event, and when it was due."""
    profile = regime()
    report_kind = REPORT_KINDS[kind]
    if report_kind.period == ANNUAL:
        start, end = report["financial_year_start"], report["financial_year_end"]
        return Obligation(kind, start, end, report_kind.due.due_on(end, profile))
    if report_kind.period != EVENT:
        start, end = report["period_start"], report["period_end"]
        return Obligation(kind, start, end, report_kind.due.due_on(end, profile))
    if kind == "incident_report":
        occurred: datetime = report["occurred_at"]
        return event_obligation(kind, occurred.astimezone(KST).date(), profile)
    if kind == "change_report":
        return event_obligation(kind, report["effective_on"], profile, change=report["change_kind"])
    return event_obligation(kind, report["planned_publication_on"], profile)


def current_report(registration_id: int, obligation: Obligation) -> Report | None:
    """The latest report for an obligation: the one no other report supersedes."""
    newer = Report.__table__.alias("newer")
    query = (
        select(Report)
        .where(
            Report.registration_id == registration_id,
            Report.kind == obligation.kind,
            Report.period_start == obligation.period_start,
            ~select(newer.c.id).where(newer.c.supersedes_id == Report.id).exists(),
        )
        .order_by(Report.id.desc())
    )
    if obligation.change is not None:
        query = query.where(Report.change == obligation.change)
    return db.session.execute(query).scalars().first()


def quarterly_enrolment(registration_id: int) -> date | None:
    """The day crossing the threshold enrolled the issuer in quarterly reporting, if it has."""
    rows = db.session.execute(
        select(Finding).where(
            Finding.registration_id == registration_id,
            Finding.rule == "quarterly_reporting_enrolled",
        )
    ).scalars()
    return enrolment_from(FindingDraft(f.rule, f.severity, f.message, f.evidence) for f in rows)


def _load_report(kind: str, body: Any, category: str) -> dict[str, Any]:
    if kind not in REPORT_KINDS:
        raise Invalid("Unknown report kind.", errors={"kind": [f"One of {sorted(REPORT_KINDS)}."]})
    if category not in REPORT_KINDS[kind].categories:
        raise Invalid(
            "This category does not file this report.",
            errors={"kind": [t("Not a report of this category.", "이 유형의 보고서가 아닙니다.")]},
        )
    if not isinstance(body, dict):
        raise Invalid("The report must be an object.", errors={"report": ["Give an object."]})
    try:
        return REPORT_SCHEMAS[kind](category=category).load(body)
    except ValidationError as exc:
        raise Invalid("The report has invalid fields.", errors=localize(exc.messages)) from None


def _check_monthly_start(kind: str, report: dict[str, Any], registered_on: date) -> None:
    """A monthly report starts on the 1st, or on the registration day in the first month."""
    if REPORT_KINDS[kind].period != MONTHLY:
        return
    expected = monthly_period_start(registered_on, report["period_end"])
    if report["period_start"] == expected:
        return
    if report["period_end"] < registered_on:
        message = t(
            "The registration began on {day}: no report is owed for a month before it.",
            "등록일이 {day}이므로 그 전 달의 보고는 없습니다.",
            day=registered_on.isoformat(),
        )
    else:
        message = t(
            "This month's report covers the period from {day}.",
            "이 달의 보고 기간은 {day}부터입니다.",
            day=expected.isoformat(),
        )
    raise Invalid("The period does not match the report.", errors={"period_start": [message]})


def _average_reserve(registration_id: int, kind: str, report: dict[str, Any]) -> Decimal | None:
    """For audited financials: the average of the current reserve reports in the months
    before the year end, which scales the own-funds floor (docs/domain.md section 5)."""
    if kind != "audited_financials":
        return None
    newer = Report.__table__.alias("newer")
    bodies = db.session.execute(
        select(Report.body).where(
            Report.registration_id == registration_id,
            Report.kind == "reserve_report",
            Report.period_end <= report["financial_year_end"],
            ~select(newer.c.id).where(newer.c.supersedes_id == Report.id).exists(),
        )
    ).scalars()
    return average_reserve(bodies, report["financial_year_end"], regime())


def _period_matches(period: str | None, obligation: Obligation) -> bool:
    """`period` names the obligation by its first day: 2026-09-01, 2026-09 or 2026-Q3."""
    if not period:
        return True
    start = obligation.period_start
    names = {start.isoformat(), start.strftime("%Y-%m")}
    if start.day == 1 and start.month % 3 == 1:
        names.add(f"{start.year}-Q{(start.month + 2) // 3}")
    return period.strip() in names


def submit_report(
    number: str,
    user: User,
    kind: str,
    body: Any,
    *,
    period: str | None = None,
    today: date | None = None,
) -> Report:
    """File a report; a second report for the same obligation supersedes the first."""
    today = today or korea_today()
    try:
        report = _file(number, user, kind, body, period, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _file(number, user, kind, body, period, today) -> Report:
    registration = registration_by_number(number, user)
    if user.role != "issuer":
        raise Forbidden("Only the issuer files its reports.", code="role")
    if registration.status not in SUPERVISED_STATUSES:
        raise Conflict(
            f"A registration that is {registration.status} files no reports.", code="state"
        )
    loaded = _load_report(kind, body, registration.category)
    _check_monthly_start(kind, loaded, registration.registered_on)
    obligation = obligation_of(kind, loaded, registration.category)
    if not _period_matches(period, obligation):
        raise Invalid(
            "The period does not match the report.",
            errors={"period": [f"The report covers the period from {obligation.period_start}."]},
        )
    dumped = json.loads(json.dumps(REPORT_SCHEMAS[kind]().dump(loaded), default=str))
    previous = current_report(registration.id, obligation)
    late = previous.late if previous else today > obligation.due_on
    actor = actor_for(user)
    filing = make_filing(
        db.session,
        kind=f"report:{kind}",
        application=registration.application,
        actor=actor,
        content={
            "registration_number": registration.number,
            "report_kind": kind,
            "period_start": obligation.period_start,
            "period_end": obligation.period_end,
            "change": obligation.change,
            "due_on": obligation.due_on,
            "filed_on": today,
            "late": late,
            "supersedes": previous.filing.accession_number if previous else None,
            "report": dumped,
        },
    )
    db.session.flush()
    report = Report(
        registration_id=registration.id,
        organization_id=registration.organization_id,
        kind=kind,
        period_start=obligation.period_start,
        period_end=obligation.period_end,
        change=obligation.change,
        due_on=obligation.due_on,
        filed_on=today,
        filed_by_id=user.id,
        late=late,
        body=dumped,
        filing_id=filing.id,
        supersedes_id=previous.id if previous else None,
    )
    db.session.add(report)
    db.session.flush()
    context = CheckContext(
        profile=regime(),
        category=registration.category,
        # A resubmission amends a report already judged on time or late.
        due_on=None if previous else obligation.due_on,
        filed_on=today,
        enrolled_quarterly_since=quarterly_enrolment(registration.id),
        average_reserve_krw=_average_reserve(registration.id, kind, loaded),
    )
    drafts = check_report(kind, loaded, context)
    for draft in drafts:
        db.session.add(_finding(registration, draft, today, report_id=report.id))
    db.session.flush()
    chain.append(
        db.session,
        actor=actor,
        action="report_filed",
        application_id=registration.application_id,
        detail={
            "registration_number": registration.number,
            "report_kind": kind,
            "period_start": obligation.period_start.isoformat(),
            "filing": filing.accession_number,
            "late": late,
            "supersedes": previous.filing.accession_number if previous else None,
            "findings": [d.rule for d in drafts],
        },
    )
    return report


def _finding(
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
        message=draft.message,
        evidence=draft.evidence,
        flag_central_bank=draft.flag_central_bank,
        status="open",
        status_since=today,
        opened_on=today,
        obligation_key=obligation_key,
    )


# -- the monitoring run ----------------------------------------------------------


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
        for (_obligation, key), draft in zip(new, drafts, strict=True):
            db.session.add(_finding(registration, draft, today, obligation_key=key))
        db.session.flush()
        chain.append(
            db.session,
            actor=lifecycle.SYSTEM,
            action="reports_overdue",
            application_id=registration.application_id,
            detail={
                "registration_number": registration.number,
                "checked_on": today.isoformat(),
                "overdue": [key for _o, key in new],
            },
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent run recorded them first
        return []
    except Exception:
        db.session.rollback()
        raise
    return [f"{registration.number} report_missing {key}" for _o, key in new]


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


# -- findings --------------------------------------------------------------------


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
    try:
        finding, message = _move(finding_id, move, user, (comment or "").strip() or None, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if message is not None:
        deliver([message.id])
    return finding


def _move(finding_id, move, user, comment, today) -> tuple[Finding, OutboxMessage | None]:
    finding = db.session.execute(
        select(Finding)
        .where(Finding.id == finding_id)
        .with_for_update(of=Finding)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if finding is None or user.role not in lifecycle.REGULATOR_ROLES:
        raise NotFound("No such finding.", code="finding_not_found")
    from forms.i18n import current_locale

    refusal = finding_move_refusal(move, finding.status, user.role)
    if refusal is not None:
        kind = Forbidden if refusal.status == 403 else Conflict
        if refusal.code == "unknown_move":
            kind = NotFound
        raise kind(refusal.text(current_locale()), code=refusal.code)
    step = FINDING_MOVES_BY_NAME[move]
    from_status = finding.status
    finding.status = step.dest
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


# -- supervisory letters and renewal ----------------------------------------------


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
    try:
        filing, message = _warn(number, user, (reasons or "").strip(), finding_ids or [], today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if message is not None:
        deliver([message.id])
    return filing


def _warn(number, user, reasons, finding_ids, today) -> tuple[Filing, OutboxMessage | None]:
    registration = registration_by_number(number, user)
    if user.role not in SUPERVISORY_ROLES:
        raise Forbidden("Only a supervisor or an approver sends a warning letter.", code="role")
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


def renewal_opens_on(registration: Registration) -> date:
    from dateutil.relativedelta import relativedelta

    return registration.valid_until - relativedelta(months=regime().renewal_window_months)


def open_renewal(number: str, user: User, *, today: date | None = None) -> Application:
    """Start the renewal: a draft for the same organization and category, whose sections
    are those of the last application filing (docs/domain.md section 4: renewal opens 6
    months before expiry)."""
    today = today or korea_today()
    try:
        application = _renew(number, user, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return application


def _renew(number, user, today) -> Application:
    registration = registration_by_number(number, user)
    if user.role != "issuer":
        raise Forbidden("Only the issuer applies for renewal.", code="role")
    if registration.status not in SUPERVISED_STATUSES:
        raise Conflict(f"The registration is {registration.status}.", code="state")
    opens = renewal_opens_on(registration)
    if not opens <= today <= registration.valid_until:
        raise Conflict(
            f"Renewal is open from {opens} to {registration.valid_until}.",
            code="renewal_window",
        )
    existing = (
        db.session.execute(
            select(Application).where(
                Application.renews_registration_id == registration.id,
                Application.state.in_(("draft",) + lifecycle.OPEN_STATES),
            )
        )
        .scalars()
        .first()
    )
    if existing is not None:
        raise Conflict(
            f"Renewal application #{existing.id} is already under way.", code="renewal_exists"
        )
    last = (
        db.session.execute(
            select(Filing)
            .where(
                Filing.application_id == registration.application_id, Filing.kind == "application"
            )
            .order_by(Filing.filed_at.desc(), Filing.id.desc())
        )
        .scalars()
        .first()
    )
    sections = json.loads(last.content_json)["content"]["sections"] if last else {}
    application = Application(
        organization_id=registration.organization_id,
        category=registration.category,
        state="draft",
        sections=sections,
        renews_registration_id=registration.id,
    )
    db.session.add(application)
    db.session.flush()
    chain.append(
        db.session,
        actor=actor_for(user),
        action="create",
        application_id=application.id,
        to_state="draft",
        detail={
            "category": registration.category,
            "renews": registration.number,
            "from_filing": last.accession_number if last else None,
        },
    )
    return application
