"""Applicant and ownership rules at their boundaries, messages in both locales."""

from dataclasses import replace
from datetime import date

import pytest

from forms.sections import section_status
from workflows.regime import KR_2026

# --- applicant ---------------------------------------------------------------


def test_tokenized_deposit_by_a_non_bank_is_refused(section_context, sample, errors_in):
    ctx = section_context("tokenized_deposit", is_bank=False)
    applicant = sample("tokenized_deposit", "applicant")
    assert errors_in("en", "applicant", applicant, ctx) == {
        "_schema": [
            "Only a licensed bank may issue tokenized deposits: a "
            "tokenized deposit is a bank deposit (Banking Act Art 8)."
        ]
    }
    assert errors_in("ko", "applicant", applicant, ctx)["_schema"] == [
        "예금 토큰은 은행 예금이므로 인가받은 은행만 발행할 수 있습니다(「은행법」 제8조)."
    ]


def test_tokenized_deposit_by_a_bank_is_accepted(section_context, sample, errors_in):
    ctx = section_context("tokenized_deposit", is_bank=True)
    assert errors_in("en", "applicant", sample("tokenized_deposit", "applicant"), ctx) == {}


def test_tokenized_deposit_without_a_bank_licence_number_is_incomplete(
    section_context, sample, errors_in
):
    ctx = section_context("tokenized_deposit")
    applicant = sample("tokenized_deposit", "applicant")
    del applicant["bank_licence_number"]
    assert errors_in("en", "applicant", applicant, ctx) == {
        "bank_licence_number": [
            "A tokenized deposit is a bank deposit: give "
            "the bank licence number (Banking Act Art 8)."
        ]
    }
    assert errors_in("ko", "applicant", applicant, ctx)["bank_licence_number"] == [
        "예금 토큰은 은행 예금이므로 은행업 인가 번호를 적어야 합니다(「은행법」 제8조)."
    ]
    assert section_status("applicant", applicant, ctx) == "in_progress"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("business_registration_number", "220-87-41626"),
        ("corporate_registration_number", "110111-8123451"),
        ("lei", "988400HANBITSTBL0196"),
    ],
)
def test_identifier_one_digit_off_is_refused_in_the_applicant_section(
    field, value, section_context, sample, errors_in
):
    applicant = {**sample("krw_stablecoin", "applicant"), field: value}
    assert list(errors_in("en", "applicant", applicant, section_context())) == [field]


# --- qualifying holders ----------------------------------------------------------


def holders(*shares, kind="non_financial"):
    return [
        {"name": f"주주{i}", "holder_type": kind, "percentage": share}
        for i, share in enumerate(shares)
    ]


def ownership(sample, category="other_virtual_asset", **changes):
    return {**sample(category, "ownership"), **changes}


@pytest.mark.parametrize(("share", "refused"), [("9.99", True), ("10", False), ("10.01", False)])
def test_listed_holder_under_the_qualifying_threshold_is_refused(
    share, refused, section_context, sample, errors_in
):
    ctx = section_context("other_virtual_asset")
    data = ownership(sample, qualifying_holders=holders("40", share))
    errors = errors_in("en", "ownership", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "qualifying_holders": {
            1: {
                "percentage": [
                    "List only qualifying holders: 9.99% is under the "
                    "10% qualifying-holding threshold (MiCA Art 41)."
                ]
            }
        }
    }
    korean = errors_in("ko", "ownership", data, ctx)
    assert korean["qualifying_holders"][1]["percentage"] == [
        "대주주만 적습니다. 9.99%는 대주주 기준인 10%에 못 미칩니다(MiCA 제41조)."
    ]


@pytest.mark.parametrize(("last", "refused"), [("29.99", False), ("30", False), ("30.01", True)])
def test_qualifying_holdings_over_100_percent_are_refused(
    last, refused, section_context, sample, errors_in
):
    ctx = section_context("other_virtual_asset")
    data = ownership(sample, qualifying_holders=holders("40", "30", last))
    errors = errors_in("en", "ownership", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "qualifying_holders": [
            "Qualifying holdings add up to 100.01%: holdings cannot "
            "exceed 100% of the capital (shareholder register)."
        ]
    }
    assert errors_in("ko", "ownership", data, ctx)["qualifying_holders"] == [
        "대주주 지분율 합계가 100.01%입니다. 지분 합계는 자본의 100%를 넘을 수 없습니다(주주명부)."
    ]


