"""Section 2: ownership and management (docs/domain.md section 3).

Qualifying holders (10% or more by default) are listed one by one; for a KRW
stablecoin the total held by banks, including banks under the threshold, is
asked for separately, because the consortium rule counts every bank.
"""

from decimal import Decimal

from marshmallow import validates_schema

from forms.fields import day
from forms.sections.base import (
    GroupSchema,
    Problems,
    SectionSchema,
    add_months,
    choice,
    group,
    percent,
    percent_text,
    text,
    tick,
    yes_no,
)
from workflows.bilingual import t

HOLDER_TYPES = [
    ("bank", t("Bank", "은행")),
    ("non_bank_financial", t("Non-bank financial company", "비은행 금융회사")),
    ("non_financial", t("Non-financial company", "비금융회사")),
    ("individual", t("Individual", "개인")),
]

EXECUTIVE_ROLES = [
    ("ceo", t("Chief executive officer", "대표이사")),
    ("inside_director", t("Inside director", "사내이사")),
    ("outside_director", t("Outside director", "사외이사")),
    ("non_executive_director", t("Non-executive director", "기타비상무이사")),
    ("statutory_auditor", t("Statutory auditor or audit committee member", "감사 또는 감사위원")),
    ("executive_officer", t("Executive officer", "업무집행책임자")),
    ("compliance_officer", t("Compliance officer", "준법감시인")),
    ("risk_officer", t("Chief risk officer", "위험관리책임자")),
]

_GOVERNANCE_ACT = "Act on Corporate Governance of Financial Companies Art 5"


class QualifyingHolderSchema(GroupSchema):
    name = text(
        t("Holder's name", "주주명"),
        t(
            "The person or company as in the shareholder register.",
            "주주명부에 적힌 개인 또는 법인의 이름입니다.",
        ),
    )
    holder_type = choice(
        t("Type of holder", "주주 유형"),
        t(
            "Banks count towards the bank-led consortium rule.",
            "은행 지분은 은행 중심 컨소시엄 요건에 산입됩니다.",
        ),
        HOLDER_TYPES,
    )
    percentage = percent(
        t("Shareholding (%)", "지분율(%)"),
        t(
            "Share of capital or voting rights, whichever is higher.",
            "자본 또는 의결권 중 높은 쪽의 비율입니다.",
        ),
        rule="Qualifying holding threshold (MiCA Art 41)",
    )


class ExecutiveSchema(GroupSchema):
    name = text(
        t("Name", "성명"), t("As on the person's identity document.", "신분증에 적힌 성명입니다.")
    )
    role = choice(
        t("Role", "직위"),
        t("The person's position in the applicant.", "신청인에서의 직위입니다."),
        EXECUTIVE_ROLES,
    )
    fit_and_proper_declared = tick(
        t("Fit-and-proper declaration signed", "임원 적격성 확인서 서명"),
        t(
            "Tick when the person has signed the declaration; "
            "upload the declarations with this section.",
            "본인이 확인서에 서명했으면 표시하고, 확인서는 이 섹션에 첨부합니다.",
        ),
        rule=_GOVERNANCE_ACT,
        required_message=t(
            "Each executive must sign a fit-and-proper declaration (Act "
            "on Corporate Governance of Financial Companies Art 5).",
            "임원마다 적격성 확인서에 서명해야 합니다(「금융회사의 지배구조에 관한 법률」 제5조).",
        ),
    )
    financial_law_sentence_ended_on = day(
        t("Sentence under a financial law ended on", "금융관계법령 위반 형의 집행 종료일"),
        t(
            "If the person was fined or sentenced under a financial law, the "
            "date the sentence was served or remitted. Leave blank if never.",
            "금융관계법령 위반으로 벌금 이상의 형을 받은 적이 있으면 그 "
            "집행이 끝나거나 면제된 날을 적습니다. 없으면 비워 둡니다.",
        ),
        required=False,
        rule=_GOVERNANCE_ACT,
    )
    bankrupt_not_reinstated = yes_no(
        t("Declared bankrupt and not reinstated", "파산선고 후 복권되지 않음"),
        t(
            "Answer yes if the person is an undischarged bankrupt.",
            "파산선고를 받고 복권되지 않았으면 '예'를 고릅니다.",
        ),
        rule=_GOVERNANCE_ACT,
    )


