"""What each recorded action is called where people read the log: the case history,
the audit-trail PDF, the admin's pages. The log itself keeps the code (its CSVs and
the export are for machines and auditors' tools); people read these labels
(docs/design.md section 1, "Text for people")."""

from workflows.lifecycle import BY_NAME as STEPS
from workflows.monitoring.findings import FINDING_MOVES_BY_NAME

FINDING_PREFIX = "finding_"

# Actions that are not steps of the lifecycle or moves of a finding.
ACTIONS: dict[str, dict[str, str]] = {
    "create": {"en": "Application started", "ko": "신청서 작성 시작"},
    "save_section": {"en": "Section saved", "ko": "항목 저장"},
    "sign_declaration": {"en": "Declaration signed by an officer", "ko": "임원의 확인 서명"},
    "add_document": {"en": "Document uploaded", "ko": "서류 제출"},
    "record_opinion": {"en": "Opinion recorded", "ko": "의견 등록"},
    "give_notice": {"en": "Notice of intended action sent", "ko": "처분 사전 통지"},
    "file_comments": {"en": "Comments on a notice filed", "ko": "사전 통지에 대한 의견 제출"},
    "lodge_objection": {"en": "Objection lodged", "ko": "이의신청 제출"},
    "dismiss_objection": {"en": "Objection dismissed", "ko": "이의신청 기각"},
    "redemption_reported": {"en": "Redemption report filed", "ko": "상환 보고서 제출"},
    "wind_down_overdue": {"en": "Redemption past its day", "ko": "상환 기한 경과"},
    "apply_for_change": {"en": "Change applied for", "ko": "변경 승인 신청"},
    "approve_change": {"en": "Change approved", "ko": "변경 승인"},
    "refuse_change": {"en": "Change refused", "ko": "변경 거부"},
    "claim": {"en": "Case taken by a reviewer", "ko": "심사역이 사건을 맡음"},
    "assign": {"en": "Reviewer assigned", "ko": "심사역 배정"},
    "reassign": {"en": "Reviewer changed", "ko": "심사역 변경"},
    "note": {"en": "Internal note added", "ko": "내부 메모 작성"},
    "renew": {"en": "Registration renewed", "ko": "등록 갱신"},
    "report_filed": {"en": "Report filed", "ko": "보고서 제출"},
    "warning_letter": {"en": "Warning letter sent", "ko": "경고장 발송"},
    "reports_overdue": {"en": "Reports overdue", "ko": "보고서 기한 경과"},
    "isms_past_expiry": {"en": "ISMS certificate past its expiry", "ko": "ISMS 인증 만료"},
    "issuance_cap_set": {"en": "Issuance cap set", "ko": "발행 한도 설정"},
    "issuance_restricted": {"en": "New issuance restricted", "ko": "신규 발행 제한"},
    "issuance_restriction_lifted": {
        "en": "Restriction of new issuance lifted",
        "ko": "신규 발행 제한 해제",
    },
    "login": {"en": "Signed in", "ko": "로그인"},
    "login_locked": {"en": "Sign-in locked", "ko": "로그인 잠김"},
    "login_delayed": {"en": "Sign-in delayed", "ko": "로그인 지연"},
    "login_lock_released": {"en": "Sign-in lock released", "ko": "로그인 잠금 해제"},
    "token_revoked": {"en": "API token revoked", "ko": "API 토큰 폐기"},
    "sessions_ended": {"en": "Sessions ended", "ko": "세션 종료"},
    "password_changed": {"en": "Password changed", "ko": "비밀번호 변경"},
    "invite_user": {"en": "User invited", "ko": "사용자 초대"},
    "revoke_invitation": {"en": "Invitation withdrawn", "ko": "초대 취소"},
    "accept_invitation": {"en": "Invitation accepted", "ko": "초대 수락"},
    "remove_user": {"en": "User removed", "ko": "사용자 삭제"},
    "retention_purge": {
        "en": "Sign-in records past their retention deleted",
        "ko": "보유 기간이 지난 로그인 기록 삭제",
    },
    "integrity_alarm": {"en": "Integrity alarm", "ko": "무결성 경보"},
    "webhook_register": {"en": "Webhook registered", "ko": "웹훅 등록"},
    "webhook_update": {"en": "Webhook changed", "ko": "웹훅 변경"},
    "webhook_rotate_secret": {"en": "Webhook secret replaced", "ko": "웹훅 비밀키 교체"},
}


def action_label(action: str) -> dict[str, str]:
    """The action in both languages; an action without a label reads as recorded, and
    tests/service/test_action_labels.py fails for it."""
    if action in ACTIONS:
        return ACTIONS[action]
    if action in STEPS:
        return STEPS[action].label
    if action.startswith(FINDING_PREFIX) and action[len(FINDING_PREFIX) :] in FINDING_MOVES_BY_NAME:
        move = FINDING_MOVES_BY_NAME[action[len(FINDING_PREFIX) :]].label
        return {"en": f"Finding: {move['en']}", "ko": f"지적 사항 {move['ko']}"}
    return {"en": action, "ko": action}
