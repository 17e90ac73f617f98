"""`/api/v1/registrations/<number>/reports` and `/findings`: reports filed, findings moved."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from forms.wind_down import RedemptionReportSchema
from service.api.auth import bearer_user, requires_token
from service.api.schemas import RedemptionReportOut
from service.errors import NotFound
from service.extensions import csrf
from service.json_bodies import json_object
from service.monitoring import findings, queries, reports, supervision, wind_down
from workflows.bilingual import pick
from workflows.monitoring import FINDING_STATUSES, REPORT_KINDS
from workflows.monitoring.findings import FINDING_MOVES_BY_NAME

blp = Blueprint("api_monitoring", __name__, url_prefix="/api/v1", description="Monitoring")
csrf.exempt(blp)


class ReportBody(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(REPORT_KINDS)))
    period = fields.String(
        load_default=None,
        metadata={"description": "the period's first day: 2026-09-01, 2026-09 or 2026-Q3"},
    )
    report = fields.Dict(required=True, metadata={"description": "forms/reports.py schema"})


class ReportOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    change = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)
    filed_on = fields.Date()
    late = fields.Boolean()
    resubmission = fields.Boolean()
    accession_number = fields.Function(lambda r: r.filing.accession_number)
    supersedes = fields.Function(
        lambda r: r.supersedes.filing.accession_number if r.supersedes else None
    )
    findings = fields.Function(lambda r: [f.rule for f in queries.findings_of_report(r.id)])
    report = fields.Dict(attribute="body")


class FindingOut(Schema):
    id = fields.Integer()
    registration_number = fields.Function(lambda f: f.registration.number)
    rule = fields.String()
    severity = fields.String()
    message = fields.Function(lambda f: pick(f.message))
    evidence = fields.Dict()
    flag_central_bank = fields.Boolean()
    status = fields.String(validate=validate.OneOf(list(FINDING_STATUSES)))
    status_since = fields.Date()
    opened_on = fields.Date()
    owner = fields.Function(lambda f: f.owner.email if f.owner else None)
    report_id = fields.Integer(allow_none=True)


class MoveBody(Schema):
    comment = fields.String(load_default=None)


@blp.route("/registrations/<number>/reports", methods=["GET"])
@requires_token
@blp.response(200, ReportOut(many=True))
def list_reports(number):
    """Every report of the registration, newest first, superseded ones included."""
    registration = supervision.registration_by_number(number, bearer_user())
    return queries.reports_for(registration)


@blp.route("/registrations/<number>/reports", methods=["POST"])
@requires_token
@blp.arguments(ReportBody)
@blp.response(201, ReportOut)
def file_report(body, number):
    """File a report (issuers); a second one for the same period supersedes the first."""
    user = bearer_user()
    kind, period = body["kind"], body["period"]
    return reports.submit_report(number, user, kind, body["report"], period=period)


@blp.route("/registrations/<number>/redemption-reports", methods=["GET"])
@requires_token
@blp.response(200, RedemptionReportOut(many=True))
def list_redemption_reports(number):
    """The redemption reports of a registration being or having been wound down, oldest
    first."""
    registration = supervision.registration_by_number(number, bearer_user())
    return wind_down.redemption_reports(registration)


@blp.route("/registrations/<number>/redemption-reports", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": RedemptionReportSchema}},
    }
)
@blp.response(201, RedemptionReportOut)
def file_redemption_report(number):
    """File a redemption report while the registration is wound down (issuers' officers);
    nothing outstanding and no holder left ends the wind-down on the day it is as of."""
    filing = wind_down.file_redemption_report(number, bearer_user(), json_object())
    return wind_down.redemption_report_of(filing), 201


@blp.route("/registrations/<number>/findings", methods=["GET"])
@requires_token
@blp.response(200, FindingOut(many=True))
def list_findings(number):
    """The registration's findings, open and critical first."""
    registration = supervision.registration_by_number(number, bearer_user())
    return queries.findings_for(registration.id)


@blp.route("/findings/<int:finding_id>/moves/<move>", methods=["POST"])
@requires_token
@blp.arguments(MoveBody)
@blp.response(200, FindingOut)
def move_finding(body, finding_id, move):
    """Acknowledge, request_remedy, close, escalate (supervisors) or resolve (approvers)."""
    if move not in FINDING_MOVES_BY_NAME:
        raise NotFound(f"No move named '{move}'.", code="unknown_move")
    return findings.move_finding(finding_id, move, bearer_user(), body["comment"])
