"""Automatic checks on filed reports (docs/domain.md section 5).

Each rule is a plain function `(report, context) -> list[FindingDraft]`,
listed in `RULES` with its severity and source. A rule breach is a finding,
never a validation error: a report showing 95% reserve coverage is a valid
report. Reports are dicts as the schemas of `forms.reports` load them; dumped
JSON (strings for amounts and dates) reads the same. Money and ratios are
Decimal; the figures in a finding's evidence are strings, so it serialises as
JSON without losing a digit.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

from workflows.amounts import won
from workflows.bilingual import BiText, t
from workflows.clock import add_business_days, business_days_between
from workflows.monitoring.obligations import REPORT_KINDS, Obligation, add_months
from workflows.monitoring.vocabulary import (
    AUDIT_OPINIONS,
    FAILED_AUDIT_OPINIONS,
    INCIDENT_KINDS,
    ISMS_STATUSES,
    RESERVE_ASSET_TYPES,
)
from workflows.regime import CATEGORY_LABELS, PEGGED_CATEGORIES, RegimeProfile

INFO, WARNING, CRITICAL = "info", "warning", "critical"
SEVERITIES = (INFO, WARNING, CRITICAL)
SEVERITY_LABELS = {
    INFO: t("Information", "참고"),
    WARNING: t("Warning", "경고"),
    CRITICAL: t("Critical", "중대"),
}

ANY_KIND = ("*",)


@dataclass(frozen=True)
class FindingDraft:
    """What a rule found; the service turns it into a Finding with an owner and a status."""

    rule: str
    severity: str
    message: BiText
    evidence: dict[str, Any]
    flag_central_bank: bool = False


@dataclass(frozen=True)
class CheckContext:
    profile: RegimeProfile
    category: str
    # From the calendar (`obligations` or `event_obligation`): when the report was due,
    # and the day it was filed.
    due_on: date | None = None
    filed_on: date | None = None
    enrolled_quarterly_since: date | None = None
    # The average reserve over the months before the report's date (`average_reserve`),
    # for the own-funds floor of an issuer with a reserve.
    average_reserve_krw: Decimal | None = None
    # The registration's issuance cap, if it carries one (docs/domain.md section 5).
    issuance_cap_krw: Decimal | None = None


Check = Callable[[dict, CheckContext], list[FindingDraft]]


@dataclass(frozen=True)
class Rule:
    code: str
    title: BiText
    severity: str
    kinds: tuple[str, ...]  # report kinds it reads; ANY_KIND for all; () for calendar rules
    # Where the rule comes from, said to the issuer in a remedy request: Korean sources first
    # in Korean (docs/domain.md section 5 lists each rule with its source).
    source: BiText
    check: Check | None = field(default=None, repr=False)
    flag_central_bank: bool = False


# -- figures -----------------------------------------------------------------


def _dec(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _pct(ratio: Decimal, rounding: str) -> str:
    """A ratio as a percentage with two decimals, rounded away from the threshold
    so that 99.999% never prints as "100%" in a finding about falling short."""
    text = f"{(ratio * 100).quantize(Decimal('0.01'), rounding=rounding):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def coverage_percent(coverage: Decimal) -> str:
    """Reserve coverage as people read it, the same in a finding and in the monthly table:
    a percentage with at most two decimals, rounded down (a shortfall never shows 100%)."""
    return _pct(coverage, ROUND_DOWN)


def _ratio(ratio: Decimal, rounding: str) -> str:
    return f"{ratio.quantize(Decimal('0.000001'), rounding=rounding):f}"


def _period(report: dict) -> str:
    return f"{_day(report['period_start']).isoformat()}..{_day(report['period_end']).isoformat()}"


def _draft(code: str, en: str, ko: str, evidence: dict, **values: Any) -> FindingDraft:
    rule = RULES_BY_CODE[code]
    return FindingDraft(
        rule=code,
        severity=rule.severity,
        message=BiText(
            f"{rule.title.en}: {en.format(**values)}", f"{rule.title.ko}: {ko.format(**values)}"
        ),
        evidence=_json_safe(evidence),
        flag_central_bank=rule.flag_central_bank,
    )


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- reserve report ------------------------------------------------------------


@dataclass(frozen=True)
class _Asset:
    number: int  # 1-based, as the issuer listed it
    asset_type: str
    bank: str
    value: Decimal
    maturity: date | None
    days_to_maturity: int | None
    ineligible: str | None  # "type" or "repo_term"
    too_long: bool

    @property
    def counts(self) -> bool:
        return self.ineligible is None and not self.too_long


def _assets(report: dict, profile: RegimeProfile) -> list[_Asset]:
    """The reserve as the rules see it. An asset outside the eligible list, a repo
    longer than overnight or a maturity past the limit does not count towards the
    reserve (FSC plan Dec 2025; MiCA Art 36(1))."""
    valuation = _day(report["period_end"])
    repo_limit = add_business_days(valuation, profile.reserve_repo_max_term_business_days)
    assets = []
    for number, item in enumerate(report.get("reserve_assets") or [], start=1):
        asset_type = item["asset_type"]
        maturity = _day(item["maturity_date"]) if item.get("maturity_date") else None
        days = (maturity - valuation).days if maturity else None
        if asset_type not in profile.reserve_eligible_asset_types:
            ineligible = "type"
        elif asset_type == "repo" and maturity and maturity > repo_limit:
            ineligible = "repo_term"
        else:
            ineligible = None
        assets.append(
            _Asset(
                number=number,
                asset_type=asset_type,
                bank=" ".join(str(item.get("custodian_bank") or "").split()),
                value=_dec(item["market_value_krw"]),
                maturity=maturity,
                days_to_maturity=days,
                ineligible=ineligible,
                too_long=days is not None and days > profile.reserve_max_maturity_days,
            )
        )
    return assets


def _eligible_total(assets: list[_Asset]) -> Decimal:
    return sum((a.value for a in assets if a.counts), Decimal(0))


def reserve_figures(report: dict, profile: RegimeProfile) -> dict[str, Decimal | None]:
    """Outstanding issuance, the eligible and the total reserve, and coverage, as the rules
    count them: what the supervision dashboard charts month by month."""
    outstanding = _dec(report["outstanding_issuance_krw"])
    assets = _assets(report, profile)
    eligible = _eligible_total(assets)
    return {
        "outstanding_issuance_krw": outstanding,
        "eligible_reserve_krw": eligible,
        "total_reserve_krw": sum((a.value for a in assets), Decimal(0)),
        "coverage": eligible / outstanding if outstanding > 0 else None,
    }


def _type_label(asset_type: str) -> BiText:
    return RESERVE_ASSET_TYPES.get(asset_type) or t(asset_type, asset_type)


def reserve_coverage_below_minimum(report: dict, context: CheckContext) -> list[FindingDraft]:
    profile = context.profile
    outstanding = _dec(report["outstanding_issuance_krw"])
    if outstanding <= 0:
        return []
    assets = _assets(report, profile)
    eligible = _eligible_total(assets)
    if eligible >= outstanding * profile.reserve_coverage_min:
        return []
    coverage = eligible / outstanding
    values = {
        "month": _day(report["period_end"]).strftime("%Y-%m"),
        "eligible": won(eligible),
        "outstanding": won(outstanding),
        "coverage": coverage_percent(coverage),
        "minimum": _pct(profile.reserve_coverage_min, ROUND_DOWN),
    }
    return [
        _draft(
            "reserve_coverage_below_minimum",
            "in {month}, the eligible reserve of {eligible} covers {coverage}% of outstanding "
            "issuance of {outstanding}; the minimum is {minimum}%.",
            "{month} 적격 준비자산 {eligible}은(는) 발행 잔액 {outstanding}의 {coverage}%로, "
            "최저 기준 {minimum}%에 미달합니다.",
            {
                "period_start": _day(report["period_start"]),
                "period_end": _day(report["period_end"]),
                "outstanding_issuance_krw": outstanding,
                "eligible_reserve_krw": eligible,
                "total_reserve_krw": sum((a.value for a in assets), Decimal(0)),
                "coverage": _ratio(coverage, ROUND_DOWN),
                "threshold": profile.reserve_coverage_min,
            },
            **values,
        )
    ]


def reserve_asset_ineligible(report: dict, context: CheckContext) -> list[FindingDraft]:
    profile = context.profile
    valuation = _day(report["period_end"])
    repo_limit = add_business_days(valuation, profile.reserve_repo_max_term_business_days)
    drafts = []
    for asset in _assets(report, profile):
        if asset.ineligible is None:
            continue
        label = _type_label(asset.asset_type)
        if asset.ineligible == "type":
            why = t("this type of asset is not on the eligible list", "적격자산이 아닙니다")
        else:
            why = t(
                f"the repo matures on {asset.maturity}, later than overnight ({repo_limit})",
                f"RP 만기 {asset.maturity}이(가) 익일({repo_limit})보다 늦습니다",
            )
        drafts.append(
            _draft(
                "reserve_asset_ineligible",
                "asset {number} ({type_en}, {value}) does not count towards the reserve: {why}.",
                "자산 {number}({type_ko}, {value})은(는) 준비자산으로 인정되지 않습니다: {why_ko}.",
                {
                    "asset_number": asset.number,
                    "asset_type": asset.asset_type,
                    "market_value_krw": asset.value,
                    "maturity_date": asset.maturity,
                    "reason": asset.ineligible,
                    "eligible_types": sorted(profile.reserve_eligible_asset_types),
                    "repo_latest_maturity": repo_limit if asset.asset_type == "repo" else None,
                },
                number=asset.number,
                type_en=label.en,
                type_ko=label.ko,
                value=won(asset.value),
                why=why.en,
                why_ko=why.ko,
            )
        )
    return drafts


def reserve_maturity_too_long(report: dict, context: CheckContext) -> list[FindingDraft]:
    maximum = context.profile.reserve_max_maturity_days
    valuation = _day(report["period_end"])
    drafts = []
    for asset in _assets(report, context.profile):
        if not asset.too_long:
            continue
        label = _type_label(asset.asset_type)
        drafts.append(
            _draft(
                "reserve_maturity_too_long",
                "asset {number} ({type_en}, {value}) matures on {maturity}, {days} days after "
                "the valuation date {valuation}; the maximum is {maximum} days.",
                "자산 {number}({type_ko}, {value})의 만기 {maturity}은(는) 평가일 {valuation}부터 "
                "{days}일 뒤로, 최장 {maximum}일을 넘습니다.",
                {
                    "asset_number": asset.number,
                    "asset_type": asset.asset_type,
                    "market_value_krw": asset.value,
                    "maturity_date": asset.maturity,
                    "valuation_date": valuation,
                    "days_to_maturity": asset.days_to_maturity,
                    "threshold": maximum,
                },
                number=asset.number,
                type_en=label.en,
                type_ko=label.ko,
                value=won(asset.value),
                maturity=asset.maturity.isoformat(),
                days=asset.days_to_maturity,
                valuation=valuation.isoformat(),
                maximum=maximum,
            )
        )
    return drafts


def reserve_bank_deposits_below_minimum(report: dict, context: CheckContext) -> list[FindingDraft]:
    profile = context.profile
    assets = _assets(report, profile)
    eligible = _eligible_total(assets)
    if eligible <= 0:
        return []  # no reserve at all: the coverage rule says so
    deposits = sum(
        (a.value for a in assets if a.counts and a.asset_type == "bank_deposit"), Decimal(0)
    )
    if deposits >= eligible * profile.reserve_bank_deposit_min_share:
        return []
    share = deposits / eligible
    return [
        _draft(
            "reserve_bank_deposits_below_minimum",
            "bank deposits of {deposits} are {share}% of the eligible reserve of {eligible}; "
            "the minimum is {minimum}%.",
            "은행 예금 {deposits}은(는) 적격 준비자산 {eligible}의 {share}%로, "
            "최저 기준 {minimum}%에 미달합니다.",
            {
                "bank_deposits_krw": deposits,
                "eligible_reserve_krw": eligible,
                "share": _ratio(share, ROUND_DOWN),
                "threshold": profile.reserve_bank_deposit_min_share,
            },
            deposits=won(deposits),
            eligible=won(eligible),
            share=_pct(share, ROUND_DOWN),
            minimum=_pct(profile.reserve_bank_deposit_min_share, ROUND_DOWN),
        )
    ]


def reserve_single_bank_concentration(report: dict, context: CheckContext) -> list[FindingDraft]:
    """Deposits are claims on the bank; securities in segregated custody are not
    (MiCA Art 37), so concentration counts deposits only."""
    profile = context.profile
    assets = _assets(report, profile)
    eligible = _eligible_total(assets)
    if eligible <= 0:
        return []
    by_bank: dict[str, Decimal] = defaultdict(Decimal)
    for asset in assets:
        if asset.counts and asset.asset_type == "bank_deposit":
            by_bank[asset.bank] += asset.value
    limit = eligible * profile.reserve_single_bank_max_share
    drafts = []
    for bank, amount in sorted(by_bank.items(), key=lambda item: -item[1]):
        if amount <= limit:
            continue
        share = amount / eligible
        drafts.append(
            _draft(
                "reserve_single_bank_concentration",
                "deposits of {amount} at {bank} are {share}% of the eligible reserve of "
                "{eligible}; the maximum at one bank is {maximum}%.",
                "{bank} 예치금 {amount}은(는) 적격 준비자산 {eligible}의 {share}%로, "
                "단일 은행 한도 {maximum}%를 넘습니다.",
                {
                    "bank": bank,
                    "bank_deposits_krw": amount,
                    "eligible_reserve_krw": eligible,
                    "share": _ratio(share, ROUND_UP),
                    "threshold": profile.reserve_single_bank_max_share,
                },
                amount=won(amount),
                bank=bank,
                eligible=won(eligible),
                share=_pct(share, ROUND_UP),
                maximum=_pct(profile.reserve_single_bank_max_share, ROUND_DOWN),
            )
        )
    return drafts


# -- cross-border flows, redemptions -------------------------------------------


def cross_border_net_outflow(report: dict, context: CheckContext) -> list[FindingDraft]:
    profile = context.profile
    outstanding = _dec(report["outstanding_issuance_krw"])
    rows = report.get("rows") or []
    inbound = sum((_dec(r["inbound_krw"]) for r in rows), Decimal(0))
    outbound = sum((_dec(r["outbound_krw"]) for r in rows), Decimal(0))
    net = outbound - inbound
    if net <= outstanding * profile.cross_border_net_outflow_max_share:
        return []
    by_country: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        by_country[row["country"]] += _dec(row["outbound_krw"]) - _dec(row["inbound_krw"])
    share = net / outstanding if outstanding > 0 else None
    month = _day(report["period_start"]).strftime("%Y-%m")
    return [
        _draft(
            "cross_border_net_outflow",
            "the net outflow of {net} in {month} is {share}% of outstanding issuance of "
            "{outstanding}; the limit is {maximum}%. Flagged for the Bank of Korea.",
            "{month} 순유출 {net}은(는) 발행 잔액 {outstanding}의 {share}%로, 한도 {maximum}%를 "
            "넘습니다. 한국은행 통보 대상입니다.",
            {
                "period_start": _day(report["period_start"]),
                "period_end": _day(report["period_end"]),
                "inbound_krw": inbound,
                "outbound_krw": outbound,
                "net_outflow_krw": net,
                "outstanding_issuance_krw": outstanding,
                "share": _ratio(share, ROUND_UP) if share is not None else None,
                "threshold": profile.cross_border_net_outflow_max_share,
                "net_outflow_by_country": {
                    country: amount
                    for country, amount in sorted(by_country.items(), key=lambda i: -i[1])
                    if amount > 0
                },
            },
            net=won(net),
            month=month,
            share=_pct(share, ROUND_UP) if share is not None else "—",
            outstanding=won(outstanding),
            maximum=_pct(profile.cross_border_net_outflow_max_share, ROUND_DOWN),
        )
    ]


def redemption_paid_late(report: dict, context: CheckContext) -> list[FindingDraft]:
    maximum = context.profile.redemption_max_business_days
    late = int(report["paid_late_count"])
    longest = int(report["longest_payment_business_days"])
    if late == 0 and longest <= maximum:
        return []
    month = _day(report["period_start"]).strftime("%Y-%m")
    return [
        _draft(
            "redemption_paid_late",
            "{late} redemption(s) in {month} paid after the {maximum}-business-day deadline; "
            "the longest payment took {longest} business days.",
            "{month} 상환 중 {late}건이 {maximum}영업일 기한을 넘겨 지급되었습니다"
            "(최장 {longest}영업일).",
            {
                "period_start": _day(report["period_start"]),
                "period_end": _day(report["period_end"]),
                "paid_late_count": late,
                "longest_payment_business_days": longest,
                "threshold": maximum,
            },
            late=late,
            month=month,
            maximum=maximum,
            longest=longest,
        )
    ]


# -- audited financials, quarterly enrolment -----------------------------------


def average_reserve(
    reserve_reports: Iterable[dict], as_of: date, profile: RegimeProfile
) -> Decimal | None:
    """The average reserve reported for the profile's months up to `as_of` (MiCA Art
    35(1)(b): six months). MiCA averages day-end values; the registry holds month-end
    ones, one per reserve report. None when no report falls in the window."""
    since = add_months(as_of, -profile.own_funds_reserve_average_months)
    values = [
        reserve_figures(report, profile)["total_reserve_krw"]
        for report in reserve_reports
        if since < _day(report["period_end"]) <= as_of
    ]
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def own_funds_floor(context: CheckContext) -> tuple[Decimal | int | None, Decimal | None]:
    """The own-funds floor and, when it is the larger part, the reserve-scaled amount:
    the larger of the category's minimum capital and the profile's share of the average
    reserve, for a category that keeps a reserve (MiCA Art 35(1))."""
    fixed = context.profile.minimum_capital_for(context.category)
    scaled = None
    keeps_reserve = context.category in REPORT_KINDS["reserve_report"].categories
    if keeps_reserve and context.average_reserve_krw is not None:
        scaled = context.average_reserve_krw * context.profile.own_funds_reserve_share_min
    if scaled is not None and (fixed is None or scaled > fixed):
        return scaled, scaled
    return fixed, None


def own_funds_below_minimum(report: dict, context: CheckContext) -> list[FindingDraft]:
    floor, scaled = own_funds_floor(context)
    if floor is None:
        return []
    own_funds = _dec(report["own_funds_krw"])
    if own_funds >= floor:
        return []
    year_end = _day(report["financial_year_end"])
    category = CATEGORY_LABELS.get(context.category) or t(context.category, "")
    evidence = {
        "financial_year_end": year_end,
        "own_funds_krw": own_funds,
        "threshold": floor,
        "category": context.category,
        "minimum_capital_krw": context.profile.minimum_capital_for(context.category),
        "average_reserve_krw": context.average_reserve_krw,
        "reserve_share": context.profile.own_funds_reserve_share_min,
    }
    values = {
        "own_funds": won(own_funds),
        "year_end": year_end.isoformat(),
        "minimum": won(floor),
        "category_en": category.en,
        "category_ko": category.ko,
    }
    if scaled is None:
        return [
            _draft(
                "own_funds_below_minimum",
                "own funds of {own_funds} at the financial year end {year_end} are below the "
                "minimum capital of {minimum} for a {category_en}.",
                "{year_end} 결산 자기자본 {own_funds}이(가) {category_ko} 최저 자본금 "
                "{minimum}에 미달합니다.",
                evidence,
                **values,
            )
        ]
    return [
        _draft(
            "own_funds_below_minimum",
            "own funds of {own_funds} at the financial year end {year_end} are below "
            "{minimum}, {share}% of the average reserve of {average} over the {months} "
            "months before it, which exceeds the minimum capital of {capital}.",
            "{year_end} 결산 자기자본 {own_funds}이(가) 직전 {months}개월 평균 준비자산 "
            "{average}의 {share}%인 {minimum}에 미달합니다(최저 자본금 {capital}보다 큰 "
            "금액).",
            evidence,
            share=_pct(context.profile.own_funds_reserve_share_min, ROUND_DOWN),
            average=won(context.average_reserve_krw),
            months=context.profile.own_funds_reserve_average_months,
            capital=won(context.profile.minimum_capital_for(context.category) or 0),
            **values,
        )
    ]


def _as_of(report: dict) -> date:
    return _day(report.get("period_end") or report["financial_year_end"])


def quarter_end(day: date) -> date:
    first_month = (day.month - 1) // 3 * 3 + 1
    return add_months(date(day.year, first_month, 1), 3) - timedelta(days=1)


def quarterly_enrolment_date(report: dict, context: CheckContext) -> date | None:
    """The day this report enrols the issuer in quarterly reporting, if it does.

    Outstanding issuance above the threshold on the report's valuation date
    enrols an issuer not yet enrolled; the first quarterly report is for the
    quarter containing that day (Implementing Reg. 2024/2902 Art 2(2)). Pass
    the date to `obligations(enrolled_quarterly_since=...)`.
    """
    if context.category not in REPORT_KINDS["quarterly_report"].categories:
        return None
    if context.enrolled_quarterly_since is not None:
        return None
    outstanding = report.get("outstanding_issuance_krw")
    if outstanding is None:
        return None
    if _dec(outstanding) <= context.profile.quarterly_report_threshold_krw:
        return None
    return _as_of(report)


def quarterly_reporting_enrolled(report: dict, context: CheckContext) -> list[FindingDraft]:
    enrolled_on = quarterly_enrolment_date(report, context)
    if enrolled_on is None:
        return []
    threshold = context.profile.quarterly_report_threshold_krw
    outstanding = _dec(report["outstanding_issuance_krw"])
    first_quarter_end = quarter_end(enrolled_on)
    return [
        _draft(
            "quarterly_reporting_enrolled",
            "outstanding issuance of {outstanding} on {as_of} exceeds {threshold}; quarterly "
            "reports are due from the quarter ending {quarter_end}.",
            "{as_of} 기준 발행 잔액 {outstanding}이(가) {threshold}을(를) 넘어 {quarter_end}에 "
            "끝나는 분기부터 분기 보고 대상입니다.",
            {
                "outstanding_issuance_krw": outstanding,
                "threshold": threshold,
                "enrolled_since": enrolled_on,
                "first_quarter_end": first_quarter_end,
            },
            outstanding=won(outstanding),
            as_of=enrolled_on.isoformat(),
            threshold=won(threshold),
            quarter_end=first_quarter_end.isoformat(),
        )
    ]


def enrolment_from(findings: Iterable[FindingDraft]) -> date | None:
    """The enrolment date carried by a `quarterly_reporting_enrolled` finding, if any."""
    for finding in findings:
        if finding.rule == "quarterly_reporting_enrolled":
            return date.fromisoformat(finding.evidence["enrolled_since"])
    return None


# -- incidents and changes ------------------------------------------------------


def depeg_below_floor(report: dict, context: CheckContext) -> list[FindingDraft]:
    """A peg is broken when the price stays below the floor for the profile's duration (a
    day), not at one tick below it; only tokens that promise a fixed value in won have a
    peg to break (PEGGED_CATEGORIES)."""
    profile = context.profile
    if context.category not in PEGGED_CATEGORIES or report.get("incident_kind") != "depeg":
        return []
    if report.get("lowest_price_krw") is None or report.get("hours_below_floor") is None:
        return []
    price = _dec(report["lowest_price_krw"])
    hours = _dec(report["hours_below_floor"])
    floor = profile.depeg_floor_krw
    if price >= floor or hours < profile.depeg_min_duration_hours:
        return []
    occurred = _day(report["occurred_at"])
    return [
        _draft(
            "depeg_below_floor",
            "from {occurred} the price stayed below the floor of {floor} KRW for {hours} hours "
            "(at least {minimum} count), falling to {price} KRW.",
            "{occurred}부터 가격이 하한 {floor}원 아래에 {hours}시간 머물렀고({minimum}시간 "
            "이상이면 해당) 최저 {price}원까지 내려갔습니다.",
            {
                "occurred_on": occurred,
                "lowest_price_krw": price,
                "hours_below_floor": hours,
                "threshold": floor,
                "minimum_hours": profile.depeg_min_duration_hours,
            },
            occurred=occurred.isoformat(),
            price=f"{price:f}",
            floor=f"{floor:f}",
            hours=f"{hours.normalize():f}",
            minimum=profile.depeg_min_duration_hours,
        )
    ]


def isms_expired(report: dict, context: CheckContext) -> list[FindingDraft]:
    if report.get("change_kind") != "isms":
        return []
    effective = _day(report["effective_on"])
    status = report.get("isms_status") or "valid"
    valid_until = _day(report["isms_valid_until"]) if report.get("isms_valid_until") else None
    lapsed = valid_until is not None and valid_until < effective
    if status not in ("expired", "revoked") and not lapsed:
        return []
    shown = "expired" if lapsed and status not in ("expired", "revoked") else status
    return [
        _draft(
            "isms_expired",
            "certificate {number} is {status_en} as of {effective} (valid until {valid_until}).",
            "인증서 {number}이(가) {effective} 기준 {status_ko} 상태입니다"
            "(유효기간 {valid_until}).",
            {
                "isms_certificate_number": report.get("isms_certificate_number"),
                "isms_status": shown,
                "isms_valid_until": valid_until,
                "effective_on": effective,
            },
            number=report.get("isms_certificate_number") or "-",
            status_en=ISMS_STATUSES[shown].en.lower(),
            status_ko=ISMS_STATUSES[shown].ko,
            effective=effective.isoformat(),
            valid_until=valid_until.isoformat() if valid_until else "-",
        )
    ]


def bank_majority_lost(report: dict, context: CheckContext) -> list[FindingDraft]:
    """A change of a KRW stablecoin issuer's major shareholders that leaves the banks short
    of the bank-led consortium share (the same regime figures as the application's test,
    forms/sections/ownership.py): at the threshold passes only where the profile asks for
    "at least"; below it, or at it where it asks for "more than", is a finding."""
    profile = context.profile
    banks = report.get("bank_shareholding_total_after_pct")
    if (
        context.category != "krw_stablecoin"
        or not profile.consortium_rule_enabled
        or report.get("change_kind") != "major_shareholder"
        or banks is None
    ):
        return []
    banks, minimum = _dec(banks), profile.consortium_bank_share_min
    strictly = profile.consortium_bank_share_strictly_above
    if profile.banks_lead(banks):
        return []
    return [
        _draft(
            "bank_majority_lost",
            "after the change effective {effective}, banks hold {banks}%; they must hold "
            "{need} {minimum}%.",
            "{effective} 변경 후 은행 지분은 {banks}%로, {minimum}% {need_ko} 보유해야 하는 "
            "요건에 미달합니다.",
            {
                "effective_on": _day(report["effective_on"]),
                "bank_shareholding_total_after_pct": banks,
                "threshold": minimum,
            },
            effective=_day(report["effective_on"]).isoformat(),
            banks=_plain(banks),
            minimum=_plain(minimum),
            need="more than" if strictly else "at least",
            need_ko="초과" if strictly else "이상",
        )
    ]


def _plain(value: Decimal) -> str:
    """A percentage figure without trailing zeros: 50, 49.5."""
    text = f"{value.normalize():f}"
    return text


def outstanding_above_issuance_cap(report: dict, context: CheckContext) -> list[FindingDraft]:
    """Outstanding issuance above the registration's cap breaks a condition of registration:
    at the cap is within it, one won more is not (MiCA Art 23(1), stop issuing past a
    limit, as the model)."""
    if context.issuance_cap_krw is None:
        return []
    cap = _dec(context.issuance_cap_krw)
    outstanding = _dec(report["outstanding_issuance_krw"])
    if outstanding <= cap:
        return []
    return [
        _draft(
            "outstanding_above_issuance_cap",
            "outstanding issuance of {outstanding} on {as_of} is {excess} above the cap of {cap}.",
            "{as_of} 기준 발행 잔액 {outstanding}이(가) 발행 한도 {cap}을(를) {excess} 넘었습니다.",
            {
                "period_end": _day(report["period_end"]),
                "outstanding_issuance_krw": outstanding,
                "threshold": cap,
                "excess_krw": outstanding - cap,
            },
            outstanding=won(outstanding),
            as_of=_day(report["period_end"]).isoformat(),
            excess=won(outstanding - cap),
            cap=won(cap),
        )
    ]


# -- report contents: custody, audit opinions, incidents, the ISMS calendar ------------


def reserve_custodian_not_segregated(report: dict, context: CheckContext) -> list[FindingDraft]:
    """A reserve held with the issuer's own assets is not out of its creditors' reach
    (MiCA Art 36(2)): each custodian reported as not segregated is one finding."""
    drafts = []
    for number, custodian in enumerate(report.get("custodians") or [], start=1):
        if custodian.get("segregated") is True:
            continue
        bank = " ".join(str(custodian.get("bank_name") or "").split()) or "-"
        drafts.append(
            _draft(
                "reserve_custodian_not_segregated",
                "custodian {number} ({bank}) holds the reserve without segregating it from "
                "the issuer's own assets.",
                "보관기관 {number}({bank})이(가) 준비자산을 발행인 고유재산과 분리하지 않고 "
                "보관합니다.",
                {
                    "custodian_number": number,
                    "bank_name": bank,
                    "account_reference": custodian.get("account_reference"),
                    "period_end": _day(report["period_end"]),
                },
                number=number,
                bank=bank,
            )
        )
    return drafts


def _failed_opinion(code: str, report: dict, what_en: str, what_ko: str, evidence: dict):
    opinion = report.get("opinion")
    if opinion not in FAILED_AUDIT_OPINIONS:
        return []
    label = AUDIT_OPINIONS[opinion]
    auditor = report.get("audit_firm") or report.get("auditor") or "-"
    return [
        _draft(
            code,
            '{auditor} gave {what_en} an opinion of "{opinion_en}".',
            '{auditor}이(가) {what_ko}에 "{opinion_ko}" 의견을 냈습니다.',
            {"opinion": opinion, "auditor": auditor, **evidence},
            auditor=auditor,
            what_en=what_en,
            what_ko=what_ko,
            opinion_en=label.en.lower(),
            opinion_ko=label.ko,
        )
    ]


def reserve_audit_opinion_failed(report: dict, context: CheckContext) -> list[FindingDraft]:
    """An adverse or disclaimed opinion on the reserve: the audit MiCA Art 36(9) asks for
    could not confirm the reserve. A qualified opinion is not a finding."""
    return _failed_opinion(
        "reserve_audit_opinion_failed",
        report,
        f"the reserve audit for {_period(report)}",
        f"{_period(report)} 준비자산 감사",
        {"period_start": _day(report["period_start"]), "period_end": _day(report["period_end"])},
    )


def financial_statements_opinion_failed(report: dict, context: CheckContext) -> list[FindingDraft]:
    """An adverse or disclaimed opinion on the financial statements: the own funds they
    report (MiCA Art 35) cannot be relied on."""
    year_end = _day(report["financial_year_end"])
    return _failed_opinion(
        "financial_statements_opinion_failed",
        report,
        f"the financial statements for the year ending {year_end.isoformat()}",
        f"{year_end.isoformat()} 결산 재무제표",
        {"financial_year_end": year_end},
    )


# An incident of these kinds puts holders' tokens or the reserve at risk (critical);
# an outage stops redemption for a while (a warning); a depeg has its own rule.
SECURITY_INCIDENTS = ("hack", "key_loss")
AVAILABILITY_INCIDENTS = ("outage",)


def _incident(code: str, kinds: tuple[str, ...], report: dict) -> list[FindingDraft]:
    kind = report.get("incident_kind")
    if kind not in kinds:
        return []
    occurred = _day(report["occurred_at"])
    label = INCIDENT_KINDS[kind]
    return [
        _draft(
            code,
            "the issuer reported {kind_en} that began on {occurred}.",
            "발행인이 {occurred}에 시작된 {kind_ko} 사고를 보고했습니다.",
            {"incident_kind": kind, "occurred_on": occurred},
            kind_en=f"an incident ({label.en.lower()})",
            kind_ko=label.ko,
            occurred=occurred.isoformat(),
        )
    ]


def incident_security_breach(report: dict, context: CheckContext) -> list[FindingDraft]:
    return _incident("incident_security_breach", SECURITY_INCIDENTS, report)


def incident_outage(report: dict, context: CheckContext) -> list[FindingDraft]:
    return _incident("incident_outage", AVAILABILITY_INCIDENTS, report)


def isms_expiry(application_expires_on: Any, isms_changes: Iterable[dict]) -> date | None:
    """The day the issuer's ISMS certificate expires, as the supervisor knows it: the
    expiry its latest ISMS change report gave, else the one in its application
    (docs/domain.md section 3.9)."""
    latest: tuple[date, date] | None = None
    for change in isms_changes:
        if change.get("change_kind", "isms") != "isms" or not change.get("isms_valid_until"):
            continue
        key = (_day(change["effective_on"]), _day(change["isms_valid_until"]))
        if latest is None or key > latest:
            latest = key
    if latest is not None:
        return latest[1]
    return _day(application_expires_on) if application_expires_on else None


def isms_past_expiry_findings(
    expires_on: date | None, today: date, certificate_number: str | None = None
) -> list[FindingDraft]:
    """A certificate is valid through its expiry day and lapsed from the day after (Network
    Act Art 47): the monitoring run raises this from the calendar."""
    if expires_on is None or today <= expires_on:
        return []
    return [
        _draft(
            "isms_certificate_past_expiry",
            "certificate {number} expired on {expires}, {days} day(s) ago, and no renewal "
            "has been reported.",
            "인증서 {number}이(가) {expires}에 만료되어 {days}일이 지났으나 갱신이 보고되지 "
            "않았습니다.",
            {
                "isms_certificate_number": certificate_number,
                "isms_valid_until": expires_on,
                "checked_on": today,
            },
            number=certificate_number or "-",
            expires=expires_on.isoformat(),
            days=(today - expires_on).days,
        )
    ]


def wind_down_overdue_findings(
    wind_down_by: date | None, today: date, last_report: dict | None
) -> list[FindingDraft]:
    """A registration ended by surrender, revocation or lapse whose holders are not all
    redeemed by the day they were to be (docs/domain.md section 4, wind-down): raised by the
    monitoring run from the day after, with what the latest redemption report said."""
    if wind_down_by is None or today <= wind_down_by:
        return []
    outstanding = (last_report or {}).get("outstanding_krw")
    return [
        _draft(
            "wind_down_overdue",
            "every holder was to be redeemed by {by}, {days} day(s) ago; {said}.",
            "{by}까지 모든 보유자에게 상환해야 했으나 {days}일이 지났습니다. {said_ko}.",
            {"wind_down_by": wind_down_by, "checked_on": today, "last_report": last_report},
            by=wind_down_by.isoformat(),
            days=(today - wind_down_by).days,
            said=f"the latest redemption report shows KRW {outstanding} outstanding"
            if last_report
            else "no redemption report has been filed",
            said_ko=f"최근 상환 보고서의 미상환 발행액은 {outstanding}원입니다"
            if last_report
            else "상환 보고서가 제출되지 않았습니다",
        )
    ]


# -- timeliness ----------------------------------------------------------------


def _report_period(report: dict) -> str:
    if report.get("period_start") and report.get("period_end"):
        return _period(report)
    for key in ("financial_year_end", "effective_on", "occurred_at", "reference_date"):
        if report.get(key):
            return _day(report[key]).isoformat()
    return "-"


def _business_days_late(due_on: date, day: date) -> int:
    """How late `day` is, in business days as every deadline of the service is counted
    (docs/domain.md section 4); past the due date is at least one, even on a weekend or
    a holiday. The calendar days stay in the evidence."""
    return max(1, business_days_between(due_on, day))


def report_filed_late(report: dict, context: CheckContext) -> list[FindingDraft]:
    if context.due_on is None or context.filed_on is None or context.filed_on <= context.due_on:
        return []
    kind = REPORT_KINDS.get(report.get("kind", ""), None)
    label = kind.label if kind else t("The report", "보고서")
    days = _business_days_late(context.due_on, context.filed_on)
    return [
        _draft(
            "report_filed_late",
            "{kind_en} for {period} was filed on {filed_on}, {days} business day(s) after its "
            "due date {due_on}.",
            "{kind_ko}({period})이(가) 기한 {due_on}보다 {days}영업일 늦은 {filed_on}에 "
            "제출되었습니다.",
            {
                "report_kind": kind.code if kind else None,
                "due_on": context.due_on,
                "filed_on": context.filed_on,
                "days_late": (context.filed_on - context.due_on).days,
                "business_days_late": days,
            },
            kind_en=label.en,
            kind_ko=label.ko,
            period=_report_period(report),
            filed_on=context.filed_on.isoformat(),
            due_on=context.due_on.isoformat(),
            days=days,
        )
    ]


def missing_report_findings(owed: Iterable[Obligation], today: date) -> list[FindingDraft]:
    """A finding for each overdue obligation (pass the result of `overdue`)."""
    drafts = []
    for obligation in owed:
        label = REPORT_KINDS[obligation.kind].label
        if obligation.period_start == obligation.period_end:
            period = obligation.period_start.isoformat()
        else:
            period = f"{obligation.period_start.isoformat()}..{obligation.period_end.isoformat()}"
        days = _business_days_late(obligation.due_on, today)
        drafts.append(
            _draft(
                "report_missing",
                "{kind_en} for {period} was due on {due_on} and has not been filed "
                "({days} business day(s) overdue).",
                "{kind_ko}({period})의 제출 기한 {due_on}이(가) 지났으나 제출되지 않았습니다"
                "({days}영업일 경과).",
                {
                    "report_kind": obligation.kind,
                    "period_start": obligation.period_start,
                    "period_end": obligation.period_end,
                    "due_on": obligation.due_on,
                    "checked_on": today,
                    "days_overdue": (today - obligation.due_on).days,
                    "business_days_overdue": days,
                },
                kind_en=label.en,
                kind_ko=label.ko,
                period=period,
                due_on=obligation.due_on.isoformat(),
                days=days,
            )
        )
    return drafts


# -- the table -----------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        "reserve_coverage_below_minimum",
        t("Reserve coverage below the minimum", "준비자산 비율 미달"),
        CRITICAL,
        ("reserve_report",),
        t(
            "FSC virtual-asset issuer plan (Dec 2025); MiCA Art 36(1) (100% at all times)",
            "금융위원회 가상자산 발행인 방안(2025년 12월); EU MiCA 제36조제1항(상시 100%)",
        ),
        reserve_coverage_below_minimum,
    ),
    Rule(
        "reserve_asset_ineligible",
        t("Ineligible reserve asset", "부적격 준비자산"),
        WARNING,
        ("reserve_report",),
        t(
            "FSC virtual-asset issuer plan (Dec 2025) (eligible assets); MiCA Art 36(1)",
            "금융위원회 가상자산 발행인 방안(2025년 12월)(인정 자산); EU MiCA 제36조제1항",
        ),
        reserve_asset_ineligible,
    ),
    Rule(
        "reserve_maturity_too_long",
        t("Reserve asset maturity too long", "준비자산 만기 초과"),
        WARNING,
        ("reserve_report",),
        t(
            "FSC virtual-asset issuer plan (Dec 2025); GENIUS Act 12 USC 5903 (93 days)",
            "금융위원회 가상자산 발행인 방안(2025년 12월); 미국 GENIUS Act 12 USC 5903(93일)",
        ),
        reserve_maturity_too_long,
    ),
    Rule(
        "reserve_bank_deposits_below_minimum",
        t("Bank deposits below the minimum share", "은행 예금 비중 미달"),
        WARNING,
        ("reserve_report",),
        t("MiCA Art 54(a) (30% in bank deposits)", "EU MiCA 제54조(a)(은행 예금 30%)"),
        reserve_bank_deposits_below_minimum,
    ),
    Rule(
        "reserve_single_bank_concentration",
        t("Reserve concentrated at one bank", "단일 은행 집중"),
        WARNING,
        ("reserve_report",),
        t(
            "Supervisory default of this register (50% at one bank)",
            "이 등록부의 감독 기준(한 은행 50%)",
        ),
        reserve_single_bank_concentration,
    ),
    Rule(
        "cross_border_net_outflow",
        t("Cross-border net outflow over the limit", "국경 간 순유출 한도 초과"),
        WARNING,
        ("cross_border_flows",),
        t(
            "Bank of Korea consultation (capital flight); "
            "supervisory default of this register (10% a month)",
            "한국은행 협의(자본 유출); 이 등록부의 감독 기준(월 10%)",
        ),
        cross_border_net_outflow,
        flag_central_bank=True,
    ),
    Rule(
        "redemption_paid_late",
        t("Redemption paid late", "상환 지연"),
        WARNING,
        ("redemption_statistics",),
        t(
            "Registration requirement (redemption within 5 business days); "
            "MiCA Art 49 (redemption at par); NYDFS guidance 2022",
            "등록 요건(5영업일 이내 상환); EU MiCA 제49조(액면 상환); "
            "미국 뉴욕주 금융감독청(NYDFS) 2022년 지침",
        ),
        redemption_paid_late,
    ),
    Rule(
        "own_funds_below_minimum",
        t("Own funds below the minimum capital", "자기자본 최저 기준 미달"),
        CRITICAL,
        ("audited_financials",),
        t(
            "FSC virtual-asset issuer plan (Dec 2025) (KRW 5bn); "
            "MiCA Art 35(1) (or 2% of the average reserve)",
            "금융위원회 가상자산 발행인 방안(2025년 12월)(50억 원); "
            "EU MiCA 제35조제1항(또는 평균 준비자산의 2%)",
        ),
        own_funds_below_minimum,
    ),
    Rule(
        "quarterly_reporting_enrolled",
        t("Enrolled in quarterly reporting", "분기 보고 대상 편입"),
        INFO,
        ("reserve_report", "cross_border_flows", "audited_financials"),
        t(
            "MiCA Art 22(1); Implementing Reg. 2024/2902 Art 2(2)",
            "EU MiCA 제22조제1항; EU 이행규칙 2024/2902 제2조제2항",
        ),
        quarterly_reporting_enrolled,
    ),
    Rule(
        "depeg_below_floor",
        t("Depeg below the floor", "가치 고정 이탈"),
        WARNING,
        ("incident_report",),
        t(
            "Supervisory default of this register (below 0.99 KRW for 24 hours; "
            "KRW stablecoins only); MiCA Art 30(3)",
            "이 등록부의 감독 기준(24시간 동안 0.99원 미만, 원화 스테이블코인); "
            "EU MiCA 제30조제3항",
        ),
        depeg_below_floor,
    ),
    Rule(
        "isms_expired",
        t("ISMS certification not valid", "ISMS 인증 효력 상실"),
        CRITICAL,
        ("change_report",),
        t(
            "Network Act Art 47 (ISMS); condition of registration",
            "정보통신망법 제47조(ISMS); 등록 조건",
        ),
        isms_expired,
    ),
    Rule(
        "bank_majority_lost",
        t("Bank-led consortium share lost", "은행 중심 컨소시엄 지분 요건 미달"),
        CRITICAL,
        ("change_report",),
        t(
            "FSC virtual-asset issuer plan (Dec 2025, bank-led consortium); "
            "MiCA Art 41-42 (change of control) as the model",
            "금융위원회 가상자산 발행인 방안(2025년 12월, 은행 중심 컨소시엄); "
            "EU MiCA 제41조~제42조(지배권 변경) 참고",
        ),
        bank_majority_lost,
    ),
    Rule(
        "outstanding_above_issuance_cap",
        t("Outstanding issuance above the cap", "발행 한도 초과"),
        CRITICAL,
        ("reserve_report",),
        t(
            "Condition of registration (issuance cap); MiCA Art 23(1) as the model",
            "등록 조건(발행 한도); EU MiCA 제23조제1항 참고",
        ),
        outstanding_above_issuance_cap,
    ),
    Rule(
        "reserve_custodian_not_segregated",
        t("Reserve not segregated", "준비자산 분리 보관 위반"),
        CRITICAL,
        ("reserve_report",),
        t(
            "Virtual Asset User Protection Act Art 6; "
            "MiCA Art 36(2) (reserve segregated from the issuer's estate), Art 37",
            "가상자산이용자보호법 제6조; EU MiCA 제36조제2항(발행인 재산과 분리), 제37조",
        ),
        reserve_custodian_not_segregated,
    ),
    Rule(
        "reserve_audit_opinion_failed",
        t("Reserve audit opinion adverse or disclaimed", "준비자산 감사의견 부적정·거절"),
        CRITICAL,
        ("reserve_audit",),
        t(
            "MiCA Art 36(9) (independent audit of the reserve every six months)",
            "EU MiCA 제36조제9항(6개월마다 준비자산 독립 감사)",
        ),
        reserve_audit_opinion_failed,
    ),
    Rule(
        "financial_statements_opinion_failed",
        t("Audit opinion adverse or disclaimed", "재무제표 감사의견 부적정·거절"),
        CRITICAL,
        ("audited_financials",),
        t(
            "Act on External Audit of Stock Companies; MiCA Art 35 (own funds as audited)",
            "주식회사 등의 외부감사에 관한 법률; EU MiCA 제35조(감사받은 자기자본)",
        ),
        financial_statements_opinion_failed,
    ),
    Rule(
        "incident_security_breach",
        t("Hack or loss of keys reported", "해킹·개인키 사고 보고"),
        CRITICAL,
        ("incident_report",),
        t(
            "MiCA Art 30(3) (incident report); MiCA Art 34 (ICT risk)",
            "EU MiCA 제30조제3항(사고 보고), 제34조(ICT 위험)",
        ),
        incident_security_breach,
    ),
    Rule(
        "incident_outage",
        t("Outage reported", "서비스 중단 보고"),
        WARNING,
        ("incident_report",),
        t(
            "Registration requirement (redemption at any time); MiCA Art 30(3) (incident report)",
            "등록 요건(상시 상환); EU MiCA 제30조제3항(사고 보고)",
        ),
        incident_outage,
    ),
    Rule(
        "isms_certificate_past_expiry",
        t("ISMS certificate past its expiry", "ISMS 인증 유효기간 경과"),
        CRITICAL,
        (),  # from the calendar: `isms_past_expiry_findings`
        t(
            "Network Act Art 47 (ISMS); condition of registration",
            "정보통신망법 제47조(ISMS); 등록 조건",
        ),
    ),
    Rule(
        "wind_down_overdue",
        t("Holders not redeemed in time", "상환 기한 경과"),
        CRITICAL,
        (),  # from the calendar: `wind_down_overdue_findings`
        t(
            "the day set when the surrender was accepted or the registration was "
            "revoked or lapsed; MiCA Art 47 (carrying out the redemption plan) as the model",
            "자진 반납 수락 결정 또는 등록 취소·만료 시 정한 상환 기한; EU MiCA "
            "제47조(상환 계획의 이행) 참고",
        ),
    ),
    Rule(
        "report_filed_late",
        t("Report filed late", "보고서 지연 제출"),
        WARNING,
        ANY_KIND,
        t(
            "Supervisory rule of this register (a late report is a finding)",
            "이 등록부의 감독 기준(늦은 보고는 지적 사항)",
        ),
        report_filed_late,
    ),
    Rule(
        "report_missing",
        t("Report missing", "보고서 미제출"),
        WARNING,
        (),  # from the calendar: `missing_report_findings`
        t(
            "Supervisory rule of this register (a missing report is a finding)",
            "이 등록부의 감독 기준(미제출 보고는 지적 사항)",
        ),
    ),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rules_for(kind: str) -> list[Rule]:
    return [
        rule
        for rule in RULES
        if rule.check is not None and (rule.kinds == ANY_KIND or kind in rule.kinds)
    ]


def check_report(kind: str, report: dict, context: CheckContext) -> list[FindingDraft]:
    """Every finding the automatic rules make on one filed report."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    report = {**report, "kind": kind}
    drafts: list[FindingDraft] = []
    for rule in rules_for(kind):
        drafts.extend(rule.check(report, context))
    return drafts
