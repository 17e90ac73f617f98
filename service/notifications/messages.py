"""What the issuer's contacts are told, per event: Korean first, English below."""

from typing import Any

from workflows.bilingual import BiText, pick, t
from workflows.changes import CHANGE_APPROVAL_KINDS
from workflows.changes import OUTCOMES as CHANGE_OUTCOMES
from workflows.lifecycle import (
    NOTIFYING_STEPS,
    REFUSAL_GROUNDS,
    REVOCATION_GROUNDS,
    STEPS,
    TRANSITIONS,
)
from workflows.monitoring import SEVERITY_LABELS
from workflows.regime import CATEGORY_LABELS

# The supervisory letters (service.monitoring.letters and .findings) change no state but
# are each a filing that changes hands: the event each one is told as.
LETTER_EVENTS: dict[str, str] = {
    "give_notice": "prior_notice",
    "dismiss_objection": "objection_dismissed",
    "decide_change": "change_decided",
    "warning_letter": "warning_letter",
    "request_remedy": "remedy_request",
}
# The steps that concern the issuer, and the event each one is told as: the lifecycle's
# own (workflows/lifecycle.py `notice`), then the letters.
EVENTS: dict[str, str] = {
    **{t.name: t.notice for t in TRANSITIONS if t.notice},
    **LETTER_EVENTS,
}

# The subject of each notice: every notifying step's, checked at import (docs/design.md,
# "The step table"), and each letter's.
SUBJECTS: dict[str, BiText] = {
    **STEPS.parts(
        "notice subject",
        {
            "submit": t("Application received", "신청서 접수 확인"),
            "resubmit": t("Resubmitted application received", "보완 신청서 접수 확인"),
            "return_incomplete": t("Application returned as incomplete", "신청서 보완 요구"),
            "request_information": t("Request for information", "자료 제출 요청"),
            "approve": t("Decision: registration approved", "등록 승인 결정"),
            "refuse": t("Decision: registration refused", "등록 거부 결정"),
            "suspend": t("Notice of suspension", "영업 정지 통지"),
            "suspend_urgently": t("Notice of urgent suspension", "긴급 영업 정지 통지"),
            "reinstate": t("Notice of reinstatement", "영업 정지 해제 통지"),
            "revoke": t("Decision: registration revoked", "등록 취소 결정"),
            "close_not_resubmitted": t(
                "Notice: application closed, not resubmitted",
                "미보완에 따른 신청 종결 통지",
            ),
            "close_unanswered": t(
                "Notice: application closed, no response",
                "자료 미제출에 따른 신청 종결 통지",
            ),
            "withdraw": t("Withdrawal of the application confirmed", "신청 철회 확인"),
            "surrender": t("Request to surrender received", "등록 자진 반납 신청 접수"),
            "accept_surrender": t("Decision: surrender accepted", "등록 자진 반납 수락 결정"),
            "refuse_surrender": t("Decision: surrender refused", "등록 자진 반납 거부 결정"),
            "lapse": t("Notice: registration lapsed", "등록 기간 만료 통지"),
            "reconsider": t("Decision: objection upheld", "이의신청 인용 결정"),
            "restore": t("Decision: objection upheld", "이의신청 인용 결정"),
        },
        steps=NOTIFYING_STEPS,
    ),
    "give_notice": t("Notice of intended action", "처분의 사전 통지"),
    "dismiss_objection": t("Decision: objection dismissed", "이의신청 기각 결정"),
    "decide_change": t("Decision on a change applied for", "변경 승인 신청에 대한 결정"),
    "warning_letter": t("Warning letter", "경고장"),
    "request_remedy": t("Request to remedy a finding", "지적 사항 시정 요구"),
}
# What an event is called where people read it (the admin's outbox): the subject of the
# first step told as it.
EVENT_LABELS: dict[str, BiText] = {
    event: SUBJECTS[step] for step, event in reversed(list(EVENTS.items()))
}

