"""An issuer's users: its administrator invites people by e-mail and removes them.

An invitation names the e-mail, the person and their duty (workflows/lifecycle.py,
DUTIES); it is mailed with a one-time link and needs a code besides, which the
administrator is shown once and gives the person another way (by phone, in person): the
mail waits in the service's outbox, which the service's own administrator reads, and a link
alone must not let anyone but the invited person in. The link is stored as its SHA-256,
the code as a password is (Argon2), since the stored mail holds the link and a short code
hashed fast could be found from the database; `CODE_ATTEMPTS` wrong codes withdraw the
invitation. It lasts `INVITATION_LIFETIME`, and is used up when the invited person sets a
password. A removed user is deactivated, not deleted: the log still names them, and every
session and API token of theirs ends. docs/domain.md section 1, "An issuer's people".
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from service import policy
from service.auth import sessions
from service.auth.operations import create_user, password_problems
from service.auth.passwords import check_password, hash_password
from service.auth.throttle import normal_email
from service.canonical import sha256_hex
from service.errors import Conflict, Invalid, NotFound
from service.extensions import db
from service.models import Invitation, Organization, OutboxMessage, User
from service.models.types import utcnow
from service.timezone import in_korea
from service.unit_of_work import actor_for, unit_of_work
from workflows.bilingual import t
from workflows.lifecycle import DUTIES, OFFICER

INVITATION_LIFETIME = timedelta(days=7)
CODE_ATTEMPTS = 5
# Eight letters and digits people do not mix up when read out (no 0/O, 1/I/L): 31^8, about
# 40 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def _code_as_given(code: str) -> str:
    """The code as typed, read as it was given: case, blanks and hyphens do not count."""
    return "".join(c for c in (code or "").upper() if c.isalnum())


@dataclass(frozen=True)
class Members:
    users: list[User]
    invitations: list[Invitation]  # pending ones


def members_of(admin: User) -> Members:
    policy.require(admin, "organization.manage")
    users = db.session.execute(
        select(User)
        .where(User.organization_id == admin.organization_id)
        .order_by(User.active.desc(), User.name, User.email)
    ).scalars()
    now = utcnow()
    invitations = db.session.execute(
        select(Invitation)
        .where(
            Invitation.organization_id == admin.organization_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).scalars()
    return Members(list(users), [i for i in invitations if i.pending(now)])


def invite(
    admin: User,
    email: str,
    name: str,
    duty: str,
    organization_admin: bool,
    link_for: Callable[[str], str],
) -> tuple[Invitation, str]:
    """Invite a person to the administrator's organization; the mail with `link_for(token)`
    goes out with the invitation's commit. Returns the invitation and its code, which the
    administrator is shown once and gives the person another way."""
    policy.require(admin, "organization.manage")
    email, name = normal_email(email or ""), (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [t("Enter the person's name.", "이름을 입력하십시오.")]
    if not _looks_like_email(email):
        errors["email"] = [
            t(
                "Enter an e-mail address like name@bank.example.",
                "name@bank.example과 같은 형식의 이메일 주소를 입력하십시오.",
            )
        ]
    if duty not in DUTIES:
        errors["duty"] = [t("Choose officer or preparer.", "임원 또는 작성자를 고르십시오.")]
    if errors:
        raise Invalid(t("The invitation was not sent.", "초대를 보내지 못했습니다."), errors=errors)
    raw, code = secrets.token_urlsafe(32), new_code()
    with unit_of_work(admin) as work:
        _refuse_taken(email, admin.organization_id)
        invitation = Invitation(
            organization_id=admin.organization_id,
            email=email,
            name=name,
            duty=duty,
            organization_admin=organization_admin,
            token_sha256=sha256_hex(raw),
            code_hash=hash_password(_code_as_given(code)),
            invited_by_id=admin.id,
            created_at=utcnow(),
            expires_at=utcnow() + INVITATION_LIFETIME,
        )
        db.session.add(invitation)
        message = _invitation_mail(invitation, admin, link_for(raw))
        db.session.add(message)
        work.notify(message)
        work.audit(
            "invite_user",
            detail={"email": email, "duty": duty, "organization_admin": organization_admin},
        )
    return invitation, code


def _looks_like_email(email: str) -> bool:
    local, _, domain = email.partition("@")
    return (
        bool(local) and "." in domain and not any(c.isspace() for c in email) and len(email) <= 254
    )


def _account_of(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == email)
    ).scalar_one_or_none()


def _returning(account: User | None, organization_id: int) -> bool:
    """A user the organization removed may be invited back: the account is reopened."""
    return account is not None and not account.active and account.organization_id == organization_id


def _refuse_taken(email: str, organization_id: int) -> None:
    account = _account_of(email)
    if account is not None and not _returning(account, organization_id):
        raise Conflict(
            t("That e-mail already has an account.", "이미 계정이 있는 이메일입니다."),
            code="email_taken",
            errors={"email": [t("Already has an account.", "이미 계정이 있습니다.")]},
        )
    now = utcnow()
    pending = db.session.execute(
        select(Invitation).where(
            func.lower(Invitation.email) == email,
            Invitation.organization_id == organization_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ).scalars()
    if any(invitation.pending(now) for invitation in pending):
        raise Conflict(
            t("That e-mail already has an invitation waiting.", "이미 초대가 발송된 이메일입니다."),
            code="invitation_pending",
            errors={
                "email": [
                    t(
                        "Already invited: withdraw that invitation to send a new one.",
                        "이미 초대되었습니다. 새로 보내려면 기존 초대를 취소하십시오.",
                    )
                ]
            },
        )


def _invitation_mail(invitation: Invitation, admin: User, link: str) -> OutboxMessage:
    organization = admin.organization
    until = in_korea(invitation.expires_at).strftime("%Y-%m-%d %H:%M")
    duty_ko = "임원으로" if invitation.duty == OFFICER else "작성자로"
    duty_en = "an officer" if invitation.duty == OFFICER else "a preparer"
    body = "\n".join(
        [
            f"{invitation.name}님, {organization.name_ko}의 {admin.name}님이 발행인 등록 서비스에 "
            f"{duty_ko} 초대했습니다.",
            f"아래 링크에서 관리자에게 따로 받은 초대 코드를 입력하고 비밀번호를 정하면 계정이 "
            f"만들어집니다. 링크는 한 번만 쓸 수 있으며 {until}(한국 시간)까지 유효합니다.",
            link,
            "",
            f"{admin.name} of {organization.name_en} has invited you, {invitation.name}, to the "
            f"Issuer Registry as {duty_en}.",
            f"At the link above, enter the invitation code your administrator gives you "
            f"separately and set a password to create your account. The link works once, "
            f"until {until} Korean time.",
            "",
            "초대를 요청하지 않았다면 이 메일을 무시하십시오.",
            "If you did not expect this invitation, ignore it.",
        ]
    )
    return OutboxMessage(
        event="invitation",
        recipients=[invitation.email],
        subject=f"[발행인 등록] {organization.name_ko} 사용자 초대 / Invitation from "
        f"{organization.name_en}",
        body=body,
    )


def revoke_invitation(admin: User, invitation_id: int) -> Invitation:
    policy.require(admin, "organization.manage")
    with unit_of_work(admin) as work:
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is None or invitation.organization_id != admin.organization_id:
            raise NotFound(
                t("No such invitation.", "그런 초대가 없습니다."), code="invitation_not_found"
            )
        if invitation.pending(utcnow()):
            invitation.revoked_at = utcnow()
            work.audit("revoke_invitation", detail={"email": invitation.email})
    return invitation


def invitation_for(raw: str) -> Invitation:
    """The pending invitation the link carries; one refusal for a used, withdrawn, expired
    or unknown link, so a guess learns nothing."""
    invitation = db.session.execute(
        select(Invitation).where(Invitation.token_sha256 == sha256_hex(raw or ""))
    ).scalar_one_or_none()
    if invitation is None or not invitation.pending(utcnow()):
        raise _not_valid()
    return invitation


def _locked(invitation_id: int) -> Invitation:
    """The invitation read afresh under its row lock: two browsers using one link queue."""
    return db.session.execute(
        select(Invitation)
        .where(Invitation.id == invitation_id)
        .with_for_update(of=Invitation)
        .execution_options(populate_existing=True)
    ).scalar_one()


def _wrong_code(invitation_id: int) -> None:
    with unit_of_work(None):
        invitation = _locked(invitation_id)
        invitation.failed_codes += 1
        left = CODE_ATTEMPTS - invitation.failed_codes
        if left <= 0 and invitation.revoked_at is None:
            invitation.revoked_at = utcnow()
    if left <= 0:
        raise _not_valid()
    raise Invalid(
        t("The invitation code is not right.", "초대 코드가 맞지 않습니다."),
        errors={
            "code": [
                t(
                    "Not the code your administrator gave you; {left} tries left.",
                    "관리자에게 받은 코드가 아닙니다. {left}번 더 시도할 수 있습니다.",
                    left=left,
                )
            ]
        },
        code="wrong_code",
    )


def _not_valid() -> NotFound:
    return NotFound(
        t(
            "This invitation link is not valid: it was used, withdrawn or has expired. "
            "Ask your organization's administrator for a new one.",
            "유효하지 않은 초대 링크입니다. 이미 사용되었거나 취소되었거나 만료되었습니다. "
            "기관 관리자에게 새 초대를 요청하십시오.",
        ),
        code="invitation_not_valid",
    )


def accept(raw: str, code: str, password: str, confirm: str) -> User:
    """Create the invited user with the chosen password and use the invitation up; the
    caller signs the browser in. A wrong code is counted, and the last allowed one withdraws
    the invitation."""
    invitation = invitation_for(raw)
    if not check_password(invitation.code_hash, _code_as_given(code)):
        _wrong_code(invitation.id)
    problems = password_problems(password, invitation.email)
    errors = {}
    if problems:
        errors["password"] = problems
    elif password != confirm:
        errors["confirm_password"] = [
            t("The two passwords are not the same.", "두 비밀번호가 같지 않습니다.")
        ]
    if errors:
        raise Invalid(
            t("The password is not acceptable.", "사용할 수 없는 비밀번호입니다."), errors=errors
        )
    with unit_of_work(None) as work:
        invitation = _locked(invitation.id)
        if not invitation.pending(utcnow()):  # another browser used the link meanwhile
            raise _not_valid()
        user = _account_of(invitation.email)
        if user is not None and not _returning(user, invitation.organization_id):
            raise Conflict(
                t(
                    "That e-mail already has an account: sign in instead.",
                    "이미 계정이 있는 이메일입니다. 로그인하십시오.",
                ),
                code="email_taken",
            )
        if user is None:
            user = create_user(
                invitation.email,
                password,
                "issuer",
                db.session.get(Organization, invitation.organization_id),
                invitation.name,
                duty=invitation.duty,
                organization_admin=invitation.organization_admin,
            )
        else:  # invited back: the same account, so the log names one person throughout
            user.name, user.password_hash, user.active = (
                invitation.name,
                hash_password(password),
                True,
            )
            user.duty, user.organization_admin = invitation.duty, invitation.organization_admin
        db.session.flush()
        invitation.accepted_at, invitation.user_id = utcnow(), user.id
        work.audit(
            "accept_invitation",
            actor=actor_for(user),
            detail={"email": user.email, "invited_by": invitation.invited_by.email},
        )
    return user


def remove(admin: User, user_id: int) -> User:
    """Deactivate a user of the administrator's organization and end their sessions and
    tokens; an administrator cannot remove themselves (the organization would have none)."""
    policy.require(admin, "organization.manage")
    with unit_of_work(admin) as work:
        user = db.session.get(User, user_id)
        if user is None or user.organization_id != admin.organization_id:
            raise NotFound(t("No such user.", "그런 사용자가 없습니다."), code="user_not_found")
        if user.id == admin.id:
            raise Conflict(
                t(
                    "You cannot remove yourself; another administrator can.",
                    "자기 자신은 삭제할 수 없습니다. 다른 관리자가 삭제할 수 있습니다.",
                ),
                code="own_account",
            )
        if user.active:
            user.active = False
            ended = sessions.end_all(user.id, sessions.ENDED_BY_ADMIN)
            work.audit("remove_user", detail={"email": user.email, "sessions": ended})
    return user
