"""What the issuer's contacts are told, per event: Korean first, English below."""

from typing import Any

from workflows.lifecycle import REFUSAL_GROUNDS, REVOCATION_GROUNDS
from workflows.regime import CATEGORY_LABELS

# The transitions that concern the issuer, and the event each one is told as.
EVENTS: dict[str, str] = {
    "submit": "submission_received",
    "resubmit": "submission_received",
    "return_incomplete": "incomplete",
    "request_information": "information_requested",
    "approve": "decision",
    "refuse": "decision",
    "suspend": "suspension",
    "reinstate": "reinstatement",
    "revoke": "revocation",
}

SUBJECTS: dict[str, tuple[str, str]] = {
    "submit": ("신청서 접수 확인", "Application received"),
    "resubmit": ("보완 신청서 접수 확인", "Resubmitted application received"),
    "return_incomplete": ("신청서 보완 요구", "Application returned as incomplete"),
    "request_information": ("자료 제출 요청", "Request for information"),
    "approve": ("등록 승인 결정", "Decision: registration approved"),
    "refuse": ("등록 거부 결정", "Decision: registration refused"),
    "suspend": ("영업 정지 통지", "Notice of suspension"),
    "reinstate": ("영업 정지 해제 통지", "Notice of reinstatement"),
    "revoke": ("등록 취소 결정", "Decision: registration revoked"),
}


def _grounds(table: dict[str, dict[str, str]], codes: list[str], lang: str) -> list[str]:
    return [table[code][lang] for code in codes if code in table]


def _details(name: str, content: dict[str, Any], lang: str) -> list[str]:
    """The lines that say what the issuer must know or do; public content only."""
    ko = lang == "ko"
    payload = content.get("payload") or {}
    if name == "return_incomplete":
        head = "보완이 필요한 사항:" if ko else "What is missing:"
        due = "보완 기한" if ko else "Resubmit by"
        return [head, *(f"- {m}" for m in content["missing"]), f"{due}: {content['deadline']}"]
    if name == "request_information":
        head = "요청 사항:" if ko else "Questions:"
        due = "제출 기한" if ko else "Answer by"
        return [head, *(f"- {q}" for q in content["questions"]), f"{due}: {content['due_on']}"]
    if name == "approve":
        return [
            f"{'등록번호' if ko else 'Registration number'}: {content['registration_number']}",
            f"{'유효기간' if ko else 'Valid until'}: {content['valid_until']}",
            *(
                [("등록 조건:" if ko else "Conditions:")]
                + [f"- {c}" for c in content["conditions"]]
                if content["conditions"]
                else []
            ),
        ]
    if name in ("refuse", "revoke"):
        table = REFUSAL_GROUNDS if name == "refuse" else REVOCATION_GROUNDS
        head = "사유:" if ko else "Grounds:"
        return [
            head,
            *(f"- {g}" for g in _grounds(table, content.get("grounds", []), lang)),
            content.get("reasons", ""),
        ]
    if name in ("suspend", "reinstate"):
        return [f"{'사유' if ko else 'Reason'}: {payload.get('reason', '')}"]
    return []


def compose(
    name: str, application, content: dict[str, Any], accession: str | None
) -> tuple[str, str]:
    """The subject and body of the e-mail for transition `name`."""
    ko_subject, en_subject = SUBJECTS[name]
    subject = f"[금융위원회] {ko_subject} · {en_subject} (#{application.id})"
    org = application.organization
    category = CATEGORY_LABELS[application.category]
    blocks = []
    for lang, title, greeting in (
        ("ko", ko_subject, f"{org.name_ko} 귀중"),
        ("en", en_subject, f"To {org.name_en}"),
    ):
        ko = lang == "ko"
        lines = [
            greeting,
            "",
            title,
            f"{'신청 번호' if ko else 'Application'}: #{application.id} ({category[lang]})",
        ]
        if accession:
            lines.append(f"{'접수 번호' if ko else 'Accession number'}: {accession}")
        lines += _details(name, content, lang)
        lines += [
            "",
            "금융위원회 가상자산 발행인 등록 시스템"
            if ko
            else "Financial Services Commission, Issuer Registry",
        ]
        blocks.append("\n".join(line for line in lines if line is not None))
    return subject, "\n\n----------------------------------------\n\n".join(blocks) + "\n"
