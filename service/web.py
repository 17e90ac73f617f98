"""Helpers shared by the views: numbers from the query string or a header, form data in, one
transition form per option out."""

from typing import Any
from urllib.parse import urlsplit

from flask import flash, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from forms.transitions import PAYLOAD_SCHEMAS
from service import MAX_DATABASE_ID
from service.errors import (
    Conflict,
    Invalid,
    OperationError,
    PreconditionFailed,
    PreconditionRequired,
)
from service.formdata import read_form
from workflows.bilingual import localize
from workflows.lifecycle import STEPS


def whole_number(text: str | None, limit: int = MAX_DATABASE_ID) -> int | None:
    """A number written in ASCII digits that fits an INTEGER column, else None.

    `str.isdigit` alone admits '²' and other digits `int()` refuses, and any length."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(limit)):
        return None
    number = int(text)
    return number if number <= limit else None


def local_target(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no open redirect.

    Browsers read a backslash as a slash and drop tabs and newlines, so a path starting
    with a slash and a backslash, or with slash, tab, slash, leaves the site as // does."""
    if not target or any(ord(c) < 0x20 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def payload_from_form(name: str, form: MultiDict) -> dict[str, Any]:
    """Read a transition's fields from a posted form, by the one form reader."""
    return read_form(PAYLOAD_SCHEMAS[name], form)


def case_url(user, application_id: int) -> str:
    """Where a person reads a case: the issuer its application, a regulator the case page
    (one redirect after a step, whoever took it)."""
    if user.role == "issuer":
        return url_for("applications.detail", application_id=application_id)
    return url_for("review.case", application_id=application_id)


def refused_step(error: OperationError, page):
    """The one answer of the web pages to a refused step (a transition, submit, respond,
    withdraw): answers that break a rule come back on the form, 422 (`page(error)`); a
    refusal by the case's state or version (409, 412, 428) is said above the page as it now
    stands, with its status (`page(None)`); any other refusal, by role (403) say, is the
    error page."""
    if isinstance(error, Invalid):
        return page(error), 422
    if not isinstance(error, Conflict | PreconditionFailed | PreconditionRequired):
        raise error
    flash(localize(error.message), "error")
    return page(None), error.status


def transition_fields(name: str) -> list[tuple[str, Any]]:
    """The declared fields of a transition's form, for the template to render."""
    return list(PAYLOAD_SCHEMAS[name]._declared_fields.items())


# Each step's place on the case page (docs/design.md, "The step table"), checked at import:
# the steps a case officer usually takes first come first (the first allowed one is
# primary), each with the hint shown above its form, if any, so the officer knows its
# consequence.
STEP_HINTS = STEPS.parts(
    "place on the case page",
    {
        "mark_complete": _l(
            "The application has everything it needs: the 60-business-day assessment clock "
            "starts today."
        ),
        "return_incomplete": _l(
            "Return the application to the issuer with what is missing and a deadline of at "
            "most 20 business days."
        ),
        "request_information": _l(
            "Send questions to the issuer. The assessment clock stops until the issuer "
            "answers (at most 20 business days in all)."
        ),
        "recommend": _l(
            "Propose a decision to an approver: approve with conditions, or refuse citing the "
            "legal grounds. The issuer does not see your reasoning."
        ),
        "approve": _l(
            "Register the issuer: a registration number, a decision letter and a certificate "
            "are issued."
        ),
        "refuse": _l(
            "Refuse the registration: the decision letter cites the grounds, your reasons, "
            "the notice of intended refusal and the issuer's comments."
        ),
        "send_back": _l("Return the case to the reviewer for more assessment."),
        "respond": _l(
            "Send your answers. The response files the application again as it stands, with "
            "every answer you changed while the request was open."
        ),
        "close_not_resubmitted": _l(
            "The issuer did not resubmit by the deadline: close the case. The issuer is "
            "sent a notice of closure with your reason."
        ),
        "close_unanswered": _l(
            "The issuer did not answer by the deadline: close the case. The issuer is sent "
            "a notice of closure with your reason."
        ),
        "submit": None,
        "resubmit": None,
        "suspend": _l(
            "Suspend the registration; the public register shows it as suspended. The "
            "issuer must first have had notice of the intended suspension and a chance to "
            "comment."
        ),
        "suspend_urgently": _l(
            "Suspend at once, without prior notice: only on a ground the Administrative "
            "Procedures Act allows (Art 21(4)), stated with your reason in the notice of "
            "suspension."
        ),
        "reinstate": _l("Lift the suspension."),
        "revoke": _l(
            "Revoke the registration, citing the legal grounds, the notice of intended "
            "revocation and the issuer's comments."
        ),
        "reconsider": _l(
            "Uphold the issuer's objection: the refusal is withdrawn and the case awaits a "
            "new decision. Only an approver who did not refuse it decides the objection."
        ),
        "restore": _l(
            "Uphold the issuer's objection: the suspension or revocation is withdrawn and "
            "the registration is in force again. Only an approver who did not take the "
            "decision decides the objection."
        ),
        "surrender": None,
        "accept_surrender": _l(
            "Accept the surrender once the plan redeems every holder credibly: the register "
            "shows the registration as surrendered, and it stays supervised until a "
            "redemption report shows nothing outstanding."
        ),
        "refuse_surrender": _l(
            "Refuse the surrender: the registration stays in force and the issuer may ask "
            "again with a better plan."
        ),
        "withdraw": None,
        "lapse": None,
    },
)
ACTION_ORDER = tuple(STEP_HINTS)


def ordered_options(options: list) -> list:
    """Allowed steps before closed ones, each group in the order a case is worked."""
    return sorted(
        options,
        key=lambda o: (not o.allowed, ACTION_ORDER.index(o.transition.name)),
    )
