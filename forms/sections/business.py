"""Sections 3 and 4: the business plan and the token's design (docs/domain.md section 3)."""

import re

from marshmallow import ValidationError, validates_schema

from forms.fields import info
from forms.sections.base import (
    GroupSchema,
    MonthField,
    Problems,
    SectionSchema,
    add_months,
    amount_krw,
    choice,
    group,
    long_text,
    month_label,
    text,
    whole_number,
)
from workflows.bilingual import t

# --- business plan -----------------------------------------------------------


class MonthlyProjectionSchema(GroupSchema):
    month = MonthField(
        required=True,
        metadata=info(
            t("Month", "월"),
            t(
                "The month projected, as YYYY-MM or any date in it.",
                "예상하는 달입니다. YYYY-MM 또는 그 달의 날짜로 적습니다.",
            ),
            "date",
        ),
    )
    revenue_krw = amount_krw(
        t("Revenue (KRW)", "수익(원)"),
        t("Expected revenue for the month.", "그 달의 예상 수익입니다."),
    )
    operating_expenses_krw = amount_krw(
        t("Operating expenses (KRW)", "영업비용(원)"),
        t("Expected operating expenses for the month.", "그 달의 예상 영업비용입니다."),
    )
    own_funds_krw = amount_krw(
        t("Own funds at month end (KRW)", "월말 자기자본(원)"),
        t(
            "Equity at the end of the month; negative if losses exceed capital.",
            "월말 자기자본입니다. 결손이 자본을 넘으면 음수로 적습니다.",
        ),
        minimum=None,
    )
    outstanding_issuance_krw = amount_krw(
        t("Tokens outstanding at month end (KRW value)", "월말 유통 토큰(원화 환산)"),
        t(
            "Value of the tokens in circulation at the end of the month.",
            "월말에 유통 중인 토큰의 가치입니다.",
        ),
    )


class BusinessPlanSchema(SectionSchema):
    plan_starts_on = MonthField(
        required=True,
        metadata=info(
            t("First month of the plan", "사업계획 시작 월"),
            t(
                "The programme of operations and the projections start in this month.",
                "운영계획과 재무 추정이 시작되는 달입니다.",
            ),
            "date",
        ),
    )
    programme_of_operations = long_text(
        t("Programme of operations", "운영계획"),
        t(
            "What the applicant will do over the plan period: "
            "issuance, redemption, partners, milestones.",
            "계획 기간 동안의 발행, 상환, 협력사, 주요 일정 등 사업 운영 계획입니다.",
        ),
        limit=10000,
        rule="Programme of operations covering the plan period (MiCA Art 18 model)",
    )
    distribution_channels = long_text(
        t("Distribution channels", "유통 경로"),
        t(
            "How users will obtain the token: exchanges, wallets, bank apps, merchants.",
            "이용자가 토큰을 얻는 경로입니다(거래소, 지갑, 은행 앱, 가맹점 등).",
        ),
    )
    target_users = long_text(
        t("Target users", "대상 이용자"),
        t(
            "Who the token is for, and any users it is not offered to.",
            "토큰의 대상 이용자와 제공하지 않는 이용자입니다.",
        ),
    )
    monthly_projections = group(
        MonthlyProjectionSchema,
        t("Monthly financial projections", "월별 재무 추정"),
        t(
            "One row for each month of the plan, 36 months by default.",
            "계획 기간의 달마다 한 줄씩 적습니다(기본 36개월).",
        ),
        rule="Business plan covering 36 months (regime profile business_plan_months)",
    )

    @validates_schema(skip_on_field_errors=False)
    def _projections_cover_the_plan(self, data, **kwargs):
        start = data.get("plan_starts_on")
        projections = data.get("monthly_projections")
        if start is None or not projections:
            return
        months = self.ctx.profile.business_plan_months
        expected = [add_months(start, offset) for offset in range(months)]
        problems = Problems()
        seen: set = set()
        for index, row in enumerate(projections):
            month = row.get("month")
            if month is None:
                continue
            if month < start:
                problems.add(
                    ("monthly_projections", index, "month"),
                    t(
                        "{month} is before the plan starts ({start}).",
                        "{month}은(는) 계획 시작 월({start})보다 앞섭니다.",
                        month=month_label(month),
                        start=month_label(start),
                    ),
                )
            elif month in seen:
                problems.add(
                    ("monthly_projections", index, "month"),
                    t(
                        "{month} appears more than once.",
                        "{month}이(가) 두 번 이상 있습니다.",
                        month=month_label(month),
                    ),
                )
            seen.add(month)
        missing = [month for month in expected if month not in seen]
        if missing:
            shown = ", ".join(month_label(m) for m in missing[:6])
            if len(missing) > 6:
                shown += t(" and {n} more", " 외 {n}개월", n=len(missing) - 6)
            problems.add(
                "monthly_projections",
                t(
                    "The business plan must cover {months} months, {first} to {last}, with "
                    "projections for each month (business plan period); missing: {missing}.",
                    "사업계획은 {first}부터 {last}까지 {months}개월을 빠짐없이 "
                    "다루어야 합니다(사업계획 기간). 빠진 달: {missing}.",
                    months=months,
                    first=month_label(expected[0]),
                    last=month_label(expected[-1]),
                    missing=shown,
                ),
            )
        problems.raise_if_any()


