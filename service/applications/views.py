"""The issuer's pages, and the transition form every role posts to."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from service.access import application_for
from service.applications import operations, queries
from service.applications.attention import attention_for
from service.applications.casepage import refused_on_case, render_case
from service.errors import OperationError
from service.filings.seal import is_sealed
from service.timezone import korea_today
from service.versions import form_version
from service.web import STEP_HINTS, case_url, payload_from_form, transition_fields
from workflows.bilingual import pick
from workflows.lifecycle import BY_NAME, TRANSITIONS
from workflows.regime import CATEGORIES

bp = Blueprint("applications", __name__, url_prefix="/applications")


@bp.route("")
@login_required
def dashboard():
    if current_user.role != "issuer":
        return redirect(url_for("review.queue"))
    items, _cursor = queries.list_for(current_user, state=None, after=None, limit=200)
    return render_template(
        "applications/dashboard.html",
        applications=items,
        categories=CATEGORIES,
        attention=attention_for(current_user, items, korea_today()),
    )


@bp.route("", methods=["POST"])
@login_required
def create():
    application = operations.create_draft(current_user, request.form.get("category", ""))
    flash(_("A draft application was started."), "success")
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.route("/<int:application_id>")
@login_required
def detail(application_id: int):
    application = application_for(current_user, application_id)
    if current_user.role != "issuer":
        return redirect(url_for("review.case", application_id=application.id))
    return render_case("applications/detail.html", application)


# The regulator's decisions (the steps whose filing it seals: approval, refusal, suspension,
# reinstatement, revocation) are taken in two posts: the first shows what will happen.
DECISIONS = frozenset(t.name for t in TRANSITIONS if t.filing_kind and is_sealed(t.filing_kind))


@bp.route("/<int:application_id>/transitions/<name>", methods=["POST"])
@login_required
def apply_transition(application_id: int, name: str):
    if name not in BY_NAME:
        abort(404)
    application = application_for(current_user, application_id)
    payload = payload_from_form(name, request.form)
    version = form_version(request.form)
    confirming = name in DECISIONS and request.form.get("confirmed") != "yes"
    try:
        if confirming:
            data = operations.check_transition(
                application_id, name, current_user, payload, expected_version=version
            )
            return render_template(
                "applications/confirm.html",
                application=application,
                step=BY_NAME[name],
                hint=STEP_HINTS[name],
                entered=_entered(name, data),
                posted=[(k, v) for k, v in request.form.items(multi=True) if k != "confirmed"],
            )
        operations.transition(application_id, name, current_user, payload, expected_version=version)
    except OperationError as error:
        return refused_on_case(error, application, name, payload)
    flash(_("Done: %(step)s.", step=pick(BY_NAME[name].label)), "success")
    return redirect(case_url(current_user, application_id))


def _entered(name: str, data: dict) -> list[tuple[str, list[str]]]:
    """What the form carries, field by field in the form's order, as the confirm page
    restates it: each value as lines, a choice by its label."""
    rows = []
    for field_name, field in transition_fields(name):
        value = data.get(field.data_key or field_name)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        choices = {code: label for code, label in field.metadata.get("choices") or []}
        lines = [pick(choices[v]) if v in choices else str(v) for v in values]
        rows.append((pick(field.metadata.get("label")), lines))
    return rows
