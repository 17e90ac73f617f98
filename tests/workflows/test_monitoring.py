"""Monitoring after registration: the calendar, the automatic rules, findings."""

import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from workflows.clock import is_business_day
from workflows.monitoring import (
    CRITICAL,
    FINDING_STATUSES,
    INFO,
    REPORT_KINDS,
    RULES,
    SEVERITIES,
    WARNING,
    CheckContext,
    average_reserve,
    check_report,
    enrolment_from,
    event_obligation,
    finding_move_refusal,
    finding_moves_from,
    missing_report_findings,
    obligations,
    overdue,
    quarterly_enrolment_date,
    suspension_may_be_lifted,
)
from workflows.monitoring.obligations import monthly_period_start
from workflows.regime import KR_2026, RegimeProfile

KRW = "krw_stablecoin"
REGISTERED = date(2026, 1, 15)
CTX = CheckContext(KR_2026, KRW)
BILLION_WON = 1_000_000_000
SECOND_HALF_MONTH_ENDS = [
    date(2026, 7, 31),
    date(2026, 8, 31),
    date(2026, 9, 30),
    date(2026, 10, 31),
    date(2026, 11, 30),
    date(2026, 12, 31),
]


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


# -- the calendar --------------------------------------------------------------

# Worked out by hand from the 2026-27 Korean holiday calendar: 10 business days
# after each month end.
RESERVE_REPORT_DUE_2026 = {
    1: date(2026, 2, 13),
    2: date(2026, 3, 16),  # past the 2 March substitute holiday
    3: date(2026, 4, 14),
    4: date(2026, 5, 18),  # past Labour Day and Children's Day
    5: date(2026, 6, 15),  # past the 3 June local election
    6: date(2026, 7, 14),
    7: date(2026, 8, 14),
    8: date(2026, 9, 14),
    9: date(2026, 10, 16),  # past the 5 October substitute holiday and Hangul Day
    10: date(2026, 11, 13),
    11: date(2026, 12, 14),
    12: date(2027, 1, 15),  # past New Year's Day
}


def year_of_obligations(**kwargs):
    return obligations(KRW, REGISTERED, date(2026, 12, 31), KR_2026, **kwargs)


def test_a_krw_stablecoin_registered_in_2026_owes_twelve_monthly_reports_of_each_kind():
    """The first covers 15-31 January, from the registration day: nothing was issued
    before it (docs/domain.md section 5; MiCA Art 36(1) "at all times" from registration)."""
    owed = year_of_obligations()
    for kind in ("reserve_report", "cross_border_flows", "redemption_statistics"):
        periods = [o for o in owed if o.kind == kind]
        assert [o.period_start for o in periods] == [REGISTERED] + [
            date(2026, m, 1) for m in range(2, 13)
        ]
        assert periods[0].period_end == date(2026, 1, 31)
        assert periods[1].period_end == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("registered_on", "first_start"),
    [
        (date(2026, 3, 1), date(2026, 3, 1)),  # registered on the 1st: a whole month
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(2026, 3, 31), date(2026, 3, 31)),  # registered on the last day: one day
    ],
)
def test_the_first_monthly_report_starts_on_the_registration_day(registered_on, first_start):
    """docs/domain.md section 5: the first monthly report covers the days from registration,
    not the whole month; the next starts on the 1st."""
    owed = [
        o
        for o in obligations(KRW, registered_on, date(2026, 4, 30), KR_2026)
        if o.kind == "reserve_report"
    ]
    assert [(o.period_start, o.period_end) for o in owed] == [
        (first_start, date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 4, 30)),
    ]
    assert monthly_period_start(registered_on, date(2026, 3, 31)) == first_start
    assert monthly_period_start(registered_on, date(2026, 4, 30)) == date(2026, 4, 1)


def test_monthly_reports_fall_due_ten_korean_business_days_after_month_end():
    owed = year_of_obligations()
    for kind in ("reserve_report", "cross_border_flows", "redemption_statistics"):
        due = {o.period_start.month: o.due_on for o in owed if o.kind == kind}
        assert due == RESERVE_REPORT_DUE_2026
    assert all(is_business_day(o.due_on) for o in owed)


def test_the_reserve_audit_runs_six_months_from_registration_and_is_due_six_weeks_later():
    audits = [o for o in year_of_obligations() if o.kind == "reserve_audit"]
    assert [(o.period_start, o.period_end, o.due_on) for o in audits] == [
        (date(2026, 1, 15), date(2026, 7, 14), date(2026, 8, 25))
    ]


def test_audited_financials_are_due_ninety_days_after_the_financial_year_end():
    annual = [o for o in year_of_obligations() if o.kind == "audited_financials"]
    assert [(o.period_start, o.period_end, o.due_on) for o in annual] == [
        (date(2026, 1, 1), date(2026, 12, 31), date(2027, 3, 31))
    ]


def test_a_june_year_end_is_due_on_the_first_business_day_after_chuseok():
    owed = obligations(
        "other_virtual_asset",
        REGISTERED,
        date(2026, 12, 31),
        KR_2026,
        financial_year_end_month=6,
    )
    annual = [o for o in owed if o.kind == "audited_financials"]
    # 30 June + 90 days = Monday 28 September, the day after the Chuseok weekend.
    assert [(o.period_start, o.period_end, o.due_on) for o in annual] == [
        (date(2025, 7, 1), date(2026, 6, 30), date(2026, 9, 28))
    ]


