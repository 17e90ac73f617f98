"""Business-plan and token-design rules, messages in both locales."""

from dataclasses import replace

import pytest

from forms.sections import section_status
from workflows.regime import KR_2026


def plan_with_months(sample, months):
    plan = sample("other_virtual_asset", "business_plan")
    plan["monthly_projections"] = plan["monthly_projections"][:months]
    return plan


def test_business_plan_covering_35_months_is_refused(section_context, sample, errors_in):
    # The plan starts in December 2026 (the month after the submission day).
    ctx = section_context("other_virtual_asset")
    plan = plan_with_months(sample, 35)
    assert errors_in("en", "business_plan", plan, ctx) == {
        "monthly_projections": [
            "The business plan must cover 36 months, 2026-12 to 2029-11, with "
            "projections for each month (business plan period); missing: 2029-11."
        ]
    }
    assert errors_in("ko", "business_plan", plan, ctx)["monthly_projections"] == [
        "사업계획은 2026-12부터 2029-11까지 36개월을 빠짐없이 "
        "다루어야 합니다(사업계획 기간). 빠진 달: 2029-11."
    ]
    assert section_status("business_plan", plan, ctx) == "has_errors"


@pytest.mark.parametrize("months", [36, 37])
def test_business_plan_covering_36_months_or_more_is_accepted(
    months, section_context, sample, errors_in
):
    plan = plan_with_months(sample, 36)
    if months == 37:
        extra = dict(plan["monthly_projections"][-1], month="2029-12")
        plan["monthly_projections"].append(extra)
    assert errors_in("en", "business_plan", plan, section_context("other_virtual_asset")) == {}


def test_business_plan_with_a_gap_names_the_missing_months(section_context, sample, errors_in):
    plan = plan_with_months(sample, 36)
    del plan["monthly_projections"][3:11]
    errors = errors_in("en", "business_plan", plan, section_context("other_virtual_asset"))
    assert errors["monthly_projections"][0].endswith(
        "missing: 2027-03, 2027-04, 2027-05, 2027-06, 2027-07, 2027-08 and 2 more."
    )


def test_business_plan_month_given_twice_is_refused(section_context, sample, errors_in):
    plan = plan_with_months(sample, 36)
    plan["monthly_projections"][5]["month"] = plan["monthly_projections"][4]["month"]
    ctx = section_context("other_virtual_asset")
    errors = errors_in("en", "business_plan", plan, ctx)["monthly_projections"]
    assert errors[5]["month"] == ["2027-04 appears more than once."]
    assert "missing: 2027-05" in errors["_schema"][0]


def test_projection_before_the_plan_starts_is_refused(section_context, sample, errors_in):
    plan = plan_with_months(sample, 36)
    plan["monthly_projections"].append(dict(plan["monthly_projections"][0], month="2026-11-15"))
    errors = errors_in("ko", "business_plan", plan, section_context("other_virtual_asset"))
    assert errors["monthly_projections"][36]["month"] == [
        "2026-11은 계획 시작 월(2026-12)보다 앞섭니다."
    ]


def test_business_plan_period_follows_the_profile(section_context, sample, errors_in):
    ctx = section_context("other_virtual_asset", profile=replace(KR_2026, business_plan_months=24))
    assert errors_in("en", "business_plan", plan_with_months(sample, 24), ctx) == {}
    errors = errors_in("en", "business_plan", plan_with_months(sample, 23), ctx)
    assert "must cover 24 months" in errors["monthly_projections"][0]


# --- token design -----------------------------------------------------------------


def test_security_token_without_ksd_registration_is_incomplete(section_context, sample, errors_in):
    ctx = section_context("security_token")
    token = sample("security_token", "token_design")
    del token["ksd_registration_number"]
    assert errors_in("en", "token_design", token, ctx) == {
        "ksd_registration_number": [
            "A security token must be electronically registered with the Korea Securities "
            "Depository: give the registration number (Electronic Securities Act)."
        ]
    }
    assert errors_in("ko", "token_design", token, ctx)["ksd_registration_number"] == [
        "증권형 토큰은 한국예탁결제원에 전자등록해야 하므로 "
        "전자등록 번호를 적어야 합니다(「전자증권법」)."
    ]
    assert section_status("token_design", token, ctx) == "in_progress"


def test_security_token_managed_by_a_third_party_must_name_it(section_context, sample, errors_in):
    ctx = section_context("security_token")
    token = sample("security_token", "token_design")
    del token["account_manager_name"]
    assert errors_in("en", "token_design", token, ctx) == {
        "account_manager_name": [
            "Name the securities firm or bank that manages the token "
            "accounts (Electronic Securities Act, STO amendments)."
        ]
    }
    token["account_management"] = "self_managed"
    assert errors_in("en", "token_design", token, ctx) == {}


def test_security_token_fields_are_not_asked_of_other_categories(
    section_context, sample, errors_in
):
    token = {**sample("other_virtual_asset", "token_design"), "ksd_registration_number": "KSD-1"}
    errors = errors_in("en", "token_design", token, section_context("other_virtual_asset"))
    assert list(errors) == ["ksd_registration_number"]


def test_tokenized_deposit_must_describe_settlement_between_banks(
    section_context, sample, errors_in
):
    token = sample("tokenized_deposit", "token_design")
    del token["interbank_settlement"]
    errors = errors_in("en", "token_design", token, section_context("tokenized_deposit"))
    assert errors == {"interbank_settlement": ["This field is required."]}


@pytest.mark.parametrize("symbol", ["hkrw", "H", "HANBITWON1234", "H-KRW"])
def test_malformed_token_symbol_is_refused(symbol, section_context, sample, errors_in):
    token = {**sample("krw_stablecoin", "token_design"), "token_symbol": symbol}
    errors = errors_in("en", "token_design", token, section_context())
    assert "token_symbol" in errors


def test_token_needs_at_least_one_ledger(section_context, sample, errors_in):
    token = {**sample("krw_stablecoin", "token_design"), "ledgers": []}
    ctx = section_context()
    assert errors_in("en", "token_design", token, ctx) == {"ledgers": ["This field is required."]}
    assert section_status("token_design", token, ctx) == "in_progress"
