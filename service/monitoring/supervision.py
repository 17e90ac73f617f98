"""What every supervisory operation shares: which registrations are supervised, who
supervises, and finding a registration the user may see.
"""

from sqlalchemy import select

from service.errors import NotFound
from service.extensions import db
from service.models import Registration, User
from workflows import lifecycle

# Registrations that still owe reports: a suspended issuer keeps reporting.
SUPERVISED_STATUSES = ("registered", "suspended")
SUPERVISORY_ROLES = ("supervisor", "approver")


def registration_by_number(number: str, user: User | None) -> Registration:
    """The registration if `user` may see it (issuers: their own); 404 otherwise."""
    registration = db.session.execute(
        select(Registration).where(Registration.number == number)
    ).scalar_one_or_none()
    hidden = user is not None and user.role == "issuer"
    if registration is None or (hidden and registration.organization_id != user.organization_id):
        raise NotFound("No such registration.", code="registration_not_found")
    if user is not None and user.role not in ("issuer",) + lifecycle.REGULATOR_ROLES:
        raise NotFound("No such registration.", code="registration_not_found")
    return registration