# What the issuer does next, where the step itself asks nothing more specific. Each states
# what the service does (docs/domain.md section 5, s6), never an obligation the law has not set.
NEXT_STEPS: dict[str, BiText] = {
    "withdraw": t(
        "The application is closed. To apply again, start a new application.",
        "신청 절차가 종료되었습니다. 다시 신청하려면 새 신청서를 작성하십시오.",
    ),
    **dict.fromkeys(
        ("close_not_resubmitted", "close_unanswered"),
        t(
            "The application is closed. To apply again, start a new application.",
            "신청 절차가 종료되었습니다. 다시 신청하려면 새 신청서를 작성하십시오.",
        ),
    ),
    "surrender": t(
        "An approver decides on the redemption plan. Until then the registration "
        "stays in force and its periodic reports remain due.",
        "결재권자가 상환 계획을 검토하여 수락 여부를 결정합니다. 그때까지 등록은 "
        "효력을 유지하며 정기 보고서도 계속 제출해야 합니다.",
    ),
    "accept_surrender": t(
        "Redeem every holder by the day above as planned and file a redemption report "
        "showing nothing outstanding; until then the registration stays supervised. The "
        "public register lists it as surrendered.",
        "상환 완료 예정일까지 계획대로 모든 보유자에게 상환하고, 남은 발행량이 없음을 "
        "보여 주는 상환 보고서를 제출하십시오. 그때까지 감독을 받습니다. 공개 "
        "등록부에는 '자진 반납'으로 기록됩니다.",
    ),
    "refuse_surrender": t(
        "The registration stays in force and its periodic reports remain due. You may "
        "ask again with a better plan.",
        "등록은 계속 효력을 유지하며 정기 보고서도 계속 제출해야 합니다. 계획을 보완하여 "
        "다시 신청할 수 있습니다.",
    ),
    "revoke": t(
        "Redeem every holder by the day above and file a redemption report showing "
        "nothing outstanding; until then the registration stays supervised.",
        "상환 완료 기한까지 모든 보유자에게 상환하고, 남은 발행량이 없음을 보여 주는 "
        "상환 보고서를 제출하십시오. 그때까지 감독을 받습니다.",
    ),
    "lapse": t(
        "The validity ended without renewal, so the registration is closed and can "
        "no longer be renewed. To continue, apply for a new registration. Redeem every "
        "holder by the day above and file a redemption report showing nothing outstanding.",
        "유효기간이 갱신 없이 끝나 등록이 종료되었으며, 더 이상 갱신할 수 없습니다. "
        "계속하려면 새로 등록을 신청하십시오. 상환 완료 기한까지 모든 보유자에게 상환하고 "
        "남은 발행량이 없음을 보여 주는 상환 보고서를 제출하십시오.",
    ),
    "warning_letter": t(
        "Remedy the matters above. Critical findings left open are grounds for suspension.",
        "위 사항을 시정하십시오. 해결되지 않은 중대 지적 사항은 영업 정지 사유가 됩니다.",
    ),
    "request_remedy": t(
        "Remedy the finding and tell your supervisor what was done; the finding is "
        "closed once the remedy is confirmed.",
        "지적 사항을 시정하고 그 결과를 감독 담당자에게 알려 주십시오. "
        "시정이 확인되면 지적 사항이 종결됩니다.",
    ),
}


def _grounds(table: dict[str, BiText], codes: list[str], lang: str) -> list[str]:
    return [table[code].pick(lang) for code in codes if code in table]


def _hearing(content: dict[str, Any], lang: str) -> list[str]:
    """The notice an adverse decision followed and the comments on it."""
    heard = content.get("hearing")
    if not heard:
        return []
    comments = heard["comments"] or t("none filed", "제출되지 않음").pick(lang)
    return [
        f"{t('Notice of intended action', '사전 통지').pick(lang)}: {heard['notice']}",
        f"{t('Your comments', '제출 의견').pick(lang)}: {comments}",
    ]


def _details(name: str, content: dict[str, Any], lang: str, registration=None) -> list[str]:
    """The lines that say what the issuer must know or do; public content only."""
    payload = content.get("payload") or {}
    return _step_details(name, content, lang, registration, payload) + _hearing(content, lang)