class OwnershipSchema(SectionSchema):
    qualifying_holders = group(
        QualifyingHolderSchema,
        t("Qualifying holders", "대주주(적격 보유자)"),
        t(
            "Everyone who holds 10% or more of capital or voting rights, "
            "directly or indirectly. Leave empty only if no one does.",
            "자본 또는 의결권을 직접·간접으로 10% 이상 보유한 "
            "자를 모두 적습니다. 해당자가 없을 때만 비워 둡니다.",
        ),
        required=False,
        rule="MiCA Art 41; percentages add up to at most 100",
    )
    bank_shareholding_total_pct = percent(
        t("Total held by banks (%)", "은행 지분 합계(%)"),
        t(
            "All banks together, including banks holding under 10%.",
            "10% 미만을 보유한 은행을 포함한 모든 은행의 지분 합계입니다.",
        ),
        categories=("krw_stablecoin",),
        rule="Bank-led consortium rule (FSC plan Dec 2025)",
    )
    executives = group(
        ExecutiveSchema,
        t("Executives and board members", "임원 및 이사"),
        t(
            "Every executive and board member, each with a signed fit-and-proper declaration.",
            "모든 임원과 이사를 적고, 각자 서명한 적격성 확인서를 첨부합니다.",
        ),
        rule=_GOVERNANCE_ACT,
        required_message=t(
            "List every executive and board member with a fit-and-proper declaration "
            "(Act on Corporate Governance of Financial Companies Art 5).",
            "모든 임원과 이사를 적격성 확인서와 함께 적어야 "
            "합니다(「금융회사의 지배구조에 관한 법률」 제5조).",
        ),
    )

    def adjust_fields(self) -> None:
        bank_total = self.fields.get("bank_shareholding_total_pct")
        if bank_total is not None:
            # Asked for only while the profile applies the consortium rule.
            bank_total.required = self.ctx.profile.consortium_rule_enabled

    @validates_schema(skip_on_field_errors=False)
    def _qualifying_holdings(self, data, **kwargs):
        profile = self.ctx.profile
        holders = data.get("qualifying_holders") or []
        problems = Problems()
        threshold = profile.qualifying_holding_min
        for index, holder in enumerate(holders):
            share = holder.get("percentage")
            if share is not None and share < threshold:
                problems.add(
                    ("qualifying_holders", index, "percentage"),
                    t(
                        "List only qualifying holders: {share}% is under the "
                        "{threshold}% qualifying-holding threshold (MiCA Art 41).",
                        "대주주만 적습니다. {share}%는 대주주 기준인 "
                        "{threshold}%에 못 미칩니다(MiCA 제41조).",
                        share=percent_text(share),
                        threshold=percent_text(threshold),
                    ),
                )
        total = sum(
            (h["percentage"] for h in holders if h.get("percentage") is not None), Decimal(0)
        )
        if total > 100:
            problems.add(
                "qualifying_holders",
                t(
                    "Qualifying holdings add up to {total}%: holdings cannot "
                    "exceed 100% of the capital (shareholder register).",
                    "대주주 지분율 합계가 {total}%입니다. 지분 합계는 "
                    "자본의 100%를 넘을 수 없습니다(주주명부).",
                    total=percent_text(total),
                ),
            )
        problems.raise_if_any()

    @validates_schema(skip_on_field_errors=False)
    def _bank_led_consortium(self, data, **kwargs):
        profile = self.ctx.profile
        bank_total = data.get("bank_shareholding_total_pct")
        if self.ctx.category != "krw_stablecoin" or bank_total is None:
            return
        problems = Problems()
        listed_banks = sum(
            (
                h["percentage"]
                for h in data.get("qualifying_holders") or []
                if h.get("holder_type") == "bank" and h.get("percentage") is not None
            ),
            Decimal(0),
        )
        if bank_total < listed_banks:
            problems.add(
                "bank_shareholding_total_pct",
                t(
                    "The banks listed as qualifying holders already hold "
                    "{listed}%; the total held by banks cannot be less.",
                    "대주주로 적은 은행의 지분만 {listed}%이므로 "
                    "은행 지분 합계가 그보다 적을 수 없습니다.",
                    listed=percent_text(listed_banks),
                ),
            )
        # Banks under the qualifying threshold are in the bank total but not in the list, so
        # the bank total and the listed non-bank holders together are at most the capital.
        others = sum(
            (
                h["percentage"]
                for h in data.get("qualifying_holders") or []
                if h.get("holder_type") != "bank" and h.get("percentage") is not None
            ),
            Decimal(0),
        )
        if bank_total + others > 100:
            problems.add(
                "bank_shareholding_total_pct",
                t(
                    "Banks hold {banks}% and the other qualifying holders {others}%: together "
                    "{total}%, more than the whole capital (shareholder register).",
                    "은행 지분 {banks}%와 그 밖의 대주주 지분 {others}%를 합하면 {total}%로 "
                    "자본 전체를 넘습니다(주주명부).",
                    banks=percent_text(bank_total),
                    others=percent_text(others),
                    total=percent_text(bank_total + others),
                ),
            )
        minimum = profile.consortium_bank_share_min
        strictly = profile.consortium_bank_share_strictly_above
        if not profile.banks_lead(bank_total):
            if strictly:
                message = t(
                    "Banks must hold more than {minimum}% of a KRW stablecoin issuer "
                    "(bank-led consortium rule, FSC plan Dec 2025); banks hold {share}%.",
                    "원화 스테이블코인 발행인은 은행이 {minimum}%를 초과하여 "
                    "보유해야 합니다(은행 중심 컨소시엄 요건, 2025년 12월 "
                    "금융위원회 방안). 현재 은행 지분은 {share}%입니다.",
                    minimum=percent_text(minimum),
                    share=percent_text(bank_total),
                )
            else:
                message = t(
                    "Banks must hold at least {minimum}% of a KRW stablecoin issuer "
                    "(bank-led consortium rule, FSC plan Dec 2025); banks hold {share}%.",
                    "원화 스테이블코인 발행인은 은행이 {minimum}% 이상 보유해야 합니다(은행 중심 "
                    "컨소시엄 요건, 2025년 12월 금융위원회 방안). 현재 은행 지분은 {share}%입니다.",
                    minimum=percent_text(minimum),
                    share=percent_text(bank_total),
                )
            problems.add("bank_shareholding_total_pct", message)
        problems.raise_if_any()

    @validates_schema(skip_on_field_errors=False)
    def _single_bank_holding(self, data, **kwargs):
        """A bank may hold at most the Banking Act's share of a KRW stablecoin issuer. Other
        categories are not checked: whether their issuer's industry is one the FSC lets
        banks own (Banking Act Art 37(2)) cannot be told from the category."""
        maximum = self.ctx.profile.bank_single_holding_max_pct
        if self.ctx.category != "krw_stablecoin" or maximum is None:
            return
        problems = Problems()
        for index, holder in enumerate(data.get("qualifying_holders") or []):
            share = holder.get("percentage")
            if holder.get("holder_type") != "bank" or share is None or share <= maximum:
                continue
            problems.add(
                ("qualifying_holders", index, "percentage"),
                t(
                    "{bank} holds {share}%: a bank may hold at most {maximum}% of the voting "
                    "shares of a KRW stablecoin issuer (Banking Act Art 37(1)).",
                    "{bank}의 지분율이 {share}%입니다. 은행은 원화 스테이블코인 발행인의 의결권 "
                    "있는 주식을 {maximum}%까지만 보유할 수 있습니다(「은행법」 제37조 제1항).",
                    bank=holder.get("name") or t("This bank", "이 은행"),
                    share=percent_text(share),
                    maximum=percent_text(maximum),
                ),
            )
        problems.raise_if_any()

    @validates_schema(skip_on_field_errors=False)
    def _fit_and_proper(self, data, **kwargs):
        today = self.ctx.today
        years = self.ctx.profile.fit_and_proper_lookback_years
        # Eligible again once the look-back period has fully passed since the sentence ended.
        cutoff = add_months(today, -12 * years)
        problems = Problems()
        for index, person in enumerate(data.get("executives") or []):
            path = ("executives", index)
            name = person.get("name") or t("This person", "이 사람")
            if person.get("fit_and_proper_declared") is False:
                problems.add(
                    (*path, "fit_and_proper_declared"),
                    t(
                        "{name} has not signed a fit-and-proper declaration (Act "
                        "on Corporate Governance of Financial Companies Art 5).",
                        "{name}의 적격성 확인서 서명이 없습니다(「금융회사의 "
                        "지배구조에 관한 법률」 제5조).",
                        name=name,
                    ),
                )
            ended = person.get("financial_law_sentence_ended_on")
            if ended is not None and ended > today:
                problems.add(
                    (*path, "financial_law_sentence_ended_on"),
                    t(
                        "A sentence still being served makes {name} ineligible (Act "
                        "on Corporate Governance of Financial Companies Art 5).",
                        "형의 집행이 끝나지 않았으므로 {name}은(는) 임원이 될 수 "
                        "없습니다(「금융회사의 지배구조에 관한 법률」 제5조).",
                        name=name,
                    ),
                )
            elif ended is not None and ended > cutoff:
                problems.add(
                    (*path, "financial_law_sentence_ended_on"),
                    t(
                        "{name}'s sentence under a financial law ended on {ended}, less "
                        "than {years} years ago: not fit and proper until {eligible} "
                        "(Act on Corporate Governance of Financial Companies Art 5).",
                        "{name}의 금융관계법령 위반 형의 집행이 {ended}에 끝나 "
                        "{years}년이 지나지 않았으므로 {eligible}까지 임원이 될 "
                        "수 없습니다(「금융회사의 지배구조에 관한 법률」 제5조).",
                        name=name,
                        ended=ended.isoformat(),
                        years=years,
                        eligible=add_months(ended, 12 * years).isoformat(),
                    ),
                )
            if person.get("bankrupt_not_reinstated") is True:
                problems.add(
                    (*path, "bankrupt_not_reinstated"),
                    t(
                        "{name} is an undischarged bankrupt and cannot be an executive "
                        "(Act on Corporate Governance of Financial Companies Art 5).",
                        "{name}은(는) 파산선고를 받고 복권되지 않았으므로 임원이 될 "
                        "수 없습니다(「금융회사의 지배구조에 관한 법률」 제5조).",
                        name=name,
                    ),
                )
        problems.raise_if_any()
