"""What a registered issuer must file, and by when (docs/domain.md section 5).

Report kinds are data: who files them, how often, and the due rule, whose
number of days comes from the regime profile. `obligations` lays the periodic
ones out as a calendar; `event_obligation` dates an event-driven one;
`overdue` says which are late.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from workflows.bilingual import BiText, t
from workflows.clock import add_business_days, is_business_day
from workflows.regime import CATEGORIES, RegimeProfile

MONTHLY, QUARTERLY, SEMIANNUAL, ANNUAL, EVENT = (
    "monthly",
    "quarterly",
    "semiannual",
    "annual",
    "event",
)

PERIOD_LABELS = {
    MONTHLY: t("Monthly", "월간"),
    QUARTERLY: t("Quarterly", "분기"),
    SEMIANNUAL: t("Every six months", "반기"),
    ANNUAL: t("Annual", "연간"),
    EVENT: t("When it happens", "수시"),
}


@dataclass(frozen=True)
class DueRule:
    """A deadline counted from an anchor day (period end or event).

    `days_field` names the RegimeProfile field holding the number of days, so
    the figure stays configuration. Calendar-day deadlines that end on a
    weekend or holiday move to the next business day (Civil Act Art 161);
    deadlines counted backwards ("30 days before") do not move.
    """

    days_field: str
    business_days: bool
    before: bool = False

    def days(self, profile: RegimeProfile) -> int:
        return getattr(profile, self.days_field)

    def due_on(self, anchor: date, profile: RegimeProfile) -> date:
        days = self.days(profile)
        if self.before:
            if self.business_days:
                return subtract_business_days(anchor, days)
            return anchor - timedelta(days=days)
        if self.business_days:
            return add_business_days(anchor, days)
        return next_business_day_from(anchor + timedelta(days=days))

    def describe(self, profile: RegimeProfile) -> BiText:
        days = self.days(profile)
        unit_en = "business days" if self.business_days else "days"
        unit_ko = "영업일" if self.business_days else "일"
        if self.before:
            return t(f"{days} {unit_en} before", f"{days}{unit_ko} 전")
        return t(f"{days} {unit_en} after", f"{days}{unit_ko} 이내")


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: BiText
    categories: tuple[str, ...]
    period: str
    due: DueRule | None
    source: str
    # Change reports: one due rule per kind of change.
    due_by_change: dict[str, DueRule] = field(default_factory=dict)


ALL = CATEGORIES
KRW = ("krw_stablecoin",)

CHANGE_KINDS = {
    "major_shareholder": t("Major shareholder", "대주주 변경"),
    "executive": t("Executive or board member", "임원 변경"),
    "isms": t("ISMS certification status", "ISMS 인증 상태"),
}

REPORT_KINDS: dict[str, ReportKind] = {
    kind.code: kind
    for kind in (
        ReportKind(
            "reserve_report",
            t("Reserve report", "준비자산 보고서"),
            KRW,
            MONTHLY,
            DueRule("reserve_report_due_business_days", business_days=True),
            "FSC plan Dec 2025; MiCA Art 30(1)",
        ),
        ReportKind(
            "cross_border_flows",
            t("Cross-border flows", "국경 간 이전 현황"),
            KRW,
            MONTHLY,
            # Filed with the reserve report (docs/domain.md section 5).
            DueRule("reserve_report_due_business_days", business_days=True),
            "BoK consultation; Foreign Exchange Transactions Act",
        ),
        ReportKind(
            "redemption_statistics",
            t("Redemption statistics", "상환 통계"),
            KRW,
            MONTHLY,
            DueRule("redemption_statistics_due_business_days", business_days=True),
            "docs/domain.md section 5; MiCA Art 49",
        ),
        ReportKind(
            "reserve_audit",
            t("Independent reserve audit", "준비자산 외부 감사"),
            KRW,
            SEMIANNUAL,
            DueRule("reserve_audit_due_days", business_days=False),
            "MiCA Art 36(9)",
        ),
        ReportKind(
            "quarterly_report",
            t("Quarterly report", "분기 보고서"),
            ("krw_stablecoin", "other_virtual_asset"),
            QUARTERLY,
            DueRule("quarterly_report_due_days", business_days=False),
            "MiCA Art 22(1); Implementing Reg. 2024/2902 Art 2-3",
        ),
        ReportKind(
            "audited_financials",
            t("Audited financial statements", "감사받은 재무제표"),
            ALL,
            ANNUAL,
            DueRule("audited_financials_due_days", business_days=False),
            "Act on External Audit of Stock Companies; docs/domain.md section 5",
        ),
        ReportKind(
            "change_report",
            t("Change report", "변경 보고"),
            ALL,
            EVENT,
            None,
            "docs/domain.md section 5",
            due_by_change={
                "major_shareholder": DueRule(
                    "change_report_major_shareholder_days_after", business_days=False
                ),
                "executive": DueRule(
                    "change_report_executive_days_before", business_days=False, before=True
                ),
                "isms": DueRule("change_report_isms_days_after", business_days=False),
            },
        ),
        ReportKind(
            "incident_report",
            t("Incident report", "사고 보고"),
            ALL,
            EVENT,
            DueRule("incident_report_due_business_days", business_days=True),
            "docs/domain.md section 5; MiCA Art 30(3)",
        ),
        ReportKind(
            "white_paper_update",
            t("White paper update", "백서 변경"),
            tuple(c for c in CATEGORIES if c != "tokenized_deposit"),
            EVENT,
            DueRule("white_paper_update_notice_business_days", business_days=True, before=True),
            "MiCA Art 12, Art 25",
        ),
    )
}


@dataclass(frozen=True)
class Obligation:
    """One report owed: for a period, or for an event (period_start = period_end = event day)."""

    kind: str
    period_start: date
    period_end: date
    due_on: date
    change: str | None = None  # change reports only

    @property
    def key(self) -> tuple[str, date]:
        return (self.kind, self.period_start)


def kinds_for(category: str) -> list[ReportKind]:
    return [kind for kind in REPORT_KINDS.values() if category in kind.categories]


def next_business_day_from(day: date) -> date:
    """`day` itself if it is a business day, else the next one (Civil Act Art 161)."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def subtract_business_days(end: date, days: int) -> date:
    """The business day `days` business days before `end`."""
    day = end
    while days:
        day -= timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _calendar_periods(first: date, months: int, until: date):
    """Calendar-aligned periods of `months` months, from the one containing `first`,
    ending on or before `until`."""
    start = _month_start(first)
    start = add_months(start, -((start.month - 1) % months))
    while True:
        end = add_months(start, months) - timedelta(days=1)
        if end > until:
            return
        yield start, end
        start = add_months(start, months)