def _step_details(name, content, lang, registration, payload) -> list[str]:
    if name == "return_incomplete":
        head = t("What is missing:", "보완이 필요한 사항:").pick(lang)
        due = t("Resubmit by", "보완 기한").pick(lang)
        return [head, *(f"- {m}" for m in content["missing"]), f"{due}: {content['deadline']}"]
    if name == "request_information":
        head = t("Questions:", "요청 사항:").pick(lang)
        due = t("Answer by", "제출 기한").pick(lang)
        return [head, *(f"- {q}" for q in content["questions"]), f"{due}: {content['due_on']}"]
    if name == "approve":
        return [
            f"{t('Valid until', '유효기간').pick(lang)}: {content['valid_until']}",
            *(
                [(t("Conditions:", "등록 조건:").pick(lang))]
                + [f"- {c}" for c in content["conditions"]]
                if content["conditions"]
                else []
            ),
        ]
    if name in ("refuse", "revoke"):
        table = REFUSAL_GROUNDS if name == "refuse" else REVOCATION_GROUNDS
        head = t("Grounds:", "사유:").pick(lang)
        lines = [
            head,
            *(f"- {g}" for g in _grounds(table, content.get("grounds", []), lang)),
            content.get("reasons", ""),
        ]
        if name == "revoke" and registration is not None:
            lines.append(
                f"{t('Redeem by', '상환 완료 기한').pick(lang)}: {registration.wind_down_by}"
            )
        return lines
    if name in ("close_not_resubmitted", "close_unanswered"):
        return [
            f"{t('Deadline', '기한').pick(lang)}: {content['last_day']}",
            f"{t('Closes', '관련 문서').pick(lang)}: {content['closes']}",
            f"{t('Reason', '사유').pick(lang)}: {content['reason']}",
            f"{t('Legal basis', '근거').pick(lang)}: {pick(content['legal_basis'], lang)}",
        ]
    if name == "give_notice":
        return [
            f"{t('Intended action', '예정된 처분').pick(lang)}: "
            f"{pick(content['action_text'], lang)}",
            f"{t('Grounds', '처분의 원인과 근거').pick(lang)}: {content['grounds']}",
            f"{t('Comments by', '의견 제출 기한').pick(lang)}: {content['last_day']}",
            f"{t('Legal basis', '근거').pick(lang)}: {pick(content['legal_basis'], lang)}",
            "",
            t(
                "You may file comments on your application's page by that day. The "
                "decision is taken once they are filed or the day has passed, and cites this "
                "notice and your comments.",
                "기한까지 신청 화면에서 의견을 제출할 수 있습니다. 의견이 제출되거나 기한이 지난 "
                "뒤에 처분이 결정되며, 결정서에 이 통지와 제출한 의견이 인용됩니다.",
            ).pick(lang),
        ]
    if name in ("reconsider", "restore", "dismiss_objection"):
        outcome = {
            "reconsider": t(
                "Your objection was upheld: the refusal is withdrawn and the "
                "application awaits a new decision.",
                "이의신청이 인용되어 등록 거부 결정이 취소되었습니다. 신청은 다시 결정 "
                "대기 상태로 돌아갑니다.",
            ),
            "restore": t(
                "Your objection was upheld: the decision is withdrawn and the "
                "registration is in force again.",
                "이의신청이 인용되어 처분이 취소되었습니다. 등록이 다시 효력을 가집니다.",
            ),
            "dismiss_objection": t(
                "Your objection was dismissed: the decision stands.",
                "이의신청이 기각되어 결정이 유지됩니다.",
            ),
        }[name]
        return [
            outcome.pick(lang),
            f"{t('Objection', '이의신청').pick(lang)}: {content['objection']}",
            f"{t('Reasons', '사유').pick(lang)}: {content['reasons']}",
            f"{t('Legal basis', '근거').pick(lang)}: {pick(content['legal_basis'], lang)}",
        ]
    if name == "decide_change":
        kind = CHANGE_APPROVAL_KINDS[content["kind"]].pick(lang)
        outcome = CHANGE_OUTCOMES[content["outcome"]].pick(lang)
        return [
            f"{t('Change', '변경 사항').pick(lang)}: {kind} ({content['change']})",
            f"{t('Outcome', '결과').pick(lang)}: {outcome}",
            f"{t('Reasons', '사유').pick(lang)}: {content['reasons']}",
            f"{t('Legal basis', '근거').pick(lang)}: {pick(content['legal_basis'], lang)}",
        ]
    if name == "suspend_urgently":
        return [
            f"{t('Reason', '사유').pick(lang)}: {payload.get('reason', '')}",
            f"{t('Notice omitted because', '사전 통지 생략 사유').pick(lang)}: "
            f"{pick(content['omission_ground_text'], lang)}",
        ]
    if name in ("suspend", "reinstate", "withdraw"):
        return [f"{t('Reason', '사유').pick(lang)}: {payload.get('reason', '')}"]
    if name == "surrender":
        return [
            f"{t('Reason', '사유').pick(lang)}: {payload['reason']}",
            f"{t('Every holder redeemed by', '상환 완료 예정일').pick(lang)}: "
            f"{payload['redeem_by']}",
        ]
    if name in ("accept_surrender", "refuse_surrender"):
        lines = [f"{t('Reasons', '사유').pick(lang)}: {content['reasons']}"]
        if content["redeem_by"]:
            lines.append(f"{t('Redeem by', '상환 완료 기한').pick(lang)}: {content['redeem_by']}")
        return lines
    if name == "lapse" and registration is not None:
        return [
            f"{t('Valid until', '유효기간 종료일').pick(lang)}: {registration.valid_until}",
            f"{t('Redeem by', '상환 완료 기한').pick(lang)}: {registration.wind_down_by}",
        ]
    if name == "warning_letter":
        cited = [
            f"- [{SEVERITY_LABELS[f['severity']].pick(lang)}] {pick(f['message'], lang)}"
            for f in content["findings"]
        ]
        return [
            f"{t('Reasons', '사유').pick(lang)}: {content['reasons']}",
            *([(t("Findings cited:", "관련 지적 사항:").pick(lang)), *cited] if cited else []),
        ]
    if name == "request_remedy":
        # The comment is the remedy asked for: it is filed in the letter the issuer reads.
        return [
            f"{t('Finding', '지적 사항').pick(lang)}: {pick(content['message'], lang)}",
            f"{t('Rule', '근거').pick(lang)}: {pick(content['rule_source'], lang)}",
            *(
                [f"{t('Remedy asked for', '시정 요구 사항').pick(lang)}: {content['comment']}"]
                if content.get("comment")
                else []
            ),
        ]
    return []


