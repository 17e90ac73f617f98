"""The application's sections: the registry the web form, the API, the
check-answers page and the submission guard all read (docs/domain.md section 3).

A section is validated against a `SectionContext` (category, regime profile,
submission date, whether the applicant is a bank). Which sections apply
depends on the category, and for capital also on the profile: there is no
capital section where the profile sets no minimum.
"""

from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import ValidationError

from forms.documents import DOCUMENT_TYPES, required_documents
from forms.sections.applicant import ApplicantSchema
from forms.sections.base import SectionContext, SectionSchema, is_blank
from forms.sections.business import BusinessPlanSchema, TokenDesignSchema
from forms.sections.controls import (
    AmlCftSchema,
    CrossBorderSchema,
    GovernanceSchema,
    IctSecuritySchema,
)
from forms.sections.disclosure import ConsumerProtectionSchema, DeclarationSchema, WhitePaperSchema
from forms.sections.funds import CapitalSchema, RedemptionSchema, ReserveSchema
from forms.sections.ownership import OwnershipSchema
from workflows.bilingual import BiText, t
from workflows.regime import CATEGORIES, RegimeProfile
from workflows.regime import profile as default_profile

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
HAS_ERRORS = "has_errors"


@dataclass(frozen=True)
class SectionSpec:
    name: str
    title: BiText
    summary: BiText  # one plain sentence of what the regulator expects
    schema: type[SectionSchema]
    categories: tuple[str, ...]
    documents: tuple[str, ...]  # document type codes this section asks for
    # Further condition on the regime profile (capital: only where a minimum is set).
    applies: Callable[[str, RegimeProfile], bool] | None = None

    def applies_to(self, category: str, profile: RegimeProfile) -> bool:
        if category not in self.categories:
            return False
        return self.applies is None or self.applies(category, profile)

    def documents_for(self, category: str) -> tuple[str, ...]:
        """The documents this section asks for that `category` requires."""
        return tuple(
            code for code in self.documents if category in DOCUMENT_TYPES[code]["categories"]
        )


class UnknownSection(LookupError):
    """No such section, or the section does not apply to the context's category."""


@dataclass(frozen=True)
class Missing:
    kind: str  # "section" | "document"
    code: str  # section name or document type code
    label: BiText
    detail: str  # a sentence in the current locale
    status: str = ""  # the section's status; "missing" for a document


def _has_capital_floor(category: str, profile: RegimeProfile) -> bool:
    return profile.minimum_capital_for(category) is not None


_ALL = CATEGORIES
_VIRTUAL_ASSETS = ("krw_stablecoin", "security_token", "other_virtual_asset")
_STABLECOIN = ("krw_stablecoin",)

