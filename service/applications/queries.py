"""Reads of applications: lists, one case as a user may see it, its history."""

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from service import policy
from service.extensions import db
from service.models import Application, AuditEvent, Filing, Registration, User
from service.regime import regime
from service.review.clock import assessment_reading, due_status
from service.sections.queries import section_status_map
from workflows.bilingual import pick
from workflows.clock import add_business_days
from workflows.lifecycle import BY_NAME, CONSULTED_CATEGORIES, STATE_LABELS


def list_for(user: User, *, state: str | None, after: int | None, limit: int):
    """The user's visible applications, newest first, keyset-paged by id."""
    query = select(Application).where(policy.where(user, "case.view"))
    if state:
        query = query.where(Application.state == state)
    if after:
        query = query.where(Application.id < after)
    rows = db.session.execute(query.order_by(Application.id.desc()).limit(limit + 1)).scalars()
    items = list(rows)
    next_cursor = items[limit - 1].id if len(items) > limit else None
    return items[:limit], next_cursor


def registration_number(application: Application) -> str | None:
    return db.session.execute(
        select(Registration.number).where(Registration.application_id == application.id)
    ).scalar_one_or_none()


def clock_of(application: Application, today: date) -> dict[str, Any]:
    status = due_status(application.due_on, today)
    reading = assessment_reading(application, today, regime())
    in_assessment = application.state in ("assessment", "information_requested", "recommended")
    return {
        "due_on": status.due_on,
        "business_days_left": status.business_days_left,
        "overdue": status.overdue,
        "assessment_days_used": reading.days_used if reading and in_assessment else None,
        "assessment_days_left": reading.days_left if reading and in_assessment else None,
        "stopped": bool(reading and not reading.running),
    }


def present(
    application: Application, user: User, today: date, *, with_status: bool = False
) -> dict[str, Any]:
    """The case as `user` may see it: the recommendation is for the regulator only.
    `with_status` adds each section's validation status (one case at a time: it
    validates every section)."""
    case = {
        "id": application.id,
        "category": application.category,
        "state": application.state,
        "state_label": pick(STATE_LABELS[application.state]),
        "version": application.version,
        "organization": application.organization,
        "sections": application.sections,
        "submitted_on": application.submitted_on,
        "complete_on": application.complete_on,
        "clock": clock_of(application, today),
        "assigned_reviewer": (
            application.assigned_reviewer.email
            if application.assigned_reviewer and policy.allows(user, "case.internal")
            else None
        ),
        "registration_number": registration_number(application),
        "information_requests": application.information_requests,
        "documents": application.documents,
        "recommendation": application.recommendation
        if policy.allows(user, "case.internal")
        else None,
        "opinions_due_on": (
            opinions_due_on(application) if policy.allows(user, "case.internal") else None
        ),
    }
    if with_status:
        case["section_status"] = _section_status(application, today)
    return case


def _section_status(application: Application, today: date) -> dict[str, str]:
    """Each section's validation status: not_started, in_progress, has_errors or complete."""
    return section_status_map(application, today)


def opinions_due_on(application: Application) -> date | None:
    """When the Bank of Korea and the ministry owe their opinions (docs/domain.md section 4): the
    due date the latest request for them was sent with."""
    if application.category not in CONSULTED_CATEGORIES or application.recommended_on is None:
        return None
    request = db.session.execute(
        select(Filing.content_json)
        .where(Filing.application_id == application.id, Filing.kind == "opinion_request")
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if request is not None:
        return date.fromisoformat(json.loads(request)["content"]["due_on"])
    # A case recommended before the request became a filing: counted from the recommendation.
    days = regime().central_bank_opinion_days
    return add_business_days(application.recommended_on, days)


# The review desk's own events (service.review.operations): the issuer sees none of them.
DESK_ACTIONS = ("claim", "assign", "reassign", "note")


def _actor_shown(event: AuditEvent, user: User, internal_ok: bool) -> str:
    if (
        internal_ok
        or event.actor_id is None
        or event.actor_label.endswith("@" + user.email.rsplit("@", 1)[-1])
    ):
        return event.actor_label
    return "regulator"


# A case page shows this many of its latest events; older ones are a link away. A case
# with thousands of events would otherwise cost the page a second (bench/case.py).
HISTORY_PAGE = 50


def history_page(
    user: User, application: Application, before: int | None = None
) -> tuple[list[dict[str, Any]], int | None]:
    """The latest HISTORY_PAGE events before `before` (a seq), oldest first, and the cursor
    of the page before it (None at the first event). Keyset-paged on (application_id, seq)."""
    query = select(AuditEvent).where(AuditEvent.application_id == application.id)
    if before:
        query = query.where(AuditEvent.seq < before)
    rows = list(
        db.session.execute(query.order_by(AuditEvent.seq.desc()).limit(HISTORY_PAGE + 1)).scalars()
    )
    earlier = rows[HISTORY_PAGE - 1].seq if len(rows) > HISTORY_PAGE else None
    return _presented(user, reversed(rows[:HISTORY_PAGE])), earlier


def events_for(user: User, application: Application) -> list[dict[str, Any]]:
    """The case's audit events; an issuer sees that internal steps happened, not their content."""
    rows = db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.application_id == application.id)
        .order_by(AuditEvent.seq)
    ).scalars()
    return _presented(user, rows)


def _presented(user: User, rows) -> list[dict[str, Any]]:
    internal_ok = policy.allows(user, "case.internal")
    events = []
    for event in rows:
        if event.action in DESK_ACTIONS and not internal_ok:
            continue
        # Internal steps (a recommendation, a consulted authority's opinion) show that they
        # happened, not what they said.
        step = BY_NAME.get(event.action)
        internal = (step is not None and step.internal) or bool(event.detail.get("internal"))
        hidden = internal and not internal_ok
        events.append(
            {
                "seq": event.seq,
                "occurred_at": event.occurred_at,
                "actor": _actor_shown(event, user, internal_ok),
                "action": event.action,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "detail": {} if hidden else event.detail,
                "hash": event.hash,
            }
        )
    return events