def compose(
    name: str, application, content: dict[str, Any], accession: str | None, registration=None
) -> tuple[str, str]:
    """The subject and body of the e-mail for step `name` (`registration`: the case's, if any)."""
    ko_subject, en_subject = SUBJECTS[name].ko, SUBJECTS[name].en
    subject = f"[금융위원회] {ko_subject} · {en_subject} (#{application.id})"
    org = application.organization
    category = CATEGORY_LABELS[application.category]
    blocks = []
    for lang, title, greeting in (
        ("ko", ko_subject, f"{org.name_ko} 귀중"),
        ("en", en_subject, f"To {org.name_en}"),
    ):
        lines = [
            greeting,
            "",
            title,
            f"{t('Application', '신청 번호').pick(lang)}: "
            f"#{application.id} ({category.pick(lang)})",
        ]
        number = registration.number if registration else content.get("registration_number")
        if number:
            lines.append(f"{t('Registration number', '등록번호').pick(lang)}: {number}")
        if accession:
            lines.append(f"{t('Accession number', '접수 번호').pick(lang)}: {accession}")
        lines += _details(name, content, lang, registration)
        if name in NEXT_STEPS:
            lines += ["", NEXT_STEPS[name].pick(lang)]
        lines += [
            "",
            t(
                "Financial Services Commission, Issuer Registry",
                "금융위원회 가상자산 발행인 등록 시스템",
            ).pick(lang),
        ]
        blocks.append("\n".join(line for line in lines if line is not None))
    return subject, "\n\n----------------------------------------\n\n".join(blocks) + "\n"
