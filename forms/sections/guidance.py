"""Help for a section page: what the regulator expects, field by field, in plain words.

A field's metadata names its rule in the terms the code uses (`rule="MiCA Art 41"`,
sometimes with the regime-profile setting behind a figure). `RULES` says each one to
an applicant, in Korean and English; a field without a rule of its own rests on its
section's legal basis (`SECTION_BASIS`). Both are checked against every schema by
tests/forms/test_guidance.py, so a new rule cannot ship without its plain words.
"""

from dataclasses import dataclass

from marshmallow import fields

from forms.sections.base import SectionSchema
from workflows.bilingual import BiText, t

# Where the whole registration regime comes from (docs/domain.md, "Sources").
_PLAN = t(
    "FSC virtual-asset issuer plan (Dec 2025)", "금융위원회 가상자산 발행인 방안(2025년 12월)"
)

SECTION_BASIS: dict[str, BiText] = {
    "applicant": t(
        "The register must identify the issuer beyond doubt: its legal entity, identifiers and a person to contact.",
        "등록부는 발행인을 명확히 식별해야 합니다. 법인, 식별번호, 연락 담당자가 필요합니다.",
    ),
    "ownership": t(
        "Major holders and executives must be suitable (Act on Corporate Governance of Financial Companies; MiCA Art 41 model).",
        "대주주와 임원은 적격해야 합니다(금융회사의 지배구조에 관한 법률, MiCA 제41조 참고).",
    ),
    "business_plan": t(
        "The regulator assesses whether the business is viable over the whole plan period (MiCA Art 18 model).",
        "감독기관은 계획 기간 전체에 걸쳐 사업이 지속 가능한지 심사합니다(MiCA 제18조 참고).",
    ),
    "token_design": t(
        "The regulator must understand how the token is issued, recorded, transferred and redeemed.",
        "감독기관은 토큰이 어떻게 발행·기록·이전·상환되는지 이해해야 합니다.",
    ),
    "capital": t(
        "Issuers must hold paid-in capital at or above the minimum for their category ("
        + _PLAN.en
        + ").",
        "발행인은 범주별 최소 납입자본금 이상을 보유해야 합니다(" + _PLAN.ko + ").",
    ),
    "reserve": t(
        "Every won issued is backed in full by safe, liquid assets held apart from the issuer (MiCA Art 36-37 model).",
        "발행된 금액 전부를 안전하고 유동성 높은 자산으로 발행인 재산과 분리하여 보유해야 합니다(MiCA 제36~37조 참고).",
    ),
    "redemption": t(
        "Holders can always get their money back at par, promptly and without interest (MiCA Art 49-50 model).",
        "보유자는 언제든 액면가로 신속하게 상환받을 수 있어야 하며 이자는 지급되지 않습니다(MiCA 제49~50조 참고).",
    ),
    "governance": t(
        "An issuer needs sound governance and internal control over every main risk (MiCA Art 34 model).",
        "발행인은 주요 위험 전반에 대한 건전한 지배구조와 내부통제를 갖추어야 합니다(MiCA 제34조 참고).",
    ),
    "ict_security": t(
        "An information-security management certificate is required (Network Act Art 47: ISMS or ISMS-P).",
        "정보보호 관리체계 인증이 필요합니다(정보통신망법 제47조: ISMS 또는 ISMS-P).",
    ),
    "aml_cft": t(
        "Issuers must prevent money laundering and terrorist financing (Specified Financial Information Act).",
        "발행인은 자금세탁과 테러자금조달을 방지해야 합니다(특정 금융거래정보법).",
    ),
    "white_paper": t(
        "Holders must be told the facts they need before they buy (MiCA Art 6, 19 and 51 model).",
        "보유자는 취득 전에 필요한 사실을 안내받아야 합니다(MiCA 제6·19·51조 참고).",
    ),
    "cross_border": t(
        "Transfers abroad are watched for capital flight and reported (Foreign Exchange Transactions Act).",
        "해외 이전은 자본 유출 여부를 감시하고 보고해야 합니다(외국환거래법).",
    ),
    "consumer_protection": t(
        "Holders must have a fair way to complain and clear information (MiCA Art 31 model).",
        "보유자에게 공정한 민원 처리 절차와 명확한 정보가 제공되어야 합니다(MiCA 제31조 참고).",
    ),
    "declaration": t(
        "A false or incomplete application is grounds to refuse or later revoke the registration.",
        "거짓이거나 불완전한 신청은 등록 거부 또는 사후 등록 취소 사유입니다.",
    ),
}


