"""Capital, reserve and redemption rules at their boundaries, messages in both locales."""

from dataclasses import replace

import pytest

from forms.sections import section_status
from workflows.regime import KR_2026, KR_BILL_500M

# --- capital ------------------------------------------------------------------------


def capital(sample, category, amount):
    return {**sample(category, "capital"), "paid_in_capital_krw": amount}


def test_capital_one_won_below_minimum_is_refused(section_context, sample, errors_in):
    ctx = section_context("krw_stablecoin")
    data = capital(sample, "krw_stablecoin", 4_999_999_999)
    assert errors_in("en", "capital", data, ctx) == {
        "paid_in_capital_krw": [
            "Paid-in capital must be at least ₩5,000,000,000 for KRW stablecoin issuers "
            f"({KR_2026.source}); ₩4,999,999,999 was given."
        ]
    }
    assert errors_in("ko", "capital", data, ctx) == {
        "paid_in_capital_krw": [
            "원화 스테이블코인 발행인의 납입자본금은 ₩5,000,000,000 이상이어야 합니다"
            f"({KR_2026.source}). 입력한 금액: ₩4,999,999,999."
        ]
    }


@pytest.mark.parametrize("amount", [5_000_000_000, 5_000_000_001])
def test_capital_at_or_above_minimum_is_accepted(amount, section_context, sample, errors_in):
    data = capital(sample, "krw_stablecoin", amount)
    assert errors_in("en", "capital", data, section_context("krw_stablecoin")) == {}


@pytest.mark.parametrize(("amount", "refused"), [(499_999_999, True), (500_000_000, False)])
def test_other_virtual_asset_capital_floor_is_500_million(
    amount, refused, section_context, sample, errors_in
):
    data = capital(sample, "other_virtual_asset", amount)
    errors = errors_in("en", "capital", data, section_context("other_virtual_asset"))
    assert bool(errors) is refused
    if refused:
        assert errors["paid_in_capital_krw"][0].startswith(
            "Paid-in capital must be at least ₩500,000,000 for other virtual asset issuers ("
        )


def test_capital_floor_follows_the_regime_profile(section_context, sample, errors_in):
    ctx = section_context("krw_stablecoin", profile=KR_BILL_500M)
    assert errors_in("en", "capital", capital(sample, "krw_stablecoin", 500_000_000), ctx) == {}
    errors = errors_in("en", "capital", capital(sample, "krw_stablecoin", 499_999_999), ctx)
    assert "₩500,000,000" in errors["paid_in_capital_krw"][0]
    assert "Digital Asset Basic Act bill" in errors["paid_in_capital_krw"][0]


# --- reserve --------------------------------------------------------------------------


def reserve(sample, composition, **changes):
    return {**sample("krw_stablecoin", "reserve"), "target_composition": composition, **changes}


def deposit(share, bank="한빛은행"):
    return {"asset_type": "bank_deposit", "share_pct": share, "held_at": bank}


def bond(share, days=90, bank="한빛은행", kind="korean_government_bond"):
    return {"asset_type": kind, "share_pct": share, "held_at": bank, "max_maturity_days": days}


@pytest.mark.parametrize(
    ("last", "total", "refused"),
    [("49.99", "99.99", True), ("50", "100", False), ("50.01", "100.01", True)],
)
def test_reserve_composition_must_add_up_to_100_percent(
    last, total, refused, section_context, sample, errors_in
):
    ctx = section_context()
    data = reserve(sample, [deposit("30"), deposit("20", "동해은행"), bond(last)])
    errors = errors_in("en", "reserve", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "target_composition": [
            f"The target composition must add up to 100% of the reserve; it adds up to {total}%."
        ]
    }
    assert errors_in("ko", "reserve", data, ctx)["target_composition"] == [
        f"목표 구성의 합계는 준비자산의 100%여야 합니다. 현재 합계: {total}%."
    ]


@pytest.mark.parametrize("asset_type", ["corporate_bond", "commercial_paper", "bitcoin"])
def test_ineligible_reserve_asset_is_refused(asset_type, section_context, sample, errors_in):
    ctx = section_context()
    data = reserve(
        sample,
        [deposit("40"), {"asset_type": asset_type, "share_pct": "60", "held_at": "한빛은행"}],
    )
    english = errors_in("en", "reserve", data, ctx)["target_composition"][1]["asset_type"]
    korean = errors_in("ko", "reserve", data, ctx)["target_composition"][1]["asset_type"]
    assert english == [
        "Not an eligible reserve asset: only cash, bank deposits, Korean "
        "government bonds and Monetary Stabilisation Bonds, overnight repos backed "
        "by them and money-market funds holding only those (FSC plan Dec 2025)."
    ]
    assert korean[0].startswith("준비자산으로 인정되지 않는 자산입니다.")


