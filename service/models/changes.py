from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.accounts import User
from service.models.types import JSONDocument, Timestamp, utcnow


class ChangeApproval(db.Model):
    """A change a registered issuer applied for before it takes effect, and the approver's
    decision (docs/domain.md section 5, changes approved in advance). The application and
    the decision are filings; the row holds what the pages and the register read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # workflows/changes.py CHANGE_APPROVAL_KINDS
    # The answers as given: figures as decimal text, days as ISO dates.
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    planned_on: Mapped[date] = mapped_column(Date)
    applied_on: Mapped[date] = mapped_column(Date)
    applied_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    accession_number: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))  # approved or refused
    outcome_reasons: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    outcome_accession: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    applied_by: Mapped[User] = relationship(foreign_keys=[applied_by_id])
