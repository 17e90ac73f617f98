"""Bearer tokens: `POST /api/v1/auth/token`, and who is calling."""

from functools import wraps

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.api.problems import problem
from service.auth.operations import authenticate, issue_token, record_login, user_for_token
from service.extensions import csrf
from service.models.types import as_utc

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="API tokens")
csrf.exempt(blp)


class Credentials(Schema):
    # Any text: a malformed address simply fails to sign in, like a wrong one (401).
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class TokenOut(Schema):
    token = fields.String()
    token_type = fields.String()
    expires_at = fields.DateTime()


@blp.route("/token", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(Credentials)
@blp.response(201, TokenOut)
def create_token(credentials):
    """Exchange e-mail and password for a bearer token."""
    user = authenticate(credentials["email"], credentials["password"], request.remote_addr)
    if user is None:
        return problem(401, "Unauthorized", "The e-mail or password is not correct.")
    raw, token = issue_token(user)
    record_login(user, "api")
    return {"token": raw, "token_type": "Bearer", "expires_at": as_utc(token.expires_at)}


def bearer_user():
    """The user of the request's bearer token. Cookies never authenticate the API (no CSRF)."""
    key = "issuer_registry.api_user"
    if key not in request.environ:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        found = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw else None
        request.environ[key] = found
    return request.environ[key]


def requires_token(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if bearer_user() is None:
            return problem(401, "Unauthorized", "Send a valid bearer token.")
        return view(*args, **kwargs)

    return wrapper
