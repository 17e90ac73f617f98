"""The auditor's desk: search filings, download them, export the audit log and a
period as a verifiable ZIP, see the chain's integrity. Auditors and
administrators; read-only (every route is GET) but for the administrator's start of a
full verification."""

import tempfile
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forms.fields import in_calendar, outside_calendar
from service import policy
from service.access import application_for
from service.audit import chain
from service.auditor import records
from service.errors import Invalid
from service.extensions import db
from service.filings import queries
from service.filings.kinds import KIND_TITLES
from service.models import AuditHead
from service.timezone import korea_today
from service.web import whole_number

bp = Blueprint("auditor", __name__, url_prefix="/audit")


@bp.before_request
@login_required
def auditors_only():
    policy.require(current_user, "audit.read")


def _day(name: str) -> date | None:
    """A day of the query string; text that is no date is no filter, a date outside the
    calendar the forms take (1900 to 2199) is refused with the range."""
    try:
        day = date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None
    if not in_calendar(day):
        message = outside_calendar()
        raise Invalid(message, code="date_out_of_range", errors={name: [message]})
    return day


@bp.route("")
def filings():
    search = {
        "organization_id": whole_number(request.args.get("organization_id")),
        "kind": request.args.get("kind") or None,
        "accession": request.args.get("accession") or None,
        "filed_from": _day("filed_from"),
        "filed_to": _day("filed_to"),
    }
    errors = {}
    if search["filed_from"] and search["filed_to"] and search["filed_from"] > search["filed_to"]:
        # No filing can match: say why beside the dates instead of showing an empty list.
        errors["filed_to"] = _(
            "The end date %(to)s is before the start date %(start)s: "
            "swap them or change one to search.",
            to=search["filed_to"].isoformat(),
            start=search["filed_from"].isoformat(),
        )
        page = None
    else:
        after = whole_number(request.args.get("after"))
        page = queries.search(current_user, **search, after=after)
    return render_template(
        "auditor/filings.html",
        page=page,
        errors=errors,
        search=search,
        kinds=sorted(set(queries.kinds()) | set(KIND_TITLES) - {"audit_extract"}),
        organizations=queries.organizations(),
    )


@bp.route("/integrity")
def integrity():
    last_full = chain.last_full_verification(db.session)
    recent = chain.since_last_full_verification(db.session)
    running = chain.unfinished_verification(db.session)
    return render_template(
        "auditor/integrity.html", result=recent, last_full=last_full, running=running
    )


@bp.route("/integrity/verifications", methods=["POST"])
def start_verification():
    """The administrator starts a full pass as a job (the API's POST /audit/verifications)."""
    if not policy.allows(current_user, "audit.verify.start"):
        abort(403)
    try:
        chain.start_full_verification_job(current_user.email)
    except chain.FullPassRunning:
        flash(_("A full verification is already queued or running."), "error")
        return redirect(url_for("auditor.integrity"), 303)
    flash(_("The full verification was started."), "success")
    return redirect(url_for("auditor.integrity"), 303)


@bp.route("/events.csv")
def all_events_csv():
    return events_csv_response(None, "audit-events.csv")


@bp.route("/cases/<int:application_id>/events.csv")
def case_events_csv(application_id: int):
    application = application_for(current_user, application_id)
    return events_csv_response(application.id, f"audit-events-case-{application.id}.csv")


@bp.route("/cases/<int:application_id>/trail.pdf")
def case_trail_pdf(application_id: int):
    application = application_for(current_user, application_id)
    response = Response(records.audit_extract_pdf(application), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="audit-trail-case-{application.id}.pdf"'
    )
    return response


@bp.route("/export.zip")
def export():
    return export_response(_day("filed_from"), _day("filed_to"))


def export_response(filed_from: date | None, filed_to: date | None) -> Response:
    """The period's verifiable ZIP, for this desk and GET /api/v1/audit/export.zip."""
    # send_file closes the spool when the response is done.
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    records.write_export(spool, filed_from, filed_to)
    spool.seek(0)
    period = f"{filed_from or 'start'}_{filed_to or korea_today()}"
    return send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"issuer-registry-export-{period}.zip",
    )


def events_csv_response(application_id: int | None, filename: str) -> Response:
    """The chain's events as CSV, for this desk and GET /api/v1/audit/events.csv."""
    # Read here, in the request: the file ends at the chain's head as it is now.
    upto = db.session.execute(select(AuditHead.length)).scalar_one()
    response = Response(
        stream_with_context(records.streamed_events_csv(application_id, upto)),
        mimetype="text/csv; charset=utf-8",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
