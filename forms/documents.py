"""Typed attachments an application must carry, by category (docs/domain.md section 3).

Each document type names the categories it is required for. Tokenized
deposits get the lighter set tied to the bank licence: no white paper (a
deposit is not offered with one), no reserve papers, and no classification
opinion (the bank licence and deposit terms settle what it is).
"""

from workflows.bilingual import pick, t
from workflows.regime import CATEGORIES

_ALL = CATEGORIES
_VIRTUAL_ASSETS = ("krw_stablecoin", "security_token", "other_virtual_asset")

DOCUMENT_TYPES: dict[str, dict] = {
    "articles_of_incorporation": {
        "label": t("Articles of incorporation", "정관"),
        "categories": _ALL,
    },
    "corporate_register_extract": {
        "label": t("Corporate register extract", "법인 등기사항전부증명서"),
        "categories": _ALL,
    },
    "audited_financial_statements": {
        "label": t("Audited financial statements", "감사받은 재무제표"),
        "categories": _ALL,
    },
    "shareholder_register": {
        "label": t("Shareholder register", "주주명부"),
        "categories": _ALL,
    },
    "fit_and_proper_declarations": {
        "label": t("Executives' fit-and-proper declarations", "임원 적격성 확인서"),
        "categories": _ALL,
    },
    "business_plan": {
        "label": t("Business plan", "사업계획서"),
        "categories": _ALL,
    },
    "white_paper": {
        "label": t("White paper", "백서"),
        "categories": _VIRTUAL_ASSETS,
    },
    "aml_cft_manual": {
        "label": t("AML/CFT manual", "자금세탁방지 업무규정"),
        "categories": _ALL,
    },
    "isms_certificate": {
        "label": t("ISMS certificate", "정보보호 관리체계(ISMS) 인증서"),
        "categories": _ALL,
    },
    "reserve_custody_agreement": {
        "label": t("Reserve custody agreement", "준비자산 보관 계약서"),
        "categories": ("krw_stablecoin",),
    },
    "reserve_auditor_engagement_letter": {
        "label": t("Reserve auditor engagement letter", "준비자산 감사인 선임 계약서"),
        "categories": ("krw_stablecoin",),
    },
    "redemption_policy": {
        "label": t("Redemption policy", "상환 정책"),
        "categories": ("krw_stablecoin",),
    },
    "legal_opinion": {
        "label": t(
            "Legal opinion on the token's classification", "토큰의 법적 성격에 관한 법률의견서"
        ),
        "categories": _VIRTUAL_ASSETS,
    },
    "bank_licence": {
        "label": t("Bank licence", "은행업 인가서"),
        "categories": ("tokenized_deposit",),
    },
    "ksd_registration": {
        "label": t(
            "Korea Securities Depository electronic registration", "한국예탁결제원 전자등록 확인서"
        ),
        "categories": ("security_token",),
    },
    "account_manager_qualification": {
        "label": t(
            "Issuer account-manager qualification or account-management agreement",
            "발행인 계좌관리기관 요건 확인서 또는 계좌관리 위탁계약서",
        ),
        "categories": ("security_token",),
    },
}


def required_documents(category: str) -> list[str]:
    """Document type codes required for `category`, in DOCUMENT_TYPES order."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; known: {CATEGORIES}")
    return [code for code, spec in DOCUMENT_TYPES.items() if category in spec["categories"]]


def document_label(code: str) -> str:
    """The document type's label in the current locale."""
    return pick(DOCUMENT_TYPES[code]["label"])