def _from_registration(periods, registered_on: date):
    """The periods, the first one starting on the registration day rather than before it."""
    for start, end in periods:
        yield max(start, registered_on), end


def monthly_period_start(registered_on: date, period_end: date) -> date:
    """Where the monthly report ending on `period_end` starts: the 1st of the month, or the
    registration day in the month of registration (`obligations`)."""
    return max(_month_start(period_end), registered_on)


def _anniversary_periods(anchor: date, months: int, until: date):
    """Periods of `months` months counted from `anchor` (the registration day)."""
    index = 0
    while True:
        start = add_months(anchor, months * index)
        end = add_months(anchor, months * (index + 1)) - timedelta(days=1)
        if end > until:
            return
        yield start, end
        index += 1


def _financial_years(registered_on: date, year_end_month: int, until: date):
    """Financial years ending on or after registration (earlier ones came with the
    application) and on or before `until`."""
    year = registered_on.year
    while True:
        end = add_months(date(year, year_end_month, 1), 1) - timedelta(days=1)
        if end >= registered_on:
            break
        year += 1
    while end <= until:
        start = add_months(end + timedelta(days=1), -12)
        yield start, end
        end = add_months(end + timedelta(days=1), 12) - timedelta(days=1)


def obligations(
    category: str,
    registered_on: date,
    until: date,
    profile: RegimeProfile,
    enrolled_quarterly_since: date | None = None,
    financial_year_end_month: int = 12,
) -> list[Obligation]:
    """Every periodic report owed for periods that ended on or before `until`.

    Monthly and quarterly periods are calendar months and quarters, starting
    with the one in which the issuer was registered (reserve rules hold "at
    all times", MiCA Art 36(1)) or, for the quarterly report, enrolled
    (Implementing Reg. 2024/2902 Art 2(2)). The first monthly report covers
    the days from registration to the month's end: nothing was issued before.
    The reserve audit runs in six-month periods from the registration day
    (MiCA Art 36(9)).
    Event-driven reports are dated with `event_obligation`.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if not 1 <= financial_year_end_month <= 12:
        raise ValueError("financial_year_end_month must be 1-12")
    owed: list[Obligation] = []
    for kind in kinds_for(category):
        if kind.period == MONTHLY:
            periods = _from_registration(_calendar_periods(registered_on, 1, until), registered_on)
        elif kind.period == QUARTERLY:
            if enrolled_quarterly_since is None:
                continue
            periods = _calendar_periods(max(enrolled_quarterly_since, registered_on), 3, until)
        elif kind.period == SEMIANNUAL:
            periods = _anniversary_periods(
                registered_on, profile.reserve_audit_interval_months, until
            )
        elif kind.period == ANNUAL:
            periods = _financial_years(registered_on, financial_year_end_month, until)
        else:
            continue
        owed.extend(
            Obligation(kind.code, start, end, kind.due.due_on(end, profile))
            for start, end in periods
        )
    return sorted(owed, key=lambda o: (o.due_on, o.period_start, o.kind))


def event_obligation(
    kind: str, event_on: date, profile: RegimeProfile, change: str | None = None
) -> Obligation:
    """The report an event calls for: an incident, a change, a white paper update.

    For a change report `change` says what changed (major_shareholder,
    executive, isms); an executive change is reported before it takes effect.
    """
    report_kind = REPORT_KINDS[kind]
    if report_kind.period != EVENT:
        raise ValueError(f"{kind} is a periodic report; use obligations()")
    if report_kind.due_by_change:
        if change not in report_kind.due_by_change:
            raise ValueError(f"{kind} needs change= one of {sorted(report_kind.due_by_change)}")
        rule = report_kind.due_by_change[change]
    else:
        rule = report_kind.due
    return Obligation(kind, event_on, event_on, rule.due_on(event_on, profile), change)


def overdue(
    owed: Iterable[Obligation], filed: set[tuple[str, date]], today: date
) -> list[Obligation]:
    """Obligations unfiled after their due date: overdue from the day after it."""
    return [o for o in owed if today > o.due_on and o.key not in filed]
