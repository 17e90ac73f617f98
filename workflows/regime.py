"""Regime profiles: every threshold the service enforces, as data.

Korea has not enacted its issuer law yet, so no figure is a constant in code.
Each profile names where its figures come from; `service.config` picks one by
name (`REGIME_PROFILE`) and rules receive it as an argument.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from workflows.bilingual import t

CATEGORIES = ("krw_stablecoin", "tokenized_deposit", "security_token", "other_virtual_asset")

# Categories whose token promises a fixed value in won, so a price below the floor is a
# broken promise. A tokenized deposit is a deposit, worth its balance by law whatever it
# trades at; security tokens and other virtual assets float.
PEGGED_CATEGORIES = ("krw_stablecoin",)

CATEGORY_LABELS = {
    "krw_stablecoin": t("KRW stablecoin", "원화 스테이블코인"),
    "tokenized_deposit": t("Tokenized deposit", "예금 토큰"),
    "security_token": t("Security token", "증권형 토큰"),
    "other_virtual_asset": t("Other virtual asset", "기타 가상자산"),
}


@dataclass(frozen=True)
class RegimeProfile:
    name: str
    source: str
    # Minimum paid-in equity capital in KRW; None where the category has none.
    minimum_capital: dict[str, int | None] = field(default_factory=dict)
    # Review clocks, in Korean business days (MiCA Art 18-20; Reg. 2025/296).
    completeness_check_days: int = 25
    incompleteness_deadline_max_days: int = 20
    assessment_days: int = 60
    clock_stop_max_days: int = 20
    central_bank_opinion_days: int = 20
    # The time an issuer is given to comment on a notice of intended refusal, suspension or
    # revocation, in calendar days at least (Administrative Procedures Act Art 21(3)).
    prior_notice_comment_min_days: int = 10
    # An objection to a refusal, suspension or revocation is lodged within this many days
    # of the decision and answered within the next figure's days (Administrative
    # Procedures Act Art 36(1)-(2)).
    objection_window_days: int = 30
    objection_answer_days: int = 14
    # Reserve rules for KRW stablecoins (FSC plan Dec 2025; MiCA Art 36-38).
    reserve_coverage_min: Decimal = Decimal("1.00")
    reserve_max_maturity_days: int = 93
    reserve_bank_deposit_min_share: Decimal = Decimal("0.30")
    reserve_single_bank_max_share: Decimal = Decimal("0.50")
    redemption_max_business_days: int = 5
    # Bank-led consortium rule for KRW stablecoins: banks together hold more than 50%
    # ("50% + 1 share", FSC plan Dec 2025); the Bank of Korea asks for 51% (min 51, not
    # strictly above). Percent, 0-100.
    consortium_rule_enabled: bool = True
    consortium_bank_share_min: Decimal = Decimal("50")
    consortium_bank_share_strictly_above: bool = True
    # One bank may hold at most 15% of the voting shares of a company outside the
    # industries the FSC designates for bank subsidiaries (Banking Act Art 37(1)-(2)); a
    # KRW stablecoin issuer is not designated yet, hence consortia of four or more banks.
    # None once stablecoin issuance is designated. Percent, 0-100.
    bank_single_holding_max_pct: Decimal | None = Decimal("15")
    qualifying_holding_min: Decimal = Decimal("10")
    # A holding that reaches or passes one of these shares (percent) on an acquisition, or
    # falls below one on a disposal, is approved before it happens (MiCA Art 41(1), 42;
    # docs/domain.md section 5, changes approved in advance).
    control_thresholds_pct: tuple[Decimal, ...] = (
        Decimal("10"),
        Decimal("20"),
        Decimal("30"),
        Decimal("50"),
    )
    fit_and_proper_lookback_years: int = 5
    business_plan_months: int = 36
    isms_min_remaining_months: int = 6
    # A registration ended by revocation or lapse has this many calendar days to redeem
    # every holder; a surrender's plan names its own day (docs/domain.md section 4,
    # wind-down: a product default, MiCA Art 47 leaves the time to the issuer's plan).
    wind_down_days: int = 90
    # Registration validity (the VASP model) and renewal window.
    validity_years: int = 3
    renewal_window_months: int = 6
    # Monitoring (docs/domain.md section 5).
    reserve_report_due_business_days: int = 10
    cross_border_net_outflow_max_share: Decimal = Decimal("0.10")
    quarterly_report_threshold_krw: int = 100_000_000_000
    audited_financials_due_days: int = 90
    # Own funds of an issuer with a reserve: at least the larger of its category's minimum
    # capital and this share of the average reserve over the preceding months (MiCA Art
    # 35(1)(b): 2%, averaged over six months).
    own_funds_reserve_share_min: Decimal = Decimal("0.02")
    own_funds_reserve_average_months: int = 6
    incident_report_due_business_days: int = 1
    # A depeg is a finding when the price stays below the floor this long (a day): one
    # tick below it is market noise, not a broken peg.
    depeg_floor_krw: Decimal = Decimal("0.99")
    depeg_min_duration_hours: int = 24
    # Eligible reserve assets (FSC plan Dec 2025; docs/domain.md section 3.6): cash, deposits,
    # KTBs and MSBs, overnight repos on them, MMFs holding only those.
    reserve_eligible_asset_types: frozenset[str] = frozenset(
        {"cash", "bank_deposit", "government_bond", "monetary_stabilisation_bond", "repo", "mmf"}
    )
    # "Overnight" repo: matures by the next business day (FSC plan Dec 2025).
    reserve_repo_max_term_business_days: int = 1
    # Filed with the reserve report (docs/domain.md section 5 product default).
    redemption_statistics_due_business_days: int = 10
    # Independent reserve audit every six months from registration, result within six
    # weeks of the reference date (MiCA Art 36(9)).
    reserve_audit_interval_months: int = 6
    reserve_audit_due_days: int = 42
    # Quarterly report: filed 12 May, 11 Aug, 11 Nov, 11 Feb, i.e. 42 days after the
    # quarter's reference date (Implementing Reg. 2024/2902 Art 3).
    quarterly_report_due_days: int = 42
    # Change reports, calendar days (docs/domain.md section 5 product defaults).
    change_report_major_shareholder_days_after: int = 14
    change_report_executive_days_before: int = 30
    change_report_isms_days_after: int = 30
    # Modified white paper notified before publication (MiCA Art 12(2): 7 working days).
    white_paper_update_notice_business_days: int = 7

    def minimum_capital_for(self, category: str) -> int | None:
        return self.minimum_capital.get(category)

    def banks_lead(self, bank_total: Decimal) -> bool:
        """Whether banks holding `bank_total` percent of a KRW stablecoin issuer meet the
        bank-led consortium rule (always, where the profile does not apply it)."""
        if not self.consortium_rule_enabled:
            return True
        minimum = self.consortium_bank_share_min
        if self.consortium_bank_share_strictly_above:
            return bank_total > minimum
        return bank_total >= minimum


KR_2026 = RegimeProfile(
    name="kr-2026",
    source="FSC plan Dec 2025; ruling party task force Jan 2026; MiCA where Korea is silent",
    minimum_capital={
        "krw_stablecoin": 5_000_000_000,
        "other_virtual_asset": 500_000_000,
        "tokenized_deposit": None,
        "security_token": None,
    },
)

# Earlier bills proposed lower capital floors for stablecoin issuers.
KR_BILL_500M = replace(
    KR_2026,
    name="kr-bill-500m",
    source="Digital Asset Basic Act bill (June 2025): KRW 500m capital",
    minimum_capital={**KR_2026.minimum_capital, "krw_stablecoin": 500_000_000},
)
KR_BILL_1BN = replace(
    KR_2026,
    name="kr-bill-1bn",
    source="Earlier stablecoin bill: KRW 1bn capital",
    minimum_capital={**KR_2026.minimum_capital, "krw_stablecoin": 1_000_000_000},
)

PROFILES: dict[str, RegimeProfile] = {p.name: p for p in (KR_2026, KR_BILL_500M, KR_BILL_1BN)}
DEFAULT_PROFILE = KR_2026.name


def profile(name: str = DEFAULT_PROFILE) -> RegimeProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown regime profile {name!r}; known: {sorted(PROFILES)}") from None
