"""State changes of the review besides the lifecycle: claiming and assigning cases,
internal notes, and recording a consulted authority's opinion.

Each takes the acting user, asks the permission policy (service/policy.py) first, runs
in one transaction, appends its audit event last and commits once; on any error it rolls
back whole.
"""

import uuid
from datetime import date
from typing import Any

from flask import current_app
from marshmallow import ValidationError

from forms.opinions import OpinionSchema
from service import policy
from service.canonical import sha256_hex
from service.documents.operations import check_pdf, filename_problem, stored_name
from service.errors import Conflict, Invalid, NotFound
from service.extensions import db
from service.filings.operations import make_filing
from service.models import Application, Note, Opinion, User
from service.models.types import utcnow
from service.timezone import korea_today
from service.unit_of_work import Work, unit_of_work
from workflows.bilingual import localize, t
from workflows.lifecycle import CONSULTED_CATEGORIES, OPEN_STATES

# The request for opinions goes out with the recommendation (docs/domain.md section 4).
OPINION_STATES = ("recommended",)


def record_opinion(
    application_id: int,
    user: User,
    payload: dict[str, Any],
    letter: tuple[str, bytes] | None,
    *,
    today: date | None = None,
) -> Opinion:
    """Record the opinion of the Bank of Korea or the ministry, its letter, filing and event."""
    today = today or korea_today()
    policy.require(user, "opinion.record")
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        if application.category not in CONSULTED_CATEGORIES:
            raise Conflict(
                t(
                    "Only a KRW stablecoin case is referred for opinions.",
                    "원화 스테이블코인 사건만 의견 조회 대상입니다.",
                ),
                code="not_consulted",
            )
        if application.state not in OPINION_STATES:
            raise Conflict(
                t(
                    "Opinions are recorded once the case is recommended for decision.",
                    "의견은 결정 건의 이후에 기록합니다.",
                ),
                code="state",
            )
        errors: dict[str, Any] = {}
        data: dict[str, Any] = {}
        try:
            data = OpinionSchema(today).load(payload)
        except ValidationError as exc:
            errors.update(localize(exc.messages))
        filename, content = letter or ("", b"")
        problem = filename_problem(filename) or check_pdf(
            content, current_app.config["MAX_UPLOAD_BYTES"]
        )
        if problem:
            errors["letter"] = [localize(problem)]
        if errors:
            raise Invalid(
                t("The request has invalid fields.", "입력값이 올바르지 않습니다."), errors=errors
            )

        digest = sha256_hex(content)
        key = f"opinions/{application.id}/{uuid.uuid4().hex}.pdf"
        work.store(key, content, Opinion.letter_storage_key)
        actor = work.actor
        filing = make_filing(
            db.session,
            kind="opinion",
            application=application,
            actor=actor,
            content={
                "authority": data["authority"],
                "opinion": data["opinion"],
                "summary": data["summary"],
                "received_on": data["received_on"],
                "letter": {"filename": _safe(filename), "size": len(content), "sha256": digest},
            },
            internal=True,
        )
        opinion = Opinion(
            application=application,
            authority=data["authority"],
            opinion=data["opinion"],
            summary=data["summary"],
            received_on=data["received_on"],
            letter_filename=_safe(filename),
            letter_size=len(content),
            letter_sha256=digest,
            letter_storage_key=key,
            accession_number=filing.accession_number,
            recorded_by_id=user.id,
        )
        db.session.add(opinion)
        # What approve allows has changed: bump the version so stale forms are refused.
        application.updated_at = utcnow()
        work.audit(
            "record_opinion",
            application_id=application.id,
            detail={
                "authority": data["authority"],
                "opinion": data["opinion"],
                "received_on": data["received_on"].isoformat(),
                "filing": filing.accession_number,
                "internal": True,
            },
        )
    return opinion


def _safe(filename: str) -> str:
    return stored_name(filename, "letter.pdf")


NOTE_MAX_LENGTH = 10_000


def claim(application_id: int, user: User) -> Application:
    """A reviewer takes an unassigned open case."""
    policy.require(user, "case.claim")
    with unit_of_work(user, case=application_id) as work:
        application = _open_case(work)
        if application.assigned_reviewer_id is not None:
            raise Conflict(
                t("This case already has a reviewer.", "이미 심사역이 배정된 사건입니다."),
                code="already_assigned",
            )
        application.assigned_reviewer_id = user.id
        work.audit("claim", application_id=application.id, detail={"reviewer": user.email})
    return application


def assign(application_id: int, user: User, reviewer_id: int) -> Application:
    """An approver or administrator gives an open case to a reviewer, or moves it to another."""
    policy.require(user, "case.assign")
    with unit_of_work(user, case=application_id) as work:
        reviewer = db.session.get(User, reviewer_id)
        if reviewer is None or reviewer.role != "reviewer" or not reviewer.active:
            raise Invalid(
                t("Choose an active reviewer.", "활동 중인 심사역을 고르십시오."),
                errors={
                    "reviewer_id": [t("Not an active reviewer.", "활동 중인 심사역이 아닙니다.")]
                },
            )
        application = _open_case(work)
        previous = application.assigned_reviewer
        application.assigned_reviewer_id = reviewer.id
        detail = {"reviewer": reviewer.email, "previous": previous.email if previous else None}
        work.audit(
            "reassign" if previous else "assign", application_id=application.id, detail=detail
        )
    return application


def add_note(application_id: int, user: User, text: str) -> Note:
    """Append an internal note to a case; the issuer never sees it."""
    policy.require(user, "case.note")
    text = (text or "").strip()
    if not 1 <= len(text) <= NOTE_MAX_LENGTH:
        raise Invalid(
            t("Write the note (at most 10,000 characters).", "메모를 1만 자 이내로 작성하십시오."),
            errors={"text": [t("Write the note.", "메모를 작성하십시오.")]},
        )
    with unit_of_work(user, case=application_id) as work:
        application = _case(work)
        note = Note(application_id=application.id, author_id=user.id, text=text)
        db.session.add(note)
        db.session.flush()
        work.audit("note", application_id=application.id, detail={"note_id": note.id})
    return note


def _case(work: Work) -> Application:
    """The locked case, if it has been filed: a draft is no case of the review's yet."""
    if work.case.submitted_on is None:
        raise NotFound(t("No such case.", "그런 사건이 없습니다."), code="application_not_found")
    return work.case


def _open_case(work: Work) -> Application:
    application = _case(work)
    if application.state not in OPEN_STATES:
        raise Conflict(
            t("The case is closed; it cannot be assigned.", "종결된 사건은 배정할 수 없습니다."),
            code="case_closed",
        )
    return application
