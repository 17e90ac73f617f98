"""The permission policy: who may do which action to which object, in one table.

Each action lists its grants; a grant is a need or several joined with `&`, and any one
grant suffices. The same needs answer "may this user do this to this object, and if not,
why" (`check`, `require`) and "which rows may this user list" (`where`). `ROUTES` names,
for every served endpoint, the actions its request asks in order; the authorization
matrix test holds every route to it. docs/design.md, "Permissions".
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from service.errors import Forbidden, NotFound
from service.models import Application, Filing, Finding, Registration, Webhook
from workflows import lifecycle
from workflows.bilingual import t
from workflows.monitoring.findings import FINDING_MOVES, finding_move_refusal

ISSUER = "issuer"
# Every role of the regulator: each reads every submitted case, filing and registration.
REGULATORS = lifecycle.REGULATOR_ROLES
ROLES = lifecycle.ROLES


def role_of(user: Any) -> str | None:
    """The signed-in user's role; None for an anonymous caller (or no user at all)."""
    return getattr(user, "role", None)  # Flask-Login's anonymous user has none


# -- needs ---------------------------------------------------------------------------------


class Need:
    """One condition on the user and, where it names one, the object."""

    # The roles this need can admit; None: anyone, signed in or not.
    roles: frozenset[str] | None = frozenset(ROLES)

    def allows(self, user: Any, obj: Any) -> bool:
        raise NotImplementedError

    def refusal(self, user: Any, obj: Any) -> lifecycle.Refusal | None:
        """A reason of its own, where the need has one (the rulebook's guards)."""
        return None

    def clause(self, user: Any, model: Any) -> ColumnElement[bool]:
        """The rows of `model` this need admits for `user`."""
        return true() if self.allows(user, None) else false()

    def __and__(self, other: "Need") -> "AllOf":
        return AllOf((*_parts(self), *_parts(other)))


def _parts(need: Need) -> tuple[Need, ...]:
    return need.needs if isinstance(need, AllOf) else (need,)


@dataclass(frozen=True, eq=False)
class AllOf(Need):
    needs: tuple[Need, ...]

    @property
    def roles(self) -> frozenset[str] | None:  # type: ignore[override]
        admitted = None
        for need in self.needs:
            if need.roles is not None:
                admitted = need.roles if admitted is None else admitted & need.roles
        return admitted

    def allows(self, user, obj) -> bool:
        return all(need.allows(user, obj) for need in self.needs)

    def refusal(self, user, obj):
        for need in self.needs:
            if not need.allows(user, obj):
                return need.refusal(user, obj)
        return None

    def clause(self, user, model):
        return and_(*(need.clause(user, model) for need in self.needs))


class Anyone(Need):
    """Anyone at all, anonymous callers included (the public register)."""

    roles = None

    def allows(self, user, obj) -> bool:
        return True


class SignedIn(Need):
    def allows(self, user, obj) -> bool:
        return role_of(user) is not None


class Role(Need):
    def __init__(self, *roles: str):
        self.roles = frozenset(roles)

    def allows(self, user, obj) -> bool:
        return role_of(user) in self.roles


class OwnOrganization(Need):
    """The object belongs to the user's organization (issuers act for theirs alone)."""

    def allows(self, user, obj) -> bool:
        return obj is not None and obj.organization_id == user.organization_id

    def clause(self, user, model):
        return model.organization_id == user.organization_id


class Officer(Need):
    """An issuer's officer: signs the declaration and files what the issuer files; a
    preparer only fills in (docs/domain.md section 1, "An issuer's people")."""

    roles = frozenset({ISSUER})

    def allows(self, user, obj) -> bool:
        return role_of(user) == ISSUER and user.duty == lifecycle.OFFICER

    def refusal(self, user, obj):
        return lifecycle.officer_refusal() if role_of(user) == ISSUER else None


class OrganizationAdmin(Need):
    """An issuer's user who invites and removes the organization's users."""

    roles = frozenset({ISSUER})

    def allows(self, user, obj) -> bool:
        return role_of(user) == ISSUER and bool(user.organization_admin)


class Submitted(Need):
    """An unsubmitted draft is its issuer's own: the regulator sees cases once submitted."""

    def allows(self, user, obj) -> bool:
        return obj is not None and obj.submitted_on is not None

    def clause(self, user, model):
        return model.submitted_on.is_not(None)


