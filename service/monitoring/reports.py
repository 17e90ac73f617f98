"""Filing a report, one transaction: loaded against its schema, frozen as a filing, checked
by the automatic rules (each breach a finding), its audit event appended last. A second
report for the same obligation supersedes the first.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from forms.reports import KST, REPORT_SCHEMAS
from service import policy
from service.applications.operations import actor_for, regime
from service.audit import chain
from service.errors import Conflict, Invalid
from service.extensions import db
from service.filings.operations import make_filing
from service.models import Registration, Report, User
from service.monitoring.findings import new_finding, quarterly_enrolment
from service.monitoring.supervision import SUPERVISED_STATUSES, registration_by_number
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows.bilingual import localize, t
from workflows.monitoring import (
    REPORT_KINDS,
    CheckContext,
    Obligation,
    average_reserve,
    check_report,
    event_obligation,
)
from workflows.monitoring.obligations import ANNUAL, EVENT, MONTHLY, monthly_period_start


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
    with unit_of_work(user):
        report = _file(number, user, kind, body, period, today)
    return report


@dataclass
class Prepared:
    """A report loaded and placed: what filing it would record and what the rules see."""

    registration: Registration
    kind: str
    loaded: dict[str, Any]
    dumped: dict[str, Any]
    obligation: Obligation
    previous: Report | None
    late: bool
    context: CheckContext

    def findings(self) -> list:
        """What the automatic rules find in it (docs/domain.md section 5)."""
        return check_report(self.kind, self.loaded, self.context)


def prepare_report(
    registration: Registration, kind: str, body: Any, period: str | None, today: date
) -> Prepared:
    """Load a report for a registration that files it, and place it on its obligation; the
    same checks whether it is filed now or previewed before filing."""
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
    previous = current_report(registration.id, obligation)
    context = CheckContext(
        profile=regime(),
        category=registration.category,
        # A resubmission amends a report already judged on time or late.
        due_on=None if previous else obligation.due_on,
        filed_on=today,
        enrolled_quarterly_since=quarterly_enrolment(registration.id),
        average_reserve_krw=_average_reserve(registration.id, kind, loaded),
        issuance_cap_krw=registration.issuance_cap_krw,
    )
    return Prepared(
        registration=registration,
        kind=kind,
        loaded=loaded,
        dumped=json.loads(json.dumps(REPORT_SCHEMAS[kind]().dump(loaded), default=str)),
        obligation=obligation,
        previous=previous,
        late=previous.late if previous else today > obligation.due_on,
        context=context,
    )


def _file(number, user, kind, body, period, today) -> Report:
    registration = registration_by_number(number, user)
    policy.require(user, "report.file", registration)
    return file_prepared(prepare_report(registration, kind, body, period, today), user, today)


def file_prepared(prepared: Prepared, user: User, today: date) -> Report:
    """Freeze a prepared report as a filing, record its findings and its audit event."""
    registration, kind, obligation = prepared.registration, prepared.kind, prepared.obligation
    previous, late = prepared.previous, prepared.late
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
            "report": prepared.dumped,
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
        body=prepared.dumped,
        filing_id=filing.id,
        supersedes_id=previous.id if previous else None,
    )
    db.session.add(report)
    db.session.flush()
    drafts = prepared.findings()
    for draft in drafts:
        db.session.add(new_finding(registration, draft, today, report_id=report.id))
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
