"""What each kind of filing is called, on its PDF's cover and in every list of filings."""

from service.filings.present import key_label
from workflows.monitoring import REPORT_KINDS

# A periodic report is filed as "report:<code>" of workflows.monitoring.REPORT_KINDS.
REPORT_PREFIX = "report:"

KIND_TITLES: dict[str, dict[str, str]] = {
    "application": {"ko": "가상자산 발행인 등록 신청서", "en": "Application for registration"},
    "incompleteness_notice": {"ko": "보완 요구서", "en": "Notice of incompleteness"},
    "information_request": {"ko": "자료 제출 요구서", "en": "Request for information"},
    "response": {"ko": "자료 제출 요구에 대한 답변서", "en": "Response to a request"},
    "opinion_request": {"ko": "관계기관 의견 요청서", "en": "Request for opinions"},
    "opinion": {"ko": "관계기관 의견서", "en": "Opinion of a consulted authority"},
    "decision": {"ko": "등록 결정서", "en": "Decision on the application"},
    "certificate": {"ko": "가상자산 발행인 등록증", "en": "Certificate of registration"},
    "withdrawal_notice": {"ko": "신청 철회서", "en": "Notice of withdrawal"},
    "closure_notice": {"ko": "신청 종결 통지서", "en": "Notice of closure"},
    "remedy_request": {"ko": "시정 요구서", "en": "Request to remedy a finding"},
    "warning_letter": {"ko": "경고장", "en": "Warning letter"},
    "prior_notice": {"ko": "처분 사전 통지서", "en": "Notice of intended action"},
    "notice_comments": {"ko": "사전 통지에 대한 의견 제출서", "en": "Comments on a notice"},
    "objection": {"ko": "이의신청서", "en": "Objection"},
    "objection_decision": {"ko": "이의신청 인용 결정서", "en": "Decision: objection upheld"},
    "objection_dismissal": {"ko": "이의신청 기각 결정서", "en": "Decision: objection dismissed"},
    "redemption_report": {"ko": "상환 보고서", "en": "Redemption report"},
    "surrender_request": {"ko": "자진 반납 신청서", "en": "Request to surrender"},
    "surrender_acceptance": {"ko": "자진 반납 수락 결정서", "en": "Decision: surrender accepted"},
    "surrender_refusal": {"ko": "자진 반납 거부 결정서", "en": "Decision: surrender refused"},
    "change_application": {"ko": "변경 승인 신청서", "en": "Application to approve a change"},
    "change_decision": {"ko": "변경 승인 신청에 대한 결정서", "en": "Decision on a change"},
    "suspension_notice": {"ko": "영업 정지 통지서", "en": "Notice of suspension"},
    "reinstatement_notice": {"ko": "영업 재개 통지서", "en": "Notice of reinstatement"},
    "revocation_decision": {"ko": "등록 취소 결정서", "en": "Decision to revoke"},
    "surrender_notice": {"ko": "등록 반납서", "en": "Notice of surrender"},
    **{
        REPORT_PREFIX + code: {
            "ko": f"정기 보고서: {kind.label['ko']}",
            "en": f"Periodic report: {kind.label['en']}",
        }
        for code, kind in REPORT_KINDS.items()
    },
    "audit_extract": {"ko": "감사 기록 발췌", "en": "Audit trail extract"},
}


def is_periodic_report(kind: str) -> bool:
    return kind.startswith(REPORT_PREFIX)


def report_code(kind: str) -> str | None:
    return kind.removeprefix(REPORT_PREFIX) if is_periodic_report(kind) else None


def kind_title(kind: str) -> dict[str, str]:
    return KIND_TITLES.get(kind) or key_label(kind)