class NotInternal(Need):
    """Recommendations and their filings are the regulator's internal record."""

    def allows(self, user, obj) -> bool:
        return obj is not None and not obj.internal

    def clause(self, user, model):
        return model.internal.is_(False)


class Rulebook(Need):
    """The rulebook's own guards of who may take a step (workflows/lifecycle.py): its
    role, own organization, assigned reviewer and four-eyes guards, not a copy of them."""

    WHO = (
        lifecycle.role_allowed,
        lifecycle.own_organization,
        lifecycle.officer_acts,
        lifecycle.assigned_reviewer,
        lifecycle.four_eyes,
    )

    def __init__(self, transition: lifecycle.Transition):
        self.transition = transition
        self.guards = tuple(g for g in transition.guards if g in self.WHO)
        self.roles = frozenset(transition.roles) & frozenset(ROLES)

    def refusal(self, user, obj):
        if role_of(user) is None:
            return None
        actor = lifecycle.Actor(user.id, user.role, user.organization_id, user.email, user.duty)
        case = lifecycle.CaseFacts(
            state=obj.state,
            organization_id=obj.organization_id,
            category=obj.category,
            assigned_reviewer_id=obj.assigned_reviewer_id,
            recommended_by_id=obj.recommended_by_id,
        )
        for guard in self.guards:
            if refused := guard(self.transition, actor, case):
                return refused
        return None

    def allows(self, user, obj) -> bool:
        return role_of(user) is not None and self.refusal(user, obj) is None


class FindingMoveRoles(Need):
    """The rulebook's roles for a move of a finding, and its reason
    (workflows/monitoring/findings.py), which also says which status each move leaves."""

    def __init__(self, move):
        self.move = move
        self.roles = frozenset(move.roles)

    def allows(self, user, obj) -> bool:
        return role_of(user) in self.roles

    def refusal(self, user, obj):
        status = obj.status if obj is not None else self.move.sources[0]
        return finding_move_refusal(self.move.name, status, user.role)


# -- actions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    grants: tuple[Need, ...]
    refusal: str  # a BiText where the action has a reason of its own
    # The object the action is asked about; None: the action names no object.
    model: type | None = None
    # A refusal answers 404: the object (or the page) is not there for this user.
    hidden: bool = False
    code: str = "role"

    @property
    def roles(self) -> frozenset[str] | None:
        """Every role some grant can admit; None when anonymous callers are admitted."""
        admitted: set[str] = set()
        for grant in self.grants:
            if grant.roles is None:
                return None
            admitted |= grant.roles
        return frozenset(admitted)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int = 200  # 401: sign in first; 403: not yours to do; 404: not there for you
    code: str = ""
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)
# No reason of the action's own: the error page says what a 403 or 404 means in general.
NO_REASON = t("", "")


def _action(name, *grants, refusal=NO_REASON, **options) -> Action:
    return Action(name, tuple(grants), refusal, **options)


def _transition(transition: lifecycle.Transition) -> Action:
    return _action(f"case.transition.{transition.name}", Rulebook(transition), model=Application)


def _finding_move(move) -> Action:
    return _action(f"finding.move.{move.name}", FindingMoveRoles(move), model=Finding)


OWN = Role(ISSUER) & OwnOrganization()
OWN_OFFICER = OWN & Officer()
REGULATOR = Role(*REGULATORS)

