"""What each recorded action is called where people read the log: the case history,
the audit-trail PDF, the admin's pages. The log itself keeps the code (its CSVs and
the export are for machines and auditors' tools); people read these labels
(docs/design.md section 1, "Text for people")."""

from workflows.bilingual import BiText, t
from workflows.lifecycle import BY_NAME as STEPS
from workflows.monitoring.findings import FINDING_MOVES_BY_NAME

FINDING_PREFIX = "finding_"

# Actions that are not steps of the lifecycle or moves of a finding.
ACTIONS: dict[str, BiText] = {
    "create": t("Application started", "신청서 작성 시작"),
    "save_section": t("Section saved", "항목 저장"),
    "sign_declaration": t("Declaration signed by an officer", "임원의 확인 서명"),
    "add_document": t("Document uploaded", "서류 제출"),
    "record_opinion": t("Opinion recorded", "의견 등록"),
    "give_notice": t("Notice of intended action sent", "처분 사전 통지"),
    "file_comments": t("Comments on a notice filed", "사전 통지에 대한 의견 제출"),
    "lodge_objection": t("Objection lodged", "이의신청 제출"),
    "dismiss_objection": t("Objection dismissed", "이의신청 기각"),
    "redemption_reported": t("Redemption report filed", "상환 보고서 제출"),
    "wind_down_overdue": t("Redemption past its day", "상환 기한 경과"),
    "apply_for_change": t("Change applied for", "변경 승인 신청"),
    "approve_change": t("Change approved", "변경 승인"),
    "refuse_change": t("Change refused", "변경 거부"),
    "claim": t("Case taken by a reviewer", "심사역이 사건을 맡음"),
    "assign": t("Reviewer assigned", "심사역 배정"),
    "reassign": t("Reviewer changed", "심사역 변경"),
    "note": t("Internal note added", "내부 메모 작성"),
    "renew": t("Registration renewed", "등록 갱신"),
    "report_filed": t("Report filed", "보고서 제출"),
    "warning_letter": t("Warning letter sent", "경고장 발송"),
    "reports_overdue": t("Reports overdue", "보고서 기한 경과"),
    "isms_past_expiry": t("ISMS certificate past its expiry", "ISMS 인증 만료"),
    "issuance_cap_set": t("Issuance cap set", "발행 한도 설정"),
    "issuance_restricted": t("New issuance restricted", "신규 발행 제한"),
    "issuance_restriction_lifted": t("Restriction of new issuance lifted", "신규 발행 제한 해제"),
    "login": t("Signed in", "로그인"),
    "login_locked": t("Sign-in locked", "로그인 잠김"),
    "login_delayed": t("Sign-in delayed", "로그인 지연"),
    "login_lock_released": t("Sign-in lock released", "로그인 잠금 해제"),
    "token_revoked": t("API token revoked", "API 토큰 폐기"),
    "sessions_ended": t("Sessions ended", "세션 종료"),
    "password_changed": t("Password changed", "비밀번호 변경"),
    "invite_user": t("User invited", "사용자 초대"),
    "revoke_invitation": t("Invitation withdrawn", "초대 취소"),
    "accept_invitation": t("Invitation accepted", "초대 수락"),
    "remove_user": t("User removed", "사용자 삭제"),
    "retention_purge": t(
        "Sign-in records past their retention deleted", "보유 기간이 지난 로그인 기록 삭제"
    ),
    "integrity_alarm": t("Integrity alarm", "무결성 경보"),
    "webhook_register": t("Webhook registered", "웹훅 등록"),
    "webhook_update": t("Webhook changed", "웹훅 변경"),
    "webhook_rotate_secret": t("Webhook secret replaced", "웹훅 비밀키 교체"),
}


def action_label(action: str) -> BiText:
    """The action in both languages; an action without a label reads as recorded, and
    tests/service/test_action_labels.py fails for it."""
    if action in ACTIONS:
        return ACTIONS[action]
    if action in STEPS:
        return STEPS[action].label
    if action.startswith(FINDING_PREFIX) and action[len(FINDING_PREFIX) :] in FINDING_MOVES_BY_NAME:
        move = FINDING_MOVES_BY_NAME[action[len(FINDING_PREFIX) :]].label
        return t(f"Finding: {move.en}", f"지적 사항 {move.ko}")
    return t(action, action)
