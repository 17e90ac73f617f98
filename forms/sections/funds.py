"""Sections 5-7: capital, the reserve and redemption (docs/domain.md section 3).

Every figure comes from the regime profile in the context. Percentages are
0-100 here; the profile keeps reserve shares as fractions (0.30), so they are
scaled where compared.
"""

from collections import defaultdict
from decimal import Decimal

from marshmallow import ValidationError, validates_schema

from forms.fields import day
from forms.sections.base import (
    GroupSchema,
    Problems,
    SectionSchema,
    amount_krw,
    choice,
    group,
    long_text,
    percent,
    percent_text,
    text,
    whole_number,
    yes_no,
)
from workflows.amounts import won
from workflows.bilingual import t

# --- capital -------------------------------------------------------------------


def _in_sentence(label: str) -> str:
    """Lower-case a category label inside a sentence, keeping acronyms such as KRW."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


class CapitalSchema(SectionSchema):
    paid_in_capital_krw = amount_krw(
        t("Paid-in capital (KRW)", "납입자본금(원)"),
        t(
            "Paid-in equity capital, as in the latest balance sheet or register.",
            "최근 재무상태표 또는 등기사항증명서상 납입자본금입니다.",
        ),
        rule="Minimum capital by category (regime profile minimum_capital; FSC plan Dec 2025)",
    )
    capital_as_of = day(
        t("Capital as of", "기준일"),
        t("The date the amount above is stated at.", "위 금액의 기준일입니다."),
    )
    capital_evidence = long_text(
        t("Evidence of capital", "자본금 증빙"),
        t(
            "Which documents show the capital, e.g. the "
            "audited balance sheet and the corporate register.",
            "자본금을 확인할 수 있는 서류입니다(예: 감사받은 재무상태표, 법인 등기사항증명서).",
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _capital_floor(self, data, **kwargs):
        ctx = self.ctx
        minimum = ctx.profile.minimum_capital_for(ctx.category)
        amount = data.get("paid_in_capital_krw")
        if minimum is None or amount is None or amount >= minimum:
            return
        raise ValidationError(
            t(
                "Paid-in capital must be at least {minimum} for {category} issuers "
                "({source}); {amount} was given.",
                "{category} 발행인의 납입자본금은 {minimum} "
                "이상이어야 합니다({source}). 입력한 금액: {amount}.",
                minimum=won(minimum),
                category=_in_sentence(ctx.category_label),
                source=ctx.profile.source,
                amount=won(amount),
            ),
            "paid_in_capital_krw",
        )

    @validates_schema(skip_on_field_errors=False)
    def _capital_date_not_in_future(self, data, **kwargs):
        as_of = data.get("capital_as_of")
        if as_of is not None and as_of > self.ctx.today:
            raise ValidationError(
                t("The date cannot be after today.", "기준일은 오늘 이후일 수 없습니다."),
                "capital_as_of",
            )


# --- reserve -------------------------------------------------------------------

# Eligible reserve assets (FSC plan Dec 2025; MiCA Art 36-38 model). The list
# offers nothing else, and the message names the rule for anything sent anyway.
RESERVE_ASSET_TYPES = [
    ("cash", t("Cash", "현금")),
    ("bank_deposit", t("Bank deposit", "은행 예금")),
    ("korean_government_bond", t("Korean government bond (KTB)", "국고채")),
    ("monetary_stabilisation_bond", t("Monetary Stabilisation Bond (BoK)", "통화안정증권")),
    (
        "overnight_repo",
        t(
            "Overnight repo backed by KTBs or MSBs",
            "국고채·통안증권 담보 익일물 환매조건부채권(RP)",
        ),
    ),
    (
        "government_mmf",
        t("Money-market fund holding only the above", "위 자산만 편입한 머니마켓펀드(MMF)"),
    ),
]
_BONDS = ("korean_government_bond", "monetary_stabilisation_bond")

_INELIGIBLE = t(
    "Not an eligible reserve asset: only cash, bank deposits, Korean "
    "government bonds and Monetary Stabilisation Bonds, overnight repos backed "
    "by them and money-market funds holding only those (FSC plan Dec 2025).",
    "준비자산으로 인정되지 않는 자산입니다. 현금, 은행 예금, 국고채와 통화안정증권, 이를 "
    "담보로 한 익일물 RP, 이들만 편입한 MMF만 인정됩니다(2025년 12월 금융위원회 방안).",
)


def _bank_key(name: str) -> str:
    # "한빛 은행" and "한빛은행" are the same bank.
    return "".join(name.split()).casefold()


class ReserveAssetSchema(GroupSchema):
    asset_type = choice(
        t("Asset type", "자산 유형"),
        t("Only the eligible assets are listed.", "준비자산으로 인정되는 자산만 표시됩니다."),
        RESERVE_ASSET_TYPES,
        message=_INELIGIBLE,
        rule="Eligible reserve assets (FSC plan Dec 2025)",
    )
    share_pct = percent(
        t("Target share of the reserve (%)", "준비자산 내 목표 비중(%)"),
        t("The rows add up to 100%.", "모든 줄의 합계가 100%여야 합니다."),
    )
    held_at = text(
        t("Held at (custodian bank)", "보관 은행"),
        t("One of the custodian banks named below.", "아래에 적은 보관 은행 중 하나입니다."),
    )
    max_maturity_days = whole_number(
        t("Longest remaining maturity (days)", "최장 잔존만기(일)"),
        t(
            "Required for government bonds and Monetary Stabilisation Bonds.",
            "국고채와 통화안정증권은 반드시 적습니다.",
        ),
        required=False,
        rule="Maximum remaining maturity (regime profile reserve_max_maturity_days)",
    )


class CustodianSchema(GroupSchema):
    bank_name = text(
        t("Custodian bank", "보관 은행"),
        t("A bank holding part of the reserve.", "준비자산 일부를 보관하는 은행입니다."),
    )
    segregated = yes_no(
        t("Segregated from the issuer's own assets", "발행인 고유재산과 구분 보관"),
        t(
            "The reserve is held in accounts separate from the issuer's own money.",
            "준비자산이 발행인 고유재산과 분리된 계좌에 보관됩니다.",
        ),
        rule="MiCA Art 37 (segregated custody)",
    )
    bankruptcy_remote = yes_no(
        t("Bankruptcy-remote", "도산 절연"),
        t(
            "Holders' claims on the reserve survive the issuer's insolvency.",
            "발행인이 도산해도 준비자산에 대한 보유자의 권리가 보호됩니다.",
        ),
        rule="MiCA Art 37 (bankruptcy remoteness)",
    )
    agreement_reference = text(
        t("Custody agreement reference", "보관 계약 번호"),
        t(
            "The reference of the custody agreement uploaded with this section.",
            "이 섹션에 첨부하는 보관 계약서의 번호입니다.",
        ),
        required=False,
    )


class ReserveSchema(SectionSchema):
    coverage_target_pct = percent(
        t("Reserve as a share of tokens outstanding (%)", "유통 토큰 대비 준비자산 비율(%)"),
        t("At least 100% at all times.", "항상 100% 이상이어야 합니다."),
        validate=None,
        rule="Full reserve (regime profile reserve_coverage_min; MiCA Art 36)",
    )
    target_composition = group(
        ReserveAssetSchema,
        t("Target composition", "목표 구성"),
        t(
            "Each asset type and where it is held, as a share of the reserve.",
            "자산 유형별 보관처와 준비자산 내 비중입니다.",
        ),
        rule=(
            "Composition rules: 100% in total, deposits and "
            "concentration (FSC plan Dec 2025; MiCA Art 54)"
        ),
    )
    custodians = group(
        CustodianSchema,
        t("Custodian banks", "보관 은행"),
        t("Every bank holding reserve assets.", "준비자산을 보관하는 모든 은행입니다."),
    )
    reserve_auditor = text(
        t("Independent reserve auditor", "준비자산 독립 감사인"),
        t(
            "The accounting firm that attests the reserve "
            "every month and audits it every 6 months.",
            "준비자산을 매월 확인하고 6개월마다 감사하는 회계법인입니다.",
        ),
    )
    valuation_policy = long_text(
        t("Valuation and rebalancing", "평가 및 재조정"),
        t(
            "How the reserve is valued each day and brought back to target.",
            "준비자산을 매일 평가하고 목표 구성으로 되돌리는 방법입니다.",
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _coverage(self, data, **kwargs):
        coverage = data.get("coverage_target_pct")
        minimum = self.ctx.profile.reserve_coverage_min * 100
        if coverage is not None and coverage < minimum:
            raise ValidationError(
                t(
                    "The reserve must be at least {minimum}% of the tokens outstanding "
                    "at all times (full reserve, MiCA Art 36); {coverage}% was given.",
                    "준비자산은 항상 유통 토큰의 {minimum}% 이상이어야 "
                    "합니다(완전 준비, MiCA 제36조). 입력한 비율: {coverage}%.",
                    minimum=percent_text(minimum),
                    coverage=percent_text(coverage),
                ),
                "coverage_target_pct",
            )

    @validates_schema(skip_on_field_errors=False)
    def _composition(self, data, **kwargs):
        assets = data.get("target_composition")
        if not assets:
            return
        profile = self.ctx.profile
        problems = Problems()
        custodians = {
            _bank_key(c["bank_name"]) for c in data.get("custodians") or [] if c.get("bank_name")
        }
        for index, asset in enumerate(assets):
            path = ("target_composition", index)
            maturity = asset.get("max_maturity_days")
            if maturity is None and asset.get("asset_type") in _BONDS:
                problems.add(
                    (*path, "max_maturity_days"),
                    t(
                        "Give the longest remaining maturity: bonds count towards the reserve "
                        "only with at most {days} days to maturity (FSC plan Dec 2025).",
                        "최장 잔존만기를 적어야 합니다. 채권은 잔존만기 {days}일 "
                        "이하만 준비자산으로 인정됩니다(2025년 12월 금융위원회 방안).",
                        days=profile.reserve_max_maturity_days,
                    ),
                )
            elif maturity is not None and maturity > profile.reserve_max_maturity_days:
                problems.add(
                    (*path, "max_maturity_days"),
                    t(
                        "Reserve assets may have at most {days} days to "
                        "maturity (FSC plan Dec 2025); {given} days were given.",
                        "준비자산의 잔존만기는 {days}일 이하여야 합니다(2025년 "
                        "12월 금융위원회 방안). 입력한 만기: {given}일.",
                        days=profile.reserve_max_maturity_days,
                        given=maturity,
                    ),
                )
            held_at = asset.get("held_at")
            if held_at and custodians and _bank_key(held_at) not in custodians:
                problems.add(
                    (*path, "held_at"),
                    t(
                        "{bank} is not among the custodian banks named in this section: "
                        "reserve assets are held at named custodian banks (MiCA Art 37).",
                        "{bank}은(는) 이 섹션에 적은 보관 은행이 아닙니다. "
                        "준비자산은 지정된 보관 은행에 보관해야 합니다(MiCA 제37조).",
                        bank=held_at,
                    ),
                )

        shares = [a for a in assets if a.get("share_pct") is not None]
        total = sum((a["share_pct"] for a in shares), Decimal(0))
        if total != 100:
            problems.add(
                "target_composition",
                t(
                    "The target composition must add up to 100% "
                    "of the reserve; it adds up to {total}%.",
                    "목표 구성의 합계는 준비자산의 100%여야 합니다. 현재 합계: {total}%.",
                    total=percent_text(total),
                ),
            )
        deposits = [a for a in shares if a.get("asset_type") == "bank_deposit"]
        deposit_share = sum((a["share_pct"] for a in deposits), Decimal(0))
        deposit_min = profile.reserve_bank_deposit_min_share * 100
        if deposit_share < deposit_min:
            problems.add(
                "target_composition",
                t(
                    "Bank deposits must be at least {minimum}% of the "
                    "reserve (MiCA Art 54); the composition has {share}%.",
                    "은행 예금은 준비자산의 {minimum}% 이상이어야 "
                    "합니다(MiCA 제54조). 현재 비중: {share}%.",
                    minimum=percent_text(deposit_min),
                    share=percent_text(deposit_share),
                ),
            )
        # Concentration is a credit exposure: deposits are claims on the bank itself.
        by_bank: dict[str, Decimal] = defaultdict(Decimal)
        names: dict[str, str] = {}
        for asset in deposits:
            if asset.get("held_at"):
                key = _bank_key(asset["held_at"])
                by_bank[key] += asset["share_pct"]
                names.setdefault(key, asset["held_at"])
        bank_max = profile.reserve_single_bank_max_share * 100
        for key, share in by_bank.items():
            if share > bank_max:
                problems.add(
                    "target_composition",
                    t(
                        "Deposits at one bank may be at most {maximum}% of the reserve "
                        "(concentration limit, regime profile); {bank} holds {share}%.",
                        "한 은행에 예치한 예금은 준비자산의 {maximum}% 이하여야 "
                        "합니다(집중 한도, 규제 프로필). {bank}: {share}%.",
                        maximum=percent_text(bank_max),
                        bank=names[key],
                        share=percent_text(share),
                    ),
                )
        problems.raise_if_any()

    @validates_schema(skip_on_field_errors=False)
    def _custody(self, data, **kwargs):
        problems = Problems()
        for index, custodian in enumerate(data.get("custodians") or []):
            bank = custodian.get("bank_name") or t("This bank", "이 은행")
            if custodian.get("segregated") is False:
                problems.add(
                    ("custodians", index, "segregated"),
                    t(
                        "{bank} must hold the reserve segregated "
                        "from the issuer's own assets (MiCA Art 37).",
                        "{bank}은(는) 준비자산을 발행인 고유재산과 "
                        "구분하여 보관해야 합니다(MiCA 제37조).",
                        bank=bank,
                    ),
                )
            if custodian.get("bankruptcy_remote") is False:
                problems.add(
                    ("custodians", index, "bankruptcy_remote"),
                    t(
                        "The reserve at {bank} must be bankruptcy-remote "
                        "from the issuer (MiCA Art 37).",
                        "{bank}에 보관하는 준비자산은 발행인의 "
                        "도산으로부터 절연되어야 합니다(MiCA 제37조).",
                        bank=bank,
                    ),
                )
        problems.raise_if_any()


# --- redemption ------------------------------------------------------------------


class RedemptionSchema(SectionSchema):
    redeems_at_par = yes_no(
        t("Redeemed at par on request", "요청 시 액면가 상환"),
        t(
            "Each token is redeemed for ₩1 whenever a holder asks.",
            "보유자가 요청하면 언제든 토큰 1개당 1원으로 상환합니다.",
        ),
        rule="MiCA Art 49(4)",
    )
    payout_business_days = whole_number(
        t("Paid within (business days)", "지급 기한(영업일)"),
        t(
            "Korean business days from the request to payment; at most 5 by default.",
            "요청부터 지급까지의 영업일 수입니다(기본 최대 5영업일).",
        ),
        rule="Redemption deadline (regime profile redemption_max_business_days)",
    )
    charges_fees = yes_no(
        t("Redemption fees charged", "상환 수수료 부과"),
        t(
            "Whether holders pay anything to redeem. A KRW stablecoin is redeemed free of charge.",
            "보유자가 상환할 때 비용을 부담하는지 답합니다. 원화 스테이블코인 상환에는 "
            "수수료를 받을 수 없습니다.",
        ),
        rule="No redemption fee (MiCA Art 49(6))",
    )
    request_channels = long_text(
        t("How holders ask for redemption", "상환 신청 방법"),
        t("Channels, identification and cut-off times.", "신청 경로, 본인 확인, 마감 시각입니다."),
    )
    stress_procedure = long_text(
        t("Redemption under stress", "위기 시 상환 절차"),
        t(
            "How mass redemptions are met: liquidating the "
            "reserve, order of payment, communication.",
            "대량 상환 요청 시 준비자산 처분, 지급 순서, 안내 방법입니다.",
        ),
    )
    pays_interest_or_yield = yes_no(
        t("Interest or yield paid to holders", "보유자에 대한 이자·수익 지급"),
        t(
            "Any interest, reward or other benefit tied to how long a token is held.",
            "보유 기간에 따른 이자, 보상 등 일체의 혜택입니다.",
        ),
        rule="No interest to holders (MiCA Art 50; FSC plan Dec 2025)",
    )

    @validates_schema(skip_on_field_errors=False)
    def _redemption_terms(self, data, **kwargs):
        profile = self.ctx.profile
        problems = Problems()
        if data.get("redeems_at_par") is False:
            problems.add(
                "redeems_at_par",
                t(
                    "Tokens must be redeemable at par, at any time, "
                    "on the holder's request (MiCA Art 49(4)).",
                    "토큰은 보유자가 요청하면 언제든 액면가로 상환해야 합니다(MiCA 제49조 제4항).",
                ),
            )
        days = data.get("payout_business_days")
        if days is not None and days > profile.redemption_max_business_days:
            problems.add(
                "payout_business_days",
                t(
                    "Redemptions must be paid within {maximum} Korean business days of the "
                    "request (redemption deadline, regime profile); {days} were given.",
                    "상환금은 요청일부터 {maximum}영업일 이내에 지급해야 "
                    "합니다(상환 기한, 규제 프로필). 입력한 기한: {days}영업일.",
                    maximum=profile.redemption_max_business_days,
                    days=days,
                ),
            )
        if data.get("charges_fees") is True:
            # Redemption is the holder's right to their money at par: a fee would make par
            # less than par. MiCA's e-money-token rule, which the Korean drafts follow.
            problems.add(
                "charges_fees",
                t(
                    "A KRW stablecoin must be redeemed without any fee: holders get the "
                    "full par value back (MiCA Art 49(6)).",
                    "원화 스테이블코인은 수수료 없이 상환해야 합니다. 보유자는 액면가 전액을 "
                    "돌려받습니다(MiCA 제49조 제6항).",
                ),
            )
        if data.get("pays_interest_or_yield") is True:
            problems.add(
                "pays_interest_or_yield",
                t(
                    "A KRW stablecoin may not pay interest or any other "
                    "yield to holders (MiCA Art 50; FSC plan Dec 2025).",
                    "원화 스테이블코인은 보유자에게 이자나 그 밖의 수익을 지급할 "
                    "수 없습니다(MiCA 제50조, 2025년 12월 금융위원회 방안).",
                ),
            )
        problems.raise_if_any()
