"""What each kind of filing is called, on its PDF's cover and in every list of filings."""

from service.filings.present import key_label
from workflows.bilingual import BiText, t
from workflows.monitoring import REPORT_KINDS

# A periodic report is filed as "report:<code>" of workflows.monitoring.REPORT_KINDS.
REPORT_PREFIX = "report:"

KIND_TITLES: dict[str, BiText] = {
    "application": t("Application for registration", "가상자산 발행인 등록 신청서"),
    "incompleteness_notice": t("Notice of incompleteness", "보완 요구서"),
    "information_request": t("Request for information", "자료 제출 요구서"),
    "response": t("Response to a request", "자료 제출 요구에 대한 답변서"),
    "opinion_request": t("Request for opinions", "관계기관 의견 요청서"),
    "opinion": t("Opinion of a consulted authority", "관계기관 의견서"),
    "decision": t("Decision on the application", "등록 결정서"),
    "certificate": t("Certificate of registration", "가상자산 발행인 등록증"),
    "withdrawal_notice": t("Notice of withdrawal", "신청 철회서"),
    "closure_notice": t("Notice of closure", "신청 종결 통지서"),
    "remedy_request": t("Request to remedy a finding", "시정 요구서"),
    "warning_letter": t("Warning letter", "경고장"),
    "prior_notice": t("Notice of intended action", "처분 사전 통지서"),
    "notice_comments": t("Comments on a notice", "사전 통지에 대한 의견 제출서"),
    "objection": t("Objection", "이의신청서"),
    "objection_decision": t("Decision: objection upheld", "이의신청 인용 결정서"),
    "objection_dismissal": t("Decision: objection dismissed", "이의신청 기각 결정서"),
    "redemption_report": t("Redemption report", "상환 보고서"),
    "surrender_request": t("Request to surrender", "자진 반납 신청서"),
    "surrender_acceptance": t("Decision: surrender accepted", "자진 반납 수락 결정서"),
    "surrender_refusal": t("Decision: surrender refused", "자진 반납 거부 결정서"),
    "change_application": t("Application to approve a change", "변경 승인 신청서"),
    "change_decision": t("Decision on a change", "변경 승인 신청에 대한 결정서"),
    "suspension_notice": t("Notice of suspension", "영업 정지 통지서"),
    "reinstatement_notice": t("Notice of reinstatement", "영업 재개 통지서"),
    "revocation_decision": t("Decision to revoke", "등록 취소 결정서"),
    "surrender_notice": t("Notice of surrender", "등록 반납서"),
    **{
        REPORT_PREFIX + code: t(
            f"Periodic report: {kind.label.en}", f"정기 보고서: {kind.label.ko}"
        )
        for code, kind in REPORT_KINDS.items()
    },
    "audit_extract": t("Audit trail extract", "감사 기록 발췌"),
}


def is_periodic_report(kind: str) -> bool:
    return kind.startswith(REPORT_PREFIX)


def report_code(kind: str) -> str | None:
    return kind.removeprefix(REPORT_PREFIX) if is_periodic_report(kind) else None


def kind_title(kind: str) -> BiText:
    return KIND_TITLES.get(kind) or key_label(kind)
