"""Coded values that reports carry and rules read, with their labels.

The report schemas offer these as choices; the rules name them in findings.
"""

from workflows.bilingual import BiText, t

RESERVE_ASSET_TYPES: dict[str, BiText] = {
    "cash": t("Cash", "현금"),
    "bank_deposit": t("Bank deposit", "은행 예금"),
    "government_bond": t("Korean government bond", "국고채"),
    "monetary_stabilisation_bond": t("Monetary Stabilisation Bond", "통화안정증권"),
    "repo": t("Overnight repo on KTBs or MSBs", "국고채·통안증권 담보 익일물 RP"),
    "mmf": t("MMF holding only eligible assets", "적격자산 MMF"),
    # Not eligible, but reported when held so the rule can say so.
    "corporate_bond": t("Corporate bond", "회사채"),
    "commercial_paper": t("Commercial paper", "기업어음"),
    "equity": t("Equity", "주식"),
    "virtual_asset": t("Virtual asset", "가상자산"),
    "other": t("Other", "기타"),
}

COUNTERPARTY_TYPES: dict[str, BiText] = {
    "foreign_exchange": t("Foreign virtual-asset exchange", "해외 가상자산거래소"),
    "foreign_address": t("Foreign personal address", "해외 개인 지갑 주소"),
}

INCIDENT_KINDS: dict[str, BiText] = {
    "hack": t("Hack or theft", "해킹·탈취"),
    "outage": t("Outage", "서비스 중단"),
    "depeg": t("Depeg", "가치 고정 이탈(디페그)"),
    "key_loss": t("Loss of keys", "개인키 분실·유출"),
    "other": t("Other", "기타"),
}

AUDIT_OPINIONS: dict[str, BiText] = {
    "unqualified": t("Unqualified", "적정"),
    "qualified": t("Qualified", "한정"),
    "adverse": t("Adverse", "부적정"),
    "disclaimer": t("Disclaimer of opinion", "의견거절"),
}
# The opinions that say the figures cannot be relied on: a finding (docs/domain.md section 5).
FAILED_AUDIT_OPINIONS = ("adverse", "disclaimer")

ISMS_STATUSES: dict[str, BiText] = {
    "valid": t("Valid", "유효"),
    "renewed": t("Renewed", "갱신"),
    "expired": t("Expired", "만료"),
    "revoked": t("Revoked", "취소"),
}
