"""What is read of the notices of intended action: the guard's facts, the pages' lists."""

from sqlalchemy import select

from service.extensions import db
from service.models import PriorNotice
from workflows.lifecycle import NoticeFacts


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
