"""Changes a registered issuer applies for before they take effect, and the approver's
decision (docs/domain.md section 5, changes approved in advance).

The issuer applies on its registration's case; an approver approves or refuses with
reasons. Each is one unit of work with its filing and audit event; the decision is sealed
and mailed. An approved change of the white paper is what the register then publishes
(service/register/queries.py).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from forms.changes import ChangeApplicationSchema, ChangeDecisionSchema
from service import policy
from service.applications.operations import registration_of
from service.errors import Conflict, NotFound, loaded
from service.extensions import db
from service.filings.operations import make_filing
from service.models import ChangeApproval, Registration, User
from service.models.types import utcnow
from service.monitoring.supervision import SUPERVISED_STATUSES
from service.notifications.operations import queue_notification
from service.regime import regime
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from service.versions import Expected, check_version
from workflows.bilingual import BiText, t
from workflows.changes import approval_refusal, thresholds_crossed

# The legal basis each kind of change states: a change of control is assessed before it
# happens (MiCA Art 41-42); a variation of what was registered likewise (MiCA Art 25).
CONTROL_BASIS = t(
    "MiCA Art 41-42 (assessment of a proposed acquisition) as the model; FSC virtual-"
    "asset issuer plan (Dec 2025, bank-led consortium)",
    "EU MiCA 제41조~제42조(적격 지분 취득의 사전 평가) 참고; 금융위원회 가상자산 "
    "발행인 방안(2025년 12월, 은행 중심 컨소시엄)",
)
VARIATION_BASIS = t(
    "MiCA Art 25 (changes of the business model approved in advance) and Art 12 "
    "(modified white papers) as the model; conditions of registration",
    "EU MiCA 제25조(사업 모델 변경의 사전 승인) 및 제12조(백서 변경) 참고; 등록 조건",
)


def legal_basis(kind: str) -> BiText:
    return CONTROL_BASIS if kind == "control" else VARIATION_BASIS


def _supervised(application) -> Registration:
    registration = registration_of(application)
    if registration is None or registration.status not in SUPERVISED_STATUSES:
        raise Conflict(
            t(
                "Only a registration in force applies for a change.",
                "효력이 있는 등록만 변경 승인을 신청할 수 있습니다.",
            ),
            code="not_registered",
        )
    return registration


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _details(kind: str, data: dict[str, Any], profile) -> dict[str, Any]:
    """What the row and the filing keep of the answers: those of the kind only, figures as
    decimal text, and the control thresholds the change crosses."""
    control, paper = kind == "control", kind == "white_paper"
    crossed = (
        thresholds_crossed(data["holding_before_pct"], data["holding_after_pct"], profile)
        if control
        else ()
    )
    return {
        "description": data["description"],
        "acquirer": data.get("acquirer") if control else None,
        **{
            name: _figure(data.get(name)) if control else None
            for name in (
                "holding_before_pct",
                "holding_after_pct",
                "bank_shareholding_total_after_pct",
            )
        },
        "thresholds_crossed_pct": [_figure(share) for share in crossed],
        "white_paper_version": data.get("white_paper_version") if paper else None,
        "white_paper_date": data["white_paper_date"].isoformat() if paper else None,
    }


def apply_for_change(
    application_id: int,
    user: User,
    payload: dict[str, Any],
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> ChangeApproval:
    """File the issuer's application for a change, before it takes effect."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        policy.require(user, "change.apply", application)
        check_version(application.version, expected_version)
        registration = _supervised(application)
        profile = regime()
        data = loaded(
            ChangeApplicationSchema(today=today, category=registration.category, profile=profile),
            payload,
        )
        kind = data["kind"]
        details = _details(kind, data, profile)
        filing = make_filing(
            db.session,
            kind="change_application",
            application=application,
            actor=work.actor,
            content={
                "registration_number": registration.number,
                "kind": kind,
                "planned_on": data["planned_on"],
                **details,
                "applied_on": today,
                "legal_basis": legal_basis(kind),
            },
        )
        change = ChangeApproval(
            application_id=application.id,
            kind=kind,
            details=details,
            planned_on=data["planned_on"],
            applied_on=today,
            applied_by_id=user.id,
            accession_number=filing.accession_number,
        )
        db.session.add(change)
        application.updated_at = utcnow()
        work.audit(
            "apply_for_change",
            application_id=application.id,
            detail={"kind": kind, "filing": filing.accession_number},
        )
    return change


def decide_change(
    application_id: int,
    change_id: int,
    user: User,
    payload: dict[str, Any],
    *,
    expected_version: Expected = None,
    today: date | None = None,
) -> ChangeApproval:
    """The approver approves or refuses a change applied for, with reasons; sealed and
    mailed. The rulebook may leave only refusal (workflows/changes.py)."""
    today = today or korea_today()
    with unit_of_work(user, case=application_id) as work:
        application = work.case
        policy.require(user, "change.decide", application)
        change = db.session.get(ChangeApproval, change_id)
        if change is None or change.application_id != application.id:
            raise NotFound(
                t("No such change application.", "그런 변경 승인 신청이 없습니다."),
                code="change_not_found",
            )
        check_version(application.version, expected_version)
        if change.outcome is not None:
            raise Conflict(
                t(
                    "This change has already been decided.",
                    "이 변경 승인 신청은 이미 결정되었습니다.",
                ),
                code="change_decided",
            )
        registration = _supervised(application)
        data = loaded(ChangeDecisionSchema(), payload)
        approve = data["decision"] == "approve"
        refusal = approval_refusal(change.kind, registration.category, change.details, regime())
        if approve and refusal is not None:
            raise Conflict(refusal, code="change_not_approvable")
        outcome = "approved" if approve else "refused"
        content = {
            "registration_number": registration.number,
            "change": change.accession_number,
            "kind": change.kind,
            "outcome": outcome,
            "reasons": data["reasons"],
            "decided_on": today,
            "legal_basis": legal_basis(change.kind),
        }
        filing = make_filing(
            db.session,
            kind="change_decision",
            application=application,
            actor=work.actor,
            content=content,
        )
        change.outcome = outcome
        change.outcome_reasons = data["reasons"]
        change.outcome_on = today
        change.outcome_by_id = user.id
        change.outcome_accession = filing.accession_number
        application.updated_at = utcnow()
        work.notify(
            queue_notification(
                db.session, "decide_change", application, content, filing.accession_number
            )
        )
        work.audit(
            "approve_change" if approve else "refuse_change",
            application_id=application.id,
            detail={"change": change.accession_number, "filing": filing.accession_number},
        )
    return change