def test_qualifying_holders_may_be_left_empty_when_no_one_holds_ten_percent(
    section_context, sample, errors_in
):
    data = ownership(sample)
    del data["qualifying_holders"]
    assert errors_in("en", "ownership", data, section_context("other_virtual_asset")) == {}


# --- bank-led consortium ------------------------------------------------------------


@pytest.mark.parametrize(
    ("bank_share", "refused"), [("49.99", True), ("50", True), ("50.01", False)]
)
def test_krw_stablecoin_bank_share_must_be_strictly_above_half(
    bank_share, refused, section_context, sample, errors_in
):
    ctx = section_context("krw_stablecoin")
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": holders("15", "15", "10", kind="bank"),
        "bank_shareholding_total_pct": bank_share,
    }
    errors = errors_in("en", "ownership", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "bank_shareholding_total_pct": [
            "Banks must hold more than 50% of a KRW stablecoin issuer (bank-led consortium rule, "
            f"FSC plan Dec 2025); banks hold {bank_share}%."
        ]
    }
    assert errors_in("ko", "ownership", data, ctx)["bank_shareholding_total_pct"] == [
        "원화 스테이블코인 발행인은 은행이 50%를 초과하여 보유해야 합니다(은행 중심 컨소시엄 요건, "
        f"2025년 12월 금융위원회 방안). 현재 은행 지분은 {bank_share}%입니다."
    ]


@pytest.mark.parametrize(
    ("bank_share", "refused"), [("50.99", True), ("51", False), ("51.01", False)]
)
def test_consortium_rule_at_least_51_percent_when_the_profile_says_so(
    bank_share, refused, section_context, sample, errors_in
):
    # The Bank of Korea asks for 51%, reached or exceeded.
    profile = replace(
        KR_2026, consortium_bank_share_min=51, consortium_bank_share_strictly_above=False
    )
    ctx = section_context("krw_stablecoin", profile=profile)
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": holders("15", "15", "10", kind="bank"),
        "bank_shareholding_total_pct": bank_share,
    }
    errors = errors_in("en", "ownership", data, ctx)
    assert bool(errors) is refused
    if refused:
        assert errors["bank_shareholding_total_pct"] == [
            "Banks must hold at least 51% of a KRW stablecoin issuer "
            "(bank-led consortium rule, FSC plan Dec 2025); banks hold 50.99%."
        ]
        assert (
            "은행이 51% 이상 보유해야"
            in errors_in("ko", "ownership", data, ctx)["bank_shareholding_total_pct"][0]
        )


def test_consortium_rule_switched_off_accepts_a_minority_bank_share(
    section_context, sample, errors_in
):
    ctx = section_context("krw_stablecoin", profile=replace(KR_2026, consortium_rule_enabled=False))
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": holders("15", kind="bank"),
        "bank_shareholding_total_pct": "20",
    }
    assert errors_in("en", "ownership", data, ctx) == {}
    del data["bank_shareholding_total_pct"]
    assert errors_in("en", "ownership", data, ctx) == {}


def test_bank_total_below_the_listed_banks_is_refused(section_context, sample, errors_in):
    data = {**sample("krw_stablecoin", "ownership"), "bank_shareholding_total_pct": "55"}
    errors = errors_in("en", "ownership", data, section_context("krw_stablecoin"))
    assert errors == {
        "bank_shareholding_total_pct": [
            "The banks listed as qualifying holders already "
            "hold 56%; the total held by banks cannot be less."
        ]
    }


def test_bank_total_is_not_asked_of_other_categories(section_context, sample, errors_in):
    data = ownership(sample, bank_shareholding_total_pct="60")
    errors = errors_in("en", "ownership", data, section_context("other_virtual_asset"))
    assert list(errors) == ["bank_shareholding_total_pct"]