# --- token design --------------------------------------------------------------

LEDGER_TYPES = [
    ("public_permissionless", t("Public, permissionless", "퍼블릭(비허가형)")),
    ("public_permissioned", t("Public, permissioned", "퍼블릭(허가형)")),
    ("private_permissioned", t("Private, permissioned", "프라이빗(허가형)")),
]

# The six kinds of securities of the Financial Investment Services and Capital Markets Act Art 4(2).
SECURITY_TYPES = [
    ("debt", t("Debt securities", "채무증권")),
    ("equity", t("Equity securities", "지분증권")),
    ("beneficiary_certificate", t("Beneficiary certificates", "수익증권")),
    ("investment_contract", t("Investment contract securities", "투자계약증권")),
    ("derivative_linked", t("Derivatives-linked securities", "파생결합증권")),
    ("depositary_receipt", t("Depositary receipts", "증권예탁증권")),
]

ACCOUNT_MANAGEMENT = [
    (
        "self_managed",
        t(
            "The issuer, as a qualified issuer account manager",
            "발행인이 직접(발행인 계좌관리기관)",
        ),
    ),
    ("securities_firm", t("A securities firm", "증권회사")),
    ("bank", t("A bank", "은행")),
]

_SECURITY_TOKEN = ("security_token",)
_TOKENIZED_DEPOSIT = ("tokenized_deposit",)
_STO_RULE = "Electronic Securities Act, STO amendments (effective 4 Feb 2027)"
_SYMBOL = re.compile(r"[A-Z0-9]{2,11}")


def _token_symbol(value: str) -> None:
    if not _SYMBOL.fullmatch(value):
        raise ValidationError(
            t(
                "A token symbol has 2 to 11 capital letters or digits, e.g. HKRW.",
                "토큰 심볼은 영문 대문자나 숫자 2~11자입니다(예: HKRW).",
            )
        )


class LedgerSchema(GroupSchema):
    network = text(
        t("Network", "네트워크"),
        t(
            "The DLT network, e.g. Ethereum, Kaia or a permissioned Hyperledger Besu network.",
            "분산원장 네트워크입니다(예: Ethereum, Kaia, 허가형 Hyperledger Besu).",
        ),
    )
    ledger_type = choice(
        t("Type of ledger", "원장 유형"),
        t("Who may read and validate the ledger.", "원장을 열람·검증할 수 있는 자의 범위입니다."),
        LEDGER_TYPES,
    )
    smart_contract_address = text(
        t("Smart-contract address", "스마트 계약 주소"),
        t(
            "The token contract's address on this network.",
            "이 네트워크에서 토큰 계약의 주소입니다.",
        ),
    )
    consensus = text(
        t("Consensus mechanism", "합의 방식"),
        t("e.g. proof of stake, QBFT.", "예: 지분증명(PoS), QBFT."),
    )
    settlement_finality = long_text(
        t("Settlement finality", "결제 완결성"),
        t(
            "When a transfer becomes final and cannot be reversed.",
            "이전이 언제 최종 확정되어 되돌릴 수 없게 되는지 적습니다.",
        ),
    )


