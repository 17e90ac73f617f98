"""Supervision pages: the dashboard, one issuer's calendar and findings, report forms, actions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from forms.reports import REPORT_SCHEMAS
from service import policy, spreadsheets
from service.applications.operations import options_for
from service.changes.queries import changes_page
from service.errors import Conflict, Invalid
from service.formdata import read_form
from service.hearings.queries import notices_for, objections_page
from service.monitoring import (
    drafts,
    findings,
    issuance,
    letters,
    queries,
    renewal,
    supervision,
    wind_down,
)
from service.timezone import korea_today
from service.web import whole_number
from workflows.bilingual import current_locale, localize, pick
from workflows.monitoring import REPORT_KINDS, SEVERITY_LABELS, finding_moves_from

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")


@bp.before_request
@login_required
def supervision_roles_and_issuers():
    # Every regulator reads supervision, as it reads every submitted case: a reviewer
    # examining a renewal needs the registration's findings (service/policy.py).
    policy.require(current_user, "supervision.desk")


@bp.context_processor
def helpers():
    return {
        "today_kst": korea_today,
        "report_kind_label": lambda kind: REPORT_KINDS[kind].label,
    }


@bp.route("")
def dashboard():
    if current_user.role == "issuer":
        registrations = queries.registrations_of(current_user.organization_id)
        return render_template("monitoring/mine.html", registrations=registrations)
    return render_template("monitoring/dashboard.html", view=queries.overview(korea_today()))


@bp.route("/registrations/<number>")
def registration(number: str):
    return _registration_page(number)


def _registration_page(number: str, status: int = 200, **failed):
    """The supervision page; `failed`: a form refused on it (failed, error, values)."""
    registration = supervision.registration_by_number(number, current_user)
    today = korea_today()
    page = render_template(
        "monitoring/registration.html",
        page=queries.issuer_page(registration, today),
        options=options_for(current_user, registration.application),
        # A suspension or revocation follows a notice given here (docs/domain.md section 4,
        # hearing), so the supervisor's page carries the hearing too.
        application=registration.application,
        notices=notices_for(registration.application_id),
        objections=objections_page(registration.application, today),
        changes=changes_page(registration.application),
        redemption_reports=wind_down.redemption_reports(registration),
        today=today,
        moves_for=lambda finding: finding_moves_from(finding.status, current_user.role),
        acting=policy.allows(current_user, "warning.send", registration),
        severity_labels=SEVERITY_LABELS,
        **{"values": {}, **failed},
    )
    return page, status


@bp.route("/registrations/<number>/redemption-reports", methods=["POST"])
def file_redemption_report(number: str):
    """The issuer's redemption report while the registration is wound down (docs/domain.md
    section 4, wind-down)."""
    values = {k: v for k, v in request.form.items() if k != "csrf_token" and v.strip()}
    try:
        filing = wind_down.file_redemption_report(number, current_user, values)
    except Invalid as error:
        return _registration_page(
            number, 422, failed="file_redemption_report", error=error, values=values
        )
    flash(_("Redemption report %(number)s filed.", number=filing.accession_number), "success")
    return redirect(url_for("monitoring.registration", number=number))


@bp.route("/registrations/<number>/reports/new")
def new_report(number: str):
    """The report form, holding the saved draft if there is one."""
    registration = supervision.registration_by_number(number, current_user)
    kind = request.args.get("kind", "")
    if kind not in REPORT_SCHEMAS or not policy.allows(current_user, "report.form"):
        abort(404)
    draft = drafts.report_draft(registration, kind)
    if draft is not None:
        return render_report_form(registration, kind, draft.body, draft=draft)
    values = {k: v for k, v in request.args.items() if k in ("period_start", "period_end")}
    return render_report_form(registration, kind, values)


@bp.route("/registrations/<number>/reports/draft", methods=["POST"])
def save_report_draft(number: str):
    """Save what was typed (also to add a row); then, if asked, go on to check it."""
    registration = supervision.registration_by_number(number, current_user)
    kind, action = request.form.get("kind", ""), request.form.get("action", "save")
    if kind not in REPORT_SCHEMAS or action not in ("save", "check", "discard"):
        abort(404)
    if action == "discard":
        drafts.discard_report_draft(number, current_user, kind)
        flash(_("The draft was discarded."), "success")
        return redirect(url_for("monitoring.registration", number=number))
    body = read_form(REPORT_SCHEMAS[kind](category=registration.category), request.form)
    draft = drafts.save_report_draft(number, current_user, kind, body)
    if action == "save":
        flash(_("Draft saved. Nothing is filed until you check your answers and file."), "success")
        return redirect(url_for("monitoring.new_report", number=number, kind=kind))
    try:
        drafts.preview_report_draft(number, current_user, kind)
    except Invalid as error:
        return render_report_form(registration, kind, body, error.errors, draft), 422
    return redirect(url_for("monitoring.check_report", number=number, kind=kind))


def _report_table(registration, kind: str, table: str):
    """The report's repeating table `table`, or 404."""
    if kind not in REPORT_SCHEMAS or not policy.allows(current_user, "report.form"):
        abort(404)
    field = spreadsheets.repeating_table(
        REPORT_SCHEMAS[kind](category=registration.category), table
    )
    if field is None:
        abort(404)
    return field


@bp.route("/registrations/<number>/reports/table.xlsx")
def report_table_template(number: str):
    """A report's table as a workbook to fill in, holding the draft's rows."""
    registration = supervision.registration_by_number(number, current_user)
    kind, table = request.args.get("kind", ""), request.args.get("table", "")
    field = _report_table(registration, kind, table)
    draft = drafts.report_draft(registration, kind)
    rows = (draft.body.get(table) if draft else None) or []
    label = pick(field.metadata.get("label"))
    data = spreadsheets.template(field.inner.schema, rows, current_locale(), label)
    return spreadsheets.workbook_response(data, f"{registration.number}-{kind}-{table}.xlsx")