@pytest.mark.parametrize(("days", "refused"), [(92, False), (93, False), (94, True)])
def test_reserve_bond_maturity_over_93_days_is_refused(
    days, refused, section_context, sample, errors_in
):
    ctx = section_context()
    data = reserve(
        sample,
        [
            deposit("40"),
            bond("30", days),
            bond("30", 30, "동해은행", "monetary_stabilisation_bond"),
        ],
    )
    errors = errors_in("en", "reserve", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "target_composition": {
            1: {
                "max_maturity_days": [
                    "Reserve assets may have at most 93 days to "
                    "maturity (FSC plan Dec 2025); 94 days were given."
                ]
            }
        }
    }
    assert errors_in("ko", "reserve", data, ctx)["target_composition"][1]["max_maturity_days"] == [
        "준비자산의 잔존만기는 93일 이하여야 합니다(2025년 "
        "12월 금융위원회 방안). 입력한 만기: 94일."
    ]


def test_bond_without_its_maturity_is_refused(section_context, sample, errors_in):
    composition = [deposit("40"), bond("60")]
    del composition[1]["max_maturity_days"]
    errors = errors_in("en", "reserve", reserve(sample, composition), section_context())
    assert errors["target_composition"][1]["max_maturity_days"][0].startswith(
        "Give the longest remaining maturity: bonds count "
        "towards the reserve only with at most 93 days"
    )


def test_maturity_limit_follows_the_profile(section_context, sample, errors_in):
    ctx = section_context(profile=replace(KR_2026, reserve_max_maturity_days=60))
    data = reserve(sample, [deposit("40"), bond("60", 61)])
    assert (
        "at most 60 days"
        in errors_in("en", "reserve", data, ctx)["target_composition"][1]["max_maturity_days"][0]
    )


@pytest.mark.parametrize(
    ("deposits", "refused"), [("29.99", True), ("30", False), ("30.01", False)]
)
def test_bank_deposits_under_30_percent_are_refused(
    deposits, refused, section_context, sample, errors_in
):
    ctx = section_context()
    rest = {"29.99": "70.01", "30": "70", "30.01": "69.99"}[deposits]
    data = reserve(sample, [deposit(deposits), bond(rest, 30, "동해은행")])
    errors = errors_in("en", "reserve", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "target_composition": [
            "Bank deposits must be at least 30% of the reserve "
            "(MiCA Art 54); the composition has 29.99%."
        ]
    }
    assert errors_in("ko", "reserve", data, ctx)["target_composition"] == [
        "은행 예금은 준비자산의 30% 이상이어야 합니다(MiCA 제54조). 현재 비중: 29.99%."
    ]


@pytest.mark.parametrize(
    ("at_one_bank", "refused"), [("49.99", False), ("50", False), ("50.01", True)]
)
def test_deposits_over_50_percent_at_one_bank_are_refused(
    at_one_bank, refused, section_context, sample, errors_in
):
    ctx = section_context()
    second, rest = {"49.99": ("19.99", "40.01"), "50": ("20", "40"), "50.01": ("20.01", "39.99")}[
        at_one_bank
    ]
    # Two rows at the same bank, one spelled with a space, count as one bank.
    data = reserve(
        sample,
        [deposit("30"), deposit(second, "한빛 은행"), deposit("10", "동해은행"), bond(rest)],
    )
    errors = errors_in("en", "reserve", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "target_composition": [
            "Deposits at one bank may be at most 50% of the reserve "
            "(concentration limit, regime profile); 한빛은행 holds 50.01%."
        ]
    }
    assert errors_in("ko", "reserve", data, ctx)["target_composition"] == [
        "한 은행에 예치한 예금은 준비자산의 50% 이하여야 "
        "합니다(집중 한도, 규제 프로필). 한빛은행: 50.01%."
    ]


@pytest.mark.parametrize(
    ("coverage", "refused"), [("99.99", True), ("100", False), ("100.01", False)]
)
def test_reserve_below_100_percent_of_tokens_outstanding_is_refused(
    coverage, refused, section_context, sample, errors_in
):
    ctx = section_context()
    data = {**sample("krw_stablecoin", "reserve"), "coverage_target_pct": coverage}
    errors = errors_in("en", "reserve", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "coverage_target_pct": [
            "The reserve must be at least 100% of the tokens outstanding "
            "at all times (full reserve, MiCA Art 36); 99.99% was given."
        ]
    }
    assert errors_in("ko", "reserve", data, ctx)["coverage_target_pct"] == [
        "준비자산은 항상 유통 토큰의 100% 이상이어야 "
        "합니다(완전 준비, MiCA 제36조). 입력한 비율: 99.99%."
    ]


