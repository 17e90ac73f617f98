"""The registration lifecycle: fourteen states, twenty-one transitions, their guards.

`TRANSITIONS` is the step table: one record per step (docs/design.md, "The step
table"). The shared engine (workflows/engine.py) builds one `transitions` machine
from it, once, shared by every application; the state itself lives in the
database. Guards are plain functions that return a `Refusal` (why not) or None, so
a caller can ask all of them and explain a closed step; the machine runs the same
guards as its conditions, so nothing moves past one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from workflows.bilingual import BiText, t
from workflows.engine import (
    ROLE_NAMES,
    Actor,
    Engine,
    NotFromState,
    Refusal,
    Refused,
    StepTableError,
    UnknownTransition,
    role_refusal,
)
from workflows.monitoring.findings import suspension_may_be_lifted
from workflows.monitoring.obligations import next_business_day_from

# States that stand on the public register: the monitoring phase below.
REGISTER_STATES = (
    "registered",
    "suspended",
    "surrender_requested",
    "revoked",
    "surrendered",
    "lapsed",
)
# States, grouped by the phases of the design card (pages and reports group by phase).
PHASES: dict[str, tuple[str, ...]] = {
    "application": ("draft",),
    "review": ("submitted", "returned_incomplete", "assessment", "information_requested"),
    "approval": ("recommended", "refused"),
    "monitoring": REGISTER_STATES,
    "closed": ("withdrawn", "discontinued"),
}
STATES: tuple[str, ...] = tuple(s for states in PHASES.values() for s in states)
INITIAL_STATE = "draft"

STATE_LABELS: dict[str, BiText] = {
    "draft": t("Draft", "작성 중"),
    "submitted": t("Submitted", "접수"),
    "returned_incomplete": t("Returned as incomplete", "보완 요구"),
    "assessment": t("In assessment", "심사 중"),
    "information_requested": t("Information requested", "자료 요청"),
    "recommended": t("Recommended for decision", "결정 대기"),
    "refused": t("Refused", "등록 거부"),
    "withdrawn": t("Withdrawn", "철회"),
    "discontinued": t("Closed for non-response", "기한 경과 종결"),
    "registered": t("Registered", "등록"),
    "suspended": t("Suspended", "영업 정지"),
    "revoked": t("Revoked", "등록 취소"),
    "surrender_requested": t("Surrender requested", "자진 반납 신청"),
    "surrendered": t("Surrendered", "자진 반납"),
    "lapsed": t("Lapsed", "기간 만료"),
}

# Each state in plain words, for the lifecycle page (/lifecycle).
STATE_EXPLANATIONS: dict[str, BiText] = {
    "draft": t(
        "The issuer is writing the application; only its own organization sees it.",
        "발행인이 신청서를 작성하고 있습니다. 해당 기관만 볼 수 있습니다.",
    ),
    "submitted": t(
        "Filed with a receipt; a reviewer checks within 25 business days that it is complete.",
        "접수증이 발급되었고, 심사역이 25영업일 안에 신청서가 완전한지 확인합니다.",
    ),
    "returned_incomplete": t(
        "The reviewer listed what is missing; the issuer completes and resubmits it "
        "by the deadline.",
        "심사역이 보완할 사항을 알렸습니다. 발행인은 기한 안에 보완해 다시 제출합니다.",
    ),
    "assessment": t(
        "The application is complete; the 60-business-day assessment clock runs.",
        "신청서가 완비되어 60영업일의 심사 기간이 진행 중입니다.",
    ),
    "information_requested": t(
        "The reviewer asked questions; the clock stops until the issuer answers.",
        "심사역이 자료를 요청했습니다. 발행인이 답할 때까지 심사 기간이 멈춥니다.",
    ),
    "recommended": t(
        "The reviewer proposed a decision; another person, an approver, decides. "
        "A KRW stablecoin waits for the Bank of Korea's and the ministry's opinions.",
        "심사역이 결정을 건의했고 다른 결재권자가 결정합니다. 원화 스테이블코인은 "
        "한국은행과 기획재정부의 의견을 기다립니다.",
    ),
    "refused": t(
        "The approver refused the registration, citing its legal grounds. The issuer "
        "may object within 30 days; upheld, the case is decided again.",
        "결재권자가 법정 사유를 들어 등록을 거부했습니다. 발행인은 30일 이내에 "
        "이의신청할 수 있고, 인용되면 다시 결정합니다.",
    ),
    "withdrawn": t(
        "The issuer withdrew the application before a decision.",
        "발행인이 결정 전에 신청을 철회했습니다.",
    ),
    "discontinued": t(
        "The issuer neither resubmitted nor answered by the deadline; the reviewer "
        "closed the case and the issuer was told.",
        "발행인이 기한까지 보완하거나 답변하지 않아 심사역이 사건을 종결하고 "
        "발행인에게 통지했습니다.",
    ),
    "registered": t(
        "Registered for three years and listed on the public register; reports are due.",
        "3년간 등록되어 공개 등록부에 게재되며, 정기 보고 의무가 있습니다.",
    ),
    "suspended": t(
        "Business is suspended for stated reasons until an approver reinstates it.",
        "사유가 있어 영업이 정지되었으며, 결재권자가 해제할 때까지 유지됩니다.",
    ),
    "revoked": t(
        "The registration was revoked on legal grounds; it stays on the register, and "
        "supervised until a redemption report shows nothing outstanding. An objection upheld "
        "restores it.",
        "법정 사유로 등록이 취소되었으며, 등록부에는 기록으로 남고 상환 보고서에 남은 "
        "발행량이 없을 때까지 감독을 받습니다. 이의신청이 인용되면 등록이 회복됩니다.",
    ),
    "surrender_requested": t(
        "The issuer asked to give the registration up, with its plan to redeem every "
        "holder; it stays in force until an approver accepts or refuses the plan.",
        "발행인이 모든 보유자에 대한 상환 계획과 함께 등록 반납을 신청했으며, 결재권자가 "
        "계획을 수락하거나 거부할 때까지 등록은 효력을 유지합니다.",
    ),
    "surrendered": t(
        "An approver accepted the issuer's surrender and its redemption plan; it stays "
        "supervised until a redemption report shows nothing outstanding.",
        "결재권자가 발행인의 자진 반납과 상환 계획을 수락했으며, 상환 보고서에 남은 "
        "발행량이 없을 때까지 감독을 받습니다.",
    ),
    "lapsed": t(
        "The three years ended without renewal; the system closed the registration. "
        "It stays supervised until a redemption report shows nothing outstanding.",
        "3년의 유효기간이 갱신 없이 끝나 시스템이 등록을 종료했습니다. 상환 보고서에 "
        "남은 발행량이 없을 때까지 감독을 받습니다.",
    ),
}

# Cases still before a decision: the issuer may withdraw, the queue lists them.
OPEN_STATES = (
    "submitted",
    "returned_incomplete",
    "assessment",
    "information_requested",
    "recommended",
)
# A registration in force: reports are owed, it may be renewed, and its validity runs. One
# whose surrender is asked for stays in force until the surrender is accepted.
IN_FORCE_STATES = ("registered", "suspended", "surrender_requested")

ROLES = ("issuer", "reviewer", "approver", "supervisor", "auditor", "admin")
# An issuer's users (docs/domain.md section 1, "An issuer's people"): a preparer fills in
# sections and uploads documents; an officer also signs the declaration and takes the
# issuer's steps, since a step files what the officer vouches for.
OFFICER, PREPARER = "officer", "preparer"
DUTIES = (OFFICER, PREPARER)
REGULATOR_ROLES = ("reviewer", "approver", "supervisor", "auditor", "admin")
SYSTEM_ROLE = "system"

# Refusal grounds (docs/domain.md section 4; MiCA Art 21).
REFUSAL_GROUNDS: dict[str, BiText] = {
    "lacks_good_repute": t(
        "The management or a qualifying holder lacks good repute",
        "경영진 또는 주요 주주의 적격성 결여",
    ),
    "requirements_not_met": t(
        "The requirements of the category are not met", "해당 유형의 등록 요건 미충족"
    ),
    "threat_to_stability": t(
        "The business model threatens financial stability, monetary policy or payments",
        "금융안정·통화정책·지급결제에 대한 위협",
    ),
    "ml_tf_risk": t(
        "Serious money-laundering or terrorist-financing risk", "중대한 자금세탁·테러자금조달 위험"
    ),
    "false_statements": t("False statements", "허위 기재"),
}

# Revocation grounds (docs/domain.md section 4; MiCA Art 24).
REVOCATION_GROUNDS: dict[str, BiText] = {
    "false_statements": t("Registration obtained by false statements", "허위 기재에 의한 등록"),
    "conditions_no_longer_met": t(
        "The conditions of registration are no longer met", "등록 요건 미충족"
    ),
    "serious_infringement": t("Serious infringement", "중대한 법령 위반"),
    "inactivity": t(
        "No business for 6 months, or unused for 12 months",
        "6개월 이상 영업 중단 또는 12개월 이상 미사용",
    ),
    "ceased": t("The issuer has ceased business", "발행인의 영업 종료"),
}


SYSTEM = Actor(user_id=None, role=SYSTEM_ROLE, organization_id=None, label="system")


@dataclass(frozen=True)
class CaseFacts:
    """What the guards may know about a case; the service reads it from the database."""

    state: str
    organization_id: int
    category: str
    assigned_reviewer_id: int | None = None
    recommended_by_id: int | None = None
    # What the next filing of the whole application still lacks, as labels: all of it for a
    # submission, the answers changed since the last filing for a response.
    missing: tuple[str, ...] = ()
    validity_ended: bool = False
    # Opinions recorded on the case: (authority, opinion), e.g. ("bank_of_korea", "favourable").
    opinions: tuple[tuple[str, str], ...] = ()
    # Rule codes of the registration's findings that are not closed (docs/domain.md section 5).
    open_findings: tuple[str, ...] = ()
    # A renewal application names the registration it renews: once approved, that
    # registration runs on under its own case, which alone takes its later steps.
    renews: str | None = None
    # The issuer's deadline while the case waits for it (the resubmission deadline of a
    # returned case, the answer date of an open request), and the day in Korea: the
    # regulator's closing steps open only once the deadline has passed.
    issuer_due_on: date | None = None
    today: date | None = None
    # The prior notices of intended action given on the case and not yet acted on, oldest
    # first: the hearing an adverse decision waits for (docs/domain.md section 4, hearing).
    notices: tuple["NoticeFacts", ...] = ()
    # The objection lodged against the decision in force and not yet decided, if any
    # (docs/domain.md section 4, objection).
    objection: "ObjectionFacts | None" = None


@dataclass(frozen=True)
class ObjectionFacts:
    """An objection as the guard reads it: who took the decision it is lodged against."""

    decision: str  # the step objected to: refuse, suspend, suspend_urgently or revoke
    decided_by_id: int | None


@dataclass(frozen=True)
class NoticeFacts:
    """A notice of intended action as the guard reads it."""

    action: str  # refuse, suspend or revoke: the step it announces
    comment_deadline: date
    comments_filed: bool


Guard = Callable[["Transition", Actor, CaseFacts], Refusal | None]


@dataclass(frozen=True)
class Transition:
    """One step of the lifecycle: everything the rulebook says about it.

    The layers above attach the rest under the same name, each table checked complete at
    import by `STEPS.parts` (docs/design.md, "The step table"): its payload schema
    (forms/transitions.py), its effect (service/applications/operations.py), the words of
    its notice (service/notifications/messages.py) and its place on the case page
    (service/web.py)."""

    name: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    label: BiText
    guards: tuple[Guard, ...] = ()
    # A document changes hands: what kind of filing the transition freezes.
    filing_kind: str | None = None
    # Regulator-internal: its details are never shown to the issuer.
    internal: bool = False
    # Reviewer steps: the case's assigned reviewer acts (an unassigned case is claimed).
    reviewer_step: bool = False
    # The issuer's contacts are told: the outbox event the e-mail is filed under.
    notice: str | None = None
    # The step makes or changes the registration row: the status the public register's
    # history shows after it; its audit event carries the row as the step left it.
    public_status: str | None = None


# -- guards ------------------------------------------------------------------


def role_allowed(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if actor.role in transition.roles:
        return None
    return role_refusal(transition.roles, transition.label.en.lower(), transition.label.ko)


def own_organization(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if actor.role != "issuer" or actor.organization_id == case.organization_id:
        return None
    return Refusal(
        403,
        "organization",
        t("This application belongs to another organization.", "다른 기관의 신청서입니다."),
    )


def officer_acts(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if actor.role != "issuer" or actor.duty == OFFICER:
        return None
    return officer_refusal()


def officer_refusal() -> Refusal:
    return Refusal(
        403,
        "officer",
        t(
            "A preparer fills in the application; an officer of the issuer signs and files it.",
            "작성자는 신청서를 작성할 수 있고, 서명과 제출은 발행인의 임원이 합니다.",
        ),
    )


def assigned_reviewer(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if actor.role != "reviewer" or case.assigned_reviewer_id in (None, actor.user_id):
        return None
    return Refusal(
        403,
        "assignment",
        t("This case is assigned to another reviewer.", "다른 심사역에게 배정된 사건입니다."),
    )


def four_eyes(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    # The person who recommended may not decide (four-eyes principle).
    if case.recommended_by_id is None or case.recommended_by_id != actor.user_id:
        return None
    return Refusal(
        403,
        "four_eyes",
        t(
            "You recommended this case; another approver must decide.",
            "이 사건을 건의한 본인은 결정할 수 없습니다. 다른 결재권자가 결정해야 합니다.",
        ),
    )


def application_complete(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if not case.missing:
        return None
    listed = "; ".join(case.missing)
    return Refusal(
        409,
        "incomplete",
        t(
            f"The application is not complete: {listed}.",
            f"신청서가 완성되지 않았습니다: {listed}.",
        ),
    )


def amendments_complete(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    """A response files the application again: the answers changed since the last filing
    must be complete (the service lists in `missing` only those), the declaration too."""
    if not case.missing:
        return None
    listed = "; ".join(case.missing)
    return Refusal(
        409,
        "incomplete",
        t(
            f"The answers you changed are not complete: {listed}. Complete them before you "
            "respond; a changed answer withdraws the officer's declaration, so the officer "
            "confirms it again.",
            f"변경한 답변이 완성되지 않았습니다: {listed}. 답변을 제출하기 전에 완성하십시오. "
            "답변을 변경하면 임원의 확인이 철회되므로 임원이 다시 확인해야 합니다.",
        ),
    )


def validity_ended(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if case.validity_ended:
        return None
    return Refusal(
        409,
        "still_valid",
        t(
            "The registration is still within its validity period.",
            "등록 유효기간이 아직 끝나지 않았습니다.",
        ),
    )


# The authorities consulted before a KRW stablecoin decision (docs/domain.md section 4).
OPINION_AUTHORITIES: dict[str, BiText] = {
    "bank_of_korea": t("the Bank of Korea", "한국은행"),
    "ministry_of_economy_and_finance": t("the Ministry of Economy and Finance", "기획재정부"),
}
OPINION_VALUES = ("favourable", "unfavourable")
# Categories whose decision waits for the authorities' opinions.
CONSULTED_CATEGORIES = ("krw_stablecoin",)


def _latest_opinions(case: CaseFacts) -> dict[str, str]:
    # A later opinion of the same authority supersedes the earlier one.
    return dict(case.opinions)


def opinions_recorded(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    if case.category not in CONSULTED_CATEGORIES:
        return None
    missing = [a for a in OPINION_AUTHORITIES if a not in _latest_opinions(case)]
    if not missing:
        return None
    en = " and ".join(OPINION_AUTHORITIES[a].en for a in missing)
    ko = "·".join(OPINION_AUTHORITIES[a].ko for a in missing)
    return Refusal(
        409,
        "opinion_missing",
        t(f"The opinion of {en} is not yet recorded.", f"{ko}의 의견이 아직 기록되지 않았습니다."),
    )


def central_bank_favourable(
    transition: Transition, actor: Actor, case: CaseFacts
) -> Refusal | None:
    # A negative BoK opinion on monetary grounds forces a refusal (docs/domain.md section 4).
    if _latest_opinions(case).get("bank_of_korea") != "unfavourable":
        return None
    return Refusal(
        409,
        "central_bank_unfavourable",
        t(
            "The Bank of Korea's opinion is unfavourable; the case may only be refused or sent "
            "back.",
            "한국은행의 의견이 부정적이므로 등록 거부 또는 재심사 회부만 할 수 있습니다.",
        ),
    )


def holds_the_registration(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    """An approved renewal extended another case's registration; that case takes its steps."""
    if case.renews is None:
        return None
    return Refusal(
        409,
        "renewal",
        t(
            f"This renewal extended registration {case.renews}; act on that registration.",
            f"이 갱신 신청은 등록 {case.renews}의 유효기간을 연장했습니다. "
            "해당 등록에서 처리하십시오.",
        ),
    )


