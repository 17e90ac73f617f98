"""The forms of a change applied for in advance: the issuer's on its application page,
the approver's decision on the case page (docs/domain.md section 5)."""

from flask import Blueprint, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from service import policy
from service.access import application_for
from service.applications.casepage import refused_on_case
from service.changes.operations import apply_for_change, decide_change
from service.errors import OperationError
from service.versions import form_version
from service.web import case_url

bp = Blueprint("changes", __name__, url_prefix="/applications")

# The fields of both forms; an empty optional box is no answer.
FIELDS = (
    "kind",
    "planned_on",
    "description",
    "acquirer",
    "holding_before_pct",
    "holding_after_pct",
    "bank_shareholding_total_after_pct",
    "white_paper_version",
    "white_paper_date",
    "decision",
    "reasons",
)


@bp.route("/<int:application_id>/changes", methods=["POST"], endpoint="apply_for_change")
@login_required
def apply_for_change_form(application_id: int):
    application = application_for(current_user, application_id)
    policy.require(current_user, "change.apply", application)
    values = _values()
    try:
        apply_for_change(
            application_id, current_user, values, expected_version=form_version(request.form)
        )
    except OperationError as error:
        return refused_on_case(error, application, "apply_for_change", values)
    flash(_("Your application for the change was filed."), "success")
    return redirect(case_url(current_user, application.id))


@bp.route(
    "/<int:application_id>/changes/<int:change_id>/decision",
    methods=["POST"],
    endpoint="decide_change",
)
@login_required
def decide_change_form(application_id: int, change_id: int):
    application = application_for(current_user, application_id)
    policy.require(current_user, "change.decide", application)
    values = _values()
    try:
        change = decide_change(
            application_id,
            change_id,
            current_user,
            values,
            expected_version=form_version(request.form),
        )
    except OperationError as error:
        return refused_on_case(error, application, f"decide_change-{change_id}", values)
    if change.outcome == "approved":
        flash(_("The change was approved."), "success")
    else:
        flash(_("The change was refused."), "success")
    return redirect(case_url(current_user, application.id))


def _values() -> dict[str, str]:
    return {
        name: request.form[name]
        for name in FIELDS
        if name in request.form and request.form[name].strip()
    }