SECTIONS: dict[str, SectionSpec] = {
    spec.name: spec
    for spec in (
        SectionSpec(
            "applicant",
            t("Applicant", "신청인"),
            t(
                "Who is applying: the legal entity, its identifiers, offices and a contact person.",
                "신청하는 법인의 명칭, 식별번호, 사무소와 담당자를 적습니다.",
            ),
            ApplicantSchema,
            _ALL,
            ("articles_of_incorporation", "corporate_register_extract", "bank_licence"),
        ),
        SectionSpec(
            "ownership",
            t("Ownership and management", "지배구조(주주 및 임원)"),
            t(
                "Who holds 10% or more and who runs the applicant, "
                "each executive with a fit-and-proper declaration.",
                "10% 이상 주주와 임원을 밝히고, 임원마다 적격성 확인서를 제출합니다.",
            ),
            OwnershipSchema,
            _ALL,
            ("shareholder_register", "fit_and_proper_declarations"),
        ),
        SectionSpec(
            "business_plan",
            t("Business plan", "사업계획"),
            t(
                "A programme of operations with monthly "
                "financial projections for the whole plan period.",
                "계획 기간 전체의 운영계획과 월별 재무 추정을 제출합니다.",
            ),
            BusinessPlanSchema,
            _ALL,
            ("business_plan",),
        ),
        SectionSpec(
            "token_design",
            t("Token design", "토큰 설계"),
            t(
                "What the token is and how it works: ledgers, "
                "contracts, settlement, issuance and redemption.",
                "토큰의 성격과 작동 방식(분산원장, 계약, 결제, 발행·상환)을 설명합니다.",
            ),
            TokenDesignSchema,
            _ALL,
            ("legal_opinion", "ksd_registration", "account_manager_qualification"),
        ),
        SectionSpec(
            "capital",
            t("Capital", "자본금"),
            t(
                "Paid-in capital at or above the minimum for the category, with evidence.",
                "범주별 최저 기준 이상의 납입자본금과 그 증빙을 제출합니다.",
            ),
            CapitalSchema,
            _ALL,
            (),
            applies=_has_capital_floor,
        ),
        SectionSpec(
            "reserve",
            t("Reserve and custody", "준비자산 및 보관"),
            t(
                "A full reserve in eligible assets, held segregated at "
                "named banks and checked by an independent auditor.",
                "인정 자산으로 100% 이상 준비자산을 지정 은행에 "
                "구분 보관하고 독립 감사인의 확인을 받습니다.",
            ),
            ReserveSchema,
            _STABLECOIN,
            ("reserve_custody_agreement", "reserve_auditor_engagement_letter"),
        ),
        SectionSpec(
            "redemption",
            t("Redemption", "상환"),
            t(
                "Redemption at par on request, paid within "
                "the deadline, with no interest to holders.",
                "요청 시 기한 내 액면가로 상환하고 보유자에게 이자를 지급하지 않습니다.",
            ),
            RedemptionSchema,
            _STABLECOIN,
            ("redemption_policy",),
        ),
        SectionSpec(
            "governance",
            t("Governance and internal control", "지배구조 및 내부통제"),
            t(
                "A compliance officer, a risk framework covering "
                "every main risk, internal and external audit.",
                "준법감시인, 주요 위험을 모두 다루는 위험관리체계, 내부·외부 감사를 갖춥니다.",
            ),
            GovernanceSchema,
            _ALL,
            ("audited_financial_statements",),
        ),
        SectionSpec(
            "ict_security",
            t("ICT security", "정보보호"),
            t(
                "An ISMS or ISMS-P certificate valid on submission and for months after.",
                "제출일에 유효하고 그 후로도 일정 기간 유효한 ISMS 또는 ISMS-P 인증을 제출합니다.",
            ),
            IctSecuritySchema,
            _ALL,
            ("isms_certificate",),
        ),
        SectionSpec(
            "aml_cft",
            t("AML/CFT", "자금세탁방지"),
            t(
                "An AML officer and programme, a travel-rule solution, and "
                "a real-name bank account if fiat moves through the issuer.",
                "보고책임자와 자금세탁방지 프로그램, 트래블룰 "
                "솔루션, 필요한 경우 실명확인 입출금계정을 갖춥니다.",
            ),
            AmlCftSchema,
            _ALL,
            ("aml_cft_manual",),
        ),
        SectionSpec(
            "white_paper",
            t("White paper and disclosure", "백서 및 공시"),
            t(
                "The white paper and its key facts: holders' "
                "rights, risks, the issuer and the technology.",
                "백서와 그 핵심 내용(보유자 권리, 위험, 발행인, 기술)을 제출합니다.",
            ),
            WhitePaperSchema,
            _VIRTUAL_ASSETS,
            ("white_paper",),
        ),
        SectionSpec(
            "cross_border",
            t("Cross-border flows and FX", "국가 간 이전 및 외환"),
            t(
                "How transfers abroad are monitored and reported, in "
                "line with the Foreign Exchange Transactions Act.",
                "해외 이전을 어떻게 감시·보고하고 외국환거래법을 지키는지 설명합니다.",
            ),
            CrossBorderSchema,
            _STABLECOIN,
            (),
        ),
        SectionSpec(
            "consumer_protection",
            t("Consumer protection", "이용자 보호"),
            t(
                "How complaints are handled and what holders are told.",
                "민원 처리 방법과 보유자에게 공시하는 내용을 설명합니다.",
            ),
            ConsumerProtectionSchema,
            _ALL,
            (),
        ),
        SectionSpec(
            "declaration",
            t("Declaration", "확인 및 서명"),
            t(
                "A named officer confirms the application is true and complete.",
                "권한 있는 임원이 신청서의 내용이 사실이며 빠짐없음을 확인합니다.",
            ),
            DeclarationSchema,
            _ALL,
            (),
        ),
    )
}