@pytest.mark.parametrize(("bank_total", "refused"), [("55", False), ("55.01", True)])
def test_bank_total_and_other_holders_cannot_exceed_the_capital(
    bank_total, refused, section_context, sample, errors_in
):
    """Banks' total plus the listed non-bank holders is at most 100% (docs/domain.md 3.2:
    the shareholder register; MiCA Art 41 holdings). Banks declared at 90% beside a 45%
    non-bank holder used to pass."""
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": [
            *holders("15", "15", "15", kind="bank"),
            {"name": "가람페이", "holder_type": "non_financial", "percentage": "45"},
        ],
        "bank_shareholding_total_pct": bank_total,
    }
    ctx = section_context("krw_stablecoin")
    errors = errors_in("en", "ownership", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "bank_shareholding_total_pct": [
            "Banks hold 55.01% and the other qualifying holders 45%: together 100.01%, "
            "more than the whole capital (shareholder register)."
        ]
    }
    assert errors_in("ko", "ownership", data, ctx)["bank_shareholding_total_pct"] == [
        "은행 지분 55.01%와 그 밖의 대주주 지분 45%를 합하면 100.01%로 자본 전체를 "
        "넘습니다(주주명부)."
    ]


def test_banks_at_90_percent_beside_a_45_percent_holder_are_refused(
    section_context, sample, errors_in
):
    """The case of issue 18 item 8: 90% + 45% is 135% of the capital (shareholder register)."""
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": [
            {"name": "가람페이", "holder_type": "non_financial", "percentage": "45"}
        ],
        "bank_shareholding_total_pct": "90",
    }
    errors = errors_in("en", "ownership", data, section_context("krw_stablecoin"))
    assert list(errors) == ["bank_shareholding_total_pct"]
    assert "together 135%" in errors["bank_shareholding_total_pct"][0]


@pytest.mark.parametrize(("share", "refused"), [("14.99", False), ("15", False), ("15.01", True)])
def test_one_bank_may_hold_at_most_15_percent_of_a_krw_stablecoin_issuer(
    share, refused, section_context, sample, errors_in
):
    """Banking Act Art 37(1): a bank holds at most 15% of the voting shares of a company
    outside the industries designated under Art 37(2); a KRW stablecoin issuer is not one
    (regime profile bank_single_holding_max_pct)."""
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": [
            {"name": "한빛은행", "holder_type": "bank", "percentage": share},
            *holders("15", "15", "15", kind="bank"),
        ],
        "bank_shareholding_total_pct": "65",
    }
    ctx = section_context("krw_stablecoin")
    errors = errors_in("en", "ownership", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "qualifying_holders": {
            0: {
                "percentage": [
                    "한빛은행 holds 15.01%: a bank may hold at most 15% of the voting shares "
                    "of a KRW stablecoin issuer (Banking Act Art 37(1))."
                ]
            }
        }
    }
    assert errors_in("ko", "ownership", data, ctx)["qualifying_holders"][0]["percentage"] == [
        "한빛은행의 지분율이 15.01%입니다. 은행은 원화 스테이블코인 발행인의 의결권 있는 "
        "주식을 15%까지만 보유할 수 있습니다(「은행법」 제37조 제1항)."
    ]


def test_single_bank_limit_follows_the_profile(section_context, sample, errors_in):
    """Once stablecoin issuance is an industry banks may own (Banking Act Art 37(2)), a
    profile without the limit accepts one bank holding a majority."""
    data = {
        **sample("krw_stablecoin", "ownership"),
        "qualifying_holders": holders("51", kind="bank"),
        "bank_shareholding_total_pct": "51",
    }
    assert list(errors_in("en", "ownership", data, section_context("krw_stablecoin"))) == [
        "qualifying_holders"
    ]
    lifted = replace(KR_2026, bank_single_holding_max_pct=None)
    ctx = section_context("krw_stablecoin", profile=lifted)
    assert errors_in("en", "ownership", data, ctx) == {}


# --- fit and proper ---------------------------------------------------------------------


def test_executives_missing_leave_the_section_in_progress_with_the_rule_named(
    section_context, sample, errors_in
):
    ctx = section_context("other_virtual_asset")
    data = ownership(sample)
    del data["executives"]
    assert errors_in("en", "ownership", data, ctx) == {
        "executives": [
            "List every executive and board member with a fit-and-proper declaration "
            "(Act on Corporate Governance of Financial Companies Art 5)."
        ]
    }
    assert errors_in("ko", "ownership", data, ctx)["executives"] == [
        "모든 임원과 이사를 적격성 확인서와 함께 적어야 "
        "합니다(「금융회사의 지배구조에 관한 법률」 제5조)."
    ]
    assert section_status("ownership", data, ctx) == "in_progress"


