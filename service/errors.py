"""Outcomes an operation reports to its caller; views turn them into pages or problem details."""

from typing import Any

from flask import Response


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


class TooLarge(OperationError):
    status = 413
    title = "Content too large"


def with_retry_after(response: Response, error: OperationError) -> Response:
    """A 503 that will pass says when to ask again (RFC 9110 section 10.2.3)."""
    seconds = getattr(error, "retry_after_seconds", None)
    if seconds:
        response.headers["Retry-After"] = str(seconds)
    return response
