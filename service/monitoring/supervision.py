"""What every supervisory operation shares: which registrations are supervised, and
finding a registration the user may see (who may is service/policy.py's).
"""

from sqlalchemy import select

from service import policy
from service.errors import NotFound
from service.extensions import db
from service.models import Registration, User

# Registrations that still owe reports: a suspended issuer keeps reporting.
SUPERVISED_STATUSES = ("registered", "suspended")


def registration_by_number(number: str, user: User | None) -> Registration:
    """The registration if `user` may see it (issuers: their own); 404 otherwise."""
    registration = db.session.execute(
        select(Registration).where(Registration.number == number)
    ).scalar_one_or_none()
    if registration is None:
        raise NotFound("No such registration.", code="registration_not_found")
    if user is not None:
        policy.require(user, "registration.view", registration)
    return registration
