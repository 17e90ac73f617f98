from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import Timestamp, utcnow

# A delivery's states: waiting for its next attempt, answered 2xx, or given up on.
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class Webhook(db.Model):
    """An issuer's URL told of the events that concern its organization (docs/api.md,
    "Webhooks"). The signing secret is stored encrypted and shown once, when made."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Fernet tokens of the secret (service/webhooks/secrets.py); the previous one signs too
    # until `previous_secret_until`, so a receiver can switch without losing a message.
    secret: Mapped[str] = mapped_column(Text)
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_until: Mapped[datetime | None] = mapped_column(Timestamp)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(Timestamp)


class WebhookDelivery(db.Model):
    """One event for one webhook: written with the event, POSTed after the commit, tried
    again with a growing delay until it is answered 2xx or runs out of attempts."""

    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id"), index=True)
    # The Standard Webhooks `webhook-id`: the same on every attempt, so a receiver can
    # drop a message it has already handled.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    event: Mapped[str] = mapped_column(String(40))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    body: Mapped[str] = mapped_column(Text)  # the JSON sent, byte for byte on each attempt
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer)  # the last HTTP status answered
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(Timestamp)

    webhook: Mapped[Webhook] = relationship()
