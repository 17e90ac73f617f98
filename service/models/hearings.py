from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.accounts import User
from service.models.types import Timestamp, utcnow
from workflows.lifecycle import comment_last_day


class PriorNotice(db.Model):
    """A notice of intended refusal, suspension or revocation, and the issuer's comments
    on it (docs/domain.md section 4, hearing). Each is also a filing; the row holds what
    the guard and the pages read: the deadline, whether comments came, whether it was
    acted on."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # refuse, suspend or revoke
    grounds: Mapped[str] = mapped_column(Text)
    comment_deadline: Mapped[date] = mapped_column(Date)
    given_on: Mapped[date] = mapped_column(Date)
    given_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    accession_number: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str | None] = mapped_column(Text)
    comments_on: Mapped[date | None] = mapped_column(Date)
    comments_accession: Mapped[str | None] = mapped_column(String(20))
    # The day the decision it announced was taken: a notice serves one decision.
    decided_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    given_by: Mapped[User] = relationship()

    @property
    def last_day(self) -> date:
        """The last day the issuer may comment (a deadline on a holiday moves on)."""
        return comment_last_day(self.comment_deadline)

    def open_on(self, today: date) -> bool:
        """Whether the issuer may still comment on `today`."""
        return (
            self.comments_accession is None and self.decided_on is None and today <= self.last_day
        )


class Objection(db.Model):
    """An objection (이의신청) the issuer lodged against a refusal, suspension or revocation,
    and its outcome (docs/domain.md section 4, objection). The objection and a dismissal
    are filings; an upheld objection is the step that withdraws the decision, filed as the
    step's own decision."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # the step objected to
    decision_accession: Mapped[str] = mapped_column(String(20))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    grounds: Mapped[str] = mapped_column(Text)
    lodged_on: Mapped[date] = mapped_column(Date)
    lodged_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    accession_number: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))  # upheld or dismissed
    outcome_reasons: Mapped[str | None] = mapped_column(Text)
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