def test_quarterly_reports_start_with_the_quarter_in_which_outstanding_crossed_100bn():
    assert not [o for o in year_of_obligations() if o.kind == "quarterly_report"]
    owed = year_of_obligations(enrolled_quarterly_since=date(2026, 5, 31))
    quarterly = [o for o in owed if o.kind == "quarterly_report"]
    assert [(o.period_start, o.period_end, o.due_on) for o in quarterly] == [
        (date(2026, 4, 1), date(2026, 6, 30), date(2026, 8, 11)),
        (date(2026, 7, 1), date(2026, 9, 30), date(2026, 11, 11)),
        (date(2026, 10, 1), date(2026, 12, 31), date(2027, 2, 11)),
    ]


def test_a_tokenized_deposit_owes_only_audited_financials_periodically():
    owed = obligations("tokenized_deposit", REGISTERED, date(2026, 12, 31), KR_2026)
    assert {o.kind for o in owed} == {"audited_financials"}
    assert "tokenized_deposit" not in REPORT_KINDS["white_paper_update"].categories


def test_only_periods_that_have_ended_by_the_until_date_are_owed():
    owed = obligations(KRW, REGISTERED, date(2026, 3, 30), KR_2026)
    assert {o.period_start for o in owed if o.kind == "reserve_report"} == {
        date(2026, 1, 15),
        date(2026, 2, 1),
    }


def test_the_due_days_come_from_the_regime_profile():
    slower = replace(KR_2026, reserve_report_due_business_days=15)
    owed = obligations(KRW, REGISTERED, date(2026, 1, 31), slower)
    # 15 business days after 31 January, over the Seollal holidays of 16-18 February.
    assert [o.due_on for o in owed if o.kind == "reserve_report"] == [date(2026, 2, 25)]


def test_an_incident_the_day_before_chuseok_is_due_the_monday_after():
    owed = event_obligation("incident_report", date(2026, 9, 23), KR_2026)
    assert owed.due_on == date(2026, 9, 28)


def test_an_incident_before_the_foundation_day_substitute_holiday_is_due_the_tuesday():
    # 3 October 2026 is a Saturday; Monday 5 October is its substitute holiday.
    owed = event_obligation("incident_report", date(2026, 10, 2), KR_2026)
    assert owed.due_on == date(2026, 10, 6)


def test_an_incident_on_christmas_eve_is_due_after_christmas_and_the_weekend():
    owed = event_obligation("incident_report", date(2026, 12, 24), KR_2026)
    assert owed.due_on == date(2026, 12, 28)


def test_a_calendar_day_change_deadline_ending_in_chuseok_moves_to_the_next_business_day():
    owed = event_obligation("change_report", date(2026, 9, 12), KR_2026, change="major_shareholder")
    # 14 days after is Saturday 26 September, the second day of Chuseok (Civil Act Art 161).
    assert owed.due_on == date(2026, 9, 28)


def test_an_executive_change_is_reported_thirty_days_before_it_takes_effect():
    owed = event_obligation("change_report", date(2026, 10, 31), KR_2026, change="executive")
    assert owed.due_on == date(2026, 10, 1)


def test_a_white_paper_update_is_notified_seven_business_days_before_publication():
    owed = event_obligation("white_paper_update", date(2026, 10, 12), KR_2026)
    # Back over Hangul Day (9 Oct) and the 5 October substitute holiday.
    assert owed.due_on == date(2026, 9, 29)


def test_a_change_report_needs_to_say_what_changed():
    with pytest.raises(ValueError):
        event_obligation("change_report", date(2026, 10, 1), KR_2026)


# -- overdue --------------------------------------------------------------------


def test_an_incident_report_becomes_overdue_only_the_day_after_its_due_date_across_chuseok():
    owed = [event_obligation("incident_report", date(2026, 9, 23), KR_2026)]
    for today in (date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 27), date(2026, 9, 28)):
        assert overdue(owed, set(), today) == []
    assert overdue(owed, set(), date(2026, 9, 29)) == owed


def test_the_september_reports_are_not_overdue_during_the_october_holidays():
    owed = [o for o in year_of_obligations() if o.period_start == date(2026, 9, 1)]
    assert overdue(owed, set(), date(2026, 10, 9)) == []
    assert overdue(owed, set(), date(2026, 10, 16)) == []
    assert len(overdue(owed, set(), date(2026, 10, 17))) == 3


def test_the_december_reports_are_overdue_from_the_day_after_their_january_due_date():
    owed = [o for o in year_of_obligations() if o.period_start == date(2026, 12, 1)]
    assert overdue(owed, set(), date(2027, 1, 15)) == []
    # The first day after the due date counts, even a Saturday.
    assert {o.kind for o in overdue(owed, set(), date(2027, 1, 16))} == {
        "reserve_report",
        "cross_border_flows",
        "redemption_statistics",
    }


def test_a_filed_report_is_never_overdue():
    owed = year_of_obligations()
    filed = {o.key for o in owed if o.kind != "reserve_report"}
    late = overdue(owed, filed, date(2027, 6, 30))
    assert {o.kind for o in late} == {"reserve_report"}
    assert len(late) == 12


def test_each_missing_report_is_a_warning_finding_naming_the_report_and_its_due_date():
    owed = [o for o in year_of_obligations() if o.kind == "reserve_report"][:1]
    findings = missing_report_findings(overdue(owed, set(), date(2026, 2, 16)), date(2026, 2, 16))
    assert [(f.rule, f.severity) for f in findings] == [("report_missing", WARNING)]
    assert findings[0].message.en == (
        "Report missing: Reserve report for 2026-01-15..2026-01-31 was due on 2026-02-13 "
        "and has not been filed (1 business day(s) overdue)."
    )
    assert findings[0].message.ko == (
        "보고서 미제출: 준비자산 보고서(2026-01-15..2026-01-31)의 제출 기한 2026-02-13이 "
        "지났으나 제출되지 않았습니다(1영업일 경과)."
    )
    assert findings[0].evidence["due_on"] == "2026-02-13"


