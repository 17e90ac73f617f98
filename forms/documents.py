"""Typed attachments an application must carry, by category (docs/domain.md section 3).

Each document type names the categories it is required for. Tokenized
deposits get the lighter set tied to the bank licence: no white paper (a
deposit is not offered with one), no reserve papers, and no classification
opinion (the bank licence and deposit terms settle what it is).
"""

from forms.i18n import pick
from workflows.regime import CATEGORIES

_ALL = CATEGORIES
_VIRTUAL_ASSETS = ("krw_stablecoin", "security_token", "other_virtual_asset")

DOCUMENT_TYPES: dict[str, dict] = {
    "articles_of_incorporation": {
        "label": {"en": "Articles of incorporation", "ko": "정관"},
        "categories": _ALL,
    },
    "corporate_register_extract": {
        "label": {"en": "Corporate register extract", "ko": "법인 등기사항전부증명서"},
        "categories": _ALL,
    },
    "audited_financial_statements": {
        "label": {"en": "Audited financial statements", "ko": "감사받은 재무제표"},
        "categories": _ALL,
    },
    "shareholder_register": {
        "label": {"en": "Shareholder register", "ko": "주주명부"},
        "categories": _ALL,
    },
    "fit_and_proper_declarations": {
        "label": {
            "en": "Executives' fit-and-proper declarations",
            "ko": "임원 적격성 확인서",
        },
        "categories": _ALL,
    },
    "business_plan": {
        "label": {"en": "Business plan", "ko": "사업계획서"},
        "categories": _ALL,
    },
    "white_paper": {
        "label": {"en": "White paper", "ko": "백서"},
        "categories": _VIRTUAL_ASSETS,
    },
    "aml_cft_manual": {
        "label": {"en": "AML/CFT manual", "ko": "자금세탁방지 업무규정"},
        "categories": _ALL,
    },
    "isms_certificate": {
        "label": {"en": "ISMS certificate", "ko": "정보보호 관리체계(ISMS) 인증서"},
        "categories": _ALL,
    },
    "reserve_custody_agreement": {
        "label": {"en": "Reserve custody agreement", "ko": "준비자산 보관 계약서"},
        "categories": ("krw_stablecoin",),
    },
    "reserve_auditor_engagement_letter": {
        "label": {
            "en": "Reserve auditor engagement letter",
            "ko": "준비자산 감사인 선임 계약서",
        },
        "categories": ("krw_stablecoin",),
    },
    "redemption_policy": {
        "label": {"en": "Redemption policy", "ko": "상환 정책"},
        "categories": ("krw_stablecoin",),
    },
    "legal_opinion": {
        "label": {
            "en": "Legal opinion on the token's classification",
            "ko": "토큰의 법적 성격에 관한 법률의견서",
        },
        "categories": _VIRTUAL_ASSETS,
    },
    "bank_licence": {
        "label": {"en": "Bank licence", "ko": "은행업 인가서"},
        "categories": ("tokenized_deposit",),
    },
    "ksd_registration": {
        "label": {
            "en": "Korea Securities Depository electronic registration",
            "ko": "한국예탁결제원 전자등록 확인서",
        },
        "categories": ("security_token",),
    },
    "account_manager_qualification": {
        "label": {
            "en": "Issuer account-manager qualification or account-management agreement",
            "ko": "발행인 계좌관리기관 요건 확인서 또는 계좌관리 위탁계약서",
        },
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
