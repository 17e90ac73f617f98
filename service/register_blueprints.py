"""Wiring: blueprints, login, error pages, template helpers, CLI."""

from flask import Flask, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.local import LocalProxy

from forms.changes import ChangeApplicationSchema, ChangeDecisionSchema
from forms.documents import DOCUMENT_TYPES
from forms.hearings import (
    ACTION_LABELS,
    CommentsSchema,
    DismissalSchema,
    NoticeSchema,
    ObjectionSchema,
)
from forms.opinions import AUTHORITY_LABELS, OPINION_LABELS, OpinionSchema
from forms.wind_down import RedemptionReportSchema
from service import cli, policy
from service.api import api
from service.api import applications as api_applications
from service.api import audit as api_audit
from service.api import auth as api_auth
from service.api import filing_schemas as api_filing_schemas
from service.api import filings as api_filings
from service.api import log as api_log
from service.api import monitoring as api_monitoring
from service.api import register as api_register
from service.api import sections as api_sections
from service.api import webhooks as api_webhooks
from service.api.problems import is_api_request, operation_problem
from service.applications.views import bp as applications_bp
from service.audit.actions import action_label
from service.auditor.views import bp as auditor_bp
from service.auth import sessions
from service.auth.views import bp as auth_bp
from service.changes.views import bp as changes_bp
from service.delivery import init_delivery
from service.documents.operations import too_large
from service.errors import ConcurrentChange, OperationError, TooLarge, with_retry_after
from service.extensions import db, login_manager
from service.filings.kinds import kind_title
from service.filings.views import bp as filings_bp
from service.hearings.views import bp as hearings_bp
from service.lifecycle.views import bp as lifecycle_bp
from service.main.views import bp as main_bp
from service.monitoring.views import bp as monitoring_bp
from service.notifications.messages import EVENT_LABELS
from service.notifications.views import bp as notifications_bp
from service.register.views import bp as register_bp
from service.review.views import bp as review_bp
from service.review.views import refuse_oversized_letter
from service.sections.views import bp as sections_bp
from service.sections.views import refuse_oversized_upload
from service.security import init_security
from service.timezone import in_korea
from service.transactions import end_writing
from service.transparency import log as _appends_leaves  # noqa: F401 - its listeners
from service.transparency.views import bp as transparency_bp
from service.unit_of_work import is_write_conflict
from service.web import STEP_HINTS, transition_fields
from workflows.amounts import figure_text, whole_number_text
from workflows.bilingual import current_locale, localize, pick, t
from workflows.changes import CHANGE_APPROVAL_KINDS
from workflows.changes import OUTCOMES as CHANGE_OUTCOMES
from workflows.lifecycle import REFUSAL_GROUNDS, STATE_LABELS
from workflows.regime import CATEGORY_LABELS

STATUS_LABELS = {
    "reinstated": t("Reinstated", "정지 해제"),
    "renewed": t("Renewed", "갱신"),
    "restored": t("Restored on objection", "이의신청 인용(등록 회복)"),
    "objected_to": t("Objection lodged", "이의신청"),
    "objection_dismissed": t("Objection dismissed", "이의신청 기각"),
}


