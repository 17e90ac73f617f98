"""`/api/v1/applications`: list, create, read, transitions, events."""

from flask import request, url_for
from flask_smorest import Blueprint

from forms.changes import ChangeApplicationSchema, ChangeDecisionSchema
from forms.hearings import CommentsSchema, DismissalSchema, NoticeSchema, ObjectionSchema
from service.access import application_for
from service.api.auth import bearer_user, requires_token
from service.api.contract import headers
from service.api.schemas import (
    ApplicationCreate,
    ApplicationListOut,
    ApplicationListQuery,
    ApplicationOut,
    ChangeOut,
    EventOut,
    NoticeOut,
    ObjectionOut,
    OpinionOut,
    OpinionUpload,
    TransitionOptionOut,
    TransitionOut,
)
from service.applications import operations, queries
from service.changes import operations as change_operations
from service.changes.queries import changes_page
from service.errors import PreconditionFailed, PreconditionRequired
from service.extensions import csrf
from service.hearings import objections
from service.hearings import operations as hearing_operations
from service.hearings.queries import notices_for, objections_for
from service.json_bodies import json_object
from service.review import operations as review_operations
from service.review import queries as review_queries
from service.timezone import korea_today
from service.web import whole_number
from workflows.bilingual import current_locale, pick, t
from workflows.lifecycle import STATE_LABELS

blp = Blueprint(
    "api_applications", __name__, url_prefix="/api/v1/applications", description="Applications"
)
csrf.exempt(blp)


@blp.route("", methods=["GET"])
@requires_token
@blp.arguments(ApplicationListQuery, location="query")
@blp.response(200, ApplicationListOut)
def list_applications(query):
    """The applications the caller may see, newest first (`after`: keyset cursor)."""
    user = bearer_user()
    items, next_cursor = queries.list_for(
        user, state=query.get("state"), after=query.get("after"), limit=query["limit"]
    )
    today = korea_today()
    return {"items": [queries.present(a, user, today) for a in items], "next_cursor": next_cursor}


@blp.route("", methods=["POST"])
@requires_token
@blp.arguments(ApplicationCreate)
@blp.response(201, ApplicationOut, headers=headers("ETag"))
def create_application(body):
    """Start a draft application of a category (issuers)."""
    user = bearer_user()
    application = operations.create_draft(user, body["category"])
    case = queries.present(application, user, korea_today(), with_status=True)
    return case, 201, {"ETag": application.etag}


@blp.route("/<int:application_id>", methods=["GET"])
@requires_token
@blp.response(200, ApplicationOut, headers=headers("ETag"))
def get_application(application_id):
    """One application; its ETag is its version, for If-Match on changes."""
    user = bearer_user()
    application = application_for(user, application_id)
    case = queries.present(application, user, korea_today(), with_status=True)
    return case, 200, {"ETag": application.etag}


@blp.route("/<int:application_id>/transitions", methods=["GET"])
@requires_token
@blp.response(200, TransitionOptionOut(many=True))
def list_transitions(application_id):
    """Every transition leaving the current state: allowed for the caller, or why not."""
    user = bearer_user()
    application = application_for(user, application_id)
    locale = current_locale()
    return [
        {
            "name": option.transition.name,
            "label": option.transition.label.pick(locale),
            "to_state": option.transition.dest,
            "allowed": option.allowed,
            "reason": option.reason.text(locale) if option.reason else None,
        }
        for option in operations.options_for(user, application)
    ]


@blp.route("/<int:application_id>/transitions/<name>", methods=["POST"])
@requires_token
@blp.doc(
    # Published as one path per step, each with its step's body (service/api/published.py).
    parameters=[
        {
            "in": "header",
            "name": "If-Match",
            "required": True,
            "description": "the ETag of the version last read, or * for any",
            "schema": {"type": "string", "pattern": r'^(\*|(W/)?"[0-9]{1,9}(:[a-z]+)?")$'},
        }
    ],
)
@blp.response(200, TransitionOut, headers=headers("ETag"))
@blp.alt_response(412, response="PRECONDITION_FAILED")
@blp.alt_response(428, response="PRECONDITION_REQUIRED")
def post_transition(application_id, name):
    """Apply a transition; `If-Match` must carry the version the caller last read. The answer
    is where the case now stands, with the link to the whole application."""
    # The case is read once, under its lock, by the step itself (404 there when the
    # caller may not read it): a read before it would be a statement more per step.
    user = bearer_user()
    expected = _if_match_version()
    body = json_object()
    moved = operations.transition(application_id, name, user, body, expected_version=expected)
    answer = {
        "id": moved.id,
        "category": moved.category,
        "state": moved.state,
        "state_label": pick(STATE_LABELS[moved.state]),
        "version": moved.version,
        "links": {"application": url_for(".get_application", application_id=moved.id)},
    }
    return answer, 200, {"ETag": moved.etag}


@blp.route("/<int:application_id>/opinions", methods=["GET"])
@requires_token
@blp.response(200, OpinionOut(many=True))
def list_opinions(application_id):
    """The opinions recorded on a KRW stablecoin case (regulator only), oldest first."""
    user = bearer_user()
    application = application_for(user, application_id)
    return review_queries.opinions_for(user, application)