def findings_closed(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    """A suspension is lifted only once every finding is closed (docs/domain.md section 5)."""
    return suspension_may_be_lifted({"rule": code, "status": "open"} for code in case.open_findings)


def issuer_deadline(due_on: date) -> date:
    """The last day the issuer may act: its deadline, moved to the next business day when
    it falls on a weekend or holiday (Civil Act Art 161; docs/domain.md section 4)."""
    return next_business_day_from(due_on)


def issuer_deadline_passed(case: CaseFacts) -> bool:
    return (
        case.issuer_due_on is not None
        and case.today is not None
        and case.today > issuer_deadline(case.issuer_due_on)
    )


def deadline_passed(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    """A case waiting for the issuer is closed only after its deadline has passed: the
    issuer keeps the whole last day (Administrative Procedures Act Art 17(5)-(6);
    docs/domain.md section 4, stalled cases)."""
    if issuer_deadline_passed(case):
        return None
    if case.issuer_due_on is None:
        return Refusal(
            409,
            "no_deadline",
            t("The case has no deadline for the issuer.", "발행인의 기한이 정해져 있지 않습니다."),
        )
    last = issuer_deadline(case.issuer_due_on).isoformat()
    return Refusal(
        409,
        "deadline_not_passed",
        t(
            f"The issuer has until {last}; the case may be closed from the next day.",
            f"발행인의 기한은 {last}까지입니다. 그다음 날부터 종결할 수 있습니다.",
        ),
    )


# Omission grounds of the Administrative Procedures Act Art 21(4), for an urgent suspension.
NOTICE_OMISSION_GROUNDS: dict[str, BiText] = {
    "urgent_public_safety": t(
        "Urgent action is needed for public safety or welfare (APA Art 21(4)(i))",
        "공공의 안전 또는 복리를 위하여 긴급히 처분을 할 필요가 있는 경우"
        "(행정절차법 제21조 제4항 제1호)",
    ),
    "facts_objectively_proven": t(
        "The facts requiring the action are objectively proven, by a court judgment "
        "or otherwise (APA Art 21(4)(ii))",
        "법령등에서 요구된 자격이 없거나 없어지게 된 사실이 법원의 재판 등에 따라 "
        "객관적으로 증명된 경우(행정절차법 제21조 제4항 제2호)",
    ),
    "hearing_impracticable": t(
        "By the nature of the action, hearing the issuer is clearly impossible or "
        "plainly unnecessary (APA Art 21(4)(iii))",
        "해당 처분의 성질상 의견청취가 현저히 곤란하거나 명백히 불필요하다고 인정될 "
        "만한 상당한 이유가 있는 경우(행정절차법 제21조 제4항 제3호)",
    ),
}


# The adverse decisions the issuer is heard on first, and the steps they are taken by
# (Administrative Procedures Act Arts 21-22; docs/domain.md section 4, hearing).
NOTICE_ACTIONS: dict[str, BiText] = {
    "refuse": t("refusal of the registration", "등록 거부"),
    "suspend": t("suspension of the business", "영업 정지"),
    "revoke": t("revocation of the registration", "등록 취소"),
}


def comment_last_day(comment_deadline: date) -> date:
    """The last day the issuer may comment: the notice's deadline, moved to the next
    business day when it falls on a weekend or holiday (Civil Act Art 161)."""
    return next_business_day_from(comment_deadline)


def open_notice(case: CaseFacts, action: str) -> "NoticeFacts | None":
    """The latest notice of `action` not yet acted on, if any."""
    found = [n for n in case.notices if n.action == action]
    return found[-1] if found else None


def heard_before_decision(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    """An adverse decision follows a notice of the intended action, and the issuer's
    comments or the end of the time it had to give them (Administrative Procedures Act
    Art 21(1), (3) and Art 22(3); docs/domain.md section 4, hearing)."""
    notice = open_notice(case, transition.name)
    what = NOTICE_ACTIONS[transition.name]
    if notice is None:
        return Refusal(
            409,
            "no_prior_notice",
            t(
                f"Send the issuer a notice of the intended {what.en}, with its grounds and a "
                "date to comment by, before deciding (Administrative Procedures Act Art 21).",
                f"결정하기 전에 발행인에게 {what.ko}의 사전 통지를 근거와 의견 제출 기한을 "
                "적어 보내야 합니다(행정절차법 제21조).",
            ),
        )
    if notice.comments_filed:
        return None
    last = comment_last_day(notice.comment_deadline)
    if case.today is not None and case.today > last:
        return None
    return Refusal(
        409,
        "hearing_open",
        t(
            f"The issuer may comment until {last.isoformat()}; decide once its comments are "
            "filed or from the next day.",
            f"발행인은 {last.isoformat()}까지 의견을 제출할 수 있습니다. 의견이 제출되거나 "
            "그다음 날부터 결정할 수 있습니다.",
        ),
    )


def objection_last_day(decided_on: date, window_days: int) -> date:
    """The last day an objection may be lodged: `window_days` after the day of the
    decision, moved to the next business day when it falls on a weekend or holiday
    (Administrative Procedures Act Art 36(1); Civil Act Art 161)."""
    return next_business_day_from(decided_on + timedelta(days=window_days))


def objection_upheld(transition: Transition, actor: Actor, case: CaseFacts) -> Refusal | None:
    """A decision is withdrawn only by upholding an objection lodged against it, and by an
    approver who did not take it (Administrative Procedures Act Art 36; docs/domain.md
    section 4, objection)."""
    if case.objection is None:
        return Refusal(
            409,
            "no_objection",
            t(
                "Only an objection the issuer lodged against the decision, once upheld, leads back "
                "from it.",
                "발행인이 이 결정에 이의신청을 한 경우에만, 그 이의신청을 인용하여 "
                "되돌릴 수 있습니다.",
            ),
        )
    if case.objection.decided_by_id is not None and case.objection.decided_by_id == actor.user_id:
        return Refusal(
            403,
            "own_decision",
            t(
                "You took the decision objected to; another approver decides the objection.",
                "이의신청 대상 결정을 한 본인은 이의신청을 결정할 수 없습니다. 다른 결재권자가 "
                "결정해야 합니다.",
            ),
        )
    return None


def _t(name, sources, dest, roles, en, ko, guards=(), **options) -> Transition:
    base = (role_allowed, own_organization, officer_acts)
    return Transition(
        name=name,
        sources=tuple(sources),
        dest=dest,
        roles=tuple(roles),
        label=t(en, ko),
        guards=base + tuple(guards),
        **options,
    )


REVIEWER = ("reviewer",)
APPROVER = ("approver",)
ISSUER = ("issuer",)

# The lifecycle table of docs/design.md section 2: names are part of the API.
# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", ["draft"], "submitted", ISSUER, "Submit", "제출",
       [application_complete], filing_kind="application", notice="submission_received"),
    _t("return_incomplete", ["submitted"], "returned_incomplete", REVIEWER,
       "Return as incomplete", "보완 요구", [assigned_reviewer],
       filing_kind="incompleteness_notice", reviewer_step=True, notice="incomplete"),
    _t("resubmit", ["returned_incomplete"], "submitted", ISSUER, "Resubmit", "재제출",
       [application_complete], filing_kind="application", notice="submission_received"),
    _t("mark_complete", ["submitted"], "assessment", REVIEWER, "Mark complete", "완전성 확인",
       [assigned_reviewer], reviewer_step=True),
    _t("request_information", ["assessment"], "information_requested", REVIEWER,
       "Request information", "자료 요청", [assigned_reviewer],
       filing_kind="information_request", reviewer_step=True, notice="information_requested"),
    _t("respond", ["information_requested"], "assessment", ISSUER, "Respond", "자료 제출",
       [amendments_complete], filing_kind="response"),
    _t("recommend", ["assessment"], "recommended", REVIEWER, "Recommend", "결정 건의",
       [assigned_reviewer], internal=True, reviewer_step=True),
    _t("send_back", ["recommended"], "assessment", APPROVER, "Send back", "재심사 회부",
       [four_eyes], internal=True),
    _t("approve", ["recommended"], "registered", APPROVER, "Approve", "등록 승인",
       [four_eyes, opinions_recorded, central_bank_favourable], filing_kind="decision",
       notice="decision", public_status="registered"),
    _t("refuse", ["recommended"], "refused", APPROVER, "Refuse", "등록 거부",
       [four_eyes, heard_before_decision], filing_kind="decision", notice="decision"),
    # The issuer let its deadline pass: the reviewer closes the case with a notice, so no
    # case waits on the issuer forever (docs/domain.md section 4, stalled cases).
    _t("close_not_resubmitted", ["returned_incomplete"], "discontinued", REVIEWER,
       "Close as not resubmitted", "미보완 종결", [assigned_reviewer, deadline_passed],
       filing_kind="closure_notice", reviewer_step=True, notice="closure"),
    _t("close_unanswered", ["information_requested"], "discontinued", REVIEWER,
       "Close for non-response", "자료 미제출 종결", [assigned_reviewer, deadline_passed],
       filing_kind="closure_notice", reviewer_step=True, notice="closure"),
    _t("withdraw", ("draft", *OPEN_STATES), "withdrawn", ISSUER, "Withdraw", "신청 철회",
       filing_kind="withdrawal_notice", notice="withdrawal"),
    _t("suspend", ["registered"], "suspended", ("supervisor", "approver"), "Suspend",
       "영업 정지", [holds_the_registration, heard_before_decision],
       filing_kind="suspension_notice", notice="suspension", public_status="suspended"),
    # Without prior notice only for a reason the Administrative Procedures Act Art 21(4)
    # allows, stated and filed (docs/domain.md section 4, hearing).
    _t("suspend_urgently", ["registered"], "suspended", ("supervisor",), "Suspend urgently",
       "긴급 영업 정지", [holds_the_registration], filing_kind="suspension_notice",
       notice="suspension", public_status="suspended"),
    _t("reinstate", ["suspended"], "registered", APPROVER, "Reinstate", "정지 해제",
       [holds_the_registration, findings_closed], filing_kind="reinstatement_notice",
       notice="reinstatement", public_status="reinstated"),
    _t("revoke", IN_FORCE_STATES, "revoked", APPROVER, "Revoke", "등록 취소",
       [holds_the_registration, heard_before_decision], filing_kind="revocation_decision",
       notice="revocation",
       public_status="revoked"),
    # A surrender is asked for with a plan to redeem every holder and accepted by an
    # approver once the plan is credible (docs/domain.md section 4, surrender). A suspended
    # registration is reinstated or revoked first.
    _t("surrender", ["registered"], "surrender_requested", ISSUER, "Ask to surrender",
       "자진 반납 신청", [holds_the_registration], filing_kind="surrender_request",
       notice="surrender_requested"),
    _t("accept_surrender", ["surrender_requested"], "surrendered", APPROVER,
       "Accept the surrender", "자진 반납 수락", [holds_the_registration],
       filing_kind="surrender_acceptance", notice="surrender", public_status="surrendered"),
    _t("refuse_surrender", ["surrender_requested"], "registered", APPROVER,
       "Refuse the surrender", "자진 반납 거부", [holds_the_registration],
       filing_kind="surrender_refusal", notice="surrender_refused"),
    # An objection upheld withdraws the decision (docs/domain.md section 4, objection): a
    # refused case is decided again, a suspended or revoked registration is in force again.
    _t("reconsider", ["refused"], "recommended", APPROVER,
       "Uphold the objection and decide again", "이의신청 인용(재결정)", [objection_upheld],
       filing_kind="objection_decision", notice="objection_upheld"),
    _t("restore", ["suspended", "revoked"], "registered", APPROVER,
       "Uphold the objection and restore the registration", "이의신청 인용(등록 회복)",
       [holds_the_registration, objection_upheld], filing_kind="objection_decision",
       notice="objection_upheld", public_status="restored"),
    # A suspended registration lapses too when its validity ends unrenewed (docs/domain.md
    # section 4, validity): suspension stops the business, not the clock.
    _t("lapse", IN_FORCE_STATES, "lapsed", (SYSTEM_ROLE,), "Lapse", "기간 만료",
       [holds_the_registration, validity_ended], notice="lapse", public_status="lapsed"),
)
# fmt: on


def _not_from_state(transition: Transition, state: str) -> Refusal:
    return Refusal(
        409,
        "state",
        t(
            f"'{transition.label.en}' is not possible while the case is "
            f"{STATE_LABELS[state].en.lower()}.",
            f"'{STATE_LABELS[state].ko}' 상태에서는 {transition.label.ko}을(를) 할 수 없습니다.",
        ),
    )


# The lifecycle on the shared engine: one `transitions` machine, built once, shared by every
# case; the state itself lives in the database.
STEPS: Engine[Transition] = Engine(
    "the lifecycle", STATES, INITIAL_STATE, TRANSITIONS, not_from_state=_not_from_state
)
MACHINE = STEPS.machine
BY_NAME: dict[str, Transition] = STEPS.by_name
# Steps whose issuer is told, and steps that make or change the registration row.
NOTIFYING_STEPS = tuple(t.name for t in TRANSITIONS if t.notice)
# States that wait on the issuer's deadline: the sources of the steps that close them.
ISSUER_DEADLINE_STATES = tuple(
    dict.fromkeys(s for t in TRANSITIONS if deadline_passed in t.guards for s in t.sources)
)
REGISTRATION_STEPS = tuple(t.name for t in TRANSITIONS if t.public_status)
# The steps the issuer is heard on first: a notice of intended action names one of them.
HEARD_STEPS = tuple(t.name for t in TRANSITIONS if heard_before_decision in t.guards)
# The decisions an issuer may object to, and the steps that uphold an objection.
OBJECTED_STEPS = ("refuse", "suspend", "suspend_urgently", "revoke")
UPHOLDING_STEPS = tuple(t.name for t in TRANSITIONS if objection_upheld in t.guards)

__all__ = [
    "Actor",
    "NotFromState",
    "ROLE_NAMES",
    "Refusal",
    "Refused",
    "StepTableError",
    "UnknownTransition",
]


def refusals(transition: Transition, actor: Actor, case: CaseFacts) -> list[Refusal]:
    """Every guard's answer, refusals only: empty when the transition is allowed."""
    return STEPS.refusals(transition, actor, case)


def transition(name: str) -> Transition:
    return STEPS.step(name)


def leaving(state: str) -> list[Transition]:
    """The transitions of the table that leave `state`, in table order."""
    return STEPS.leaving(state)


@dataclass(frozen=True)
class Option:
    """One transition out of the current state, as a given actor sees it."""

    transition: Transition
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def reason(self) -> Refusal | None:
        return min(self.refusals, key=lambda r: r.status) if self.refusals else None


def options(actor: Actor, case: CaseFacts) -> list[Option]:
    """Every transition leaving the case's state, allowed or with the reason why not."""
    return [Option(t, refusals(t, actor, case)) for t in leaving(case.state)]


def apply(name: str, actor: Actor, case: CaseFacts) -> str:
    """Check every guard, then move the case through the shared machine; return the new state."""
    return STEPS.apply(name, actor, case)