# -- reserve report rules ---------------------------------------------------------


def asset(asset_type, value, bank="KB Kookmin Bank", maturity=None):
    item = {"asset_type": asset_type, "custodian_bank": bank, "market_value_krw": Decimal(value)}
    if maturity:
        item["maturity_date"] = maturity
    return item


def reserve_report(outstanding, assets, month_end=date(2026, 9, 30)):
    return {
        "period_start": month_end.replace(day=1),
        "period_end": month_end,
        "outstanding_issuance_krw": Decimal(outstanding),
        "reserve_assets": assets,
    }


def balanced(total):
    """Deposits split over two banks with 40% each, the rest in cash: no composition breach."""
    deposit = total * 4 // 10
    return [
        asset("bank_deposit", deposit, "KB Kookmin Bank"),
        asset("bank_deposit", deposit, "Shinhan Bank"),
        asset("cash", total - 2 * deposit),
    ]


def test_reserve_coverage_just_below_100_percent_is_a_critical_finding():
    findings = check_report(
        "reserve_report", reserve_report(1_000_000_000, balanced(999_999_999)), CTX
    )
    assert [(f.rule, f.severity) for f in findings] == [
        ("reserve_coverage_below_minimum", CRITICAL)
    ]
    assert findings[0].message.en == (
        "Reserve coverage below the minimum: in 2026-09, the eligible reserve of ₩999,999,999 "
        "covers 99.99% of outstanding issuance of ₩1,000,000,000; the minimum is 100%."
    )
    assert findings[0].message.ko == (
        "준비자산 비율 미달: 2026-09 적격 준비자산 ₩999,999,999은 발행 잔액 ₩1,000,000,000의 "
        "99.99%로, 최저 기준 100%에 미달합니다."
    )
    assert findings[0].evidence["eligible_reserve_krw"] == "999999999"
    assert findings[0].evidence["threshold"] == "1.00"


def test_reserve_coverage_at_or_above_100_percent_is_no_finding():
    for reserve in (1_000_000_000, 1_000_000_001):
        report = reserve_report(1_000_000_000, balanced(reserve))
        assert check_report("reserve_report", report, CTX) == []


def test_an_ineligible_asset_is_a_warning_and_does_not_count_towards_coverage():
    assets = [
        *balanced(1_000_000_000),
        asset("corporate_bond", 50_000_000, maturity=date(2026, 10, 30)),
    ]
    report = reserve_report(1_050_000_000, assets)
    findings = check_report("reserve_report", report, CTX)
    ineligible = only(findings, "reserve_asset_ineligible")
    assert [f.severity for f in ineligible] == [WARNING]
    assert ineligible[0].message.en == (
        "Ineligible reserve asset: asset 4 (Corporate bond, ₩50,000,000) does not count towards "
        "the reserve: this type of asset is not on the eligible list."
    )
    assert ineligible[0].message.ko == (
        "부적격 준비자산: 자산 4(회사채, ₩50,000,000)는 준비자산으로 인정되지 않습니다: "
        "적격자산이 아닙니다."
    )
    coverage = only(findings, "reserve_coverage_below_minimum")
    assert coverage and coverage[0].evidence["total_reserve_krw"] == "1050000000"


def test_a_repo_maturing_the_next_business_day_is_overnight_and_one_a_day_later_is_not():
    # 31 October 2026 is a Saturday: overnight means maturing Monday 2 November.
    month_end = date(2026, 10, 31)
    ok = reserve_report(
        1_000_000_000,
        [*balanced(1_000_000_000), asset("repo", 1, maturity=date(2026, 11, 2))],
        month_end,
    )
    assert check_report("reserve_report", ok, CTX) == []
    late = reserve_report(
        1_000_000_000,
        [*balanced(1_000_000_000), asset("repo", 1, maturity=date(2026, 11, 3))],
        month_end,
    )
    findings = check_report("reserve_report", late, CTX)
    assert [f.rule for f in findings] == ["reserve_asset_ineligible"]
    assert "later than overnight (2026-11-02)" in findings[0].message.en


def bond(days_after_sept_30):
    maturity = date.fromordinal(date(2026, 9, 30).toordinal() + days_after_sept_30)
    return asset("government_bond", 100_000_000, maturity=maturity)


def test_a_bond_maturing_in_92_or_93_days_is_within_the_limit():
    for days in (92, 93):
        report = reserve_report(1_100_000_000, [*balanced(1_000_000_000), bond(days)])
        assert check_report("reserve_report", report, CTX) == []


def test_a_bond_maturing_in_94_days_is_a_maturity_warning_and_leaves_the_reserve():
    report = reserve_report(1_000_000_000, [*balanced(1_000_000_000), bond(94)])
    findings = check_report("reserve_report", report, CTX)
    assert [(f.rule, f.severity) for f in findings] == [("reserve_maturity_too_long", WARNING)]
    assert findings[0].message.en == (
        "Reserve asset maturity too long: asset 4 (Korean government bond, ₩100,000,000) matures "
        "on 2027-01-02, 94 days after the valuation date 2026-09-30; the maximum is 93 days."
    )
    assert findings[0].message.ko == (
        "준비자산 만기 초과: 자산 4(국고채, ₩100,000,000)의 만기 2027-01-02는 평가일 "
        "2026-09-30부터 94일 뒤로, 최장 93일을 넘습니다."
    )
    assert findings[0].evidence["days_to_maturity"] == 94
    assert findings[0].evidence["threshold"] == 93


