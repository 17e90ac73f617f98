from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.accounts import Organization, User
from service.models.types import JSONDocument, Timestamp, utcnow
from workflows.lifecycle import OPEN_STATES

# The queue's partial indexes cover open cases only (a small part of all cases, over time).
# Queries repeat this very predicate (Application.is_open) with literal values: a planner
# uses a partial index only when it can prove the query's WHERE implies the index's.
_OPEN = text("state IN (" + ", ".join(f"'{s}'" for s in OPEN_STATES) + ")")


def _open_index(name: str, *columns: str) -> Index:
    # State last, as a key column (SQLite has no INCLUDE): the per-state counts of a
    # filtered view read the index only, on both engines.
    return Index(name, *columns, "state", postgresql_where=_OPEN, sqlite_where=_OPEN)

# The open states (workflows.lifecycle.OPEN_STATES) as SQL, for the queue's partial index.
OPEN_STATES_SQL = (
    "state IN ('submitted', 'returned_incomplete', 'assessment', 'information_requested', "
    "'recommended')"
)


class Application(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(30), default="draft")
    # Optimistic locking: every UPDATE checks and bumps it; the API's ETag.
    version: Mapped[int] = mapped_column(default=1)
    # The draft, section by section, as the issuer saved it.
    sections: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    assigned_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Regulator-internal: never shown to the issuer.
    recommendation: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # The clock: dates in Korea (KST), counted in Korean business days.
    submitted_on: Mapped[date | None] = mapped_column(Date)
    complete_on: Mapped[date | None] = mapped_column(Date)
    recommended_on: Mapped[date | None] = mapped_column(Date)
    # The next statutory deadline of the case, whichever clock runs (see review.clock).
    due_on: Mapped[date | None] = mapped_column(Date)
    # A renewal application names the registration it renews (docs/domain.md section 4, validity).
    renews_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", use_alter=True), index=True
    )
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")
    assigned_reviewer: Mapped[User | None] = relationship(foreign_keys=[assigned_reviewer_id])
    recommended_by: Mapped[User | None] = relationship(foreign_keys=[recommended_by_id])
    information_requests: Mapped[list["InformationRequest"]] = relationship(
        back_populates="application", order_by="InformationRequest.id"
    )
    documents: Mapped[list["Document"]] = relationship(
        back_populates="application", order_by="Document.id"
    )
    opinions: Mapped[list["Opinion"]] = relationship(
        back_populates="application", order_by="Opinion.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The queue: open cases by state, oldest deadline first, keyset on (due_on, id).
        Index("ix_application_queue", "state", "due_on", "id"),
        # Every open case in deadline order, and the queue's filters by category and assignee.
        _open_index("ix_application_open_due", "due_on", "id"),
        _open_index("ix_application_open_category", "category", "due_on", "id"),
        _open_index("ix_application_open_assignee", "assigned_reviewer_id", "due_on", "id"),
    )

    @classmethod
    def is_open(cls):
        """WHERE the case is open, written as the queue's partial indexes are."""
        return _OPEN

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    @property
    def open_request(self) -> "InformationRequest | None":
        return next((r for r in self.information_requests if r.answered_on is None), None)


class InformationRequest(db.Model):
    """Questions to the issuer; while open, the assessment clock stops."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    questions: Mapped[list[str]] = mapped_column(JSONDocument)
    due_on: Mapped[date] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    answers: Mapped[list[str] | None] = mapped_column(JSONDocument)
    answered_on: Mapped[date | None] = mapped_column(Date)

    application: Mapped[Application] = relationship(back_populates="information_requests")


class Document(db.Model):
    """Uploaded evidence. The file lives in storage; a new upload is a new row, never a rewrite."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    document_type: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="documents")


class Opinion(db.Model):
    """A consulted authority's answer on a KRW stablecoin case, with its letter
    (docs/domain.md section 4).

    Recorded as received; a later opinion of the same authority supersedes, never rewrites.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    authority: Mapped[str] = mapped_column(String(40))
    opinion: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(4000))
    received_on: Mapped[date] = mapped_column(Date)
    # The letter, a PDF in storage.
    letter_filename: Mapped[str] = mapped_column(String(255))
    letter_size: Mapped[int]
    letter_sha256: Mapped[str] = mapped_column(String(64))
    letter_storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    accession_number: Mapped[str] = mapped_column(String(20))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="opinions")
    recorded_by: Mapped[User] = relationship()
