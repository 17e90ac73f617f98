"""Bearer tokens: `POST /api/v1/auth/token` issues one, `DELETE` revokes it; who is calling."""

from functools import wraps

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.api.problems import problem
from service.auth.operations import (
    authenticate,
    issue_token,
    record_login,
    revoke_token,
    user_for_token,
)
from service.extensions import csrf
from service.models.types import as_utc
from workflows.bilingual import t

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="API tokens")
csrf.exempt(blp)


WRONG_CREDENTIALS = t("The e-mail or password is not correct.", "이메일 또는 비밀번호가 틀립니다.")
NO_TOKEN = t("Send a valid bearer token.", "유효한 베어러 토큰을 보내십시오.")


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
        return problem(401, WRONG_CREDENTIALS, code="wrong_credentials")
    raw, token = issue_token(user)
    record_login(user, "api")
    return {"token": raw, "token_type": "Bearer", "expires_at": as_utc(token.expires_at)}


@blp.route("/token", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def delete_token():
    """Revoke the bearer token this request presents: from now on it gets 401.

    Signing out everywhere and changing the password (on the account page) revoke every
    token of the user."""
    raw = _bearer_token()
    if raw is None or user_for_token(raw) is None:
        return problem(401, NO_TOKEN, code="token_required")
    revoke_token(raw)
    return None


def _bearer_token() -> str | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    return (raw.strip() or None) if scheme.lower() == "bearer" else None


def bearer_user():
    """The user of the request's bearer token. Cookies never authenticate the API (no CSRF)."""
    key = "issuer_registry.api_user"
    if key not in request.environ:
        raw = _bearer_token()
        request.environ[key] = user_for_token(raw) if raw else None
    return request.environ[key]


def requires_token(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if bearer_user() is None:
            return problem(401, NO_TOKEN, code="token_required")
        return view(*args, **kwargs)

    return wrapper
