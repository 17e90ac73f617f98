"""Monitoring after registration: periodic reports and the findings they raise
(docs/domain.md section 5)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.accounts import User
from service.models.filings import Filing, Registration
from service.models.types import JSONDocument, Timestamp, utcnow


class Report(db.Model):
    """One report as filed. A resubmission is a new row that supersedes this one (EDGAR model)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The obligation it answers: the period (or the event day, for event reports).
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    change: Mapped[str | None] = mapped_column(String(30))  # change reports: what changed
    due_on: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date)
    filed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    late: Mapped[bool] = mapped_column(default=False)
    # The report as loaded by its schema and dumped to JSON: what the filing freezes.
    body: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filing.id"), unique=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), unique=True)

    registration: Mapped[Registration] = relationship()
    filing: Mapped[Filing] = relationship()
    filed_by: Mapped[User | None] = relationship()
    supersedes: Mapped["Report | None"] = relationship(remote_side=[id])

    __table_args__ = (Index("ix_report_obligation", "registration_id", "kind", "period_start"),)

    @property
    def resubmission(self) -> bool:
        return self.supersedes_id is not None


@event.listens_for(Report, "before_update")
@event.listens_for(Report, "before_delete")
def _reports_are_immutable(mapper, connection, target):
    raise PermissionError("a filed report is never changed; file a resubmission")


class ReportDraft(db.Model):
    """A report being written: what the issuer typed, saved until it is filed or discarded.
    One per registration and kind; never a record (the filing is), so never audited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # The form's fields as typed (strings), so a refused value comes back as it was.
    body: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    saved_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    saved_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("registration_id", "kind"),)


class Finding(db.Model):
    """A rule breach or a supervisor's observation, and where its resolution stands."""

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[dict[str, str]] = mapped_column(JSONDocument)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    flag_central_bank: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    status_since: Mapped[date] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    last_comment: Mapped[str | None] = mapped_column(Text)
    # Calendar findings (a missing report) carry the obligation, so a second run adds nothing.
    obligation_key: Mapped[str | None] = mapped_column(String(120))

    registration: Mapped[Registration] = relationship()
    report: Mapped[Report | None] = relationship()
    owner: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("registration_id", "obligation_key", name="uq_finding_obligation"),
    )
