"""A report on the web is drafted, checked, then filed: the issuer saves what it typed as
often as it likes, sees its answers with the obligation they meet and what the automatic
rules will find, and only then files (docs/design.md, "Reports are drafted, checked, then
filed"). The API files in one call: a system sends a whole report on purpose.
"""

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import select

from service import policy
from service.errors import Conflict, Invalid
from service.extensions import db
from service.models import Registration, ReportDraft, User
from service.monitoring.reports import Prepared, file_prepared, prepare_report
from service.monitoring.supervision import registration_by_number
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows.bilingual import t
from workflows.monitoring import REPORT_KINDS

NO_DRAFT = t(
    "There is no saved draft of this report: fill in the form and save it first.",
    "저장된 보고서 초안이 없습니다. 양식을 작성하여 먼저 저장하세요.",
)


def draft_fingerprint(draft: ReportDraft) -> str:
    """Names the draft's content: the check page sends it back with the filing, so what is
    filed is what the issuer saw, not an edit made since in another tab."""
    text = json.dumps(draft.body, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def report_draft(registration: Registration, kind: str) -> ReportDraft | None:
    return db.session.execute(
        select(ReportDraft).where(
            ReportDraft.registration_id == registration.id, ReportDraft.kind == kind
        )
    ).scalar_one_or_none()


def _registration_for(number: str, user: User, kind: str) -> Registration:
    registration = registration_by_number(number, user)
    policy.require(user, "report.draft", registration)
    if kind not in REPORT_KINDS or registration.category not in REPORT_KINDS[kind].categories:
        raise Invalid(
            "This category does not file this report.",
            errors={"kind": [t("Not a report of this category.", "이 유형의 보고서가 아닙니다.")]},
        )
    return registration


def save_report_draft(number: str, user: User, kind: str, body: dict[str, Any]) -> ReportDraft:
    """Keep what was typed, valid or not, as the registration's draft of this report."""
    with unit_of_work(user):
        registration = _registration_for(number, user, kind)
        draft = report_draft(registration, kind)
        if draft is None:
            draft = ReportDraft(registration_id=registration.id, kind=kind, body=body)
            db.session.add(draft)
        else:
            draft.body = body
        draft.saved_by_id = user.id
    return draft


def discard_report_draft(number: str, user: User, kind: str) -> None:
    with unit_of_work(user):
        draft = report_draft(_registration_for(number, user, kind), kind)
        if draft is not None:
            db.session.delete(draft)


def preview_report_draft(
    number: str, user: User, kind: str, today: date | None = None
) -> tuple[ReportDraft, Prepared]:
    """The saved draft as it would be filed today; Invalid with the fields' errors if it
    cannot be (nothing is written)."""
    registration = _registration_for(number, user, kind)
    draft = report_draft(registration, kind)
    if draft is None:
        raise Invalid("No draft.", code="no_draft", errors={"kind": [NO_DRAFT]})
    return draft, prepare_report(registration, kind, draft.body, None, today or korea_today())


def file_report_draft(
    number: str, user: User, kind: str, fingerprint: str | None, today: date | None = None
):
    """File the saved draft, exactly as it was checked, and remove it in the same unit."""
    today = today or korea_today()
    with unit_of_work(user):
        draft, prepared = preview_report_draft(number, user, kind, today)
        policy.require(user, "report.file", prepared.registration)  # a preparer drafts only
        if fingerprint != draft_fingerprint(draft):
            raise Conflict(
                "The draft changed after it was checked.",
                code="draft_changed",
                errors={
                    "kind": [
                        t(
                            "The draft was changed after you checked it: check it again.",
                            "확인한 뒤 초안이 바뀌었습니다. 다시 확인하세요.",
                        )
                    ]
                },
            )
        report = file_prepared(prepared, user, today)
        db.session.delete(draft)
    return report