_ACTIONS: tuple[Action, ...] = (
    _action("public", Anyone()),
    _action("signed_in", SignedIn()),
    # -- reads: a refusal hides the object (404) -------------------------------------------
    _action(
        "case.view",
        OWN,
        REGULATOR & Submitted(),
        refusal="No such application.",
        model=Application,
        hidden=True,
        code="application_not_found",
    ),
    _action("case.internal", REGULATOR),  # notes, recommendations, their filings
    _action(
        "filing.view",
        OWN & NotInternal(),
        REGULATOR,
        refusal=t("No such filing.", "공시서류를 찾을 수 없습니다."),
        model=Filing,
        hidden=True,
        code="filing_not_found",
    ),
    _action(
        "registration.view",
        OWN,
        REGULATOR,
        refusal="No such registration.",
        model=Registration,
        hidden=True,
        code="registration_not_found",
    ),
    _action(
        "finding.view",
        REGULATOR,
        refusal="No such finding.",
        model=Finding,
        hidden=True,
        code="finding_not_found",
    ),
    # -- desks: the pages of a blueprint ----------------------------------------------------
    _action("review.desk", REGULATOR),  # the queue and the case pages
    _action("supervision.desk", Role(ISSUER, *REGULATORS)),
    _action("lifecycle.view", REGULATOR),
    _action("audit.read", Role("auditor", "admin")),  # the auditor's desk, the chain's checks
    _action(
        "audit.verify.start",
        Role("admin"),
        refusal=t(
            "Only administrators start a full verification.",
            "전체 검증은 관리자만 시작할 수 있습니다.",
        ),
    ),
    _action(
        "admin.sessions",
        Role("admin"),
        refusal=t(
            "Only an administrator ends others' sessions.",
            "다른 사람의 세션은 관리자만 끝낼 수 있습니다.",
        ),
        code="forbidden",
    ),
    _action("admin.outbox", Role("admin")),
    # -- an issuer's users (docs/domain.md section 1, "An issuer's people") ---------------
    _action(
        "organization.manage",
        OrganizationAdmin(),
        refusal=t(
            "Only your organization's administrator invites and removes its users.",
            "기관의 사용자 초대와 삭제는 기관 관리자만 할 수 있습니다.",
        ),
    ),
    # -- the applicant's changes ---------------------------------------------------------------
    _action(
        "application.create",
        Role(ISSUER),
        refusal="Only an issuer may start an application.",
    ),
    _action(
        "application.edit",
        OWN,
        refusal="Only the applicant edits its application.",
        model=Application,
    ),
    _action(
        "document.add",
        OWN,
        refusal="Only the applicant adds documents.",
        model=Application,
    ),
    # The declaration vouches for the answers: a preparer may fill it in, not confirm it.
    _action(
        "application.sign",
        OWN_OFFICER,
        refusal="Only the applicant's officer signs the declaration.",
        model=Application,
    ),
    # -- the review desk's own actions ----------------------------------------------------------
    _action(
        "case.claim",
        Role("reviewer"),
        refusal=t("Only a reviewer may claim a case.", "심사역만 사건을 맡을 수 있습니다."),
        code="forbidden",
    ),
    _action(
        "case.assign",
        Role("approver", "admin"),  # a licensing team's lead or the desk's administrator
        refusal=t(
            "Only an approver or an administrator may assign cases.",
            "결재권자 또는 관리자만 사건을 배정할 수 있습니다.",
        ),
        code="forbidden",
    ),
    _action(
        "case.note",
        Role("reviewer", "approver", "supervisor", "admin"),  # auditors change nothing
        refusal=t("You may not write notes.", "메모를 작성할 권한이 없습니다."),
        code="forbidden",
    ),
    _action(
        "opinion.record",
        Role("reviewer", "approver"),  # the people working the decision
        refusal=t(
            "Only a reviewer or an approver records an opinion.",
            "의견은 심사역 또는 결재권자만 기록할 수 있습니다.",
        ),
    ),
    # A notice of intended refusal, suspension or revocation, and the issuer's comments
    # (docs/domain.md section 4, hearing): the rulebook's guards of the step it announces
    # then say whether this approver or supervisor may take that step.
    _action(
        "notice.give",
        Role("approver", "supervisor"),
        refusal=t(
            "Only an approver or a supervisor gives notice of an intended decision.",
            "처분의 사전 통지는 결재권자 또는 감독역만 할 수 있습니다.",
        ),
        model=Application,
    ),
    _action(
        "notice.comment",
        OWN_OFFICER,
        refusal=t(
            "Only the issuer comments on a notice sent to it.",
            "사전 통지에 대한 의견은 해당 발행인만 제출할 수 있습니다.",
        ),
        model=Application,
    ),
    # An objection to a refusal, suspension or revocation (docs/domain.md section 4,
    # objection): the issuer lodges it; an approver answers it, never the one who took the
    # decision (the operation and the upholding steps' guard check that).
    _action(
        "objection.lodge",
        OWN_OFFICER,
        refusal=t(
            "Only the issuer objects to a decision on its own case.",
            "결정에 대한 이의신청은 해당 발행인만 할 수 있습니다.",
        ),
        model=Application,
    ),
    _action(
        "objection.decide",
        Role("approver"),
        refusal=t(
            "Only an approver decides an objection.",
            "이의신청은 결재권자만 결정할 수 있습니다.",
        ),
        model=Application,
    ),
    # A change applied for before it takes effect (docs/domain.md section 5, changes
    # approved in advance): the issuer applies; an approver decides.
    _action(
        "change.apply",
        OWN_OFFICER,
        refusal=t(
            "Only the issuer applies for a change of its own registration.",
            "등록 사항의 변경 승인은 해당 발행인만 신청할 수 있습니다.",
        ),
        model=Application,
    ),
    _action(
        "change.decide",
        Role("approver"),
        refusal=t(
            "Only an approver decides a change applied for.",
            "변경 승인 신청은 결재권자만 결정할 수 있습니다.",
        ),
        model=Application,
    ),
    *(_transition(transition) for transition in lifecycle.TRANSITIONS),
    # -- supervision ---------------------------------------------------------------------------
    _action(
        "report.form",
        Role(ISSUER),
        refusal=t("No such report form.", "보고서 양식을 찾을 수 없습니다."),
        hidden=True,
    ),
    _action(
        "report.draft",
        OWN,
        refusal="Only the issuer drafts its reports.",
        model=Registration,
    ),
    _action(
        "report.file",
        OWN_OFFICER,
        refusal="Only the issuer files its reports.",
        model=Registration,
    ),
    _action(
        "renewal.open",
        OWN_OFFICER,
        refusal="Only the issuer applies for renewal.",
        model=Registration,
    ),
    _action(
        "warning.send",
        Role("supervisor", "approver"),
        refusal="Only a supervisor or an approver sends a warning letter.",
        model=Registration,
    ),
    _action(
        "issuance.supervise",
        Role("supervisor"),
        refusal=t(
            "Only a supervisor sets the issuance cap or restricts new issuance.",
            "발행 한도 설정과 신규 발행 제한은 감독자만 할 수 있습니다.",
        ),
        model=Registration,
    ),
    *(_finding_move(move) for move in FINDING_MOVES),
    # -- the issuer's webhooks (docs/api.md, "Webhooks") ----------------------------------
    _action(
        "webhook.manage",
        Role(ISSUER),
        refusal=t(
            "Only an issuer registers webhooks, for its own organization.",
            "웹훅은 발행인이 자기 기관을 위해서만 등록합니다.",
        ),
    ),
    _action(
        "webhook.view",
        OWN,
        refusal=t("No such webhook.", "웹훅을 찾을 수 없습니다."),
        model=Webhook,
        hidden=True,
        code="webhook_not_found",
    ),
)
ACTIONS: dict[str, Action] = {action.name: action for action in _ACTIONS}
if len(ACTIONS) != len(_ACTIONS):
    raise RuntimeError("two policy actions share a name")


