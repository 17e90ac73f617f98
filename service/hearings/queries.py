"""What is read of the notices of intended action: the guard's facts, the pages' lists."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from service.extensions import db
from service.models import Application, AuditEvent, Objection, PriorNotice
from service.regime import regime
from service.timezone import in_korea
from workflows.lifecycle import OBJECTED_STEPS, NoticeFacts, ObjectionFacts, objection_last_day


def notices_for(application_id: int) -> list[PriorNotice]:
    """Every notice given on the case, oldest first, those acted on included."""
    return list(
        db.session.execute(
            select(PriorNotice)
            .where(PriorNotice.application_id == application_id)
            .order_by(PriorNotice.id)
        ).scalars()
    )


def undecided(application_id: int, action: str | None = None) -> list[PriorNotice]:
    """The notices not yet acted on by the decision they announce, oldest first."""
    query = select(PriorNotice).where(
        PriorNotice.application_id == application_id, PriorNotice.decided_on.is_(None)
    )
    if action is not None:
        query = query.where(PriorNotice.action == action)
    return list(db.session.execute(query.order_by(PriorNotice.id)).scalars())


def notice_facts(application_id: int) -> tuple[NoticeFacts, ...]:
    """The guard's view of the notices not yet acted on (workflows.lifecycle)."""
    return tuple(
        NoticeFacts(n.action, n.comment_deadline, n.comments_accession is not None)
        for n in undecided(application_id)
    )


def decision_in_force(application: Application) -> AuditEvent | None:
    """The event of the refusal, suspension or revocation the case stands under, if it
    stands under one: the latest such step, while the case is still in the state it left."""
    event = db.session.execute(
        select(AuditEvent)
        .where(
            AuditEvent.application_id == application.id,
            AuditEvent.action.in_(OBJECTED_STEPS),
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
    if event is None or event.to_state != application.state:
        return None
    return event


def unanswered_objection(application_id: int) -> Objection | None:
    """The latest objection on the case not yet upheld or dismissed."""
    return (
        db.session.execute(
            select(Objection)
            .where(Objection.application_id == application_id, Objection.outcome.is_(None))
            .order_by(Objection.id.desc())
        )
        .scalars()
        .first()
    )


def open_objection(application: Application) -> Objection | None:
    """The objection lodged against the decision in force and not yet answered: one lodged
    against a decision since lifted (a suspension reinstated) is moot."""
    decision = decision_in_force(application)
    objection = unanswered_objection(application.id)
    if decision is None or objection is None:
        return None
    return objection if objection.decision_accession == decision.detail.get("filing") else None


def objection_facts(application: Application) -> ObjectionFacts | None:
    """The guard's view of the open objection (workflows.lifecycle.objection_upheld)."""
    objection = open_objection(application)
    if objection is None:
        return None
    return ObjectionFacts(objection.decision, objection.decided_by_id)


def objections_for(application_id: int) -> list[Objection]:
    """Every objection lodged on the case, oldest first, answered ones included."""
    return list(
        db.session.execute(
            select(Objection)
            .where(Objection.application_id == application_id)
            .order_by(Objection.id)
        ).scalars()
    )


def last_day_to_object(decision: AuditEvent) -> date:
    """The last day an objection to `decision` may be lodged."""
    decided_on = in_korea(decision.occurred_at).date()
    return objection_last_day(decided_on, regime().objection_window_days)


@dataclass(frozen=True)
class Objections:
    """What the case page shows of objections: every one lodged, the one open, and until
    when the issuer may still object to the decision in force (None: it may not)."""

    lodged: list[Objection]
    open: Objection | None
    may_object_until: date | None


def objections_page(application: Application, today: date) -> Objections:
    decision = decision_in_force(application)
    lodged = objections_for(application.id)
    until = None
    if decision is not None and not any(
        o.decision_accession == decision.detail.get("filing") for o in lodged
    ):
        last = last_day_to_object(decision)
        until = last if today <= last else None
    return Objections(lodged, open_objection(application), until)
