"""Deliveries: recorded with their event, sent after the commit, tried again.

A delivery is written in the transaction of the event it tells (`record_event`, called
where the event's e-mail is written), so an event never exists without its deliveries. After
the commit the unit of work hands the new deliveries to `dispatch`, which runs their first
attempt through the job seam. A failed attempt is tried again after a delay that doubles
each time (WEBHOOKS_RETRY_FIRST, up to WEBHOOKS_RETRY_MAX), WEBHOOKS_MAX_ATTEMPTS in all:
with REDIS_URL the worker runs the retry when it falls due; in the embedded default
`deliver_due` (`flask --app service webhooks send`, for cron) tries every delivery due. The
same command, run by cron in either mode, also sends what a lost job left pending.
"""

import http.client
import json
import socket
import ssl
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from service import jobs
from service.errors import Invalid
from service.extensions import db
from service.models import Application, Webhook, WebhookDelivery
from service.models.types import as_utc, utcnow
from service.webhooks import addresses, signing

# session.info key: the deliveries written in the open transaction, sent after its commit.
RECORDED = "issuer_registry.webhook_deliveries"
TIMEOUT_SECONDS = 10
# A receiver's answer is read up to this much, for its status; the rest is ignored.
MAX_ANSWER_BYTES = 64 * 1024


def record_event(
    session: Session,
    event: str,
    step: str,
    application: Application,
    content: dict[str, Any],
    accession: str | None,
) -> list[WebhookDelivery]:
    """A pending delivery of the event to each active webhook of the application's
    organization, in the caller's transaction. The body names what changed; the issuer
    reads the rest through the API with its token."""
    webhooks = session.execute(
        select(Webhook)
        .where(Webhook.organization_id == application.organization_id, Webhook.active.is_(True))
        .order_by(Webhook.id)
    ).scalars()
    now = utcnow()
    deliveries = []
    for webhook in webhooks:
        message_id = f"msg_{uuid.uuid4().hex}"
        body = {
            "type": event,
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "data": {
                "step": step,
                "application_id": application.id,
                "state": application.state,
                "registration_number": content.get("registration_number"),
                "accession_number": accession,
            },
        }
        delivery = WebhookDelivery(
            webhook_id=webhook.id,
            message_id=message_id,
            event=event,
            application_id=application.id,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
            status="pending",
            attempts=0,
            next_attempt_at=now,
        )
        session.add(delivery)
        deliveries.append(delivery)
    session.info.setdefault(RECORDED, []).extend(deliveries)
    return deliveries


def forget_recorded(session: Session) -> None:
    """The transaction rolled back: its deliveries were never written."""
    session.info.pop(RECORDED, None)


def dispatch(session: Session) -> None:
    """After the commit: the first attempt of each delivery just written, through the job
    seam (at once in the embedded default, by the worker with REDIS_URL)."""
    recorded = session.info.pop(RECORDED, None)
    # The identities stay known after the commit expired the rows: no query to read them.
    for (delivery_id,) in [inspect(d).identity for d in recorded or ()]:
        try:
            jobs.enqueue("service.webhooks.deliveries.attempt", delivery_id)
        except Exception:  # noqa: BLE001 - the event is committed; the sweep sends it later
            db.session.rollback()
            current_app.logger.exception("webhook delivery %s left to the sweep", delivery_id)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: WEBHOOKS_RETRY_FIRST, doubled each time,
    at most WEBHOOKS_RETRY_MAX."""
    first = current_app.config["WEBHOOKS_RETRY_FIRST"]
    return min(first * 2 ** (attempts - 1), current_app.config["WEBHOOKS_RETRY_MAX"])


def attempt(delivery_id: int, now: datetime | None = None) -> str | None:
    """One attempt of a pending delivery that is due; its status after it (None: not due,
    not pending, or being attempted by another worker)."""
    now = now or utcnow()
    delivery = db.session.execute(
        select(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending")
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    if delivery is None or (
        delivery.next_attempt_at is not None and as_utc(delivery.next_attempt_at) > now
    ):
        db.session.rollback()
        return None
    webhook = delivery.webhook
    delivery.attempts += 1
    if not webhook.active:
        status, error = None, "the webhook is disabled"
    else:
        status, error = post(webhook, delivery, now)
    delivery.last_status, delivery.last_error = status, error
    retry = None
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    elif delivery.attempts >= current_app.config["WEBHOOKS_MAX_ATTEMPTS"]:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        retry = retry_delay(delivery.attempts)
        delivery.next_attempt_at = now + retry
    result = delivery.status
    db.session.commit()
    if retry is not None:
        jobs.enqueue_in(retry, "service.webhooks.deliveries.attempt", delivery_id)
    return result


def deliver_due(now: datetime | None = None) -> dict[str, int]:
    """Attempt every pending delivery whose time has come, oldest first (for cron)."""
    now = now or utcnow()
    due = list(
        db.session.execute(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        ).scalars()
    )
    counts = {"delivered": 0, "pending": 0, "failed": 0}
    for delivery_id in due:
        status = attempt(delivery_id, now)
        if status is not None:
            counts[status] += 1
    return counts


def signing_secrets(webhook: Webhook, now: datetime) -> list[str]:
    secrets = [signing.unseal(webhook.secret)]
    until = webhook.previous_secret_until
    if webhook.previous_secret and until and as_utc(until) > now:
        secrets.append(signing.unseal(webhook.previous_secret))
    return secrets


def post(webhook: Webhook, delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    """POST the delivery's body, signed; the HTTP status (None: no answer) and any error."""
    try:
        target = addresses.check(webhook.url)  # again: the name may resolve elsewhere now
        secrets = signing_secrets(webhook, now)
    except Invalid as exc:  # recorded in English: it is read long after, by anyone
        return None, f"{exc.code}: {getattr(exc.message, 'en', exc.message)}"
    except ValueError as exc:
        return None, str(exc)
    body = delivery.body.encode()
    timestamp = int(time.time())
    signature = " ".join(
        signing.sign(secret, delivery.message_id, timestamp, body) for secret in secrets
    )
    headers = {
        "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}",
        "Content-Type": "application/json",
        "User-Agent": "issuer-registry-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
    connection = _connection(target)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(MAX_ANSWER_BYTES)
        ok = 200 <= answer.status < 300
        return answer.status, "" if ok else f"HTTP {answer.status} {answer.reason}"
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    finally:
        connection.close()


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address `addresses.check` approved, whatever the name says now."""

    def __init__(self, target: addresses.Target):
        super().__init__(target.host, target.port, timeout=TIMEOUT_SECONDS)
        self.address = target.address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: addresses.Target):
        super().__init__(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
        self.address = target.address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(target: addresses.Target) -> http.client.HTTPConnection:
    return (_PinnedHTTPS if target.scheme == "https" else _PinnedHTTP)(target)
