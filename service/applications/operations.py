"""Every way an application changes: one function per change, each one transaction.

Views, the API, the CLI and tests call these with the acting user; nothing
else writes an application. A transition is asked for by name: the operation
locks the case, asks every guard, moves it through the shared machine, records
what the step means (clock, request, registration), freezes the filing, appends
the audit event and commits once. On any error it rolls back whole.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from forms.transitions import TransitionContext, payload_schema
from service.applications.completeness import (
    AMENDING_STATES,
    amended_sections,
    last_whole_filing,
    outstanding_items,
)
from service.audit import stored
from service.canonical import canonical_json
from service.errors import Conflict, Forbidden, Invalid, NotFound, loaded
from service.extensions import db
from service.filings.numbers import next_number
from service.filings.operations import make_filing
from service.hearings.objections import answer_objection
from service.hearings.queries import (
    notice_facts,
    objection_facts,
    unanswered_objection,
    undecided,
)
from service.models import Application, Filing, Finding, InformationRequest, Registration, User
from service.notifications.operations import queue_notification
from service.regime import regime
from service.review.clock import assessment_reading
from service.timezone import in_korea, korea_today
from service.unit_of_work import Work, actor_for, current_work, unit_of_work
from service.versions import Expected, check_version
from workflows import lifecycle
from workflows.bilingual import current_locale, localize, pick, t
from workflows.clock import add_business_days
from workflows.regime import CATEGORIES


class _ReadWhenAsked(lifecycle.CaseFacts):
    """Case facts whose costly ones are read from the database when a guard first asks for
    them: a step reads what its own guards need (a transition's few queries), the case
    page, which asks every step, all of them."""

    def __init__(self, readers: dict[str, Callable[[], Any]], **known: Any) -> None:
        object.__setattr__(self, "_readers", readers)
        super().__init__(**known)

    def __getattribute__(self, name: str) -> Any:
        readers = object.__getattribute__(self, "_readers")
        if name in readers:
            object.__setattr__(self, name, readers.pop(name)())
        return object.__getattribute__(self, name)


def case_facts(application: Application, today: date) -> lifecycle.CaseFacts:
    registration = cache(lambda: registration_of(application))

    def missing() -> tuple[str, ...]:
        if application.state not in ("draft", "returned_incomplete", *AMENDING_STATES):
            return ()
        return tuple(
            f"{pick(item.label)}" + (f" ({item.detail})" if item.detail else "")
            for item in outstanding_items(application, today, regime())
        )

    return _ReadWhenAsked(
        {
            "missing": missing,
            "validity_ended": lambda: bool(registration() and registration().valid_until < today),
            # Oldest first, so a later opinion of the same authority supersedes an earlier one.
            "opinions": lambda: tuple((o.authority, o.opinion) for o in application.opinions),
            "open_findings": lambda: _open_findings(registration()),
            "renews": lambda: _renewed_number(application),
            "issuer_due_on": lambda: _issuer_due_on(application),
            "notices": lambda: notice_facts(application.id),
            "objection": lambda: objection_facts(application),
        },
        state=application.state,
        organization_id=application.organization_id,
        category=application.category,
        assigned_reviewer_id=application.assigned_reviewer_id,
        recommended_by_id=application.recommended_by_id,
        today=today,
    )


def _issuer_due_on(application: Application) -> date | None:
    """The deadline the case waits on the issuer for, if it waits on the issuer."""
    if application.state == "returned_incomplete":
        return application.due_on
    if application.state == "information_requested" and application.open_request:
        return application.open_request.due_on
    return None


def _open_findings(registration: Registration | None) -> tuple[str, ...]:
    """Rule codes of the registration's findings not yet closed: they block reinstatement."""
    if registration is None:
        return ()
    return tuple(
        db.session.execute(
            select(Finding.rule)
            .where(Finding.registration_id == registration.id, Finding.status != "closed")
            .order_by(Finding.id)
        ).scalars()
    )


def options_for(user: User | None, application: Application, today: date | None = None):
    """Every transition out of the current state, allowed or with its reason, for `user`."""
    today = today or korea_today()
    return lifecycle.options(actor_for(user), case_facts(application, today))


def create_draft(user: User, category: str) -> Application:
    if user.role != "issuer":
        raise Forbidden("Only an issuer may start an application.", code="role")
    if category not in CATEGORIES:
        raise Invalid("Unknown category.", errors={"category": [f"One of {list(CATEGORIES)}."]})
    with unit_of_work(user) as work:
        application = Application(
            organization_id=user.organization_id, category=category, state="draft", sections={}
        )
        db.session.add(application)
        db.session.flush()
        work.audit(
            "create",
            application_id=application.id,
            to_state="draft",
            detail={"category": category},
        )
    return application


@dataclass(frozen=True)
class Moved:
    """Where a step left the case, taken before the COMMIT: reading the row again after it
    would cost a query for what the step already knows."""

    id: int
    category: str
    state: str
    version: int
    etag: str


def transition(
    application_id: int,
    name: str,
    user: User | None,
    payload: dict[str, Any] | None = None,
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> Moved:
    """Apply the transition `name` for `user` (None: the system actor) in one transaction."""
    today = today or korea_today()
    step = _step(name)
    with unit_of_work(user, case=application_id) as work:
        _apply(work, step, name, payload or {}, expected_version, today)
        db.session.flush()  # the version the COMMIT writes
        case = work.case
        moved = Moved(case.id, case.category, case.state, case.version, case.etag)
    return moved


def _step(name: str):
    try:
        return lifecycle.transition(name)
    except lifecycle.UnknownTransition:
        raise NotFound(f"No transition named '{name}'.", code="unknown_transition") from None


def check_transition(
    application_id: int,
    name: str,
    user: User,
    payload: dict[str, Any] | None = None,
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Everything `transition` checks (role, version, guards, the payload), with nothing
    written: what a confirm step shows before the decision is taken. Raises as `transition`
    does; returns the payload as it would be recorded."""
    today = today or korea_today()
    step = _step(name)
    with unit_of_work(user, case=application_id) as work:
        _, data = _checked(work, step, name, payload or {}, expected_version, today)
    return data


def _checked(work: Work, step, name, payload, expected_version, today) -> tuple[str, dict]:
    """The state the step leads to and its loaded payload, or the refusal."""
    application, actor = work.case, work.actor
    facts = case_facts(application, today)
    # Whose step it is comes first: a wrong role gets 403 and learns nothing of the case's
    # version or state from the 412 or 409 the checks below would give.
    not_theirs = [r for guard in WHO_MAY_GUARDS if (r := guard(step, actor, facts))]
    if not_theirs:
        raise _refused(Forbidden, not_theirs[0], not_theirs)
    check_version(application.version, expected_version)
    try:
        new_state = lifecycle.apply(name, actor, facts)
    except lifecycle.NotFromState as exc:
        raise _refused(Conflict, exc.refusal, [exc.refusal]) from None
    except lifecycle.Refused as exc:
        kind = Forbidden if exc.refusal.status == 403 else Conflict
        error = _refused(kind, exc.refusal, exc.refusals)
        if any(r.code == "incomplete" for r in exc.refusals):
            error.extra["missing"] = missing_list(application, today)
        raise error from None

    ctx = TransitionContext(
        today=today,
        profile=regime(),
        # Only a case waiting on the issuer's answers has questions open (read for `respond`).
        open_questions=len(application.open_request.questions)
        if application.state == "information_requested" and application.open_request
        else 0,
    )
    return new_state, _json_safe(loaded(payload_schema(name, ctx), payload))


def _apply(work: Work, step, name, payload, expected_version, today) -> None:
    application, actor = work.case, work.actor
    new_state, data = _checked(work, step, name, payload, expected_version, today)
    from_state = application.state
    application.state = new_state
    if step.reviewer_step and application.assigned_reviewer_id is None:
        application.assigned_reviewer_id = actor.user_id
    content = EFFECTS[name](application, actor, data, today)
    filing = None
    if step.filing_kind:
        filing = make_filing(
            db.session,
            kind=step.filing_kind,
            application=application,
            actor=actor,
            content={
                "transition": name,
                "from_state": from_state,
                "to_state": new_state,
                **content,
            },
        )
    work.notify(
        queue_notification(
            db.session, name, application, content, filing.accession_number if filing else None
        )
    )
    db.session.flush()
    work.audit(
        name,
        application_id=application.id,
        from_state=from_state,
        to_state=new_state,
        detail={
            "payload": data,
            "filing": filing.accession_number if filing else None,
            "internal": step.internal,
            # Filings a step makes besides its own, named in its event: the request for
            # opinions sent with a KRW stablecoin recommendation.
            **{key: content[key] for key in EVENT_FILINGS if content.get(key)},
            **_registration_as_left(name, application),
        },
    )


EVENT_FILINGS = ("opinion_request",)


def _renewed_number(application: Application) -> str | None:
    """The number of the registration an approved renewal extended."""
    if application.renews_registration_id is None:
        return None
    if application.state not in lifecycle.REGISTER_STATES:
        return None
    return db.session.get(Registration, application.renews_registration_id).number


def _registration_as_left(name: str, application: Application) -> dict[str, Any]:
    """The registration row as a step that made or changed it left it: `flask audit verify`
    holds the row to the chain (service.audit.stored). An approved renewal's row is carried
    by the `renew` event on the registration's own case; its approval names the number."""
    if name not in stored.REGISTRATION_STEPS:
        return {}
    if application.renews_registration_id is not None:
        return {"renews": _renewed_number(application)}
    registration = db.session.execute(
        select(Registration).where(Registration.application_id == application.id)
    ).scalar_one()
    return {"registration": stored.registration_facts(registration)}


# The guards that say whose step a transition is, whatever the case's state.
WHO_MAY_GUARDS = (lifecycle.role_allowed, lifecycle.own_organization)


def missing_list(application: Application, today: date) -> list[dict[str, str]]:
    """What the filing still lacks, as data: kind (section or document), code, label."""
    return [
        {
            "kind": item.kind,
            "code": item.code,
            "label": pick(item.label),
            "detail": localize(item.detail),
        }
        for item in outstanding_items(application, today, regime())
    ]


def _refused(kind, refusal: lifecycle.Refusal, refusals: list[lifecycle.Refusal]):
    locale = current_locale()
    return kind(
        refusal.text(locale),
        code=refusal.code,
        reasons=[{"code": r.code, "reason": r.text(locale)} for r in refusals],
    )


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(canonical_json(data))


def registration_of(application: Application) -> Registration | None:
    """The case's registration, if its state is one that stands on the register."""
    if application.state not in lifecycle.REGISTER_STATES:
        return None
    return db.session.execute(
        select(Registration).where(Registration.application_id == application.id)
    ).scalar_one_or_none()


# -- what each step records besides the state ----------------------------------


def _as_filed(application: Application) -> dict[str, Any]:
    """The application as it stands: its sections and documents, frozen into a filing."""
    return {
        "sections": application.sections,
        "documents": _filed_documents(application),
    }


def _filed_documents(application) -> list[dict[str, Any]]:
    """Every upload is listed; the latest version of each type is the one that counts."""
    latest = {d.document_type: d.id for d in application.documents}
    versions: dict[str, int] = {}
    listed = []
    for d in application.documents:
        versions[d.document_type] = versions.get(d.document_type, 0) + 1
        listed.append(
            {
                "id": d.id,
                "document_type": d.document_type,
                "version": versions[d.document_type],
                "current": latest[d.document_type] == d.id,
                "filename": d.filename,
                "size": d.size,
                "sha256": d.sha256,
            }
        )
    return listed


def _last_filed_at(application, kind: str):
    return db.session.execute(
        select(Filing.filed_at)
        .where(Filing.application_id == application.id, Filing.kind == kind)
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _uploaded_since(application, moment) -> list[dict[str, Any]]:
    uploaded = {d.id: d.uploaded_at for d in application.documents}
    return [
        d
        for d in _filed_documents(application)
        if moment is None or in_korea(uploaded[d["id"]]) >= in_korea(moment)
    ]


def _submitted(application, actor, data, today) -> dict[str, Any]:
    application.submitted_on = today
    application.due_on = add_business_days(today, regime().completeness_check_days)
    return {**_as_filed(application), "comment": data.get("comment")}


def _returned(application, actor, data, today) -> dict[str, Any]:
    application.due_on = date.fromisoformat(data["deadline"])
    return {
        "missing": data["missing"],
        "deadline": data["deadline"],
        "comment": data.get("comment"),
    }


def _complete(application, actor, data, today) -> dict[str, Any]:
    application.complete_on = today
    application.due_on = add_business_days(today, regime().assessment_days)
    return {"payload": data}


def _information_requested(application, actor, data, today) -> dict[str, Any]:
    request = InformationRequest(
        application=application,
        questions=data["questions"],
        due_on=date.fromisoformat(data["due_on"]),
        opened_on=today,
        opened_by_id=actor.user_id,
    )
    db.session.add(request)
    application.due_on = request.due_on
    return {"questions": data["questions"], "due_on": data["due_on"]}


def _responded(application, actor, data, today) -> dict[str, Any]:
    request = application.open_request
    request.answers = data["answers"]
    request.answered_on = today
    application.due_on = assessment_reading(application, today, regime()).due_on
    # The response also freezes the application as it now stands, the answers the issuer
    # amended while the request was open included, so the case page can show each change
    # against the original submission. Whether a change is material, and so restarts the
    # assessment (docs/domain.md section 4), is the reviewer's judgement on reading it: not
    # made here.
    return {
        "questions": request.questions,
        "answers": data["answers"],
        "requested_on": request.opened_on,
        "amended_sections": amended_sections(application),
        **_as_filed(application),
        # The documents uploaded while the request was open go with the answers.
        "documents_with_answers": _uploaded_since(
            application, _last_filed_at(application, "information_request")
        ),
    }


def _recommended(application, actor, data, today) -> dict[str, Any]:
    application.recommended_by_id = actor.user_id
    application.recommended_on = today
    application.recommendation = data
    if application.category not in lifecycle.CONSULTED_CATEGORIES:
        return {"payload": data}
    # The request for the Bank of Korea's and the ministry's opinions goes out with the
    # recommendation, answerable within 20 business days (docs/domain.md section 4). A case
    # sent back and recommended again is asked again: each request is its own filing.
    application.due_on = add_business_days(today, regime().central_bank_opinion_days)
    filed = last_whole_filing(application)
    request = make_filing(
        db.session,
        kind="opinion_request",
        application=application,
        actor=actor,
        content={
            "addressees": [
                {"authority": code, "name_ko": name.ko, "name_en": name.en}
                for code, name in lifecycle.OPINION_AUTHORITIES.items()
            ],
            "sent_on": today,
            "due_on": application.due_on,
            "asked": OPINION_ASKED,
            # What they opine on: the application as last filed whole.
            "application_filing": filed.accession_number if filed else None,
        },
        internal=True,
    )
    return {"payload": data, "opinion_request": request.accession_number}


# What the consulted authorities are asked: a KRW stablecoin's risks to money and payments
# are theirs to weigh, and a negative BoK opinion forces a refusal (docs/domain.md section 1, s4).
OPINION_ASKED = t(
    "Your opinion, favourable or unfavourable, with its reasons, on registering the "
    "applicant as a KRW stablecoin issuer, by the due date: in particular on the effects of "
    "its business model on monetary policy, financial stability, payment systems and "
    "cross-border flows of funds.",
    "신청인의 원화 스테이블코인 발행인 등록에 대한 귀 기관의 의견(찬성 또는 반대)과 그 "
    "사유를 기한까지 회신하여 주십시오. 특히 사업 모형이 통화정책, 금융안정, 지급결제 "
    "및 국경 간 자금 이동에 미치는 영향에 대한 의견을 요청합니다.",
)


def _sent_back(application, actor, data, today) -> dict[str, Any]:
    application.recommended_by_id = None
    application.recommendation = None
    application.recommended_on = None
    application.due_on = assessment_reading(application, today, regime()).due_on
    return {"payload": data}


CERTIFYING_AUTHORITY = "금융위원회 (Financial Services Commission)"


def _approved(application, actor, data, today) -> dict[str, Any]:
    conditions = data.get("conditions") or (application.recommendation or {}).get("conditions")
    if application.renews_registration_id is not None:
        return _renewed(application, actor, data, today, conditions)
    token = application.sections.get("token_design") or {}
    registration = Registration(
        number=next_number(db.session, "KVI", today.year),
        application_id=application.id,
        organization_id=application.organization_id,
        category=application.category,
        status="registered",
        status_since=today,
        registered_on=today,
        valid_until=today + relativedelta(years=regime().validity_years, days=-1),
        conditions=list(conditions or []),
        issuance_cap_krw=data.get("issuance_cap_krw"),
        token_name=token.get("token_name"),
        token_symbol=token.get("token_symbol"),
    )
    db.session.add(registration)
    application.due_on = None
    certificate = _certificate(application, actor, registration)
    return {
        "decision": "approve",
        "registration_number": registration.number,
        "registered_on": registration.registered_on,
        "valid_until": registration.valid_until,
        "conditions": registration.conditions,
        "issuance_cap_krw": registration.issuance_cap_krw,
        "renews": None,
        "certificate": certificate.accession_number,
        "comment": data.get("comment"),
    }


def _renewed(application, actor, data, today, conditions) -> dict[str, Any]:
    """An approved renewal extends the registration it renews: the same number and row, valid
    for the profile's years more counted from the old end date, not from the approval day
    (docs/domain.md section 4, validity). The registration's own case records the renewal
    as a `renew` event carrying the row, and its certificate is filed there anew."""
    registration = db.session.get(Registration, application.renews_registration_id)
    if registration.status not in lifecycle.IN_FORCE_STATES:
        raise Conflict(
            t(
                "Registration {number} is no longer in force; there is nothing to renew.",
                "등록 {number}은(는) 이미 효력을 잃어 갱신할 수 없습니다.",
                number=registration.number,
            ),
            code="state",
        )
    valid_until_before = registration.valid_until
    registration.valid_until = valid_until_before + relativedelta(years=regime().validity_years)
    if conditions:
        registration.conditions = list(conditions)
    application.due_on = None
    certificate = _certificate(registration.application, actor, registration)
    current_work().audit(
        RENEW_ACTION,
        application_id=registration.application_id,
        detail={
            "renewal_application": application.id,
            "renewed_on": today.isoformat(),
            "valid_until_before": valid_until_before.isoformat(),
            "certificate": certificate.accession_number,
            "registration": stored.registration_facts(registration),
        },
    )
    return {
        "decision": "approve",
        "registration_number": registration.number,
        "registered_on": registration.registered_on,
        "valid_until": registration.valid_until,
        "valid_until_before": valid_until_before,
        "conditions": registration.conditions,
        "renews": registration.number,
        "certificate": certificate.accession_number,
        "comment": data.get("comment"),
    }


# The event an approved renewal records on the registration's own case (service.audit.stored).
RENEW_ACTION = "renew"


def _certificate(application: Application, actor, registration: Registration) -> Filing:
    """The certificate is published on the register (docs/domain.md section 6): public facts
    only, issued by the authority, so no official's name or e-mail appears on it."""
    return make_filing(
        db.session,
        kind="certificate",
        application=application,
        actor=lifecycle.Actor(
            actor.user_id, actor.role, actor.organization_id, CERTIFYING_AUTHORITY
        ),
        content={
            "registration_number": registration.number,
            "issuer": {
                "name_ko": application.organization.name_ko,
                "name_en": application.organization.name_en,
            },
            "category": application.category,
            "token": {"name": registration.token_name, "symbol": registration.token_symbol},
            "registered_on": registration.registered_on,
            "valid_until": registration.valid_until,
            "conditions": registration.conditions,
        },
    )


def _refusal_decided(application, actor, data, today) -> dict[str, Any]:
    """The refusal's decision letter carries its legal grounds, in both languages, and reasons,
    and cites the notice of intended refusal and the issuer's comments."""
    application.due_on = None
    return {
        "decision": "refuse",
        "grounds": data["grounds"],
        "grounds_text": [lifecycle.REFUSAL_GROUNDS[code] for code in data["grounds"]],
        "reasons": data["reasons"],
        "hearing": _hearing_cited(application, "refuse", today),
    }


def _hearing_cited(application: Application, action: str, today: date) -> dict[str, Any]:
    """What an adverse decision cites of the hearing before it: the latest notice of
    `action`, which its guard read (lifecycle.heard_before_decision), and the comments on
    it, if any. The notices of `action` are marked as acted on (docs/domain.md section 4,
    hearing)."""
    served = undecided(application.id, action)
    notice = served[-1]
    for each in served:
        each.decided_on = today
    return {
        "notice": notice.accession_number,
        "given_on": notice.given_on,
        "comment_deadline": notice.comment_deadline,
        "comments": notice.comments_accession,
        "comments_on": notice.comments_on,
    }


def _after_hearing(action: str):
    """The effect of a suspension or revocation: the status changed, the hearing cited."""

    def decided(application, actor, data, today) -> dict[str, Any]:
        content = _status_changed(application, actor, data, today)
        return {**content, "hearing": _hearing_cited(application, action, today)}

    return decided


def _objection_upheld(application, actor, data, today) -> dict[str, Any]:
    """The decision objected to is withdrawn: the objection is answered as upheld, and a
    registration suspended or revoked is in force again (docs/domain.md section 4,
    objection). A refused case is decided again, after a new hearing if refused again."""
    # The step has moved the case on; its guard found this objection open before it did.
    objection = unanswered_objection(application.id)
    content = answer_objection(objection, actor.user_id, "upheld", data["reasons"], today)
    if application.state == "registered":
        return {**_status_changed(application, actor, data, today), **content}
    return {"registration_number": None, "payload": data, **content}


# Why a suspension may go without prior notice (docs/domain.md section 4, hearing).
URGENT_BASIS = t(
    "Administrative Procedures Act Art 21(4) (when prior notice may be omitted)",
    "행정절차법 제21조 제4항 (사전 통지를 하지 아니할 수 있는 경우)",
)


def _suspended_urgently(application, actor, data, today) -> dict[str, Any]:
    """A suspension without prior notice names the ground that allows it and the reason. A
    notice of suspension still open has been overtaken: the suspension it announced is taken."""
    for overtaken in undecided(application.id, "suspend"):
        overtaken.decided_on = today
    content = _status_changed(application, actor, data, today)
    return {
        **content,
        "omission_ground": data["omission_ground"],
        "omission_ground_text": lifecycle.NOTICE_OMISSION_GROUNDS[data["omission_ground"]],
        "reason": data["reason"],
        "legal_basis": URGENT_BASIS,
    }


def _closed(application, actor, data, today) -> dict[str, Any]:
    application.due_on = None
    return {"payload": data}


# Why a closing step may return the application (docs/domain.md section 4, stalled cases).
CLOSURE_BASIS = t(
    "Administrative Procedures Act Art 17(6) (an application not completed by the "
    "deadline is returned)",
    "행정절차법 제17조 제6항 (기한 내 보완이 없는 신청의 반려)",
)


def _closed_for_non_response(application, actor, data, today) -> dict[str, Any]:
    # The notice that put the case in its waiting state is the latest of the two kinds.
    notice = db.session.execute(
        select(Filing)
        .where(
            Filing.application_id == application.id,
            Filing.kind.in_(("incompleteness_notice", "information_request")),
        )
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one()
    # The deadline the guard read (`_issuer_due_on`): an open request's, else the return's.
    request = application.open_request
    deadline = request.due_on if request else application.due_on
    application.due_on = None
    return {
        "payload": data,
        "closes": notice.accession_number,
        "deadline": deadline,
        "last_day": lifecycle.issuer_deadline(deadline),
        "reason": data["reason"],
        "legal_basis": CLOSURE_BASIS,
    }


def _status_changed(application, actor, data, today) -> dict[str, Any]:
    registration = registration_of(application)
    registration.status = application.state
    registration.status_since = today
    if application.state in lifecycle.IN_FORCE_STATES:
        # In force again (an objection upheld): nothing is to be wound down.
        registration.wind_down_by = registration.wound_down_on = None
    content = {"registration_number": registration.number, "payload": data}
    if "grounds" in data:
        content.update(grounds=data["grounds"], reasons=data["reasons"])
    return content


def _winds_down(effect):
    """A revocation or a lapse ends the registration, which stays supervised until every
    holder is redeemed, within the profile's days (docs/domain.md section 4, wind-down)."""

    def ended(application, actor, data, today) -> dict[str, Any]:
        content = effect(application, actor, data, today)
        registration = registration_of(application)
        registration.wind_down_by = today + timedelta(days=regime().wind_down_days)
        registration.wound_down_on = None
        return {**content, "redeem_by": registration.wind_down_by}

    return ended


def _surrender_asked(application, actor, data, today) -> dict[str, Any]:
    """The registration stays in force, its status unchanged, until the plan is decided."""
    return {"registration_number": registration_of(application).number, "payload": data}


def _surrender_decided(application, actor, data, today) -> dict[str, Any]:
    """The request answered; accepted, its plan's day is the day every holder is to be
    redeemed by, and the registration stays supervised until then (docs/domain.md section 4,
    surrender)."""
    request = db.session.execute(
        select(Filing)
        .where(Filing.application_id == application.id, Filing.kind == "surrender_request")
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one()
    redeem_by = None
    registration = registration_of(application)
    if application.state == "surrendered":
        _status_changed(application, actor, data, today)
        plan = json.loads(request.content_json)["content"]["payload"]
        redeem_by = date.fromisoformat(plan["redeem_by"])
        registration.wind_down_by, registration.wound_down_on = redeem_by, None
    return {
        "registration_number": registration.number,
        "payload": data,
        "request": request.accession_number,
        "reasons": data["reasons"],
        "redeem_by": redeem_by,
    }


# Each step's part of the step table (docs/design.md, "The step table"): what it records
# besides the state, and what its filing and notice say. Checked at import.
EFFECTS = lifecycle.STEPS.parts(
    "effect",
    {
        "submit": _submitted,
        "resubmit": _submitted,
        "return_incomplete": _returned,
        "mark_complete": _complete,
        "request_information": _information_requested,
        "respond": _responded,
        "recommend": _recommended,
        "send_back": _sent_back,
        "approve": _approved,
        "refuse": _refusal_decided,
        "close_not_resubmitted": _closed_for_non_response,
        "close_unanswered": _closed_for_non_response,
        "withdraw": _closed,
        "suspend": _after_hearing("suspend"),
        "suspend_urgently": _suspended_urgently,
        "reinstate": _status_changed,
        "revoke": _winds_down(_after_hearing("revoke")),
        "surrender": _surrender_asked,
        "accept_surrender": _surrender_decided,
        "refuse_surrender": _surrender_decided,
        "lapse": _winds_down(_status_changed),
        "reconsider": _objection_upheld,
        "restore": _objection_upheld,
    },
)
