"""A notice of intended refusal, suspension or revocation, and the issuer's comments on it
(docs/domain.md section 4, hearing; Administrative Procedures Act Arts 21-22).

Each is one unit of work: a filing that changes hands, the row the guard reads, an audit
event, and for the notice an outbox message to the issuer. Each bumps the case's version:
what a decision allows has changed, so a page read before is stale.
"""

from datetime import date
from typing import Any

from forms.hearings import CommentsSchema, NoticeSchema
from service import policy
from service.applications.operations import case_facts
from service.errors import Conflict, Forbidden, NotFound, loaded
from service.extensions import db
from service.filings.operations import make_filing
from service.models import Application, PriorNotice, Registration, User
from service.models.types import utcnow
from service.notifications.operations import queue_notification
from service.regime import regime
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from service.versions import Expected, check_version
from workflows import lifecycle
from workflows.bilingual import t
from workflows.lifecycle import NOTICE_ACTIONS, comment_last_day, heard_before_decision

# The legal basis each notice and each set of comments states.
NOTICE_BASIS = t(
    "Administrative Procedures Act Art 21 (prior notice of an action) and Art 22(3) "
    "(the chance to comment)",
    "행정절차법 제21조 (처분의 사전 통지), 제22조 제3항 (의견제출)",
)


def give_notice(
    application_id: int,
    user: User,
    payload: dict[str, Any],
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> PriorNotice:
    """Send the issuer a notice of intended refusal, suspension or revocation, with its
    grounds and the day it may comment by."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        policy.require(user, "notice.give", application)
        check_version(application.version, expected_version)
        data = loaded(NoticeSchema(today, regime().prior_notice_comment_min_days), payload)
        step = lifecycle.transition(data["action"])
        _may_decide(step, work.actor, application, today)
        registration = _registration(application)
        content = {
            "action": step.name,
            "action_text": NOTICE_ACTIONS[step.name],
            "registration_number": registration.number if registration else None,
            "grounds": data["grounds"],
            "comment_deadline": data["comment_deadline"],
            "last_day": comment_last_day(data["comment_deadline"]),
            "given_on": today,
            "legal_basis": NOTICE_BASIS,
        }
        filing = make_filing(
            db.session,
            kind="prior_notice",
            application=application,
            actor=work.actor,
            content=content,
        )
        notice = PriorNotice(
            application_id=application.id,
            action=step.name,
            grounds=data["grounds"],
            comment_deadline=data["comment_deadline"],
            given_on=today,
            given_by_id=user.id,
            accession_number=filing.accession_number,
        )
        db.session.add(notice)
        application.updated_at = utcnow()
        work.notify(
            queue_notification(
                db.session, "give_notice", application, content, filing.accession_number
            )
        )
        work.audit(
            "give_notice",
            application_id=application.id,
            detail={
                "action": step.name,
                "comment_deadline": data["comment_deadline"].isoformat(),
                "filing": filing.accession_number,
            },
        )
    return notice


def _may_decide(step, actor, application: Application, today: date) -> None:
    """The notice is given by whoever may take the decision, in a state it leaves: every
    guard of the step but the hearing itself, which the notice opens."""
    facts = case_facts(application, today)
    wrong_state = lifecycle.STEPS.not_from_state(step, application.state)
    refused = [
        r
        for guard in step.guards
        if guard is not heard_before_decision and (r := guard(step, actor, facts))
    ]
    if wrong_state:
        refused.append(wrong_state)
    if not refused:
        return
    refusal = min(refused, key=lambda r: r.status)
    kind = Forbidden if refusal.status == 403 else Conflict
    raise kind(refusal.reason, code=refusal.code)


def _registration(application: Application) -> Registration | None:
    return db.session.query(Registration).filter_by(application_id=application.id).one_or_none()


def file_comments(
    application_id: int,
    notice_id: int,
    user: User,
    payload: dict[str, Any],
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> PriorNotice:
    """File the issuer's comments on a notice of intended action, by its last day."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        policy.require(user, "notice.comment", application)
        notice = db.session.get(PriorNotice, notice_id)
        if notice is None or notice.application_id != application.id:
            raise NotFound(
                t("No such notice.", "그런 사전 통지가 없습니다."), code="notice_not_found"
            )
        check_version(application.version, expected_version)
        last = comment_last_day(notice.comment_deadline)
        if notice.comments_accession is not None:
            raise Conflict(
                t(
                    "Comments on this notice were filed on {day}.",
                    "이 사전 통지에 대한 의견은 {day}에 이미 제출되었습니다.",
                    day=notice.comments_on.isoformat(),
                ),
                code="comments_filed",
            )
        if notice.decided_on is not None:
            raise Conflict(
                t(
                    "The decision this notice announced was taken on {day}.",
                    "이 사전 통지에 따른 처분은 {day}에 이미 결정되었습니다.",
                    day=notice.decided_on.isoformat(),
                ),
                code="notice_decided",
            )
        if today > last:
            raise Conflict(
                t(
                    "Comments on this notice were due by {day}.",
                    "이 사전 통지에 대한 의견 제출 기한은 {day}까지였습니다.",
                    day=last.isoformat(),
                ),
                code="comment_deadline_passed",
            )
        data = loaded(CommentsSchema(), payload)
        filing = make_filing(
            db.session,
            kind="notice_comments",
            application=application,
            actor=work.actor,
            content={
                "notice": notice.accession_number,
                "action": notice.action,
                "comments": data["comments"],
                "filed_on": today,
                "comment_deadline": notice.comment_deadline,
                "legal_basis": NOTICE_BASIS,
            },
        )
        notice.comments = data["comments"]
        notice.comments_on = today
        notice.comments_accession = filing.accession_number
        application.updated_at = utcnow()
        work.audit(
            "file_comments",
            application_id=application.id,
            detail={"notice": notice.accession_number, "filing": filing.accession_number},
        )
    return notice
