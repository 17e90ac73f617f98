"""Registering an issuer's webhooks, changing them, rotating their secrets, and reading
them with their deliveries (docs/api.md, "Webhooks"). Each change is a unit of work with its
audit event; the URL is checked first (service/webhooks/addresses.py)."""

from flask import current_app
from sqlalchemy import select

from service import policy
from service.errors import Invalid
from service.extensions import db
from service.models import User, Webhook, WebhookDelivery
from service.models.types import utcnow
from service.unit_of_work import unit_of_work
from service.webhooks import addresses, signing
from workflows.bilingual import t

MAX_WEBHOOKS = 10  # per organization: each event is one POST per webhook


# -- the issuer's webhooks -----------------------------------------------------------------


def register(user: User, url: str) -> tuple[Webhook, str]:
    """A new webhook of the user's organization and its secret, shown this once."""
    policy.require(user, "webhook.manage")
    addresses.check(url)
    with unit_of_work(user) as work:
        count = db.session.scalar(
            select(db.func.count())
            .select_from(Webhook)
            .where(Webhook.organization_id == user.organization_id)
        )
        if count >= MAX_WEBHOOKS:
            raise Invalid(
                t(
                    "An organization has at most {n} webhooks: disable or reuse one.",
                    "기관당 웹훅은 최대 {n}개입니다. 기존 웹훅을 끄거나 고쳐 쓰십시오.",
                    n=MAX_WEBHOOKS,
                ),
                code="too_many_webhooks",
            )
        secret = signing.new_secret()
        webhook = Webhook(
            organization_id=user.organization_id, url=url, secret=signing.seal(secret)
        )
        db.session.add(webhook)
        db.session.flush()
        work.audit("webhook_register", detail={"webhook_id": webhook.id, "url": url})
    return webhook, secret


def webhook_of(webhook_id: int, user: User, *, lock: bool = False) -> Webhook:
    query = select(Webhook).where(Webhook.id == webhook_id)
    if lock:
        query = query.with_for_update()
    webhook = db.session.execute(query).scalar_one_or_none()
    policy.require(user, "webhook.view", webhook)
    return webhook


def update(webhook_id: int, user: User, *, url: str | None, active: bool | None) -> Webhook:
    """Change the URL (checked as a new one is) or switch deliveries off and on."""
    webhook_of(webhook_id, user)  # 404 before the URL is judged
    if url is not None:
        addresses.check(url)
    with unit_of_work(user) as work:
        webhook = webhook_of(webhook_id, user, lock=True)
        changed = {}
        if url is not None and url != webhook.url:
            webhook.url = changed["url"] = url
        if active is not None and active != webhook.active:
            webhook.active = changed["active"] = active
        if changed:
            work.audit("webhook_update", detail={"webhook_id": webhook.id, **changed})
    return webhook


def rotate_secret(webhook_id: int, user: User) -> tuple[Webhook, str]:
    """A new secret, shown this once; the old one still signs beside it for
    WEBHOOKS_PREVIOUS_SECRET_GRACE, so the receiver can switch without losing a message."""
    with unit_of_work(user) as work:
        webhook = webhook_of(webhook_id, user, lock=True)
        secret = signing.new_secret()
        now = utcnow()
        webhook.previous_secret = webhook.secret
        webhook.previous_secret_until = now + current_app.config["WEBHOOKS_PREVIOUS_SECRET_GRACE"]
        webhook.secret = signing.seal(secret)
        webhook.secret_rotated_at = now
        work.audit("webhook_rotate_secret", detail={"webhook_id": webhook.id})
    return webhook, secret


# -- reads ---------------------------------------------------------------------------------


def webhooks_of(user: User) -> list[Webhook]:
    policy.require(user, "webhook.manage")
    return list(
        db.session.execute(
            select(Webhook)
            .where(Webhook.organization_id == user.organization_id)
            .order_by(Webhook.id)
        ).scalars()
    )


def deliveries_of(webhook_id: int, user: User, limit: int) -> list[WebhookDelivery]:
    webhook_of(webhook_id, user)
    return list(
        db.session.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        ).scalars()
    )