def test_reserve_held_at_a_bank_not_named_as_custodian_is_refused(
    section_context, sample, errors_in
):
    data = reserve(sample, [deposit("40"), bond("60", 30, "서라벌은행")])
    errors = errors_in("en", "reserve", data, section_context())
    assert errors["target_composition"][1]["held_at"] == [
        "서라벌은행 is not among the custodian banks named in this section: "
        "reserve assets are held at named custodian banks (MiCA Art 37)."
    ]


@pytest.mark.parametrize("answer", ["segregated", "bankruptcy_remote"])
def test_custody_must_be_segregated_and_bankruptcy_remote(
    answer, section_context, sample, errors_in
):
    ctx = section_context()
    data = sample("krw_stablecoin", "reserve")
    data["custodians"][1][answer] = False
    english = errors_in("en", "reserve", data, ctx)["custodians"][1][answer][0]
    korean = errors_in("ko", "reserve", data, ctx)["custodians"][1][answer][0]
    assert "동해은행" in english and english.endswith("(MiCA Art 37).")
    assert korean.endswith("(MiCA 제37조).")


# --- redemption -------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "refused"), [(4, False), (5, False), (6, True)])
def test_redemption_paid_later_than_5_business_days_is_refused(
    days, refused, section_context, sample, errors_in
):
    ctx = section_context()
    data = {**sample("krw_stablecoin", "redemption"), "payout_business_days": days}
    errors = errors_in("en", "redemption", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "payout_business_days": [
            "Redemptions must be paid within 5 Korean business days of the "
            "request (redemption deadline, regime profile); 6 were given."
        ]
    }
    assert errors_in("ko", "redemption", data, ctx)["payout_business_days"] == [
        "상환금은 요청일부터 5영업일 이내에 지급해야 "
        "합니다(상환 기한, 규제 프로필). 입력한 기한: 6영업일."
    ]


def test_redemption_deadline_follows_the_profile(section_context, sample, errors_in):
    # NYDFS guidance (2022) uses 2 business days.
    ctx = section_context(profile=replace(KR_2026, redemption_max_business_days=2))
    data = {**sample("krw_stablecoin", "redemption"), "payout_business_days": 3}
    assert (
        "within 2 Korean business days"
        in errors_in("en", "redemption", data, ctx)["payout_business_days"][0]
    )


def test_interest_or_yield_to_holders_is_refused(section_context, sample, errors_in):
    ctx = section_context()
    data = {**sample("krw_stablecoin", "redemption"), "pays_interest_or_yield": True}
    assert errors_in("en", "redemption", data, ctx) == {
        "pays_interest_or_yield": [
            "A KRW stablecoin may not pay interest or any other "
            "yield to holders (MiCA Art 50; FSC plan Dec 2025)."
        ]
    }
    assert errors_in("ko", "redemption", data, ctx)["pays_interest_or_yield"] == [
        "원화 스테이블코인은 보유자에게 이자나 그 밖의 수익을 지급할 "
        "수 없습니다(MiCA 제50조, 2025년 12월 금융위원회 방안)."
    ]


def test_redemption_below_par_is_refused(section_context, sample, errors_in):
    data = {**sample("krw_stablecoin", "redemption"), "redeems_at_par": False}
    assert errors_in("en", "redemption", data, section_context())["redeems_at_par"] == [
        "Tokens must be redeemable at par, at any time, on the holder's request (MiCA Art 49(4))."
    ]


def test_a_krw_stablecoin_redemption_fee_is_refused_even_when_disclosed(
    section_context, sample, errors_in
):
    """MiCA Art 49(6): redemption of an e-money token is not subject to a fee; the KRW
    stablecoin follows the model (docs/domain.md 3.7). A disclosed fee used to pass."""
    ctx = section_context()
    data = {**sample("krw_stablecoin", "redemption"), "charges_fees": True}
    assert errors_in("en", "redemption", data, ctx) == {
        "charges_fees": [
            "A KRW stablecoin must be redeemed without any fee: holders get the full par "
            "value back (MiCA Art 49(6))."
        ]
    }
    assert errors_in("ko", "redemption", data, ctx)["charges_fees"] == [
        "원화 스테이블코인은 수수료 없이 상환해야 합니다. 보유자는 액면가 전액을 돌려받습니다"
        "(MiCA 제49조 제6항)."
    ]
    assert section_status("redemption", data, ctx) == "has_errors"
    disclosed = {**data, "fee_disclosure": "건당 500원."}
    assert "fee_disclosure" in errors_in("en", "redemption", disclosed, ctx)  # no such field
    assert errors_in("en", "redemption", {**data, "charges_fees": False}, ctx) == {}
