"""Reads of supervision: the dashboard, one issuer's calendar, reports, findings and charts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from service.applications.operations import regime
from service.extensions import db
from service.models import AuditEvent, Finding, Registration, Report
from service.monitoring import charts
from service.monitoring.findings import quarterly_enrolment
from service.monitoring.renewal import renewal_opens_on
from service.monitoring.run import filed_keys, isms_certificate, owed_until
from service.monitoring.supervision import SUPERVISED_STATUSES
from workflows.bilingual import pick, t
from workflows.lifecycle import REGISTER_STATES
from workflows.monitoring import REPORT_KINDS, coverage_percent, reserve_figures

OPEN = ("open", "remedy_requested", "escalated")
# How far ahead the calendar shows obligations not yet due.
CALENDAR_AHEAD = timedelta(days=40)


def _current() -> Any:
    """WHERE clause: reports no resubmission has superseded."""
    newer = Report.__table__.alias("newer")
    return ~select(newer.c.id).where(newer.c.supersedes_id == Report.id).exists()


def current_reports(registration_ids: list[int] | None = None, kind: str | None = None):
    query = select(Report).where(_current())
    if registration_ids is not None:
        query = query.where(Report.registration_id.in_(registration_ids))
    if kind:
        query = query.where(Report.kind == kind)
    return list(db.session.execute(query.order_by(Report.period_start, Report.id)).scalars())


def reports_for(registration: Registration) -> list[Report]:
    """Every report filed, newest first, resubmissions and what they superseded included."""
    return list(
        db.session.execute(
            select(Report)
            .where(Report.registration_id == registration.id)
            .order_by(Report.filed_at.desc(), Report.id.desc())
        ).scalars()
    )


def findings_for(registration_id: int | None = None, *, open_only: bool = False) -> list[Finding]:
    query = select(Finding)
    if registration_id is not None:
        query = query.where(Finding.registration_id == registration_id)
    if open_only:
        query = query.where(Finding.status.in_(OPEN))
    rows = db.session.execute(query.order_by(Finding.id.desc())).scalars()
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(rows, key=lambda f: (f.status == "closed", order.get(f.severity, 3), -f.id))


def finding_events(finding: Finding) -> list[AuditEvent]:
    rows = db.session.execute(
        select(AuditEvent)
        .where(
            AuditEvent.application_id == finding.registration.application_id,
            AuditEvent.action.like("finding_%"),
        )
        .order_by(AuditEvent.seq)
    ).scalars()
    return [e for e in rows if e.detail.get("finding_id") == finding.id]


# -- the calendar ----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRow:
    kind: str
    label: str
    period_start: date
    period_end: date
    due_on: date
    status: str  # filed, filed_late, overdue, due; for the ISMS row: valid, expired
    report: Report | None


def calendar(registration: Registration, today: date) -> list[CalendarRow]:
    """Every periodic report owed so far and those falling due soon, with where each stands."""
    owed = owed_until(registration, today + CALENDAR_AHEAD)
    filed = {(r.kind, r.period_start): r for r in current_reports([registration.id])}
    rows = []
    for obligation in owed:
        report = filed.get(obligation.key)
        if report is not None:
            status = "filed_late" if report.late else "filed"
        elif today > obligation.due_on:
            status = "overdue"
        else:
            status = "due"
        rows.append(
            CalendarRow(
                obligation.kind,
                pick(REPORT_KINDS[obligation.kind].label),
                obligation.period_start,
                obligation.period_end,
                obligation.due_on,
                status,
                report,
            )
        )
    expires_on, _number = isms_certificate(registration)
    if expires_on is not None:
        # Not a report but a date the supervisor watches: the certificate is a condition
        # of registration (docs/domain.md sections 3.9 and 5).
        rows.append(
            CalendarRow(
                "isms_expiry",
                t("ISMS certificate expires", "ISMS 인증 만료"),
                expires_on,
                expires_on,
                expires_on,
                "expired" if today > expires_on else "valid",
                None,
            )
        )
    return sorted(rows, key=lambda r: (r.due_on, r.kind), reverse=True)


def punctuality(registration: Registration, today: date) -> dict[str, int]:
    """Periodic reports due by today: filed on time, filed late, still missing."""
    owed = [o for o in owed_until(registration, today) if o.due_on < today]
    filed = {(r.kind, r.period_start): r for r in current_reports([registration.id])}
    counts = {"on_time": 0, "late": 0, "missing": 0}
    for obligation in owed:
        report = filed.get(obligation.key)
        counts["missing" if report is None else "late" if report.late else "on_time"] += 1
    counts["due"] = len(owed)
    counts["on_time_percent"] = round(100 * counts["on_time"] / len(owed)) if owed else 100
    return counts


# -- the dashboard -----------------------------------------------------------------


def overview(today: date) -> dict[str, Any]:
    registrations = list(
        db.session.execute(
            select(Registration)
            .where(Registration.status.in_(REGISTER_STATES))
            .order_by(Registration.number)
        ).scalars()
    )
    open_counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for registration_id, severity, n in db.session.execute(
        select(Finding.registration_id, Finding.severity, func.count())
        .where(Finding.status.in_(OPEN))
        .group_by(Finding.registration_id, Finding.severity)
    ).all():
        open_counts[registration_id][severity] = n
    rows = []
    for registration in registrations:
        counts = open_counts[registration.id]
        supervised = registration.status in SUPERVISED_STATUSES
        rows.append(
            {
                "registration": registration,
                "open_findings": sum(counts.values()),
                "critical": counts.get("critical", 0),
                "punctuality": punctuality(registration, today) if supervised else None,
                "renewal_open": supervised and renewal_opens_on(registration) <= today,
            }
        )
    by_status: dict[str, int] = defaultdict(int)
    for registration in registrations:
        by_status[registration.status] += 1
    flagged = db.session.scalar(
        select(func.count())
        .select_from(Finding)
        .where(Finding.flag_central_bank.is_(True), Finding.status.in_(OPEN))
    )
    return {
        "rows": rows,
        "by_status": dict(by_status),
        "market": market(),
        "central_bank_flags": flagged,
    }


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _month(day: date) -> str:
    return day.strftime("%Y-%m")


def _months(reports: list[Report]) -> list[str]:
    return sorted({_month(r.period_start) for r in reports})


def market() -> dict[str, Any]:
    """What the central bank watches: KRW stablecoin outstanding and cross-border flows."""
    krw = [
        r.id
        for r in db.session.execute(
            select(Registration).where(Registration.category == "krw_stablecoin")
        ).scalars()
    ]
    share = regime().cross_border_net_outflow_max_share
    reserve = current_reports(krw, "reserve_report")
    flows = current_reports(krw, "cross_border_flows")
    outstanding: dict[str, Decimal] = defaultdict(Decimal)
    for report in reserve:
        outstanding[_month(report.period_start)] += Decimal(report.body["outstanding_issuance_krw"])
    inbound: dict[str, Decimal] = defaultdict(Decimal)
    outbound: dict[str, Decimal] = defaultdict(Decimal)
    flow_base: dict[str, Decimal] = defaultdict(Decimal)
    for report in flows:
        month = _month(report.period_start)
        flow_base[month] += Decimal(report.body["outstanding_issuance_krw"])
        for row in report.body.get("rows") or []:
            inbound[month] += Decimal(row["inbound_krw"])
            outbound[month] += Decimal(row["outbound_krw"])
    months = _months(reserve)
    flow_months = _months(flows)
    table = [
        {
            "month": m,
            "outstanding": outstanding.get(m),
            "inbound": inbound.get(m) if m in flow_months else None,
            "outbound": outbound.get(m) if m in flow_months else None,
            "net_outflow": (outbound[m] - inbound[m]) if m in flow_months else None,
            # The market as a whole past the per-issuer limit: what the BoK asks about.
            "over_limit": m in flow_months and outbound[m] - inbound[m] > flow_base[m] * share,
        }
        for m in sorted(set(months) | set(flow_months))
    ]
    return {
        "table": table,
        "outstanding_chart": charts.line_chart(
            t("KRW stablecoin outstanding", "원화 스테이블코인 발행 잔액"),
            months,
            [charts.Series(t("Outstanding", "발행 잔액"), [outstanding[m] for m in months])],
            fmt=charts.won_axis,
        )
        if months
        else None,
        "flows_chart": charts.bar_chart(
            t("Cross-border flows", "국경 간 이전"),
            flow_months,
            [
                charts.Series(t("Inbound", "유입"), [inbound[m] for m in flow_months]),
                charts.Series(t("Outbound", "유출"), [outbound[m] for m in flow_months]),
            ],
            fmt=charts.won_axis,
        )
        if flow_months
        else None,
    }


def issuer_series(registration: Registration) -> dict[str, Any]:
    """Reserve coverage and outstanding issuance, month by month, from the reserve reports."""
    profile = regime()
    rows = []
    for report in current_reports([registration.id], "reserve_report"):
        figures = reserve_figures(report.body, profile)
        coverage = figures["coverage"]
        rows.append(
            {
                "month": _month(report.period_start),
                "outstanding": figures["outstanding_issuance_krw"],
                "eligible": figures["eligible_reserve_krw"],
                "coverage_percent": coverage_percent(coverage) if coverage is not None else None,
            }
        )
    months = [r["month"] for r in rows]
    if not rows:
        return {"rows": [], "coverage_chart": None, "issuance_chart": None}
    minimum = float(profile.reserve_coverage_min * 100)
    return {
        "rows": rows,
        "coverage_chart": charts.line_chart(
            t("Reserve coverage", "준비자산 비율"),
            months,
            [charts.Series(t("Coverage", "비율"), [_number(r["coverage_percent"]) for r in rows])],
            fmt=charts.percent_axis,
            reference=(minimum, t("Minimum {m:.0f}%", "최저 기준 {m:.0f}%", m=minimum)),
            bounds=charts.percent_bounds(
                [float(r["coverage_percent"]) for r in rows if r["coverage_percent"] is not None],
                minimum,
            ),
        ),
        "issuance_chart": charts.line_chart(
            t("Outstanding issuance and eligible reserve", "발행 잔액과 적격 준비자산"),
            months,
            [
                charts.Series(t("Outstanding", "발행 잔액"), [r["outstanding"] for r in rows]),
                charts.Series(
                    t("Eligible reserve", "적격 준비자산"), [r["eligible"] for r in rows]
                ),
            ],
            fmt=charts.won_axis,
        ),
    }


def issuer_page(registration: Registration, today: date) -> dict[str, Any]:
    findings = findings_for(registration.id)
    return {
        "registration": registration,
        "calendar": calendar(registration, today),
        "reports": reports_for(registration),
        "findings": findings,
        "critical_open": [f for f in findings if f.severity == "critical" and f.status in OPEN],
        "punctuality": punctuality(registration, today),
        "series": issuer_series(registration),
        "enrolled_quarterly_since": quarterly_enrolment(registration.id),
        "renewal_opens_on": renewal_opens_on(registration),
        "filed": filed_keys(registration.id),
        "kinds": [k for k in REPORT_KINDS.values() if registration.category in k.categories],
    }


def registrations_of(organization_id: int) -> list[Registration]:
    return list(
        db.session.execute(
            select(Registration)
            .where(Registration.organization_id == organization_id)
            .order_by(Registration.number)
        ).scalars()
    )


def findings_of_report(report_id: int) -> list[Finding]:
    return list(
        db.session.execute(
            select(Finding).where(Finding.report_id == report_id).order_by(Finding.id)
        ).scalars()
    )
