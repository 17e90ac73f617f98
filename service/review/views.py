"""The regulator's pages: the review queue, the case page and the desk's own actions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from service import policy
from service.access import application_for
from service.applications.casepage import render_case
from service.audit.stored import send_verified
from service.errors import Conflict, Invalid, OperationError, PreconditionFailed
from service.extensions import db
from service.models import Opinion
from service.review import operations
from service.review.awaiting import awaiting_an_approver
from service.review.clock import due_status
from service.review.operations import record_opinion
from service.review.queries import filter_from_args, reviewers
from service.review.queries import queue as queue_page
from service.timezone import korea_today
from service.web import whole_number
from workflows.bilingual import localize
from workflows.lifecycle import (
    ISSUER_DEADLINE_STATES,
    OPEN_STATES,
    STATE_LABELS,
    CaseFacts,
    issuer_deadline_passed,
)
from workflows.regime import CATEGORIES, CATEGORY_LABELS

bp = Blueprint("review", __name__, url_prefix="/review")

# Cases due within this many business days stand out in the queue.
NEARLY_DUE_DAYS = 5


@bp.before_request
@login_required
def regulators_only():
    policy.require(current_user, "review.desk")


@bp.route("")
def queue():
    today = korea_today()
    queue_filter = filter_from_args(request.args, current_user)
    page = queue_page(queue_filter, today=today, cursor=request.args.get("cursor"))
    # Objections and changes are an approver's to decide (service/policy.py).
    approver = policy.allows(current_user, "change.decide")
    return render_template(
        "review/queue.html",
        page=page,
        queue_filter=queue_filter,
        due={case.id: due_status(case.due_on, today) for case in page.cases},
        stalled={case.id for case in page.cases if _stalled(case, today)},
        row_text=_queue_row_text(),
        case_href=_href_maker("review.case"),
        claim_href=_href_maker("review.claim"),
        nearly_due_days=NEARLY_DUE_DAYS,
        open_states=OPEN_STATES,
        state_labels=STATE_LABELS,
        categories=CATEGORIES,
        category_labels=CATEGORY_LABELS,
        mine=request.args.get("mine") == "1",
        reviewers=reviewers(),
        awaiting=awaiting_an_approver() if approver else [],
        today=today,
    )


def _stalled(case, today) -> bool:
    """The issuer's deadline has passed: the reviewer may close the case (the same rule as
    the closing steps' guard, workflows.lifecycle.deadline_passed)."""
    if case.state not in ISSUER_DEADLINE_STATES:
        return False
    facts = CaseFacts(case.state, 0, case.category, issuer_due_on=case.due_on, today=today)
    return issuer_deadline_passed(facts)


# A marker id no case has: url_for runs once per page and each row fills in its id.
_MARKER = 987654321987


def _href_maker(endpoint: str):
    before, _marker, after = url_for(endpoint, application_id=_MARKER).partition(str(_MARKER))
    return lambda application_id: f"{before}{application_id}{after}"


def _queue_row_text() -> dict[str, str]:
    """The words every row repeats, translated once per page instead of once per row."""
    return {
        "take": _("Take"),
        "unassigned": _("Unassigned"),
        "overdue": _("Overdue"),
        "due_soon": _("Due soon"),
        "stalled": _("The issuer's deadline has passed: the case may be closed."),
        # Format strings, filled per row with the number of days.
        "days_left": _("%(n)s business days left"),
        "days_late": _("%(n)s business days late"),
    }


@bp.route("/cases/<int:application_id>")
def case(application_id: int):
    return render_case("review/case.html", application_for(current_user, application_id))


@bp.route("/cases/<int:application_id>/opinions", methods=["POST"])
def add_opinion(application_id: int):
    application = application_for(current_user, application_id)
    upload = request.files.get("letter")
    letter = (
        (upload.filename or "letter.pdf", upload.read()) if upload and upload.filename else None
    )
    values = request.form.to_dict()
    try:
        record_opinion(application_id, current_user, values, letter)
    except Invalid as error:
        page = render_case(
            "review/case.html", application, failed="record_opinion", error=error, values=values
        )
        return page, 422
    flash(_("The opinion was recorded."), "success")
    return redirect(url_for("review.case", application_id=application_id))


@bp.route("/cases/<int:application_id>/opinions/<int:opinion_id>/letter")
def opinion_letter(application_id: int, opinion_id: int):
    application = application_for(current_user, application_id)
    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None or opinion.application_id != application.id:
        abort(404)
    response = send_verified(
        opinion.letter_storage_key,
        opinion.letter_sha256,
        {"kind": "opinion_letter", "opinion_id": opinion.id, "application_id": application.id},
        f"opinion-{opinion.id}.pdf",
    )
    response.cache_control.private = True
    return response


@bp.route("/cases/<int:application_id>/claim", methods=["POST"])
def claim(application_id: int):
    return _act(application_id, operations.claim, _("You took this case."))


@bp.route("/cases/<int:application_id>/assign", methods=["POST"])
def assign(application_id: int):
    reviewer_id = whole_number(request.form.get("reviewer_id")) or 0
    return _act(application_id, operations.assign, _("The case was assigned."), reviewer_id)


@bp.route("/cases/<int:application_id>/notes", methods=["POST"])
def add_note(application_id: int):
    text = request.form.get("text", "")
    return _act(application_id, operations.add_note, _("The note was added."), text)


def _act(application_id: int, operation, done: str, *args):
    """A desk action; a role refusal goes to the error page (403), any other to the case page."""
    try:
        operation(application_id, current_user, *args)
    except (Conflict, PreconditionFailed, Invalid) as error:
        flash(localize(error.message), "error")
        application = application_for(current_user, application_id)
        return render_case("review/case.html", application), error.status
    flash(done, "success")
    return redirect(url_for("review.case", application_id=application_id))


def refuse_oversized_letter(message: str):
    """An opinion letter over MAX_CONTENT_LENGTH, refused before its body is read (a 413):
    said beside the letter field of the case page's opinion form, as a letter that is no PDF
    is. None when the request is not such an upload (the plain 413 page)."""
    if request.endpoint != "review.add_opinion" or not current_user.is_authenticated:
        return None
    try:
        application = application_for(current_user, request.view_args["application_id"])
    except OperationError:
        return None
    refused = Invalid(message, errors={"letter": [message]})
    page = render_case(
        "review/case.html", application, failed="record_opinion", error=refused, values={}
    )
    return page, 413
