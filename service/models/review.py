from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.accounts import User
from service.models.types import JSONDocument, Timestamp, utcnow


class Note(db.Model):
    """A regulator's internal note on a case: append-only, never shown to the issuer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


@event.listens_for(Note, "before_update")
@event.listens_for(Note, "before_delete")
def _notes_are_append_only(mapper, connection, target):
    raise PermissionError("internal notes are append-only")


class OutboxMessage(db.Model):
    """An e-mail to an issuer's contacts, written with the change it reports, sent after commit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[list[str]] = mapped_column(JSONDocument)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The filing the message announces: its transparency-log receipt goes with it.
    filing_accession: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    error: Mapped[str | None] = mapped_column(Text)
