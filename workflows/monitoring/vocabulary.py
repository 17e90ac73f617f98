"""Coded values that reports carry and rules read, with their labels.

The report schemas offer these as choices; the rules name them in findings.
"""

RESERVE_ASSET_TYPES: dict[str, dict[str, str]] = {
    "cash": {"en": "Cash", "ko": "현금"},
    "bank_deposit": {"en": "Bank deposit", "ko": "은행 예금"},
    "government_bond": {"en": "Korean government bond", "ko": "국고채"},
    "monetary_stabilisation_bond": {"en": "Monetary Stabilisation Bond", "ko": "통화안정증권"},
    "repo": {"en": "Overnight repo on KTBs or MSBs", "ko": "국고채·통안증권 담보 익일물 RP"},
    "mmf": {"en": "MMF holding only eligible assets", "ko": "적격자산 MMF"},
    # Not eligible, but reported when held so the rule can say so.
    "corporate_bond": {"en": "Corporate bond", "ko": "회사채"},
    "commercial_paper": {"en": "Commercial paper", "ko": "기업어음"},
    "equity": {"en": "Equity", "ko": "주식"},
    "virtual_asset": {"en": "Virtual asset", "ko": "가상자산"},
    "other": {"en": "Other", "ko": "기타"},
}

COUNTERPARTY_TYPES: dict[str, dict[str, str]] = {
    "foreign_exchange": {"en": "Foreign virtual-asset exchange", "ko": "해외 가상자산거래소"},
    "foreign_address": {"en": "Foreign personal address", "ko": "해외 개인 지갑 주소"},
}

INCIDENT_KINDS: dict[str, dict[str, str]] = {
    "hack": {"en": "Hack or theft", "ko": "해킹·탈취"},
    "outage": {"en": "Outage", "ko": "서비스 중단"},
    "depeg": {"en": "Depeg", "ko": "가치 고정 이탈(디페그)"},
    "key_loss": {"en": "Loss of keys", "ko": "개인키 분실·유출"},
    "other": {"en": "Other", "ko": "기타"},
}

AUDIT_OPINIONS: dict[str, dict[str, str]] = {
    "unqualified": {"en": "Unqualified", "ko": "적정"},
    "qualified": {"en": "Qualified", "ko": "한정"},
    "adverse": {"en": "Adverse", "ko": "부적정"},
    "disclaimer": {"en": "Disclaimer of opinion", "ko": "의견거절"},
}
# The opinions that say the figures cannot be relied on: a finding (docs/domain.md section 5).
FAILED_AUDIT_OPINIONS = ("adverse", "disclaimer")

ISMS_STATUSES: dict[str, dict[str, str]] = {
    "valid": {"en": "Valid", "ko": "유효"},
    "renewed": {"en": "Renewed", "ko": "갱신"},
    "expired": {"en": "Expired", "ko": "만료"},
    "revoked": {"en": "Revoked", "ko": "취소"},
}