def check(user: Any, name: str, obj: Any = None) -> Decision:
    """May `user` do action `name` to `obj`? If not, the answer says why."""
    action = ACTIONS[name]
    if any(grant.allows(user, obj) for grant in action.grants):
        return ALLOWED
    if role_of(user) is None:
        return Decision(False, 401, "sign_in", "Sign in first.")
    if action.hidden:
        return Decision(False, 404, action.code, action.refusal)
    refused = [grant.refusal(user, obj) for grant in action.grants]
    reason = next((r for r in refused if r is not None), None)
    if reason is not None:
        return Decision(False, reason.status, reason.code, t(reason.en, reason.ko))
    return Decision(False, 403, action.code, action.refusal)


def allows(user: Any, name: str, obj: Any = None) -> bool:
    return check(user, name, obj).allowed


def require(user: Any, name: str, obj: Any = None) -> None:
    """Raise the refusal (NotFound for a hidden object, Forbidden otherwise) if not allowed."""
    decision = check(user, name, obj)
    if decision.allowed:
        return
    kind = NotFound if decision.status == 404 else Forbidden
    raise kind(decision.message, code=decision.code)


def where(user: Any, name: str) -> ColumnElement[bool]:
    """A WHERE clause selecting the rows of the action's model that `user` may act on."""
    action = ACTIONS[name]
    if action.model is None:
        raise LookupError(f"{name} names no object to list")
    clauses = [
        grant.clause(user, action.model)
        for grant in action.grants
        if grant.roles is None or role_of(user) in grant.roles
    ]
    return or_(*clauses) if clauses else false()