def sections_for(category: str, profile: RegimeProfile | None = None) -> list[SectionSpec]:
    """The sections an application of `category` has, in order. Pass the
    profile in force; without one the default profile decides about capital."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; known: {CATEGORIES}")
    profile = profile or default_profile()
    return [spec for spec in SECTIONS.values() if spec.applies_to(category, profile)]


def section_spec(name: str, ctx: SectionContext) -> SectionSpec:
    spec = SECTIONS.get(name)
    if spec is None or not spec.applies_to(ctx.category, ctx.profile):
        raise UnknownSection(name)
    return spec


def section_schema(name: str, ctx: SectionContext) -> SectionSchema:
    """The section's schema for this context: its `fields` are the ones to render."""
    return section_spec(name, ctx).schema(ctx=ctx)


def validate_section(name: str, data: dict | None, ctx: SectionContext) -> dict:
    """Marshmallow errors for the section's answers; empty when they are valid."""
    return section_schema(name, ctx).validate(data or {})


def load_section(name: str, data: dict | None, ctx: SectionContext) -> dict:
    """The answers in canonical, JSON-serialisable form (dates ISO, decimals as
    strings, identifiers formatted). Raises ValidationError when invalid.
    Loading the result again gives the same result."""
    schema = section_schema(name, ctx)
    return schema.dump(schema.load(data or {}))


def kept_form(name: str, data: dict | None, ctx: SectionContext) -> dict | None:
    """The answers in the one form a save keeps them in (`load_section`, partial), so that
    answers kept before that form, such as an amount filed as typed (`"50,000"`), compare
    equal to the same answers kept now; answers that do not load are returned as they are."""
    if not isinstance(data, dict):
        return data
    schema = section_schema(name, ctx)
    try:
        return schema.dump(schema.load(data, partial=True))
    except ValidationError:
        return data


def section_status(name: str, data: dict | None, ctx: SectionContext) -> str:
    """not_started, in_progress (only required answers missing), has_errors
    (some answer breaks a rule) or complete."""
    schema = section_schema(name, ctx)
    if is_blank(data):
        return NOT_STARTED
    if not schema.validate(data):
        return COMPLETE
    # With partial=True missing answers are allowed, so what remains breaks a rule.
    if schema.validate(data, partial=True):
        return HAS_ERRORS
    return IN_PROGRESS


def _section_detail(status: str) -> str:
    if status == NOT_STARTED:
        return t("Not started.", "작성하지 않았습니다.")
    if status == IN_PROGRESS:
        return t("Some required answers are missing.", "필수 답변이 빠져 있습니다.")
    return t(
        "Some answers break a rule; see the section.",
        "규칙에 맞지 않는 답변이 있습니다. 해당 섹션을 확인하십시오.",
    )


def missing_for_submission(
    category: str,
    sections: dict[str, dict],
    document_types_present: set[str],
    ctx: SectionContext,
) -> list[Missing]:
    """Every section not complete and every required document not uploaded,
    in the order of the form. Empty when the application may be submitted."""
    if ctx.category != category:
        raise ValueError(f"context is for {ctx.category!r}, not {category!r}")
    missing: list[Missing] = []
    for spec in sections_for(category, ctx.profile):
        status = section_status(spec.name, sections.get(spec.name), ctx)
        if status != COMPLETE:
            missing.append(
                Missing("section", spec.name, spec.title, _section_detail(status), status)
            )
    for code in required_documents(category):
        if code not in document_types_present:
            missing.append(
                Missing(
                    "document",
                    code,
                    DOCUMENT_TYPES[code]["label"],
                    t("Not uploaded.", "첨부하지 않았습니다."),
                    "missing",
                )
            )
    return missing


__all__ = [
    "COMPLETE",
    "HAS_ERRORS",
    "IN_PROGRESS",
    "NOT_STARTED",
    "SECTIONS",
    "Missing",
    "SectionContext",
    "SectionSpec",
    "UnknownSection",
    "ValidationError",
    "load_section",
    "missing_for_submission",
    "section_schema",
    "section_spec",
    "section_status",
    "sections_for",
    "validate_section",
]
