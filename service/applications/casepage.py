"""The case page every role sees: the shared summary and history, the steps the user may
take, and for a regulator the case file (service/review/casefile.py); for the issuer its
filings."""

from flask import render_template, request
from flask_login import current_user

from service.applications import operations, queries
from service.changes.queries import changes_page
from service.hearings.queries import notices_for, objections_page
from service.review.casefile import case_page, filings_for
from service.review.queries import opinions_for
from service.timezone import korea_today
from service.web import ordered_options, refused_step, whole_number


def render_case(template: str, application, failed=None, error=None, values=None):
    today = korea_today()
    regulator = template == "review/case.html"
    events, earlier = queries.history_page(
        current_user, application, before=whole_number(request.args.get("before"))
    )
    return render_template(
        template,
        application=application,
        case=queries.present(application, current_user, today),
        events=events,
        history_earlier=earlier,
        options=ordered_options(operations.options_for(current_user, application, today)),
        opinions=opinions_for(current_user, application),
        notices=notices_for(application.id),
        objections=objections_page(application, today),
        changes=changes_page(application),
        today=today,
        review=case_page(current_user, application, today) if regulator else None,
        filings=None if regulator else filings_for(current_user, application),
        failed=failed,
        error=error,
        values=values or {},
    )


def case_template() -> str:
    """The case page as the person reads it: the issuer's application page, or the
    regulator's case page."""
    return "applications/detail.html" if current_user.role == "issuer" else "review/case.html"


def refused_on_case(error, application, failed: str, values: dict):
    """A form of the case page refused (service.web.refused_step): answers that break a rule
    back on the form named `failed` (422), any other refusal above the page as it stands."""
    return refused_step(
        error,
        lambda invalid: render_case(
            case_template(),
            application,
            **({"failed": failed, "error": invalid, "values": values} if invalid else {}),
        ),
    )
