"""The issuer's application form: task list, one page per section, documents,
check answers, submit; answering a request; withdrawing. Each view parses,
calls one operation or query, and renders or redirects."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from forms.documents import DOCUMENT_TYPES
from forms.sections import UnknownSection, section_schema
from forms.sections.guidance import SECTION_BASIS, section_guidance
from service import policy, spreadsheets
from service.access import application_for
from service.applications import operations
from service.applications.completeness import section_context
from service.documents import operations as documents
from service.documents.download import send_document
from service.errors import (
    Invalid,
    NotFound,
    OperationError,
)
from service.formdata import read_form
from service.sections import queries
from service.sections.operations import EDITABLE_STATES, SUBMITTING_STATES, save_section
from service.timezone import korea_today
from service.versions import check_version, form_version
from service.web import case_url, local_target, refused_step
from workflows.bilingual import current_locale, localize, pick
from workflows.lifecycle import BY_NAME

bp = Blueprint("sections", __name__, url_prefix="/applications/<int:application_id>")


@bp.before_request
@login_required
def signed_in():
    """Every page here needs a signed-in user; the case itself is checked per view."""


@bp.context_processor
def form_vocabulary():
    return {
        "document_types": DOCUMENT_TYPES,
        "withdrawable_states": BY_NAME["withdraw"].sources,
        "max_upload_mb": current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024),
        "version_of": {},
    }


@bp.route("/tasks")
def tasks(application_id: int):
    application = application_for(current_user, application_id)
    today = korea_today()
    return render_template(
        "sections/tasks.html",
        application=application,
        tasks=queries.tasks(application, today),
        returned=queries.latest_filing(application, "incompleteness_notice"),
        editable=_holds_pen(application, EDITABLE_STATES),
        amended=queries.amended(application),
    )


@bp.route("/sections/<name>", methods=["GET", "POST"])
def section(application_id: int, name: str):
    application = application_for(current_user, application_id)
    if request.method == "GET":
        return render_section(application, name)
    raw = _posted(application, name)
    # Both buttons save what is valid, so neither "add another row" nor an answer refused
    # beside right ones loses what was typed right (docs/design.md, "Numbers as typed").
    try:
        save_section(
            application_id, name, raw, current_user, form_version(request.form), keep_valid=True
        )
    except Invalid as error:
        if error.code == "partly_saved":
            flash(_("Your other answers were saved. Correct the answers marked below."), "info")
        return render_section(application, name, values=raw, errors=error.errors), 422
    if "add_row" in request.form:
        # The page again with what was typed, and a new empty row after the last.
        flash(_("Your answers were saved. Fill in the new row below."), "success")
        return render_section(application, name, values=raw)
    flash(_("Your answers were saved."), "success")
    return redirect(url_for("sections.tasks", application_id=application_id))


@bp.route("/sections/<name>/table.xlsx")
def section_table_template(application_id: int, name: str):
    """A repeating table of the section as a workbook, holding its saved rows (the business
    plan's months laid out)."""
    application = application_for(current_user, application_id)
    table = request.args.get("table", "")
    field = _repeating_table(application, name, table)
    saved = (application.sections or {}).get(name) or {}
    rows = queries.with_plan_months(name, saved, application, korea_today()).get(table) or []
    label = pick(field.metadata.get("label"))
    data = spreadsheets.template(field.inner.schema, rows, current_locale(), label)
    return spreadsheets.workbook_response(data, f"application-{application_id}-{table}.xlsx")


@bp.route("/sections/<name>/table", methods=["POST"])
def upload_section_table(application_id: int, name: str):
    """Fill a repeating table of the section from a workbook, every row through the row
    schema; the section is saved (against the version the page was read at) only if all
    of them pass."""
    application = application_for(current_user, application_id)
    policy.require(current_user, "application.edit", application)
    # A stale page is refused before its workbook is read; the save checks again under
    # the case's lock.
    check_version(application.version, form_version(request.form))
    table = request.form.get("table", "")
    field = _repeating_table(application, name, table)
    answers = dict((application.sections or {}).get(name) or {})
    try:
        rows = spreadsheets.rows_from_request(field, request.files, table)
    except spreadsheets.SpreadsheetRefused as refused:
        return render_section(application, name, errors=refused.errors(table)), 422
    answers[table] = rows
    try:
        save_section(application_id, name, answers, current_user, form_version(request.form))
    except Invalid as error:
        return render_section(application, name, values=answers, errors=error.errors), 422
    flash(
        ngettext(
            "%(num)d row of \u201c%(table)s\u201d filled from the workbook and saved.",
            "%(num)d rows of \u201c%(table)s\u201d filled from the workbook and saved.",
            len(rows),
            table=pick(field.metadata.get("label")),
        ),
        "success",
    )
    target = url_for("sections.section", application_id=application_id, name=name)
    return redirect(f"{target}#field-{table}")


def _repeating_table(application, name: str, table: str):
    field = spreadsheets.repeating_table(_schema(application, name), table)
    if field is None:
        raise NotFound(f"The section '{name}' has no table named '{table}'.")
    return field


@bp.route("/check")
def check(application_id: int):
    application = application_for(current_user, application_id)
    today = korea_today()
    return render_template(
        "sections/check.html",
        application=application,
        tasks=queries.tasks(application, today),
        schemas=_schemas(application, today),
        missing=queries.missing(application, today),
        versions=queries.document_versions(application),
        submit_name="resubmit" if application.state == "returned_incomplete" else "submit",
        editable=_holds_pen(application, EDITABLE_STATES),
        submittable=_holds_pen(application, SUBMITTING_STATES),
        officer=policy.allows(current_user, "application.sign", application),
        amended=queries.amended(application),
    )


@bp.route("/submit", methods=["POST"])
def submit(application_id: int):
    application = application_for(current_user, application_id)
    name = "resubmit" if application.state == "returned_incomplete" else "submit"
    version = form_version(request.form)
    try:
        operations.transition(application_id, name, current_user, {}, expected_version=version)
    except OperationError as error:
        # The check page again, with the reason (service/web.py, `refused_step`).
        return refused_step(error, lambda invalid: check(application_id))
    return redirect(url_for("sections.submitted", application_id=application_id))


@bp.route("/submitted")
def submitted(application_id: int):
    application = application_for(current_user, application_id)
    filing = queries.latest_filing(application, "application")
    return render_template("sections/submitted.html", application=application, filing=filing)


@bp.route("/documents")
def documents_page(application_id: int):
    application = application_for(current_user, application_id)
    return render_documents(application)


@bp.route("/documents", methods=["POST"])
def upload(application_id: int):
    application = application_for(current_user, application_id)
    kind = request.form.get("document_type", "")
    upload = request.files.get(f"file-{kind}") or request.files.get("file")
    data = documents.read_upload(upload.stream if upload else None)
    try:
        documents.add_document(application, current_user, kind, _filename(upload), data)
    except Invalid as error:
        errors = {kind: localize((error.errors or {}).get("file") or [error.message])}
        back = request.form.get("section")
        if back:
            return render_section(application, back, upload_errors=errors), 422
        return render_documents(application, upload_errors=errors), 422
    flash(_("The document was uploaded."), "success")
    return redirect(
        local_target(request.form.get("next"))
        or url_for(".documents_page", application_id=application_id)
    )


def refuse_oversized_upload(message: str):
    """A file over MAX_CONTENT_LENGTH, refused before its body is read (a 413): the form
    does not reach the view, so the upload form's address names its document type and
    section, and the refusal is shown beside that upload field like any other, on the page
    the form was on. None when the request is not such an upload (the plain 413 page)."""
    kind = request.args.get("document_type", "")
    if request.endpoint != "sections.upload" or kind not in DOCUMENT_TYPES:
        return None
    if not current_user.is_authenticated:
        return None
    try:
        application = application_for(current_user, request.view_args["application_id"])
        back = request.args.get("section")
        errors = {kind: [message]}
        if back:
            return render_section(application, back, upload_errors=errors), 413
        return render_documents(application, upload_errors=errors), 413
    except (OperationError, UnknownSection, StopIteration):
        return None


@bp.route("/documents/<int:document_id>")
def download(application_id: int, document_id: int):
    document = documents.document_for(current_user, application_id, document_id)
    return send_document(document)


@bp.route("/respond", methods=["GET", "POST"])
def respond(application_id: int):
    application = application_for(current_user, application_id)
    request_ = application.open_request
    if request.method == "GET":
        return render_respond(application, request_)
    # Without an open request the operation still answers: 403 to a role that may not
    # respond, 409 (the state) to the issuer.
    questions = request_.questions if request_ else []
    answers = [request.form.get(f"answers-{i}", "").strip() for i in range(len(questions))]
    version = form_version(request.form)
    try:
        operations.transition(
            application_id, "respond", current_user, {"answers": answers}, expected_version=version
        )
    except OperationError as error:
        if request_ is None and not isinstance(error, Invalid):
            raise
        # An amended answer left unfinished, or a stale page: the answers again, with why.
        return refused_step(
            error,
            lambda invalid: render_respond(application, request_, answers=answers, error=invalid),
        )
    flash(_("Your answers were sent to the reviewer."), "success")
    return redirect(url_for("applications.detail", application_id=application_id))


def render_respond(application, open_request, answers=None, error=None):
    """The answer page, with the sections the response files again as amended and what
    they still lack."""
    today = korea_today()
    return render_template(
        "sections/respond.html",
        application=application,
        open_request=open_request,
        answers=answers,
        error=error,
        amended=queries.amended(application),
        missing=queries.missing(application, today) if open_request else [],
        titles={task.name: task.spec.title for task in queries.tasks(application, today)},
    )


@bp.route("/withdraw", methods=["GET", "POST"])
def withdraw(application_id: int):
    application = application_for(current_user, application_id)
    if request.method == "GET":
        return render_template("sections/withdraw.html", application=application)
    payload = {"reason": request.form.get("reason", "").strip()}
    version = form_version(request.form)
    try:
        operations.transition(
            application_id, "withdraw", current_user, payload, expected_version=version
        )
    except OperationError as error:
        return refused_step(
            error,
            lambda invalid: render_template(
                "sections/withdraw.html", application=application, error=invalid, values=payload
            ),
        )
    flash(_("The application was withdrawn."), "success")
    return redirect(case_url(current_user, application_id))


# -- helpers shared by the views --------------------------------------------------


def _schema(application, name: str, today=None):
    ctx = section_context(application, today or korea_today(), operations.regime())
    try:
        return section_schema(name, ctx)
    except UnknownSection:
        raise NotFound(f"The application has no section named '{name}'.") from None


def _schemas(application, today):
    return {
        task.name: _schema(application, task.name, today)
        for task in queries.tasks(application, today)
    }


def _posted(application, name: str) -> dict:
    return read_form(_schema(application, name), request.form)


def render_section(application, name, values=None, errors=None, upload_errors=None):
    today = korea_today()
    schema = _schema(application, name, today)
    saved = (application.sections or {}).get(name) or {}
    task = next(task for task in queries.tasks(application, today) if task.name == name)
    return render_template(
        "sections/section.html",
        application=application,
        task=task,
        schema=schema,
        guidance=section_guidance(name, schema),
        basis=SECTION_BASIS[name],
        values=queries.with_plan_months(
            name, values if values is not None else saved, application, today
        ),
        errors=errors if errors is not None else queries.section_errors(application, name, today),
        upload_errors=upload_errors or {},
        editable=_holds_pen(application, EDITABLE_STATES),
        uploads_open=_holds_pen(application, documents.UPLOAD_STATES),
        version_of=_version_of(application),
    )


def render_documents(application, upload_errors=None):
    return render_template(
        "sections/documents.html",
        application=application,
        versions=queries.document_versions(application),
        latest_by_type=queries.latest_documents(application),
        version_of=_version_of(application),
        types=queries.document_types_for(application),
        upload_errors=upload_errors or {},
        uploads_open=_holds_pen(application, documents.UPLOAD_STATES),
    )


def _holds_pen(application, states) -> bool:
    """The applicant's own issuer, in a state where the applicant acts: show the forms."""
    return policy.allows(current_user, "application.edit", application) and (
        application.state in states
    )


def _version_of(application) -> dict[int, int]:
    return {row["document"].id: row["version"] for row in queries.document_versions(application)}


def _filename(upload) -> str:
    return (upload.filename if upload else "") or "document.pdf"
