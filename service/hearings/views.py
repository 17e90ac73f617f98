"""The forms of a hearing: the regulator's notice of intended action on the case page, the
issuer's comments on its application page (docs/domain.md section 4, hearing)."""

from flask import Blueprint, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from service import policy
from service.access import application_for
from service.applications.casepage import refused_on_case
from service.errors import OperationError
from service.hearings import objections
from service.hearings.operations import file_comments, give_notice
from service.versions import form_version
from service.web import case_url, local_target

bp = Blueprint("hearings", __name__, url_prefix="/applications")

FIELDS = ("action", "grounds", "comment_deadline", "comments", "reasons")


@bp.route("/<int:application_id>/notices", methods=["POST"], endpoint="give_notice")
@login_required
def give_notice_form(application_id: int):
    application = application_for(current_user, application_id)
    policy.require(current_user, "notice.give", application)
    values = _values()
    return _answer(
        application,
        "give_notice",
        values,
        lambda: give_notice(
            application_id, current_user, values, expected_version=form_version(request.form)
        ),
        _("The notice of intended action was sent to the issuer."),
        back=local_target(request.form.get("next")),
    )


@bp.route(
    "/<int:application_id>/notices/<int:notice_id>/comments",
    methods=["POST"],
    endpoint="file_comments",
)
@login_required
def file_comments_form(application_id: int, notice_id: int):
    application = application_for(current_user, application_id)
    policy.require(current_user, "notice.comment", application)
    values = _values()
    return _answer(
        application,
        f"file_comments-{notice_id}",
        values,
        lambda: file_comments(
            application_id,
            notice_id,
            current_user,
            values,
            expected_version=form_version(request.form),
        ),
        _("Your comments were filed."),
    )


@bp.route("/<int:application_id>/objections", methods=["POST"], endpoint="lodge_objection")
@login_required
def lodge_objection_form(application_id: int):
    application = application_for(current_user, application_id)
    policy.require(current_user, "objection.lodge", application)
    values = _values()
    return _answer(
        application,
        "lodge_objection",
        values,
        lambda: objections.lodge_objection(
            application_id, current_user, values, expected_version=form_version(request.form)
        ),
        _("Your objection was lodged."),
    )


@bp.route(
    "/<int:application_id>/objections/<int:objection_id>/dismissal",
    methods=["POST"],
    endpoint="dismiss_objection",
)
@login_required
def dismiss_objection_form(application_id: int, objection_id: int):
    application = application_for(current_user, application_id)
    policy.require(current_user, "objection.decide", application)
    values = _values()
    return _answer(
        application,
        f"dismiss_objection-{objection_id}",
        values,
        lambda: objections.dismiss_objection(
            application_id,
            objection_id,
            current_user,
            values,
            expected_version=form_version(request.form),
        ),
        _("The objection was dismissed."),
    )


def _values() -> dict[str, str]:
    return {name: request.form[name] for name in FIELDS if name in request.form}


def _answer(application, failed: str, values: dict, operation, done: str, back=None):
    """The one web answer of a step (service.web.refused_step): a refused answer on the
    form (422), a refusal by state or version above the page as it stands."""
    try:
        operation()
    except OperationError as error:
        return refused_on_case(error, application, failed, values)
    flash(done, "success")
    return redirect(back or case_url(current_user, application.id))