def register_all(app: Flask) -> None:
    api.init_app(app)
    for blueprint in (
        main_bp,
        auth_bp,
        applications_bp,
        review_bp,
        register_bp,
        monitoring_bp,
        sections_bp,
        hearings_bp,
        changes_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(lifecycle_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(transparency_bp)
    for module in (
        api_auth,
        api_applications,
        api_audit,
        api_register,
        api_monitoring,
        api_sections,
        api_log,
        api_webhooks,
    ):
        api.register_blueprint(module.blp)
    api.register_blueprint(api_filings.blp)
    api.register_blueprint(api_filing_schemas.blp)
    app.register_blueprint(auditor_bp)
    app.register_blueprint(filings_bp)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]

    login_manager.login_view = "auth.login"
    login_manager.user_loader(sessions.load_user)  # the session recorded on the server

    app.register_error_handler(OperationError, _operation_error)
    app.register_error_handler(DBAPIError, _database_error)
    for status in (403, 404):
        app.register_error_handler(status, _error_page)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(CSRFError, _csrf_refused)

    app.jinja_env.globals.update(
        has_endpoint=lambda name: name in app.view_functions,
        state_label=lambda state: pick(STATE_LABELS.get(state)),
        # Public statuses: the states of the register plus "reinstated" for the history.
        status_label=lambda status: pick(STATE_LABELS.get(status) or STATUS_LABELS.get(status)),
        category_label=lambda category: pick(CATEGORY_LABELS.get(category)),
        pick=pick,
        localize=localize,
        # Buttons and forms show where the policy lets the user act (docs/design.md).
        may=lambda action, obj=None: policy.allows(current_user, action, obj),
        refusal_ground=lambda code: pick(REFUSAL_GROUNDS.get(code)),
        document_label=lambda code: pick(DOCUMENT_TYPES.get(code, {}).get("label")) or code,
        action_label=lambda action: pick(action_label(action)),
        event_labels=EVENT_LABELS,
        transition_fields=transition_fields,
        step_hints=STEP_HINTS,
        kind_title=kind_title,
        opinion_fields=list(OpinionSchema._declared_fields.items()),
        authority_labels=AUTHORITY_LABELS,
        opinion_labels=OPINION_LABELS,
        notice_fields=list(NoticeSchema._declared_fields.items()),
        comment_fields=list(CommentsSchema._declared_fields.items()),
        objection_fields=list(ObjectionSchema._declared_fields.items()),
        dismissal_fields=list(DismissalSchema._declared_fields.items()),
        change_fields=list(ChangeApplicationSchema._declared_fields.items()),
        redemption_fields=list(RedemptionReportSchema._declared_fields.items()),
        change_decision_fields=list(ChangeDecisionSchema._declared_fields.items()),
        change_kind_labels=CHANGE_APPROVAL_KINDS,
        change_outcome_labels=CHANGE_OUTCOMES,
        notice_action_labels=ACTION_LABELS,
    )
    app.jinja_env.filters["kst"] = lambda moment: in_korea(moment).strftime("%Y-%m-%d %H:%M")
    app.jinja_env.filters["whole_number"] = whole_number_text
    app.jinja_env.filters["figure"] = figure_text
    # A proxy, so macros imported without context read the request's locale too.
    app.jinja_env.globals["current_locale"] = LocalProxy(current_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    init_security(app)
    init_delivery(app)
    cli.register(app)


def _operation_error(error: OperationError):
    if is_api_request():
        return operation_problem(error)
    page = make_response(render_template("errors/error.html", error=error), error.status)
    return with_retry_after(page, error)


def _database_error(error: DBAPIError):
    """A write that lost a race before its unit of work began (on SQLite a request takes the
    write lock at its first statement): the unit's own 409 (docs/design.md, "The unit of
    work"). Any other database error stays a 500."""
    if not is_write_conflict(error):
        raise error
    end_writing(db.session)
    return _operation_error(ConcurrentChange())


def _too_large(error):
    """A body over MAX_CONTENT_LENGTH, refused before it is read: said like the upload limit."""
    message = too_large(current_app.config["MAX_UPLOAD_BYTES"])
    if not is_api_request():
        # The pages whose upload forms show the refusal beside their file field.
        for refuse_inline in (refuse_oversized_upload, refuse_oversized_letter):
            page = refuse_inline(message)
            if page is not None:
                return page
    return _operation_error(TooLarge(message, code="too_large"))


def _error_page(error):
    if is_api_request():
        return api.handle_http_exception(error)
    return render_template("errors/error.html", error=error), error.code


def _csrf_refused(error: CSRFError):
    """A form without a valid token (expired session, another site): a page that says what
    to do, in the request's language; the reason stays in the log."""
    current_app.logger.info(
        "CSRF refused %s %s: %s", request.method, request.path, error.description
    )
    message = _(
        "This form has expired or did not come from this site, so nothing was saved. "
        "Go back, reload the page and send it again."
    )
    return render_template("errors/error.html", error=error, message=message), 400
