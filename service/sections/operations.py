"""Saving an application's sections: one function, one transaction, one audit event.

A draft may be incomplete: missing answers are allowed. The answers are kept as the
section's schema loads them, written back in one form (docs/design.md, "Numbers as
typed"): `50,000,000,000` typed in a form is kept as the integer 50000000000, a
percentage as decimal text, a date as ISO. Answers that break a rule are refused with the
section's field errors, so the web form and the API refuse the same section with the same
errors; the web form also keeps the valid answers of a refused save (`keep_valid`), so a
person loses nothing they typed right. The declaration's time stamp is set here, in KST,
when the officer confirms; it is never taken from the caller.
"""

from datetime import date, datetime
from typing import Any

from marshmallow import ValidationError

from forms.sections import UnknownSection, section_schema, section_spec, section_status
from forms.sections.base import is_unanswered
from forms.sections.disclosure import KST
from service import policy
from service.applications.completeness import AMENDING_STATES, section_context
from service.applications.operations import regime
from service.errors import Conflict, Invalid, NotFound
from service.extensions import db
from service.models import Application, User
from service.timezone import korea_today
from service.unit_of_work import Work, unit_of_work
from service.versions import Expected, check_version
from workflows.bilingual import localize, t

# The issuer holds the pen while the case is a draft or has been returned as incomplete, and
# while an information request is open: what it changes then is filed with its response.
EDITABLE_STATES = ("draft", "returned_incomplete", *AMENDING_STATES)
# The states whose filing is a submission (submit, resubmit) rather than a response.
SUBMITTING_STATES = ("draft", "returned_incomplete")
_TRUE = (True, "true", "True", "on", "1", "yes")
# What an officer's confirmation adds to the declaration, and a changed answer takes away.
SIGNATURE = ("confirmed", "signed_at", "signed_by")
OFFICER_SIGNS = t(
    "Only an officer of your organization confirms the declaration; a preparer fills it in.",
    "선언의 확인은 기관의 임원만 할 수 있습니다. 작성자는 내용을 입력할 수 있습니다.",
)


def save_section(
    application_id: int,
    name: str,
    raw: Any,
    user: User,
    expected_version: Expected = None,
    *,
    today: date | None = None,
    now: datetime | None = None,
    keep_valid: bool = False,
) -> tuple[Application, str]:
    """Store the answers of section `name`; return the case and the section's status.

    Answers that break a rule raise Invalid and nothing is stored; with `keep_valid` the
    valid ones are stored first (the section stays incomplete) and then Invalid is raised
    with the refused ones' errors."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        status, errors = _save(work, name, raw, expected_version, today, now, keep_valid)
    if errors:
        raise Invalid(
            "Some answers break a rule of the section; the others were saved.",
            errors=errors,
            code="partly_saved",
        )
    return work.case, status


def _save(work: Work, name, raw, expected_version, today, now, keep_valid) -> tuple[str, dict]:
    application, user = work.case, work.user
    policy.require(user, "application.edit", application)
    if application.state not in EDITABLE_STATES:
        raise Conflict(
            "The application can no longer be changed in this state.", code="not_editable"
        )
    check_version(application.version, expected_version)
    ctx = section_context(application, today, regime())
    try:
        section_spec(name, ctx)
    except UnknownSection:
        raise NotFound(
            f"The application has no section named '{name}'.", code="section_not_found"
        ) from None
    if not isinstance(raw, dict):
        raise Invalid(
            "The section's answers must be an object of named fields.",
            errors={"_schema": ["Send an object of named fields."]},
        )
    raw, errors = _signable(work, name, raw, keep_valid)
    answers = _with_signature(name, raw, user, today, now)
    schema = section_schema(name, ctx)
    try:
        loaded = schema.load(answers, partial=True)
    except ValidationError as error:
        errors = {**localize(error.messages), **errors}
        if not keep_valid or error.valid_data is None:
            raise Invalid("Some answers break a rule of the section.", errors=errors) from None
        loaded = error.valid_data
    # Unknown names were refused above, blank ones included; blank answers are not kept.
    answers = {k: v for k, v in schema.dump(loaded).items() if not is_unanswered(v)}
    sections = dict(application.sections or {})
    unsigned = name != "declaration" and sections.get(name) != answers and _unsign(sections)
    sections[name] = answers
    application.sections = sections
    status = section_status(name, answers, ctx)
    db.session.flush()
    detail = {"section": name, "status": status}
    if unsigned:
        detail["declaration_withdrawn"] = True
    if "signed_by" in answers:
        detail["signed_by"] = answers["signed_by"]
    if errors:
        detail["refused"] = sorted(errors)
    if "signed_by" in answers:  # a confirmation is the officer's signature: named as such
        work.audit("sign_declaration", application_id=application.id, detail=detail)
    else:
        work.audit("save_section", application_id=application.id, detail=detail)
    return status, errors


def _unsign(sections: dict) -> bool:
    """A changed answer voids the officer's confirmation: it covered the answers as
    they were when signed, so the officer confirms again before submission.

    The same holds while an information request is open. The response is filed by whichever
    issuer user sends it, and its filing names that user; but the declaration is the named
    officer's, and the response freezes it with the amended answers. Kept as signed, it
    would vouch for answers the officer never saw; so it is withdrawn here too, and respond
    waits until the officer confirms again (lifecycle.amendments_complete)."""
    declaration = sections.get("declaration") or {}
    if "signed_at" not in declaration and "confirmed" not in declaration:
        return False
    sections["declaration"] = {
        key: value for key, value in declaration.items() if key not in SIGNATURE
    }
    return True


def _signable(work: Work, name: str, raw: dict, keep_valid: bool) -> tuple[dict, dict]:
    """The answers a user may give, and the refusal of a confirmation by a preparer: only
    an officer signs the declaration (docs/domain.md section 1, "An issuer's people")."""
    if name != "declaration" or raw.get("confirmed") not in _TRUE:
        return raw, {}
    if policy.allows(work.user, "application.sign", work.case):
        return raw, {}
    refused = localize({"confirmed": [OFFICER_SIGNS]})
    if not keep_valid:
        raise Invalid(OFFICER_SIGNS, errors=refused, code="officer_signs")
    return {key: value for key, value in raw.items() if key != "confirmed"}, refused


def _with_signature(name: str, raw: dict, user: User, today: date, now: datetime | None) -> dict:
    """The declaration is time-stamped and signed by the service, with the confirming
    officer's account, when the officer confirms."""
    answers = dict(raw)
    if name != "declaration":
        return answers
    for key in SIGNATURE:
        if key != "confirmed":
            answers.pop(key, None)
    if answers.get("confirmed") in _TRUE:
        answers["signed_by"] = user.email
        moment = (now or datetime.now(KST)).astimezone(KST)
        if moment.date() != today:  # a simulated day: sign on it, at the present time of day
            moment = datetime.combine(today, moment.time(), KST)
        answers["signed_at"] = moment.replace(microsecond=0).isoformat()
    return answers
