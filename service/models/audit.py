from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import JSONDocument, Timestamp


class AuditEvent(db.Model):
    """Append-only, hash-chained: each event stores its predecessor's hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    # Indexed by ix_audit_event_application_seq below (its leading column).
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (
        # A case's history in order without a sort (the case page; bench/case.py).
        Index("ix_audit_event_application_seq", "application_id", "seq"),
    )


class AuditHead(db.Model):
    """The chain's one head row: appends update it first, so they queue behind its lock."""

    id: Mapped[int] = mapped_column(primary_key=True)
    length: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64))


class AuditVerification(db.Model):
    """A full recomputation of the chain, kept: the integrity page reads the latest one
    and checks only what was appended since (a full pass over a million events takes
    minutes; `flask --app service audit verify` makes one, from cron)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    verified_at: Mapped[datetime] = mapped_column(Timestamp)
    verified_by: Mapped[str] = mapped_column(String(254))
    ok: Mapped[bool]
    checked: Mapped[int]  # events recomputed, from the first; the head's seq when ok
    head_hash: Mapped[str] = mapped_column(String(64))
    broken_seq: Mapped[int | None]
    problem: Mapped[str | None] = mapped_column(String(500))
    # queued, running, done, or abandoned (its job stopped without finishing). Until it is
    # done, `verified_at` is when it last changed status and its result means nothing.
    status: Mapped[str] = mapped_column(String(16), default="done", server_default="done")
    started_at: Mapped[datetime | None] = mapped_column(Timestamp)


# The statuses of a pass whose result is not in yet (at most one such row).
UNFINISHED = ("queued", "running")


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _audit_events_are_append_only(mapper, connection, target):
    raise PermissionError("audit events are append-only")
