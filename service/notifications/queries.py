"""Reads of the outbox."""

from sqlalchemy import select

from service.extensions import db
from service.models import OutboxMessage


def outbox(limit: int = 200) -> list[OutboxMessage]:
    """The latest messages, newest first."""
    return list(
        db.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        ).scalars()
    )