def deposits_case(deposit):
    rest = 1_000_000_000 - deposit
    return reserve_report(1_000_000_000, [asset("bank_deposit", deposit), asset("cash", rest)])


def test_bank_deposits_just_under_30_percent_are_a_warning():
    findings = check_report("reserve_report", deposits_case(299_999_999), CTX)
    assert [(f.rule, f.severity) for f in findings] == [
        ("reserve_bank_deposits_below_minimum", WARNING)
    ]
    assert findings[0].message.en == (
        "Bank deposits below the minimum share: bank deposits of ₩299,999,999 are 29.99% of the "
        "eligible reserve of ₩1,000,000,000; the minimum is 30%."
    )
    assert findings[0].message.ko == (
        "은행 예금 비중 미달: 은행 예금 ₩299,999,999은 적격 준비자산 ₩1,000,000,000의 "
        "29.99%로, 최저 기준 30%에 미달합니다."
    )


def test_bank_deposits_at_or_over_30_percent_are_no_finding():
    for deposit in (300_000_000, 300_000_001):
        assert check_report("reserve_report", deposits_case(deposit), CTX) == []


def two_banks(at_kb):
    return reserve_report(
        1_000_000_000,
        [
            asset("bank_deposit", at_kb, "KB Kookmin Bank"),
            asset("bank_deposit", 300_000_000, "Shinhan Bank"),
            asset("cash", 700_000_000 - at_kb),
        ],
    )


def test_deposits_over_half_the_reserve_at_one_bank_are_a_warning_naming_the_bank():
    findings = check_report("reserve_report", two_banks(500_000_001), CTX)
    assert [(f.rule, f.severity) for f in findings] == [
        ("reserve_single_bank_concentration", WARNING)
    ]
    assert findings[0].message.en == (
        "Reserve concentrated at one bank: deposits of ₩500,000,001 at KB Kookmin Bank are "
        "50.01% of the eligible reserve of ₩1,000,000,000; the maximum at one bank is 50%."
    )
    assert findings[0].message.ko == (
        "단일 은행 집중: KB Kookmin Bank 예치금 ₩500,000,001은 적격 준비자산 "
        "₩1,000,000,000의 50.01%로, 단일 은행 한도 50%를 넘습니다."
    )
    assert findings[0].evidence["bank"] == "KB Kookmin Bank"


def test_deposits_of_exactly_half_or_less_at_one_bank_are_no_finding():
    for at_kb in (500_000_000, 499_999_999):
        assert check_report("reserve_report", two_banks(at_kb), CTX) == []


def test_a_stricter_profile_turns_the_same_report_into_a_finding():
    strict = replace(KR_2026, reserve_single_bank_max_share=Decimal("0.40"))
    findings = check_report("reserve_report", two_banks(450_000_000), CheckContext(strict, KRW))
    assert [f.evidence["bank"] for f in findings] == ["KB Kookmin Bank"]


def test_reserve_rules_read_dumped_json_as_well_as_loaded_reports():
    report = {
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "outstanding_issuance_krw": "1000000000",
        "reserve_assets": [
            {"asset_type": "bank_deposit", "custodian_bank": "KB", "market_value_krw": "950000000"}
        ],
    }
    rules = {f.rule for f in check_report("reserve_report", report, CTX)}
    assert rules == {"reserve_coverage_below_minimum", "reserve_single_bank_concentration"}


# -- cross-border flows -------------------------------------------------------------


def flows(outbound, inbound=0):
    return {
        "period_start": date(2026, 9, 1),
        "period_end": date(2026, 9, 30),
        "outstanding_issuance_krw": Decimal(1_000_000_000),
        "rows": [
            {
                "country": "US",
                "counterparty_type": "foreign_exchange",
                "inbound_krw": Decimal(inbound),
                "outbound_krw": Decimal(outbound),
            },
            {
                "country": "SG",
                "counterparty_type": "foreign_address",
                "inbound_krw": Decimal(0),
                "outbound_krw": Decimal(0),
            },
        ],
    }


def test_a_net_outflow_just_over_10_percent_is_flagged_for_the_bank_of_korea():
    findings = check_report("cross_border_flows", flows(150_000_001, 50_000_000), CTX)
    assert [(f.rule, f.severity, f.flag_central_bank) for f in findings] == [
        ("cross_border_net_outflow", WARNING, True)
    ]
    assert findings[0].message.en == (
        "Cross-border net outflow over the limit: the net outflow of ₩100,000,001 in 2026-09 is "
        "10.01% of outstanding issuance of ₩1,000,000,000; the limit is 10%. "
        "Flagged for the Bank of Korea."
    )
    assert findings[0].message.ko == (
        "국경 간 순유출 한도 초과: 2026-09 순유출 ₩100,000,001은 발행 잔액 ₩1,000,000,000의 "
        "10.01%로, 한도 10%를 넘습니다. 한국은행 통보 대상입니다."
    )
    assert findings[0].evidence["net_outflow_by_country"] == {"US": "100000001"}


def test_a_net_outflow_of_10_percent_or_less_is_no_finding():
    for outbound in (100_000_000, 99_999_999):
        assert check_report("cross_border_flows", flows(outbound), CTX) == []


def test_inbound_transfers_offset_outbound_ones():
    assert check_report("cross_border_flows", flows(300_000_000, 250_000_000), CTX) == []


