from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.accounts import Organization
from service.models.applications import Application
from service.models.types import JSONDocument, Timestamp


class Filing(db.Model):
    """What changed hands, frozen: nothing updates or deletes a filing (the EDGAR model)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    accession_number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    filed_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    filed_by_label: Mapped[str] = mapped_column(String(254))
    # The canonical JSON exactly as hashed: sorted keys, UTF-8, no spaces.
    content_json: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # Regulator-internal filings are never shown to the issuer.
    internal: Mapped[bool] = mapped_column(default=False)
    # The archival PDF/A-3, rendered once when the filing was made (service.filings.pdf).
    pdf_storage_key: Mapped[str | None] = mapped_column(String(200))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None]

    application: Mapped[Application | None] = relationship()
    organization: Mapped[Organization] = relationship()


PDF_COLUMNS = ("pdf_storage_key", "pdf_sha256", "pdf_size")


@event.listens_for(Filing, "before_update")
def _filings_are_immutable(mapper, connection, target):
    """Nothing changes a filing, except that a PDF rendered after the filing committed (the
    job worker's) is attached once; the database's own trigger holds to the same rule."""
    state = inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    attached_once = changed == set(PDF_COLUMNS) and all(
        list(state.attrs[key].history.deleted) == [None] and getattr(target, key) is not None
        for key in PDF_COLUMNS
    )
    if not attached_once:
        raise PermissionError(f"filing {target.accession_number} is immutable")


@event.listens_for(Filing, "before_delete")
def _filings_are_not_deleted(mapper, connection, target):
    raise PermissionError(f"filing {target.accession_number} is immutable")


class Registration(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    # The public status: registered, suspended, revoked, surrendered or lapsed.
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_since: Mapped[date] = mapped_column(Date)
    registered_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    conditions: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    token_name: Mapped[str | None] = mapped_column(String(200))
    token_symbol: Mapped[str | None] = mapped_column(String(20))
    # The most it may have outstanding, in won: a condition set by the approver at
    # registration or later by a supervisor; none when unset (docs/domain.md section 5).
    issuance_cap_krw: Mapped[int | None] = mapped_column(BigInteger)
    # A supervisor's restriction of new issuance, redemptions going on: since when and why.
    issuance_restricted_since: Mapped[date | None] = mapped_column(Date)
    issuance_restriction_reason: Mapped[str | None] = mapped_column(Text)
    # A registration ended by an accepted surrender, a revocation or a lapse stays
    # supervised until its holders are redeemed: the day they are to be by, and the day a
    # redemption report showed nothing outstanding (docs/domain.md section 4, wind-down).
    wind_down_by: Mapped[date | None] = mapped_column(Date)
    wound_down_on: Mapped[date | None] = mapped_column(Date)

    @property
    def winding_down(self) -> bool:
        return self.wind_down_by is not None and self.wound_down_on is None

    application: Mapped[Application] = relationship(foreign_keys=[application_id])
    organization: Mapped[Organization] = relationship(lazy="joined")


class NumberSequence(db.Model):
    """Yearly counters for accession and registration numbers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    value: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("name", "year", name="uq_number_sequence_name_year"),)
