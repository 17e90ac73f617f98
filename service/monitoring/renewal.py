"""Opening a renewal: a draft for the same organization and category, whose sections are
those of the last application filing.
"""

import json
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from service import policy
from service.applications.operations import actor_for, regime
from service.audit import chain
from service.errors import Conflict
from service.extensions import db
from service.models import Application, Filing, Registration, User
from service.monitoring.supervision import SUPERVISED_STATUSES, registration_by_number
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows import lifecycle


def renewal_opens_on(registration: Registration) -> date:
    return registration.valid_until - relativedelta(months=regime().renewal_window_months)


def open_renewal(number: str, user: User, *, today: date | None = None) -> Application:
    """Start the renewal: a draft for the same organization and category, whose sections
    are those of the last application filing (docs/domain.md section 4: renewal opens 6
    months before expiry)."""
    today = today or korea_today()
    with unit_of_work(user):
        application = _renew(number, user, today)
    return application


def _renew(number, user, today) -> Application:
    registration = registration_by_number(number, user)
    policy.require(user, "renewal.open", registration)
    if registration.status not in SUPERVISED_STATUSES:
        raise Conflict(f"The registration is {registration.status}.", code="state")
    opens = renewal_opens_on(registration)
    if not opens <= today <= registration.valid_until:
        raise Conflict(
            f"Renewal is open from {opens} to {registration.valid_until}.",
            code="renewal_window",
        )
    existing = (
        db.session.execute(
            select(Application).where(
                Application.renews_registration_id == registration.id,
                Application.state.in_(("draft",) + lifecycle.OPEN_STATES),
            )
        )
        .scalars()
        .first()
    )
    if existing is not None:
        raise Conflict(
            f"Renewal application #{existing.id} is already under way.", code="renewal_exists"
        )
    last = (
        db.session.execute(
            select(Filing)
            .where(
                Filing.application_id == registration.application_id, Filing.kind == "application"
            )
            .order_by(Filing.filed_at.desc(), Filing.id.desc())
        )
        .scalars()
        .first()
    )
    sections = json.loads(last.content_json)["content"]["sections"] if last else {}
    application = Application(
        organization_id=registration.organization_id,
        category=registration.category,
        state="draft",
        sections=sections,
        renews_registration_id=registration.id,
    )
    db.session.add(application)
    db.session.flush()
    chain.append(
        db.session,
        actor=actor_for(user),
        action="create",
        application_id=application.id,
        to_state="draft",
        detail={
            "category": registration.category,
            "renews": registration.number,
            "from_filing": last.accession_number if last else None,
        },
    )
    return application