# -- redemptions ----------------------------------------------------------------------


def redemptions(late, longest):
    return {
        "period_start": date(2026, 9, 1),
        "period_end": date(2026, 9, 30),
        "requests_count": 10,
        "requested_amount_krw": Decimal(5_000_000),
        "paid_within_deadline_count": 10 - late,
        "paid_late_count": late,
        "longest_payment_business_days": longest,
    }


def test_redemptions_paid_within_five_business_days_are_no_finding():
    for longest in (4, 5):
        assert check_report("redemption_statistics", redemptions(0, longest), CTX) == []


def test_a_redemption_paid_on_the_sixth_business_day_is_a_finding():
    findings = check_report("redemption_statistics", redemptions(1, 6), CTX)
    assert [(f.rule, f.severity) for f in findings] == [("redemption_paid_late", WARNING)]
    assert findings[0].message.en == (
        "Redemption paid late: 1 redemption(s) in 2026-09 paid after the 5-business-day deadline; "
        "the longest payment took 6 business days."
    )
    assert findings[0].message.ko == (
        "상환 지연: 2026-09 상환 중 1건이 5영업일 기한을 넘겨 지급되었습니다(최장 6영업일)."
    )


def test_a_nydfs_style_profile_of_two_business_days_makes_a_three_day_payment_late():
    nydfs = replace(KR_2026, redemption_max_business_days=2)
    findings = check_report("redemption_statistics", redemptions(0, 3), CheckContext(nydfs, KRW))
    assert [f.rule for f in findings] == ["redemption_paid_late"]


# -- audited financials ------------------------------------------------------------------


def financials(own_funds, outstanding=None):
    report = {
        "financial_year_start": date(2026, 1, 1),
        "financial_year_end": date(2026, 12, 31),
        "own_funds_krw": Decimal(own_funds),
        "auditor": "Samil PwC",
        "opinion": "unqualified",
    }
    if outstanding is not None:
        report["outstanding_issuance_krw"] = Decimal(outstanding)
    return report


def test_own_funds_just_below_the_five_billion_won_minimum_are_critical():
    findings = check_report("audited_financials", financials(4_999_999_999), CTX)
    assert [(f.rule, f.severity) for f in findings] == [("own_funds_below_minimum", CRITICAL)]
    assert findings[0].message.en == (
        "Own funds below the minimum capital: own funds of ₩4,999,999,999 at the financial year "
        "end 2026-12-31 are below the minimum capital of ₩5,000,000,000 for a KRW stablecoin."
    )
    assert findings[0].message.ko == (
        "자기자본 최저 기준 미달: 2026-12-31 결산 자기자본 ₩4,999,999,999이 원화 스테이블코인 "
        "최저 자본금 ₩5,000,000,000에 미달합니다."
    )
    assert findings[0].evidence["threshold"] == 5_000_000_000


def monthly_reserve(period_end, total):
    return {
        "period_start": period_end.replace(day=1),
        "period_end": period_end,
        "outstanding_issuance_krw": Decimal(total),
        "reserve_assets": [
            {"asset_type": "bank_deposit", "custodian_bank": "Hanbit", "market_value_krw": total}
        ],
    }


def test_the_average_reserve_takes_the_six_month_ends_before_the_year_end():
    """MiCA Art 35(1)(b): the average over the preceding six months (regime profile
    own_funds_reserve_average_months); June's month end is outside the window."""
    reports = [
        monthly_reserve(date(2026, 6, 30), 900 * BILLION_WON),
        *(monthly_reserve(end, 300 * BILLION_WON) for end in SECOND_HALF_MONTH_ENDS),
        monthly_reserve(date(2027, 1, 31), 900 * BILLION_WON),  # after the year end
    ]
    assert average_reserve(reports, date(2026, 12, 31), KR_2026) == 300 * BILLION_WON
    assert average_reserve([], date(2026, 12, 31), KR_2026) is None


@pytest.mark.parametrize(("own_funds", "found"), [(6_000_000_000, False), (5_999_999_999, True)])
def test_own_funds_must_reach_2_percent_of_the_average_reserve_when_that_is_larger(
    own_funds, found
):
    """MiCA Art 35(1): the larger of the fixed minimum (₩5bn, FSC plan Dec 2025) and 2% of
    the average reserve; 2% of ₩300bn is ₩6bn (regime profile own_funds_reserve_share_min)."""
    context = CheckContext(KR_2026, KRW, average_reserve_krw=Decimal(300 * BILLION_WON))
    findings = check_report("audited_financials", financials(own_funds, 0), context)
    assert bool(only(findings, "own_funds_below_minimum")) is found
    if found:
        assert findings[0].message.en == (
            "Own funds below the minimum capital: own funds of ₩5,999,999,999 at the "
            "financial year end 2026-12-31 are below ₩6,000,000,000, 2% of the average "
            "reserve of ₩300,000,000,000 over the 6 months before it, which exceeds the "
            "minimum capital of ₩5,000,000,000."
        )
        assert findings[0].message.ko.startswith(
            "자기자본 최저 기준 미달: 2026-12-31 결산 자기자본 ₩5,999,999,999이 직전 "
            "6개월 평균 준비자산 ₩300,000,000,000의 2%인 ₩6,000,000,000에 미달합니다"
        )
        assert findings[0].evidence["threshold"] == "6000000000.00"


