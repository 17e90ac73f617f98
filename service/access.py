"""Reads of a case as the permission policy (service/policy.py) answers them.

Issuers see only their own organization's cases; regulators see every case once it has
been submitted (an unsubmitted draft is the issuer's own): the policy's `case.view`.
Internal notes, recommendations and their filings are `case.internal`.
"""

from service import policy
from service.errors import NotFound
from service.extensions import db
from service.models import Application, User


def can_read(user: User, application: Application) -> bool:
    return policy.allows(user, "case.view", application)


def sees_internal(user: User) -> bool:
    """Internal notes, recommendations and their filings are for the regulator only."""
    return policy.allows(user, "case.internal")


def application_for(user: User, application_id: int) -> Application:
    """The application if `user` may read it; 404 otherwise, so others' cases stay unseen."""
    application = db.session.get(Application, application_id)
    if application is None or not can_read(user, application):
        raise NotFound("No such application.", code="application_not_found")
    return application