class TokenDesignSchema(SectionSchema):
    token_name = text(
        t("Token name", "토큰 명칭"),
        t("The name holders will see.", "보유자에게 표시되는 명칭입니다."),
    )
    token_symbol = text(
        t("Token symbol", "토큰 심볼"),
        t("2 to 11 capital letters or digits.", "영문 대문자나 숫자 2~11자입니다."),
        limit=11,
        validate=_token_symbol,
    )
    ledgers = group(
        LedgerSchema,
        t("Ledgers", "분산원장"),
        t("Every network the token is issued on.", "토큰이 발행되는 모든 네트워크를 적습니다."),
    )
    bridges = long_text(
        t("Bridges", "브리지"),
        t(
            "Bridges or other cross-chain mechanisms and who operates them. Leave blank if none.",
            "브리지 등 체인 간 이전 수단과 운영자를 적습니다. 없으면 비워 둡니다.",
        ),
        required=False,
    )
    issuance_mechanism = long_text(
        t("Issuance mechanism", "발행 방식"),
        t(
            "How tokens are created, by whom, and against what payment.",
            "누가 어떤 대가를 받고 토큰을 발행하는지 적습니다.",
        ),
    )
    redemption_mechanism = long_text(
        t("Redemption mechanism", "상환·소각 방식"),
        t("How tokens are redeemed or burned.", "토큰을 상환하거나 소각하는 방법을 적습니다."),
    )
    planned_maximum_issuance = whole_number(
        t("Planned maximum issuance (tokens)", "최대 발행 예정 수량(개)"),
        t(
            "The most tokens planned to be outstanding at any time.",
            "동시에 유통될 수 있는 최대 토큰 수량입니다.",
        ),
        minimum=1,
    )
    interbank_settlement = long_text(
        t("Settlement between banks", "은행 간 결제"),
        t(
            "How transfers between holders at different banks settle, e.g. in central bank money.",
            "다른 은행 고객 간 이전이 어떻게 결제되는지 적습니다(예: 중앙은행 화폐로 결제).",
        ),
        categories=_TOKENIZED_DEPOSIT,
    )
    security_type = choice(
        t("Kind of security", "증권의 종류"),
        t(
            "The kind of security the token represents (Capital Markets Act Art 4).",
            "토큰이 표시하는 증권의 종류입니다(「자본시장법」 제4조).",
        ),
        SECURITY_TYPES,
        categories=_SECURITY_TOKEN,
        rule="Financial Investment Services and Capital Markets Act Art 4(2)",
    )
    ksd_registration_number = text(
        t("KSD electronic registration number", "한국예탁결제원 전자등록 번호"),
        t(
            "The Korea Securities Depository's reference for the electronic registration.",
            "한국예탁결제원 전자등록 확인 번호입니다.",
        ),
        limit=100,
        categories=_SECURITY_TOKEN,
        rule=_STO_RULE,
        required_message=t(
            "A security token must be electronically registered with the Korea Securities "
            "Depository: give the registration number (Electronic Securities Act).",
            "증권형 토큰은 한국예탁결제원에 전자등록해야 하므로 "
            "전자등록 번호를 적어야 합니다(「전자증권법」).",
        ),
    )
    account_management = choice(
        t("Who manages the holders' accounts", "계좌관리 주체"),
        t(
            "Self-management needs the issuer account-manager qualification; "
            "otherwise a securities firm or bank manages them.",
            "직접 관리하려면 발행인 계좌관리기관 요건을 갖추어야 "
            "하며, 그렇지 않으면 증권회사나 은행이 관리합니다.",
        ),
        ACCOUNT_MANAGEMENT,
        categories=_SECURITY_TOKEN,
        rule=_STO_RULE,
    )
    account_manager_name = text(
        t("Account manager", "계좌관리기관"),
        t(
            "The securities firm or bank that manages the accounts, if not the issuer.",
            "발행인이 아닌 경우 계좌를 관리하는 증권회사 또는 은행입니다.",
        ),
        required=False,
        categories=_SECURITY_TOKEN,
    )

    @validates_schema(skip_on_field_errors=False)
    def _account_manager_named(self, data, **kwargs):
        managed_by = data.get("account_management")
        if managed_by in ("securities_firm", "bank") and not data.get("account_manager_name"):
            raise ValidationError(
                t(
                    "Name the securities firm or bank that manages the token "
                    "accounts (Electronic Securities Act, STO amendments).",
                    "토큰 계좌를 관리하는 증권회사 또는 은행의 이름을 "
                    "적어야 합니다(「전자증권법」 토큰증권 개정).",
                ),
                "account_manager_name",
            )
