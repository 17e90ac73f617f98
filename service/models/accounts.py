from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.types import Timestamp, as_utc, utcnow

# Kinds of organization: issuers are banks or non-banks; the rest are authorities.
ORGANIZATION_KINDS = ("bank", "non_bank", "regulator", "audit_authority")


class Organization(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name_ko: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    business_registration_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    users: Mapped[list["User"]] = relationship(back_populates="organization")

    @property
    def is_bank(self) -> bool:
        return self.kind == "bank"

    @property
    def is_issuer(self) -> bool:
        return self.kind in ("bank", "non_bank")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # An issuer's user: "officer" or "preparer" (workflows/lifecycle.py, DUTIES); and whether
    # the user also invites and removes the organization's users. None for the regulator.
    duty: Mapped[str | None] = mapped_column(String(20))
    organization_admin: Mapped[bool] = mapped_column(default=False)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="users", lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot log in
        return self.active

    @property
    def is_regulator(self) -> bool:
        return self.role != "issuer"


class Invitation(db.Model):
    """An organization administrator's invitation to a new user, sent by e-mail with a
    one-time link; only the link's SHA-256 is stored (service/auth/members.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    duty: Mapped[str] = mapped_column(String(20))
    organization_admin: Mapped[bool] = mapped_column(default=False)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The code given another way than the mail, and how many wrong ones were tried.
    code_hash: Mapped[str] = mapped_column(String(200))  # Argon2, as a password
    failed_codes: Mapped[int] = mapped_column(default=0)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    accepted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id], lazy="joined")

    def pending(self, now: datetime) -> bool:
        used = self.accepted_at is not None or self.revoked_at is not None
        return not used and as_utc(self.expires_at) > now


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)

    user: Mapped[User] = relationship(lazy="joined")


class UserSession(db.Model):
    """A signed-in browser. The cookie carries a random key; only its SHA-256 is stored,
    and the session lasts while this row is not ended and younger than the absolute
    lifetime (service/auth/sessions.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(Timestamp)
    end_reason: Mapped[str | None] = mapped_column(String(30))

    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(db.Model):
    """Sign-in attempts counted per key: an account, an address, or an account from one
    address (service/auth/throttle.py). `locked_until` is when the key takes attempts again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(100))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(Timestamp)
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp, index=True)