@bp.route("/registrations/<number>/reports/table", methods=["POST"])
def upload_report_table(number: str):
    """Fill a report's table from a workbook: every row through the table's schema, the
    draft changed only if all of them pass."""
    registration = supervision.registration_by_number(number, current_user)
    kind, table = request.form.get("kind", ""), request.form.get("table", "")
    field = _report_table(registration, kind, table)
    draft = drafts.report_draft(registration, kind)
    body = dict(draft.body) if draft else {}
    try:
        rows = spreadsheets.rows_from_request(field, request.files, table)
    except spreadsheets.SpreadsheetRefused as refused:
        return render_report_form(registration, kind, body, refused.errors(table), draft), 422
    body[table] = rows
    drafts.save_report_draft(number, current_user, kind, body)
    flash(
        ngettext(
            "%(num)d row of “%(table)s” filled from the workbook and saved in the "
            "draft. Check them, then check your answers.",
            "%(num)d rows of “%(table)s” filled from the workbook and saved in the "
            "draft. Check them, then check your answers.",
            len(rows),
            table=pick(field.metadata.get("label")),
        ),
        "success",
    )
    return redirect(url_for("monitoring.new_report", number=number, kind=kind) + f"#field-{table}")


@bp.route("/registrations/<number>/reports/check")
def check_report(number: str):
    """The saved draft as it would be filed: its answers, the obligation it meets and what
    the automatic checks will raise, with the one button that files it."""
    registration = supervision.registration_by_number(number, current_user)
    kind = request.args.get("kind", "")
    if kind not in REPORT_SCHEMAS or not policy.allows(current_user, "report.form"):
        abort(404)
    try:
        draft, prepared = drafts.preview_report_draft(number, current_user, kind)
    except Invalid as error:
        draft = drafts.report_draft(registration, kind)
        if draft is None:
            return redirect(url_for("monitoring.new_report", number=number, kind=kind))
        return render_report_form(registration, kind, draft.body, error.errors, draft), 422
    return render_template(
        "monitoring/report_check.html",
        registration=registration,
        kind=kind,
        schema=REPORT_SCHEMAS[kind](category=registration.category),
        report_kinds=REPORT_KINDS,
        prepared=prepared,
        findings=prepared.findings(),
        fingerprint=drafts.draft_fingerprint(draft),
        severity_labels=SEVERITY_LABELS,
    )


@bp.route("/registrations/<number>/reports", methods=["POST"])
def file_report(number: str):
    """File the draft the issuer checked, as the check page showed it."""
    kind = request.form.get("kind", "")
    if kind not in REPORT_SCHEMAS:
        abort(404)
    try:
        report = drafts.file_report_draft(
            number, current_user, kind, request.form.get("fingerprint")
        )
    except (Invalid, Conflict) as error:
        if error.code not in ("no_draft", "draft_changed"):
            raise
        flash(localize(error.errors["kind"][0]), "error")
        again = "check_report" if error.code == "draft_changed" else "new_report"
        return redirect(url_for(f"monitoring.{again}", number=number, kind=kind))
    flash(_("Report filed as %(number)s.", number=report.filing.accession_number), "success")
    return redirect(url_for("monitoring.registration", number=number))


def render_report_form(registration, kind, values, errors=None, draft=None):
    return render_template(
        "monitoring/report_form.html",
        registration=registration,
        kind=kind,
        schema=REPORT_SCHEMAS[kind](category=registration.category),
        report_kinds=REPORT_KINDS,
        values=values,
        errors=errors,
        draft=draft,
    )


@bp.route("/findings/<int:finding_id>", methods=["POST"])
def move_finding(finding_id: int):
    move, comment = request.form.get("move", ""), request.form.get("comment")
    finding = findings.move_finding(finding_id, move, current_user, comment)
    flash(_("The finding was updated."), "success")
    return redirect(url_for("monitoring.registration", number=finding.registration.number))


@bp.route("/registrations/<number>/warning-letter", methods=["POST"])
def warning_letter(number: str):
    ids = [n for n in map(whole_number, request.form.getlist("finding")) if n is not None]
    filing = letters.warning_letter(number, current_user, request.form.get("reasons"), ids)
    flash(_("Warning letter %(number)s sent.", number=filing.accession_number), "success")
    return redirect(url_for("monitoring.registration", number=number))


@bp.route("/registrations/<number>/issuance", methods=["POST"])
def supervise_issuance(number: str):
    """The issuance cap and the restriction of new issuance (docs/domain.md section 5)."""
    action = request.form.get("action", "")
    reason = request.form.get("reason")
    if action == "cap":
        issuance.set_issuance_cap(number, current_user, request.form.get("cap_krw"), reason)
        flash(_("The issuance cap is recorded."), "success")
    elif action == "restrict":
        issuance.restrict_issuance(number, current_user, reason)
        flash(_("New issuance is restricted; redemptions go on."), "success")
    elif action == "lift":
        issuance.lift_issuance_restriction(number, current_user, reason)
        flash(_("The restriction of new issuance is lifted."), "success")
    else:
        abort(400)
    return redirect(url_for("monitoring.registration", number=number))


@bp.route("/registrations/<number>/renewal", methods=["POST"])
def open_renewal(number: str):
    application = renewal.open_renewal(number, current_user)
    flash(_("A renewal application was started from your last filing."), "success")
    return redirect(url_for("applications.detail", application_id=application.id))