def test_a_small_reserve_leaves_the_fixed_minimum_as_the_floor():
    """2% of ₩100bn is ₩2bn, under the ₩5bn minimum: the minimum decides (MiCA Art 35(1))."""
    context = CheckContext(KR_2026, KRW, average_reserve_krw=Decimal(100 * BILLION_WON))
    assert check_report("audited_financials", financials(5_000_000_000, 0), context) == []
    assert only(
        check_report("audited_financials", financials(4_999_999_999, 0), context),
        "own_funds_below_minimum",
    )


def test_a_category_without_a_reserve_ignores_an_average_reserve():
    """Only an issuer that keeps a reserve scales its own funds with it (MiCA Art 35)."""
    other = CheckContext(KR_2026, "other_virtual_asset", average_reserve_krw=Decimal(10**15))
    assert check_report("audited_financials", financials(500_000_000, 0), other) == []


def test_own_funds_at_or_above_the_minimum_are_no_finding():
    for own_funds in (5_000_000_000, 5_000_000_001):
        assert check_report("audited_financials", financials(own_funds), CTX) == []


def test_the_minimum_follows_the_category_and_the_profile():
    other = CheckContext(KR_2026, "other_virtual_asset")
    assert check_report("audited_financials", financials(500_000_000), other) == []
    assert len(check_report("audited_financials", financials(499_999_999), other)) == 1
    deposit = CheckContext(KR_2026, "tokenized_deposit")
    assert check_report("audited_financials", financials(-1), deposit) == []


# -- quarterly enrolment -------------------------------------------------------------------


def test_outstanding_just_over_100bn_enrols_the_issuer_with_an_info_finding():
    report = reserve_report(100_000_000_001, balanced(100_000_000_001), date(2026, 5, 31))
    findings = check_report("reserve_report", report, CTX)
    assert [(f.rule, f.severity) for f in findings] == [("quarterly_reporting_enrolled", INFO)]
    assert findings[0].message.en == (
        "Enrolled in quarterly reporting: outstanding issuance of ₩100,000,000,001 on 2026-05-31 "
        "exceeds ₩100,000,000,000; quarterly reports are due from the quarter ending 2026-06-30."
    )
    assert findings[0].message.ko == (
        "분기 보고 대상 편입: 2026-05-31 기준 발행 잔액 ₩100,000,000,001이 "
        "₩100,000,000,000을 넘어 2026-06-30에 끝나는 분기부터 분기 보고 대상입니다."
    )
    assert quarterly_enrolment_date(report, CTX) == date(2026, 5, 31)
    enrolled_since = enrolment_from(findings)
    assert enrolled_since == date(2026, 5, 31)
    owed = year_of_obligations(enrolled_quarterly_since=enrolled_since)
    assert [o.period_start for o in owed if o.kind == "quarterly_report"][0] == date(2026, 4, 1)


def test_outstanding_of_100bn_or_less_does_not_enrol():
    for outstanding in (100_000_000_000, 99_999_999_999):
        report = reserve_report(outstanding, balanced(outstanding))
        assert check_report("reserve_report", report, CTX) == []
        assert quarterly_enrolment_date(report, CTX) is None


def test_an_issuer_already_enrolled_is_not_enrolled_again():
    report = reserve_report(200_000_000_000, balanced(200_000_000_000))
    enrolled = replace(CTX, enrolled_quarterly_since=date(2026, 3, 31))
    assert check_report("reserve_report", report, enrolled) == []


def test_an_other_virtual_asset_is_enrolled_from_its_audited_financials():
    other = CheckContext(KR_2026, "other_virtual_asset")
    findings = check_report("audited_financials", financials(600_000_000, 150_000_000_000), other)
    assert enrolment_from(findings) == date(2026, 12, 31)
    deposit = CheckContext(KR_2026, "tokenized_deposit")
    assert check_report("audited_financials", financials(0, 150_000_000_000), deposit) == []


# -- incidents and changes -------------------------------------------------------------------


def incident(price, kind="depeg", hours="24"):
    return {
        "incident_kind": kind,
        "occurred_at": "2026-09-23T14:00:00+09:00",
        "description": "Price fell on a foreign exchange.",
        "lowest_price_krw": Decimal(price),
        "hours_below_floor": Decimal(hours),
    }


def test_a_depeg_to_0_989_won_for_a_day_is_a_finding():
    """Below 0.99 KRW for 24 hours (regime profile depeg_floor_krw, depeg_min_duration_hours;
    docs/domain.md section 5; MiCA Art 30(3) for the incident report)."""
    findings = check_report("incident_report", incident("0.989"), CTX)
    assert [(f.rule, f.severity) for f in findings] == [("depeg_below_floor", WARNING)]
    assert findings[0].message.en == (
        "Depeg below the floor: from 2026-09-23 the price stayed below the floor of 0.99 KRW "
        "for 24 hours (at least 24 count), falling to 0.989 KRW."
    )
    assert findings[0].message.ko == (
        "가치 고정 이탈: 2026-09-23부터 가격이 하한 0.99원 아래에 24시간 머물렀고(24시간 "
        "이상이면 해당) 최저 0.989원까지 내려갔습니다."
    )
    assert findings[0].evidence["hours_below_floor"] == "24"
    assert findings[0].evidence["minimum_hours"] == 24


def test_a_price_at_or_above_0_99_won_is_no_depeg_finding():
    for price in ("0.99", "0.991"):
        assert check_report("incident_report", incident(price), CTX) == []
    # An outage has a rule of its own, but never the depeg's.
    outage = check_report("incident_report", incident("0.5", kind="outage"), CTX)
    assert only(outage, "depeg_below_floor") == []


