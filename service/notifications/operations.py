"""E-mails to the issuer's contacts: written to the outbox with the change, sent after commit.

The outbox row is part of the transition's transaction, so a message exists
exactly when the change it reports does. Delivery happens after the commit:
over SMTP when SMTP_HOST is configured, recording `sent_at` or the error; with
no server configured the message stays in the outbox, where an admin reads it.
A message that could not be sent waits there too, until `send_unsent` (the
`flask --app service outbox send` command, for cron) tries it again.
"""

import json
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service import jobs
from service.errors import OperationError
from service.extensions import db
from service.models import Application, Filing, OutboxMessage, Registration, User
from service.models.types import utcnow
from service.notifications.messages import EVENTS, compose
from service.transparency.receipts import filing_receipt
from service.webhooks.deliveries import record_event


def recipients_for(session: Session, application: Application) -> list[str]:
    """The organization's contact address and its active issuer users, once each."""
    users = session.execute(
        select(User.email)
        .where(
            User.organization_id == application.organization_id,
            User.role == "issuer",
            User.active.is_(True),
        )
        .order_by(User.email)
    ).scalars()
    found = [application.organization.contact_email, *users]
    return list(dict.fromkeys(address for address in found if address))


def queue_notification(
    session: Session,
    name: str,
    application: Application,
    content: dict[str, Any],
    accession: str | None,
) -> OutboxMessage | None:
    """Write the e-mail for step `name` (messages.EVENTS) to the outbox, in the caller's
    transaction."""
    if name not in EVENTS:
        return None
    # The issuer's webhooks are told of the same events, in the same transaction.
    record_event(session, EVENTS[name], name, application, content, accession)
    recipients = recipients_for(session, application)
    if not recipients:
        return None
    registration = None
    if content.get("registration_number"):
        registration = session.execute(
            select(Registration).where(Registration.number == content["registration_number"])
        ).scalar_one_or_none()
    subject, body = compose(name, application, content, accession, registration)
    message = OutboxMessage(
        application_id=application.id,
        event=EVENTS[name],
        recipients=recipients,
        subject=subject,
        body=body,
        filing_accession=accession,
    )
    session.add(message)
    return message


def deliver(message_ids: list[int]) -> None:
    """After the commit: send the messages now (embedded default), or queue their sending
    for the job worker when REDIS_URL is set, so no request waits for the mail server."""
    if message_ids and current_app.config.get("SMTP_HOST"):
        jobs.enqueue("service.notifications.operations.send_messages", list(message_ids))


def send_messages(message_ids: list[int]) -> None:
    """Send committed outbox messages over SMTP and record each outcome; a message already
    sent is skipped, and one being sent by another worker is left to it (row lock)."""
    host = current_app.config.get("SMTP_HOST")
    if not host or not message_ids:
        return
    port = int(current_app.config.get("SMTP_PORT") or 25)
    sender = current_app.config.get("MAIL_FROM") or "no-reply@registry.example"
    receipts = _receipts(message_ids)  # before any row lock: a receipt may sign a checkpoint
    for message_id in message_ids:
        message = db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if message is None:
            db.session.rollback()
            continue
        try:
            with smtplib.SMTP(host, port, timeout=10) as smtp:
                smtp.send_message(_email(message, sender, receipts.get(message.id)))
            message.sent_at, message.error = utcnow(), None
        except (OSError, smtplib.SMTPException) as exc:
            message.error = f"{type(exc).__name__}: {exc}"
        db.session.commit()


RETRY_BATCH = 500


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int


def send_unsent() -> SendResult:
    """Try every message not yet sent again, oldest first; a sent message is never resent."""
    if not current_app.config.get("SMTP_HOST"):
        raise RuntimeError("SMTP_HOST is not set: messages stay in the outbox")
    unsent = list(
        db.session.execute(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
        ).scalars()
    )
    sent = 0
    # In batches, so a backlog of months never makes one IN list longer than SQLite allows.
    for start in range(0, len(unsent), RETRY_BATCH):
        batch = unsent[start : start + RETRY_BATCH]
        send_messages(batch)  # here, not on the queue: the command reports what went
        sent += db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.id.in_(batch), OutboxMessage.sent_at.is_not(None))
        )
    return SendResult(sent=sent, failed=len(unsent) - sent)


def _email(message: OutboxMessage, sender: str, receipt: str | None = None) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(message.recipients)
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@issuer-registry>"
    body = message.body
    if receipt:
        body += (
            f"\n\n투명성 로그 영수증 / Transparency log receipt "
            f"({message.filing_accession}-receipt.json; docs/transparency.md):\n{receipt}\n"
        )
    email.set_content(body, charset="utf-8")
    return email


def _receipts(message_ids: list[int]) -> dict[int, str]:
    """The log receipt (JSON) of the filing each message announces, when it has one yet
    (with REDIS_URL a filing's PDF, and so its leaf, may still be on its way)."""
    found = {}
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.filing_accession).where(
            OutboxMessage.id.in_(message_ids), OutboxMessage.filing_accession.is_not(None)
        )
    ).all()
    for message_id, accession in rows:
        filing = db.session.execute(
            select(Filing).where(Filing.accession_number == accession)
        ).scalar_one_or_none()
        if filing is None:
            continue
        try:
            found[message_id] = json.dumps(filing_receipt(db.session, filing), indent=2)
        except OperationError:
            continue
    return found
