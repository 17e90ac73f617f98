"""Errors as RFC 9457 problem details, for every API path."""

from flask import Response, json, request
from flask_smorest import Api
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from forms.i18n import localize
from service.errors import OperationError

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: _string_keys(v) for k, v in extra.items() if v is not None})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="issuer-registry"'
    return response


def _string_keys(value):
    """Marshmallow keys a list's row errors by index beside the list's own "_schema": JSON
    object keys are strings, and sorted keys cannot mix the two."""
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_string_keys(item) for item in value]
    return value


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def operation_problem(error: OperationError) -> Response:
    response = problem(
        error.status,
        error.title,
        localize(error.message),
        code=error.code,
        errors=localize(error.errors),
        **error.extra,
    )
    return with_retry_after(response, error)


def with_retry_after(response: Response, error: OperationError) -> Response:
    """A 503 that will pass says when to ask again (RFC 9110 section 10.2.3)."""
    seconds = getattr(error, "retry_after_seconds", None)
    if seconds:
        response.headers["Retry-After"] = str(seconds)
    return response


class ProblemSchema(Schema):
    """RFC 9457 problem details, with the field errors and refusal reasons this API adds."""

    class Meta:
        unknown = INCLUDE

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String()
    errors = fields.Raw(metadata={"description": "field errors, keyed like the request body"})
    reasons = fields.List(fields.Dict(), metadata={"description": "every refusal reason"})


class ProblemApi(Api):
    """flask-smorest's Api, answering errors as problem details (HTML paths keep Flask's pages)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        # Document every error response as what it is: application/problem+json.
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_TYPE
        try:
            super()._register_responses()
        finally:
            del self.DEFAULT_RESPONSE_CONTENT_TYPE

    def handle_http_exception(self, error: HTTPException):
        if not is_api_request():
            return error.get_response()
        errors = None
        data = getattr(error, "data", None) or {}
        if "messages" in data:
            # webargs nests field errors by location: {"json": {...}, "query": {...}}
            errors = data["messages"]
        response = problem(error.code or 500, error.name, error.description, errors=errors)
        # What the exception says besides its body: Allow on a 405 (RFC 9110 section 15.5.6).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