def test_executive_without_a_signed_declaration_is_refused(section_context, sample, errors_in):
    ctx = section_context("other_virtual_asset")
    data = ownership(sample)
    data["executives"][0]["fit_and_proper_declared"] = False
    assert errors_in("en", "ownership", data, ctx) == {
        "executives": {
            0: {
                "fit_and_proper_declared": [
                    "김서연 has not signed a fit-and-proper declaration (Act "
                    "on Corporate Governance of Financial Companies Art 5)."
                ]
            }
        }
    }
    assert errors_in("ko", "ownership", data, ctx)["executives"][0]["fit_and_proper_declared"] == [
        "김서연의 적격성 확인서 서명이 없습니다(「금융회사의 지배구조에 관한 법률」 제5조)."
    ]
    del data["executives"][0]["fit_and_proper_declared"]
    assert section_status("ownership", data, ctx) == "in_progress"


@pytest.mark.parametrize(
    ("ended_on", "refused"),
    [(date(2021, 11, 25), True), (date(2021, 11, 24), False), (date(2021, 11, 23), False)],
)
def test_financial_law_sentence_within_five_years_fails_fit_and_proper(
    ended_on, refused, section_context, sample, errors_in
):
    # Submission on 2026-11-24: five full years have passed for a sentence ended 2021-11-24.
    ctx = section_context("other_virtual_asset")
    data = ownership(sample)
    data["executives"][1]["financial_law_sentence_ended_on"] = ended_on.isoformat()
    errors = errors_in("en", "ownership", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors["executives"][1]["financial_law_sentence_ended_on"] == [
        "박준호's sentence under a financial law ended on 2021-11-25, "
        "less than 5 years ago: not fit and proper until 2026-11-25 "
        "(Act on Corporate Governance of Financial Companies Art 5)."
    ]
    korean = errors_in("ko", "ownership", data, ctx)
    assert korean["executives"][1]["financial_law_sentence_ended_on"] == [
        "박준호의 금융관계법령 위반 형의 집행이 2021-11-25에 끝나 5년이 지나지 않았으므로 "
        "2026-11-25까지 임원이 될 수 없습니다(「금융회사의 지배구조에 관한 법률」 제5조)."
    ]


def test_lookback_period_follows_the_profile(section_context, sample, errors_in):
    ctx = section_context(
        "other_virtual_asset", profile=replace(KR_2026, fit_and_proper_lookback_years=3)
    )
    data = ownership(sample)
    data["executives"][1]["financial_law_sentence_ended_on"] = "2023-11-24"
    assert errors_in("en", "ownership", data, ctx) == {}
    data["executives"][1]["financial_law_sentence_ended_on"] = "2023-11-25"
    assert (
        "less than 3 years ago"
        in errors_in("en", "ownership", data, ctx)["executives"][1][
            "financial_law_sentence_ended_on"
        ][0]
    )


def test_sentence_still_being_served_fails_fit_and_proper(section_context, sample, errors_in):
    data = ownership(sample)
    data["executives"][2]["financial_law_sentence_ended_on"] = "2027-01-01"
    errors = errors_in("en", "ownership", data, section_context("other_virtual_asset"))
    assert errors["executives"][2]["financial_law_sentence_ended_on"] == [
        "A sentence still being served makes 이하은 ineligible (Act "
        "on Corporate Governance of Financial Companies Art 5)."
    ]


def test_undischarged_bankrupt_fails_fit_and_proper(section_context, sample, errors_in):
    ctx = section_context("other_virtual_asset")
    data = ownership(sample)
    data["executives"][3]["bankrupt_not_reinstated"] = True
    assert errors_in("en", "ownership", data, ctx)["executives"][3]["bankrupt_not_reinstated"] == [
        "최민재 is an undischarged bankrupt and cannot be an executive "
        "(Act on Corporate Governance of Financial Companies Art 5)."
    ]
    assert errors_in("ko", "ownership", data, ctx)["executives"][3]["bankrupt_not_reinstated"] == [
        "최민재는 파산선고를 받고 복권되지 않았으므로 임원이 될 "
        "수 없습니다(「금융회사의 지배구조에 관한 법률」 제5조)."
    ]
