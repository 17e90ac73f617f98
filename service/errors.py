"""Outcomes an operation reports to its caller; views turn them into pages or problem details."""

from typing import Any

from flask import Response
from marshmallow import ValidationError

from workflows.bilingual import localize, t


class OperationError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, code: str | None = None, errors: Any = None, **extra):
        super().__init__(message)
        self.message = message
        self.code = code or self.__class__.__name__.lower()
        self.errors = errors
        self.extra = extra


class NotFound(OperationError):
    status = 404
    title = "Not found"


class Forbidden(OperationError):
    status = 403
    title = "Forbidden"


class Conflict(OperationError):
    status = 409
    title = "Conflict"


class PreconditionFailed(OperationError):
    status = 412
    title = "Precondition failed"


class PreconditionRequired(OperationError):
    status = 428
    title = "Precondition required"


class NotReady(OperationError):
    """What was asked for is still being made (a PDF the job worker renders): ask again soon."""

    status = 503
    title = "Not ready yet"
    retry_after_seconds = 5


class Invalid(OperationError):
    status = 422
    title = "Unprocessable content"


def loaded(schema, payload: Any) -> dict[str, Any]:
    """`payload` as the marshmallow `schema` loads it, or a 422 naming each refused field
    in the request's language."""
    try:
        return schema.load(payload)
    except ValidationError as exc:
        raise Invalid(
            t("The request has invalid fields.", "입력값이 올바르지 않습니다."),
            errors=localize(exc.messages),
        ) from None


class TooLarge(OperationError):
    status = 413
    title = "Content too large"


class ConcurrentChange(Conflict):
    """Another writer got there first (a lock, deadlock or serialization failure): nothing of
    this change was kept, and the same request may succeed when sent again."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or t(
                "The case changed while this request was handled; reload and try again.",
                "요청을 처리하는 동안 사건이 바뀌었습니다. 새로 고친 뒤 다시 시도하십시오.",
            ),
            code="concurrent_change",
        )


def with_retry_after(response: Response, error: OperationError) -> Response:
    """A 503 that will pass says when to ask again (RFC 9110 section 10.2.3)."""
    seconds = getattr(error, "retry_after_seconds", None)
    if seconds:
        response.headers["Retry-After"] = str(seconds)
    return response