# -- routes --------------------------------------------------------------------------------
# For each served endpoint (or (endpoint, method) where one method differs), the actions its
# request asks, in order: the first refused answers (401/403/404). "{name}" and "{move}" are
# filled from the request. Views ask the same actions through `require`.

CASE = ("case.view",)
REVIEW = ("review.desk", "case.view")
SUPERVISION = ("supervision.desk", "registration.view")
AUDIT = ("audit.read",)
ROUTES: dict[str | tuple[str, str], tuple[str, ...]] = {
    "main.index": ("public",),
    "main.set_language": ("public",),
    "main.privacy": ("public",),
    "auth.login": ("public",),
    "auth.logout": ("signed_in",),
    "auth.account": ("signed_in",),
    "auth.change_password": ("signed_in",),
    "auth.sign_out_everywhere": ("signed_in",),
    "auth.sign_ins": ("admin.sessions",),
    "auth.end_sessions": ("admin.sessions",),
    "auth.release_lock": ("admin.sessions",),
    "auth.organization_users": ("organization.manage",),
    "auth.invite_user": ("organization.manage",),
    "auth.withdraw_invitation": ("organization.manage",),
    "auth.remove_user": ("organization.manage",),
    "auth.accept_invitation": ("public",),
    "register.index": ("public",),
    "register.download": ("public",),
    "register.disclosure": ("public",),
    "register.certificate": ("public",),
    "register.certificate_pdf": ("public",),
    "register.white_paper": ("public",),
    "api_log.key": ("public",),
    "transparency.log_page": ("public",),
    "api_log.latest_checkpoint": ("public",),
    "api_log.checkpoint_of_size": ("public",),
    "api_log.inclusion_proof": ("public",),
    "api_log.consistency_proof": ("public",),
    "api-docs.openapi_json": ("public",),
    "api_schemas.filing_schema": ("public",),
    "api_auth.create_token": ("public",),
    "api_auth.delete_token": ("signed_in",),
    "api_register.register": ("public",),
    "api_register.register_disclosure": ("public",),
    # The issuer's list; other roles are sent to the review queue.
    "applications.dashboard": ("signed_in",),
    "applications.create": ("application.create",),
    "applications.detail": CASE,
    "applications.apply_transition": ("case.view", "case.transition.{name}"),
    "sections.tasks": CASE,
    "sections.section": CASE,
    ("sections.section", "POST"): ("case.view", "application.edit"),
    "sections.check": CASE,
    "sections.section_table_template": CASE,
    ("sections.upload_section_table", "POST"): ("case.view", "application.edit"),
    "sections.documents_page": CASE,
    "sections.download": CASE,
    "sections.submitted": CASE,
    "sections.respond": CASE,
    ("sections.respond", "POST"): ("case.view", "case.transition.respond"),
    "sections.withdraw": CASE,
    ("sections.withdraw", "POST"): ("case.view", "case.transition.withdraw"),
    "sections.upload": ("case.view", "document.add"),
    "sections.submit": ("case.view", "case.transition.submit"),
    "api_sections.put_section": ("case.view", "application.edit"),
    "api_sections.list_documents": CASE,
    "api_sections.download_document": CASE,
    "api_sections.upload_document": ("case.view", "document.add"),
    "review.queue": ("review.desk",),
    "review.case": REVIEW,
    "review.opinion_letter": REVIEW,
    "review.add_opinion": ("review.desk", "opinion.record"),
    "review.claim": ("review.desk", "case.claim"),
    "review.assign": ("review.desk", "case.assign"),
    "review.add_note": ("review.desk", "case.note"),
    "hearings.give_notice": ("case.view", "notice.give"),
    "hearings.file_comments": ("case.view", "notice.comment"),
    "hearings.lodge_objection": ("case.view", "objection.lodge"),
    "hearings.dismiss_objection": ("case.view", "objection.decide"),
    "changes.apply_for_change": ("case.view", "change.apply"),
    "changes.decide_change": ("case.view", "change.decide"),
    "monitoring.dashboard": ("supervision.desk",),
    "monitoring.registration": SUPERVISION,
    "monitoring.file_redemption_report": (*SUPERVISION, "report.file"),
    "monitoring.new_report": (*SUPERVISION, "report.form"),
    "monitoring.save_report_draft": (*SUPERVISION, "report.draft"),
    "monitoring.check_report": (*SUPERVISION, "report.form"),
    "monitoring.report_table_template": (*SUPERVISION, "report.form"),
    "monitoring.upload_report_table": (*SUPERVISION, "report.form", "report.draft"),
    "monitoring.file_report": (*SUPERVISION, "report.file"),
    "monitoring.move_finding": ("supervision.desk", "finding.view", "finding.move.{move}"),
    "monitoring.warning_letter": (*SUPERVISION, "warning.send"),
    "monitoring.supervise_issuance": (*SUPERVISION, "issuance.supervise"),
    "monitoring.open_renewal": (*SUPERVISION, "renewal.open"),
    "lifecycle.page": ("lifecycle.view",),
    "lifecycle.diagram": ("lifecycle.view",),
    "notifications.outbox": ("admin.outbox",),
    "auditor.filings": AUDIT,
    "auditor.integrity": AUDIT,
    "auditor.all_events_csv": AUDIT,
    "auditor.export": AUDIT,
    "auditor.case_events_csv": (*AUDIT, "case.view"),
    "auditor.case_trail_pdf": (*AUDIT, "case.view"),
    "auditor.start_verification": (*AUDIT, "audit.verify.start"),
    "filings.pdf": ("filing.view",),
    "filings.json": ("filing.view",),
    # Lists show what the read actions allow (`where`).
    "api_filings.list_filings": ("signed_in",),
    "api_filings.get_filing": ("filing.view",),
    "api_filings.get_filing_pdf": ("filing.view",),
    "api_filings.get_filing_json": ("filing.view",),
    "api_filings.get_filing_receipt": ("filing.view",),
    "api_applications.list_applications": ("signed_in",),
    "api_applications.create_application": ("application.create",),
    "api_applications.get_application": CASE,
    "api_applications.list_transitions": CASE,
    "api_applications.list_events": CASE,
    "api_applications.list_opinions": CASE,
    "api_applications.post_opinion": ("case.view", "opinion.record"),
    "api_applications.post_transition": ("case.view", "case.transition.{name}"),
    "api_applications.list_notices": CASE,
    "api_applications.give_notice": ("case.view", "notice.give"),
    "api_applications.file_comments": ("case.view", "notice.comment"),
    "api_applications.list_objections": CASE,
    "api_applications.lodge_objection": ("case.view", "objection.lodge"),
    "api_applications.dismiss_objection": ("case.view", "objection.decide"),
    "api_applications.list_changes": CASE,
    "api_applications.apply_for_change": ("case.view", "change.apply"),
    "api_applications.decide_change": ("case.view", "change.decide"),
    "api_audit.verify": AUDIT,
    "api_audit.events_csv": AUDIT,
    "api_audit.export": AUDIT,
    "api_audit.verification": AUDIT,
    "api_audit.start_verification": ("audit.verify.start",),
    "api_monitoring.list_reports": ("registration.view",),
    "api_monitoring.list_findings": ("registration.view",),
    "api_monitoring.file_report": ("registration.view", "report.file"),
    "api_monitoring.list_redemption_reports": ("registration.view",),
    "api_monitoring.file_redemption_report": ("registration.view", "report.file"),
    "api_monitoring.move_finding": ("finding.view", "finding.move.{move}"),
    "api_webhooks.list_webhooks": ("webhook.manage",),
    "api_webhooks.create_webhook": ("webhook.manage",),
    "api_webhooks.get_webhook": ("webhook.view",),
    "api_webhooks.update_webhook": ("webhook.view",),
    "api_webhooks.rotate_secret": ("webhook.view",),
    "api_webhooks.list_deliveries": ("webhook.view",),
}


def route_actions(endpoint: str, method: str) -> tuple[str, ...]:
    """The actions a request to `endpoint` asks; KeyError for a route with no entry."""
    return ROUTES.get((endpoint, method)) or ROUTES[endpoint]
