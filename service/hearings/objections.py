"""An objection (이의신청) to a refusal, suspension or revocation, and its dismissal
(docs/domain.md section 4, objection; Administrative Procedures Act Art 36).

The issuer lodges it within 30 days of the decision; an approver who did not take the
decision answers it: a dismissal here, or the step that withdraws the decision
(`reconsider`, `restore`; workflows/lifecycle.py `objection_upheld`). Each is one unit of
work with its filing and audit event.
"""

from datetime import date
from typing import Any

from sqlalchemy import select

from forms.hearings import DismissalSchema, ObjectionSchema
from service import policy
from service.errors import Conflict, Forbidden, NotFound, loaded
from service.extensions import db
from service.filings.operations import make_filing
from service.hearings.queries import decision_in_force, last_day_to_object, open_objection
from service.models import Objection, User
from service.models.types import utcnow
from service.notifications.operations import queue_notification
from service.regime import regime
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from service.versions import Expected, check_version
from workflows.bilingual import t

# The legal basis an objection and its answer state.
OBJECTION_BASIS = t(
    "Administrative Procedures Act Art 36 (objection to an action)",
    "행정절차법 제36조 (처분에 대한 이의신청)",
)


def lodge_objection(
    application_id: int,
    user: User,
    payload: dict[str, Any],
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> Objection:
    """File the issuer's objection to the refusal, suspension or revocation in force."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        policy.require(user, "objection.lodge", application)
        check_version(application.version, expected_version)
        decision = decision_in_force(application)
        if decision is None:
            raise Conflict(
                t(
                    "There is no refusal, suspension or revocation in force to object to.",
                    "이의신청할 등록 거부, 영업 정지 또는 등록 취소 결정이 없습니다.",
                ),
                code="nothing_to_object_to",
            )
        accession = decision.detail.get("filing")
        if db.session.execute(
            select(Objection.id).where(
                Objection.application_id == application.id,
                Objection.decision_accession == accession,
            )
        ).first():
            raise Conflict(
                t(
                    "An objection to decision {decision} has already been lodged.",
                    "결정 {decision}에 대한 이의신청은 이미 제출되었습니다.",
                    decision=accession,
                ),
                code="objection_lodged",
            )
        last = last_day_to_object(decision)
        if today > last:
            raise Conflict(
                t(
                    "An objection to decision {decision} was due by {day}.",
                    "결정 {decision}에 대한 이의신청 기한은 {day}까지였습니다.",
                    decision=accession,
                    day=last.isoformat(),
                ),
                code="objection_window_passed",
            )
        data = loaded(ObjectionSchema(), payload)
        filing = make_filing(
            db.session,
            kind="objection",
            application=application,
            actor=work.actor,
            content={
                "objected_step": decision.action,
                "decision": accession,
                "grounds": data["grounds"],
                "lodged_on": today,
                "last_day": last,
                "answer_due_days": regime().objection_answer_days,
                "legal_basis": OBJECTION_BASIS,
            },
        )
        objection = Objection(
            application_id=application.id,
            decision=decision.action,
            decision_accession=accession,
            decided_by_id=decision.actor_id,
            grounds=data["grounds"],
            lodged_on=today,
            lodged_by_id=user.id,
            accession_number=filing.accession_number,
        )
        db.session.add(objection)
        application.updated_at = utcnow()
        work.audit(
            "lodge_objection",
            application_id=application.id,
            detail={"decision": accession, "filing": filing.accession_number},
        )
    return objection


def dismiss_objection(
    application_id: int,
    objection_id: int,
    user: User,
    payload: dict[str, Any],
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> Objection:
    """The decision stands: dismiss the objection, with reasons, filed and mailed."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        policy.require(user, "objection.decide", application)
        objection = db.session.get(Objection, objection_id)
        if objection is None or objection.application_id != application.id:
            raise NotFound(
                t("No such objection.", "그런 이의신청이 없습니다."), code="objection_not_found"
            )
        check_version(application.version, expected_version)
        if objection is not open_objection(application):
            raise Conflict(
                t(
                    "This objection is no longer open.",
                    "이 이의신청은 이미 결정되었거나 대상 결정이 더 이상 효력이 없습니다.",
                ),
                code="objection_decided",
            )
        if objection.decided_by_id == user.id:
            raise Forbidden(
                t(
                    "You took the decision objected to; another approver decides the objection.",
                    "이의신청 대상 결정을 한 본인은 이의신청을 결정할 수 없습니다. 다른 결재권자가 "
                    "결정해야 합니다.",
                ),
                code="own_decision",
            )
        data = loaded(DismissalSchema(), payload)
        content = answer_objection(objection, user.id, "dismissed", data["reasons"], today)
        filing = make_filing(
            db.session,
            kind="objection_dismissal",
            application=application,
            actor=work.actor,
            content=content,
        )
        application.updated_at = utcnow()
        work.notify(
            queue_notification(
                db.session, "dismiss_objection", application, content, filing.accession_number
            )
        )
        work.audit(
            "dismiss_objection",
            application_id=application.id,
            detail={"objection": objection.accession_number, "filing": filing.accession_number},
        )
    return objection


def answer_objection(
    objection: Objection, decided_by_id: int | None, outcome: str, reasons: str, today: date
) -> dict[str, Any]:
    """Record the outcome, upheld or dismissed, on the objection; what the decision on it
    files."""
    objection.outcome = outcome
    objection.outcome_reasons = reasons
    objection.outcome_on = today
    objection.outcome_by_id = decided_by_id
    return {
        "objection": objection.accession_number,
        "objected_step": objection.decision,
        "decision": objection.decision_accession,
        "outcome": outcome,
        "reasons": reasons,
        "legal_basis": OBJECTION_BASIS,
    }
