"""Who may read what: the read policy, by role and relation, in one place.

Transitions carry their own guards (workflows.lifecycle); this module answers
the reads. Issuers see only their own organization's cases; regulators see
every case once it has been submitted (an unsubmitted draft is the issuer's own).
"""

from sqlalchemy import ColumnElement, and_, true

from service.errors import NotFound
from service.extensions import db
from service.models import Application, User

REGULATOR_ROLES = ("reviewer", "approver", "supervisor", "auditor", "admin")
# Roles that work the review queue; auditors read through their own desk.
QUEUE_ROLES = ("reviewer", "approver", "supervisor", "admin")
# Roles that read the audit chain's verification.
AUDIT_ROLES = ("auditor", "admin")


def visible_applications(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the applications `user` may read."""
    if user.role == "issuer":
        return Application.organization_id == user.organization_id
    if user.role in REGULATOR_ROLES:
        return Application.submitted_on.is_not(None)
    return and_(true().is_(False))


def can_read(user: User, application: Application) -> bool:
    if user.role == "issuer":
        return application.organization_id == user.organization_id
    return user.role in REGULATOR_ROLES and application.submitted_on is not None


def sees_internal(user: User) -> bool:
    """Internal notes, recommendations and their filings are for the regulator only."""
    return user.role in REGULATOR_ROLES


def application_for(user: User, application_id: int) -> Application:
    """The application if `user` may read it; 404 otherwise, so others' cases stay unseen."""
    application = db.session.get(Application, application_id)
    if application is None or not can_read(user, application):
        raise NotFound("No such application.", code="application_not_found")
    return application