@pytest.mark.parametrize(("hours", "found"), [("0", False), ("23.99", False), ("24", True)])
def test_a_depeg_needs_to_last_a_day(hours, found):
    """One tick below the floor is no broken peg; 24 hours is (regime profile
    depeg_min_duration_hours; docs/domain.md section 5)."""
    findings = check_report("incident_report", incident("0.95", hours=hours), CTX)
    assert bool(only(findings, "depeg_below_floor")) is found
    shorter = CheckContext(replace(KR_2026, depeg_min_duration_hours=12), KRW)
    assert check_report("incident_report", incident("0.95", hours="12"), shorter) != []


@pytest.mark.parametrize("category", ["tokenized_deposit", "security_token", "other_virtual_asset"])
def test_a_token_without_a_peg_has_no_depeg_finding(category):
    """Only a KRW stablecoin promises a fixed value in won (PEGGED_CATEGORIES): a tokenized
    deposit is worth its balance by law, security tokens and other tokens float."""
    context = CheckContext(KR_2026, category)
    assert check_report("incident_report", incident("0.5", hours="72"), context) == []


def test_an_expired_isms_certificate_in_a_change_report_is_critical():
    report = {
        "change_kind": "isms",
        "effective_on": date(2026, 11, 1),
        "description": "Certificate not renewed.",
        "isms_certificate_number": "ISMS-KISA-2023-101",
        "isms_status": "valid",
        "isms_valid_until": date(2026, 10, 31),
    }
    findings = check_report("change_report", report, CTX)
    assert [(f.rule, f.severity) for f in findings] == [("isms_expired", CRITICAL)]
    assert findings[0].message.en == (
        "ISMS certification not valid: certificate ISMS-KISA-2023-101 is expired as of "
        "2026-11-01 (valid until 2026-10-31)."
    )
    renewed = {**report, "isms_status": "renewed", "isms_valid_until": date(2029, 10, 31)}
    assert check_report("change_report", renewed, CTX) == []


# -- timeliness ------------------------------------------------------------------------------


def test_a_report_filed_on_its_due_date_is_on_time_and_the_day_after_is_late():
    report = redemptions(0, 1)
    on_time = replace(CTX, due_on=date(2026, 10, 16), filed_on=date(2026, 10, 16))
    assert check_report("redemption_statistics", report, on_time) == []
    late = replace(on_time, filed_on=date(2026, 10, 19))
    findings = check_report("redemption_statistics", report, late)
    assert [(f.rule, f.severity) for f in findings] == [("report_filed_late", WARNING)]
    assert findings[0].message.en == (
        "Report filed late: Redemption statistics for 2026-09-01..2026-09-30 was filed on "
        "2026-10-19, 1 business day(s) after its due date 2026-10-16."
    )
    assert findings[0].message.ko == (
        "보고서 지연 제출: 상환 통계(2026-09-01..2026-09-30)가 기한 2026-10-16보다 1영업일 늦은 "
        "2026-10-19에 제출되었습니다."
    )
    assert findings[0].evidence["business_days_late"] == 1
    assert findings[0].evidence["days_late"] == 3


def test_lateness_is_counted_in_business_days_and_a_weekend_filing_is_one_late():
    """Overdue periods read in business days, the unit of every deadline here (Civil Act
    Art 161 moves a deadline to the next business day; docs/domain.md section 4)."""
    report = redemptions(0, 1)
    friday = replace(CTX, due_on=date(2026, 10, 16))
    saturday = check_report(
        "redemption_statistics", report, replace(friday, filed_on=date(2026, 10, 17))
    )
    assert saturday[0].evidence["business_days_late"] == 1
    assert "1 business day(s) after" in saturday[0].message.en
    # Two weeks on: ten business days (no holiday between 16 and 30 October 2026).
    later = check_report(
        "redemption_statistics", report, replace(friday, filed_on=date(2026, 10, 30))
    )
    assert later[0].evidence["business_days_late"] == 10
    assert "10영업일 늦은" in later[0].message.ko


# -- the table --------------------------------------------------------------------------------


def test_every_rule_names_its_source_and_a_known_severity_and_report_kind():
    for rule in RULES:
        assert rule.source.ko and rule.source.en and rule.severity in SEVERITIES
        assert rule.title.en and rule.title.ko
        assert all(kind in REPORT_KINDS for kind in rule.kinds if kind != "*")


def test_each_rule_cites_korean_sources_first_and_in_korean():
    """In Korean a rule's sources are Korean words, a Korean source before a foreign one
    (issue 20, item 6); neither language points a reader at the project's own files."""
    foreign = ("EU ", "미국 ")
    for rule in RULES:
        korean = rule.source.ko
        assert re.search("[가-힣]", korean), rule.code
        assert not re.search(r"\b(plan|section|Product|default|registration)\b", korean)
        parts = [part.strip() for part in korean.split(";")]
        first_foreign = next((i for i, p in enumerate(parts) if p.startswith(foreign)), None)
        if first_foreign is not None:
            assert all(p.startswith(foreign) for p in parts[first_foreign:]), rule.code
        assert "docs/" not in korean + rule.source.en, rule.code


def test_a_reports_rules_run_only_on_their_own_kind():
    # A redemption report carrying reserve-like figures raises no reserve finding.
    report = {**redemptions(0, 1), "outstanding_issuance_krw": Decimal(1), "reserve_assets": []}
    assert check_report("redemption_statistics", report, CTX) == []
    with pytest.raises(ValueError):
        check_report("horoscope", report, CTX)


