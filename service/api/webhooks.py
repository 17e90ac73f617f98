"""`/api/v1/webhooks`: an issuer's system registers a URL and is told of every event that
concerns its organization, as JSON signed by the Standard Webhooks scheme (docs/api.md,
"Webhooks"). Another organization's webhooks answer 404."""

from functools import wraps

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service import policy
from service.api.auth import bearer_user, requires_token
from service.extensions import csrf
from service.models.webhooks import DELIVERY_STATUSES
from service.webhooks import addresses, operations

blp = Blueprint("api_webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhooks")
csrf.exempt(blp)

URL = fields.String(
    validate=validate.Length(min=1, max=addresses.MAX_URL_LENGTH),
    metadata={"description": "https:// on a public address", "format": "uri"},
)


class WebhookBody(Schema):
    url = fields.String(required=True, **{k: getattr(URL, k) for k in ("validate", "metadata")})


class WebhookChange(Schema):
    url = fields.String(**{k: getattr(URL, k) for k in ("validate", "metadata")})
    active = fields.Boolean(metadata={"description": "false: no new deliveries are made"})


class WebhookOut(Schema):
    id = fields.Integer()
    url = fields.String()
    active = fields.Boolean()
    created_at = fields.DateTime()
    secret_rotated_at = fields.DateTime(allow_none=True)


class WebhookSecretOut(WebhookOut):
    secret = fields.String(
        metadata={"description": "whsec_<base64>: shown this once, keep it to verify signatures"}
    )


class DeliveryOut(Schema):
    id = fields.Integer()
    message_id = fields.String(metadata={"description": "the webhook-id header, on every attempt"})
    event = fields.String()
    application_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = fields.Integer()
    last_status = fields.Integer(
        allow_none=True, metadata={"description": "the HTTP status of the last attempt"}
    )
    last_error = fields.String(allow_none=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    payload = fields.Function(lambda d: d.body, metadata={"description": "the JSON body sent"})


class DeliveryQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def asks(action: str):
    """The policy's answer before the body is read: a refusal is never hidden behind a 422."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if "webhook_id" in kwargs:
                operations.webhook_of(kwargs["webhook_id"], bearer_user())
            else:
                policy.require(bearer_user(), action)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _shown_once(webhook, secret) -> dict:
    fields_out = ("id", "url", "active", "created_at", "secret_rotated_at")
    return {**{name: getattr(webhook, name) for name in fields_out}, "secret": secret}


@blp.route("", methods=["GET"])
@requires_token
@blp.response(200, WebhookOut(many=True))
def list_webhooks():
    """The webhooks of the caller's organization (issuers)."""
    return operations.webhooks_of(bearer_user())


@blp.route("", methods=["POST"])
@requires_token
@asks("webhook.manage")
@blp.arguments(WebhookBody)
@blp.response(201, WebhookSecretOut)
def create_webhook(body):
    """Register a URL told of the organization's events; the answer holds its secret, once."""
    webhook, secret = operations.register(bearer_user(), body["url"])
    return _shown_once(webhook, secret)


@blp.route("/<int:webhook_id>", methods=["GET"])
@requires_token
@blp.response(200, WebhookOut)
def get_webhook(webhook_id):
    """One webhook of the caller's organization."""
    return operations.webhook_of(webhook_id, bearer_user())


@blp.route("/<int:webhook_id>", methods=["PATCH"])
@requires_token
@asks("webhook.view")
@blp.arguments(WebhookChange)
@blp.response(200, WebhookOut)
def update_webhook(body, webhook_id):
    """Change the URL, or switch deliveries off (active: false) and on again."""
    user = bearer_user()
    return operations.update(webhook_id, user, url=body.get("url"), active=body.get("active"))


@blp.route("/<int:webhook_id>/secret", methods=["POST"])
@requires_token
@blp.response(200, WebhookSecretOut)
def rotate_secret(webhook_id):
    """A new secret, shown this once; the old one signs beside it for a day."""
    webhook, secret = operations.rotate_secret(webhook_id, bearer_user())
    return _shown_once(webhook, secret)


@blp.route("/<int:webhook_id>/deliveries", methods=["GET"])
@requires_token
@asks("webhook.view")
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliveryOut(many=True))
def list_deliveries(query, webhook_id):
    """The webhook's deliveries, newest first: pending, delivered, or failed after its
    attempts, with the last HTTP status and the next attempt."""
    return operations.deliveries_of(webhook_id, bearer_user(), query["limit"])