# The rule named in a field's metadata, said to the applicant.
RULES: dict[str, BiText] = {
    "Act on Corporate Governance of Financial Companies Art 5": t(
        "Executives must not have been convicted under financial laws in the last five years or be bankrupt (Act on Corporate Governance of Financial Companies Art 5).",
        "임원은 최근 5년 내 금융 관련 법령 위반으로 처벌받았거나 파산 상태가 아니어야 합니다(금융회사의 지배구조에 관한 법률 제5조).",
    ),
    "Bank of Korea consultation on capital flight (FSC plan Dec 2025)": t(
        "The Bank of Korea asks how outflows abroad are watched, out of concern about capital flight.",
        "한국은행은 자본 유출 우려로 해외 유출을 어떻게 감시하는지 확인합니다.",
    ),
    "Bank-led consortium rule (FSC plan Dec 2025)": t(
        "Where the bank-led consortium rule is in force, banks must hold the required share of a KRW stablecoin issuer ("
        + _PLAN.en
        + ").",
        "은행 중심 컨소시엄 규칙이 적용되면 원화 스테이블코인 발행인의 정해진 지분 이상을 은행이 보유해야 합니다("
        + _PLAN.ko
        + ").",
    ),
    "Banking Act Art 8 (bank licence)": t(
        "Only a licensed bank may issue a tokenized deposit (Banking Act Art 8).",
        "예금 토큰은 인가받은 은행만 발행할 수 있습니다(은행법 제8조).",
    ),
    "Business plan covering 36 months (regime profile business_plan_months)": t(
        "The plan covers every month of the plan period the regime sets (36 months by default).",
        "사업계획은 제도가 정한 계획 기간의 모든 달을 포함해야 합니다(기본 36개월).",
    ),
    "Capital Markets Act Art 119 (securities registration statement)": t(
        "A security token offered to the public needs a securities registration statement (Capital Markets Act Art 119).",
        "공모하는 증권형 토큰은 증권신고서를 제출해야 합니다(자본시장법 제119조).",
    ),
    "Commercial registry check digit": t(
        "The corporate registration number is checked by its check digit, so a typing error is caught at once.",
        "법인등록번호는 검증 숫자로 확인하므로 입력 오류가 바로 드러납니다.",
    ),
    "Complaints handling (MiCA Art 31)": t(
        "Holders need a clear, free complaints procedure with a time to answer (MiCA Art 31 model).",
        "보유자에게 답변 기한이 정해진 명확하고 무료인 민원 절차가 필요합니다(MiCA 제31조 참고).",
    ),
    "Composition rules: 100% in total, deposits and concentration (FSC plan Dec 2025; MiCA Art 54)": t(
        "The reserve adds up to at least 100%, keeps a minimum share in bank deposits and not too much at one bank ("
        + _PLAN.en
        + "; MiCA Art 54 model).",
        "준비자산은 합계 100% 이상이어야 하며, 은행 예금 최소 비중을 지키고 한 은행에 과도하게 집중되지 않아야 합니다("
        + _PLAN.ko
        + ", MiCA 제54조 참고).",
    ),
    "Depositor Protection Act": t(
        "Holders must be told whether deposit insurance covers the token (Depositor Protection Act).",
        "토큰이 예금자보호 대상인지 보유자에게 알려야 합니다(예금자보호법).",
    ),
    "Electronic Securities Act, STO amendments (effective 4 Feb 2027)": t(
        "Security tokens are recorded under the Electronic Securities Act as amended for token securities (in force 4 Feb 2027).",
        "증권형 토큰은 토큰증권 도입을 위해 개정된 전자증권법에 따라 기재됩니다(2027년 2월 4일 시행).",
    ),
    "Eligible reserve assets (FSC plan Dec 2025)": t(
        "Only cash, bank deposits, short Korean government and Monetary Stabilisation Bonds, repos on them and funds holding only those count ("
        + _PLAN.en
        + ").",
        "현금, 은행 예금, 만기가 짧은 국채와 통화안정증권, 이를 담보로 한 환매조건부채권, 이들만 편입한 펀드만 인정됩니다("
        + _PLAN.ko
        + ").",
    ),
    "Financial Investment Services and Capital Markets Act Art 4(2)": t(
        "Which kind of security the token is decides the rules that apply to it (Capital Markets Act Art 4(2)).",
        "토큰이 어떤 종류의 증권인지에 따라 적용되는 규정이 정해집니다(자본시장법 제4조제2항).",
    ),
    "Foreign Exchange Transactions Act": t(
        "Transfers across the border must follow the Foreign Exchange Transactions Act.",
        "국경 간 이전은 외국환거래법을 따라야 합니다.",
    ),
    "Full reserve (regime profile reserve_coverage_min; MiCA Art 36)": t(
        "The reserve must cover all tokens outstanding at all times (100% by default; MiCA Art 36 model).",
        "준비자산은 언제나 유통 중인 토큰 전부를 충당해야 합니다(기본 100%, MiCA 제36조 참고).",
    ),
    "Governance arrangements (MiCA Art 34)": t(
        "The risk framework must cover every main risk of the business (MiCA Art 34 model).",
        "위험관리 체계는 사업의 주요 위험 전반을 다루어야 합니다(MiCA 제34조 참고).",
    ),
    "ISO 17442 check digits": t(
        "An LEI is checked by its two check digits (ISO 17442), so a typing error is caught at once.",
        "LEI는 두 자리 검증 숫자로 확인하므로(ISO 17442) 입력 오류가 바로 드러납니다.",
    ),
    "Maximum remaining maturity (regime profile reserve_max_maturity_days)": t(
        "Bonds in the reserve may have only a short time left to maturity (93 days by default).",
        "준비자산의 채권은 잔존 만기가 짧아야 합니다(기본 93일).",
    ),
    "MiCA Art 37 (bankruptcy remoteness)": t(
        "The reserve must be out of reach of the issuer's creditors if it fails (MiCA Art 37 model).",
        "발행인이 파산해도 준비자산은 채권자로부터 보호되어야 합니다(MiCA 제37조 참고).",
    ),
    "MiCA Art 37 (segregated custody)": t(
        "The reserve is held apart from the issuer's own assets, at named custodians (MiCA Art 37 model).",
        "준비자산은 지정된 보관기관에서 발행인 고유재산과 분리하여 보관합니다(MiCA 제37조 참고).",
    ),
    "MiCA Art 41; percentages add up to at most 100": t(
        "Holdings of 10% or more are disclosed, and the percentages add up to at most 100 (MiCA Art 41 model).",
        "10% 이상 지분은 모두 밝혀야 하며 지분율의 합은 100 이하여야 합니다(MiCA 제41조 참고).",
    ),
    "MiCA Art 49(4)": t(
        "Redemption is at par value, one won for one won, whenever a holder asks (MiCA Art 49(4) model).",
        "보유자가 요청하면 언제든 액면가, 즉 1원당 1원으로 상환합니다(MiCA 제49조제4항 참고).",
    ),
    "Minimum capital by category (regime profile minimum_capital; FSC plan Dec 2025)": t(
        "Paid-in capital must reach the minimum set for the category (" + _PLAN.en + ").",
        "납입자본금은 범주별로 정한 최소 금액 이상이어야 합니다(" + _PLAN.ko + ").",
    ),
    "National Tax Service check digit": t(
        "The business registration number is checked by its check digit, so a typing error is caught at once.",
        "사업자등록번호는 검증 숫자로 확인하므로 입력 오류가 바로 드러납니다.",
    ),
    "Network Act Art 47 (ISMS); validity rule: regime profile isms_min_remaining_months": t(
        "The ISMS or ISMS-P certificate must be valid on the day you submit and for months after (6 by default; Network Act Art 47).",
        "ISMS 또는 ISMS-P 인증은 제출일에 유효하고 그 뒤로도 일정 기간(기본 6개월) 유효해야 합니다(정보통신망법 제47조).",
    ),
    "No interest to holders (MiCA Art 50; FSC plan Dec 2025)": t(
        "No interest or yield may be paid to holders (MiCA Art 50 model; " + _PLAN.en + ").",
        "보유자에게 이자나 수익을 지급할 수 없습니다(" + _PLAN.ko + "; MiCA 제50조 참고).",
    ),
    "Programme of operations covering the plan period (MiCA Art 18 model)": t(
        "The programme of operations describes the whole plan period (MiCA Art 18 model).",
        "사업 운영 계획은 계획 기간 전체를 설명해야 합니다(MiCA 제18조 참고).",
    ),
    "Qualifying holding threshold (MiCA Art 41)": t(
        "Every holder of 10% or more is a qualifying holder and must be named (MiCA Art 41 model).",
        "10% 이상 보유자는 적격 지분 보유자로서 모두 밝혀야 합니다(MiCA 제41조 참고).",
    ),
    "Redemption deadline (regime profile redemption_max_business_days)": t(
        "A redemption is paid within the deadline the regime sets (5 Korean business days by default).",
        "상환 대금은 제도가 정한 기한 안에 지급해야 합니다(기본 5영업일).",
    ),
    "No redemption fee (MiCA Art 49(6))": t(
        "Holders redeem free of charge: no fee of any kind is taken on redemption (MiCA Art 49(6) model).",
        "보유자는 수수료 없이 상환받습니다. 상환에는 어떤 수수료도 받을 수 없습니다(MiCA 제49조제6항 참고).",
    ),
    "Refusal and revocation for false statements (MiCA Art 21(2), Art 24)": t(
        "A false statement is grounds to refuse the application or revoke the registration later.",
        "거짓 기재는 신청 거부 또는 사후 등록 취소 사유입니다.",
    ),
    "Specified Financial Information Act": t(
        "An AML officer and programme are required (Specified Financial Information Act).",
        "자금세탁방지 책임자와 프로그램이 필요합니다(특정 금융거래정보법).",
    ),
    "Specified Financial Information Act (travel rule)": t(
        "Transfers must carry sender and recipient information (the travel rule, Specified Financial Information Act).",
        "이전 시 송신인과 수취인 정보를 함께 전달해야 합니다(트래블 룰, 특정 금융거래정보법).",
    ),
    "Specified Financial Information Act Art 7 (real-name account)": t(
        "Where money moves through the issuer, a real-name bank account is required (Specified Financial Information Act Art 7).",
        "발행인을 거쳐 원화가 오가면 실명확인 입출금 계정이 필요합니다(특정 금융거래정보법 제7조).",
    ),
    "White paper content (MiCA Art 6, 19, 51)": t(
        "The white paper states holders' rights, the risks, the issuer and the technology (MiCA Art 6, 19 and 51 model).",
        "백서에는 보유자의 권리, 위험, 발행인, 기술을 기재해야 합니다(MiCA 제6·19·51조 참고).",
    ),
}


@dataclass(frozen=True)
class FieldGuidance:
    label: BiText
    help: BiText | None
    rule: BiText
    required: bool


def _nested(field: fields.Field) -> SectionSchema | None:
    inner = field.inner if isinstance(field, fields.List) else field
    return getattr(inner, "schema", None) if isinstance(inner, fields.Nested) else None


def section_guidance(name: str, schema: SectionSchema) -> list[FieldGuidance]:
    """Each field the regulator requires of this section, and each field with a rule of its
    own, with the rule behind it; the fields of a repeating group follow the group."""
    basis = SECTION_BASIS[name]
    items: list[FieldGuidance] = []

    def walk(schema_fields, prefix: BiText | None) -> None:
        for field in schema_fields.values():
            meta = field.metadata
            rule = meta.get("rule")
            if not (field.required or rule):
                continue
            label = meta.get("label") or t(field.name, field.name)
            if prefix:
                label = BiText(f"{prefix.en} › {label.en}", f"{prefix.ko} › {label.ko}")
            items.append(
                FieldGuidance(
                    label, meta.get("help"), RULES[rule] if rule else basis, field.required
                )
            )
            nested = _nested(field)
            if nested is not None:
                walk(nested.fields, label)

    walk(schema.fields, None)
    return items