@blp.route("/<int:application_id>/opinions", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "description": "multipart/form-data: the opinion's fields and its `letter` as a PDF file.",
        "content": {"multipart/form-data": {"schema": OpinionUpload}},
    }
)
@blp.response(201, OpinionOut)
def post_opinion(application_id):
    """Record the Bank of Korea's or the ministry's opinion on a KRW stablecoin case."""
    user = bearer_user()
    application_for(user, application_id)
    upload = request.files.get("letter")
    letter = (upload.filename or "letter.pdf", upload.read()) if upload else None
    opinion = review_operations.record_opinion(application_id, user, request.form.to_dict(), letter)
    return opinion, 201


@blp.route("/<int:application_id>/notices", methods=["GET"])
@requires_token
@blp.response(200, NoticeOut(many=True))
def list_notices(application_id):
    """The notices of intended refusal, suspension or revocation on the case, oldest first,
    each with the issuer's comments once filed."""
    user = bearer_user()
    application = application_for(user, application_id)
    return notices_for(application.id)


@blp.route("/<int:application_id>/notices", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": NoticeSchema(today=None, min_days=0)}},
    }
)
@blp.response(201, NoticeOut)
def give_notice(application_id):
    """Send the issuer a notice of intended refusal, suspension or revocation, with its
    grounds and a comment deadline at least 10 days away (Administrative Procedures Act
    Art 21); the decision waits for the comments or the deadline."""
    user = bearer_user()
    application_for(user, application_id)
    return hearing_operations.give_notice(application_id, user, json_object()), 201


@blp.route("/<int:application_id>/notices/<int:notice_id>/comments", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": CommentsSchema}},
    }
)
@blp.response(201, NoticeOut)
def file_comments(application_id, notice_id):
    """File the issuer's comments on a notice of intended action, by its last day."""
    user = bearer_user()
    application_for(user, application_id)
    body = json_object()
    return hearing_operations.file_comments(application_id, notice_id, user, body), 201


@blp.route("/<int:application_id>/objections", methods=["GET"])
@requires_token
@blp.response(200, ObjectionOut(many=True))
def list_objections(application_id):
    """The objections lodged on the case, oldest first, each with its outcome once decided."""
    user = bearer_user()
    application = application_for(user, application_id)
    return objections_for(application.id)


@blp.route("/<int:application_id>/objections", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": ObjectionSchema}},
    }
)
@blp.response(201, ObjectionOut)
def lodge_objection(application_id):
    """Object to the refusal, suspension or revocation in force, within 30 days of it
    (Administrative Procedures Act Art 36); an approver who did not take it decides."""
    user = bearer_user()
    application_for(user, application_id)
    return objections.lodge_objection(application_id, user, json_object()), 201


@blp.route("/<int:application_id>/objections/<int:objection_id>/dismissal", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": DismissalSchema}},
    }
)
@blp.response(201, ObjectionOut)
def dismiss_objection(application_id, objection_id):
    """Dismiss an objection: the decision stands. Upholding one is a step (`reconsider`,
    `restore`) that withdraws the decision."""
    user = bearer_user()
    application_for(user, application_id)
    body = json_object()
    return objections.dismiss_objection(application_id, objection_id, user, body), 201


@blp.route("/<int:application_id>/changes", methods=["GET"])
@requires_token
@blp.response(200, ChangeOut(many=True))
def list_changes(application_id):
    """The changes applied for before they take effect, oldest first, each with its
    decision once taken."""
    user = bearer_user()
    application = application_for(user, application_id)
    return changes_page(application).applied


@blp.route("/<int:application_id>/changes", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            "application/json": {
                "schema": ChangeApplicationSchema(today=None, category=None, profile=None)
            }
        },
    }
)
@blp.response(201, ChangeOut)
def apply_for_change(application_id):
    """Apply, before it takes effect, for a change of control crossing a threshold, a new
    token or ledger, or a material change of the business model or the white paper
    (docs/domain.md section 5); an approver decides."""
    user = bearer_user()
    application_for(user, application_id)
    return change_operations.apply_for_change(application_id, user, json_object()), 201


@blp.route("/<int:application_id>/changes/<int:change_id>/decision", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": ChangeDecisionSchema}},
    }
)
@blp.response(201, ChangeOut)
def decide_change(application_id, change_id):
    """Approve or refuse a change applied for, with reasons (approvers); sealed and mailed."""
    user = bearer_user()
    application_for(user, application_id)
    body = json_object()
    return change_operations.decide_change(application_id, change_id, user, body), 201


@blp.route("/<int:application_id>/events", methods=["GET"])
@requires_token
@blp.response(200, EventOut(many=True))
def list_events(application_id):
    """The case's audit events, oldest first."""
    user = bearer_user()
    application = application_for(user, application_id)
    return queries.events_for(user, application)


def _if_match_version() -> int | None:
    """The version the caller last read, from If-Match (RFC 9110); None for `*` (any)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            t(
                "Send If-Match with the ETag of the version you read.",
                "읽은 버전의 ETag를 If-Match로 보내십시오.",
            ),
            code="if_match_required",
        )
    if header == "*":
        return None
    # A compressed answer's ETag carries its coding ("1:br", service/delivery.py): the
    # version is what precedes it.
    version = whole_number(header.removeprefix("W/").strip('"').split(":")[0])
    if version is None:
        raise PreconditionFailed(
            t(
                "If-Match does not match the application's current ETag.",
                "If-Match가 신청서의 현재 ETag와 맞지 않습니다.",
            ),
            code="stale_version",
        )
    return version