def test_finding_evidence_serialises_as_json():
    report = reserve_report(
        200_000_000_000, [asset("equity", 1), bond(200), asset("bank_deposit", 10)]
    )
    findings = check_report(
        "reserve_report",
        report,
        replace(CTX, due_on=date(2026, 10, 16), filed_on=date(2026, 10, 20)),
    )
    assert len(findings) >= 5
    json.dumps([f.evidence for f in findings])
    json.dumps([f.message for f in findings], ensure_ascii=False)


def test_the_regime_profile_holds_every_monitoring_figure():
    fields = RegimeProfile.__dataclass_fields__
    for name in (
        "reserve_audit_due_days",
        "quarterly_report_due_days",
        "change_report_executive_days_before",
        "reserve_eligible_asset_types",
    ):
        assert name in fields
    for kind in REPORT_KINDS.values():
        rules = [kind.due] if kind.due else list(kind.due_by_change.values())
        assert all(rule.days_field in fields for rule in rules)


# -- findings ------------------------------------------------------------------------------------


def test_a_supervisor_moves_findings_open_to_remedy_requested_to_closed():
    assert finding_move_refusal("request_remedy", "open", "supervisor") is None
    assert finding_move_refusal("close", "remedy_requested", "supervisor") is None
    assert finding_move_refusal("close", "open", "supervisor") is None
    assert finding_move_refusal("escalate", "open", "supervisor") is None
    assert finding_move_refusal("escalate", "remedy_requested", "supervisor") is None


def test_closed_and_escalated_findings_do_not_move_back():
    for status in ("closed", "escalated"):
        assert finding_moves_from(status, "supervisor") == []
    refusal = finding_move_refusal("request_remedy", "closed", "supervisor")
    assert refusal.status == 409
    assert refusal.en == "A finding that is closed cannot be moved to remedy requested."


def test_only_a_supervisor_moves_a_finding():
    for role in ("issuer", "reviewer", "approver", "auditor"):
        refusal = finding_move_refusal("close", "open", role)
        assert refusal.status == 403
    assert refusal.en == "Only a supervisor may close a finding."
    assert set(FINDING_STATUSES) == {"open", "remedy_requested", "closed", "escalated"}


def test_a_suspension_may_be_lifted_only_once_every_finding_is_closed():
    findings = [
        {"rule": "reserve_coverage_below_minimum", "status": "closed"},
        {"rule": "report_missing", "status": "escalated"},
        {"rule": "redemption_paid_late", "status": "remedy_requested"},
    ]
    refusal = suspension_may_be_lifted(findings)
    assert refusal.status == 409
    assert refusal.en == (
        "2 finding(s) are not closed (redemption_paid_late, report_missing); "
        "close them before reinstating."
    )
    assert "2건" in refusal.ko
    assert suspension_may_be_lifted([{**f, "status": "closed"} for f in findings]) is None
    assert suspension_may_be_lifted([]) is None


def test_a_supervisor_acknowledges_an_open_finding_without_changing_its_status():
    assert finding_move_refusal("acknowledge", "open", "supervisor") is None
    refusal = finding_move_refusal("acknowledge", "closed", "supervisor")
    assert refusal.en == "A finding that is closed cannot be acknowledged."


def test_an_escalated_finding_is_closed_by_an_approver():
    assert [m.name for m in finding_moves_from("escalated", "approver")] == ["resolve"]
    assert finding_move_refusal("resolve", "escalated", "supervisor").status == 403


def _shareholder_change(banks):
    return {
        "change_kind": "major_shareholder",
        "effective_on": date(2026, 11, 1),
        "description": "A bank sold its stake to a payments company.",
        "holding_percentage_after": Decimal("20"),
        "bank_shareholding_total_after_pct": banks,
    }


def test_a_change_of_control_leaving_banks_at_half_is_critical_and_a_hair_more_passes():
    """FSC plan (Dec 2025): banks hold more than 50% of a KRW stablecoin issuer ("50% + 1
    share"); the test runs again on every change of major shareholders (issue 18, item 7)."""
    findings = check_report("change_report", _shareholder_change(Decimal("50")), CTX)
    assert [(f.rule, f.severity) for f in findings] == [("bank_majority_lost", CRITICAL)]
    assert findings[0].message.en == (
        "Bank-led consortium share lost: after the change effective 2026-11-01, banks hold "
        "50%; they must hold more than 50%."
    )
    assert "50% 초과" in findings[0].message.ko
    assert check_report("change_report", _shareholder_change(Decimal("50.01")), CTX) == []
    assert [
        f.rule for f in check_report("change_report", _shareholder_change(Decimal("30")), CTX)
    ] == ["bank_majority_lost"]


def test_under_the_bank_of_korea_s_51_percent_the_threshold_itself_passes():
    """The Bank of Korea asks for 51% (at least, not more than): 51 passes, 50.99 does not."""
    bok = replace(KR_2026, consortium_bank_share_min=Decimal("51"))
    bok = replace(bok, consortium_bank_share_strictly_above=False)
    context = CheckContext(bok, KRW)
    assert check_report("change_report", _shareholder_change(Decimal("51")), context) == []
    assert [
        f.rule
        for f in check_report("change_report", _shareholder_change(Decimal("50.99")), context)
    ] == ["bank_majority_lost"]


@pytest.mark.parametrize("category", ["tokenized_deposit", "security_token"])
def test_the_consortium_test_is_a_krw_stablecoin_s_alone(category):
    context = CheckContext(KR_2026, category)
    assert check_report("change_report", _shareholder_change(Decimal("0")), context) == []
    no_rule = CheckContext(replace(KR_2026, consortium_rule_enabled=False), KRW)
    assert check_report("change_report", _shareholder_change(Decimal("0")), no_rule) == []
