"""A registration's issuance cap and a supervisor's restriction of new issuance, short of
suspension: redemptions go on, the registration stays in force (docs/domain.md section 5).
Each change is one unit of work with its audit event; the reserve report's rule reads the
cap (`workflows.monitoring.rules.outstanding_above_issuance_cap`).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from service import policy
from service.errors import Conflict, Invalid
from service.models import Registration, User
from service.monitoring.supervision import SUPERVISED_STATUSES, registration_by_number
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows.bilingual import t

# BigInteger's range: a cap past it is not a figure anyone means.
_CAP_MAX = 10**18


def parse_cap(text: str | None) -> int | None:
    """A cap in whole won from a form ("" clears it), or a clear error."""
    cleaned = (text or "").strip().replace(",", "").replace("_", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise Invalid(
            "The cap is not a whole number of won.",
            errors={"cap_krw": [t("Enter a whole number of won.", "원 단위 정수를 입력하십시오.")]},
        )
    if not 0 < value < _CAP_MAX:
        raise Invalid(
            "The cap is out of range.",
            errors={
                "cap_krw": [
                    t(
                        "Enter an amount above zero; leave it empty to remove the cap.",
                        "0보다 큰 금액을 입력하십시오. 한도를 없애려면 비워 두십시오.",
                    )
                ]
            },
        )
    return int(value)


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "Give the reason.",
            errors={"reason": [t("This field is required.", "필수 입력 항목입니다.")]},
        )
    if len(reason) > 2000:
        raise Invalid(
            "The reason is too long.",
            errors={
                "reason": [
                    t("Write at most {max} characters.", "{max}자 이내로 작성하십시오.", max=2000)
                ]
            },
        )
    return reason


def _supervised(number: str, user: User) -> Registration:
    registration = registration_by_number(number, user)
    policy.require(user, "issuance.supervise", registration)
    if registration.status not in SUPERVISED_STATUSES:
        raise Conflict(f"The registration is {registration.status}.", code="state")
    return registration


def _audit(work, action: str, registration: Registration, reason: str, today: date, **detail):
    """The event of a change to the registration's issuance, on its case's trail."""
    work.audit(
        action,
        application_id=registration.application_id,
        detail={
            "registration_number": registration.number,
            **detail,
            "reason": reason,
            "on": today.isoformat(),
        },
    )


def set_issuance_cap(
    number: str,
    user: User,
    cap_krw: int | str | None,
    reason: str | None,
    *,
    today: date | None = None,
) -> Registration:
    """Set, change or remove (None or "") the most the registration may have outstanding.
    The policy is asked before the figures are read, so a refusal is never hidden."""
    today = today or korea_today()
    with unit_of_work(user) as work:
        registration = _supervised(number, user)
        reason = _reason(reason)
        if not isinstance(cap_krw, int):
            cap_krw = parse_cap(cap_krw)
        before = registration.issuance_cap_krw
        registration.issuance_cap_krw = cap_krw
        _audit(
            work,
            "issuance_cap_set",
            registration,
            reason,
            today,
            cap_before_krw=None if before is None else str(before),
            cap_krw=None if cap_krw is None else str(cap_krw),
        )
    return registration


def restrict_issuance(
    number: str, user: User, reason: str | None, *, today: date | None = None
) -> Registration:
    """No new issuance from today; redemptions and reports go on as before."""
    today = today or korea_today()
    with unit_of_work(user) as work:
        registration = _supervised(number, user)
        reason = _reason(reason)
        if registration.issuance_restricted_since is not None:
            raise Conflict(
                t(
                    "New issuance is already restricted since {day}.",
                    "신규 발행은 이미 {day}부터 제한되어 있습니다.",
                    day=registration.issuance_restricted_since.isoformat(),
                ),
                code="state",
            )
        registration.issuance_restricted_since = today
        registration.issuance_restriction_reason = reason
        _audit(work, "issuance_restricted", registration, reason, today)
    return registration


def lift_issuance_restriction(
    number: str, user: User, reason: str | None, *, today: date | None = None
) -> Registration:
    today = today or korea_today()
    with unit_of_work(user) as work:
        registration = _supervised(number, user)
        reason = _reason(reason)
        since = registration.issuance_restricted_since
        if since is None:
            raise Conflict(
                t("New issuance is not restricted.", "신규 발행이 제한되어 있지 않습니다."),
                code="state",
            )
        registration.issuance_restricted_since = None
        registration.issuance_restriction_reason = None
        _audit(
            work,
            "issuance_restriction_lifted",
            registration,
            reason,
            today,
            restricted_since=since.isoformat(),
        )
    return registration
