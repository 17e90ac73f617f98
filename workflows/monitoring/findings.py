"""A finding's life: its statuses, who may move it, and what it blocks.

Findings open automatically (the rules act as the *system* actor) or by a
supervisor's observation; only a supervisor moves them on (docs/domain.md section 5).
Open findings keep a suspended registration suspended.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from workflows.bilingual import BiText, t
from workflows.engine import Actor, Engine, Refusal, role_refusal

FINDING_STATUSES: dict[str, BiText] = {
    "open": t("Open", "미해결"),
    "remedy_requested": t("Remedy requested", "시정 요구"),
    "closed": t("Closed", "종결"),
    "escalated": t("Escalated", "상향 보고"),
}
INITIAL_FINDING_STATUS = "open"


@dataclass(frozen=True)
class FindingFacts:
    """What a finding move's guards know: the finding's status."""

    state: str


def _role_allowed(move: "FindingMove", actor: Actor, facts: FindingFacts) -> Refusal | None:
    if actor.role in move.roles:
        return None
    return role_refusal(
        move.roles, f"{move.label.en.lower()} a finding", f"지적 사항의 {move.label.ko}"
    )


@dataclass(frozen=True)
class FindingMove:
    name: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    label: BiText
    guards: tuple[Callable[..., Refusal | None], ...] = (_role_allowed,)


SUPERVISOR = ("supervisor",)

FINDING_MOVES: tuple[FindingMove, ...] = (
    # Acknowledging takes ownership; the status stays open.
    FindingMove(
        "acknowledge",
        ("open",),
        "open",
        SUPERVISOR,
        t("Acknowledge", "확인"),
    ),
    FindingMove(
        "request_remedy",
        ("open",),
        "remedy_requested",
        SUPERVISOR,
        t("Request a remedy", "시정 요구"),
    ),
    FindingMove(
        "close",
        ("open", "remedy_requested"),
        "closed",
        SUPERVISOR,
        t("Close", "종결"),
    ),
    # Escalation hands the finding to the approver, who may suspend (docs/design.md section 2).
    FindingMove(
        "escalate",
        ("open", "remedy_requested"),
        "escalated",
        SUPERVISOR,
        t("Escalate", "상향 보고"),
    ),
    # Once escalated, the approver closes it (otherwise it would block reinstatement forever).
    FindingMove(
        "resolve",
        ("escalated",),
        "closed",
        ("approver",),
        t("Close the escalated finding", "상향 보고 건 종결"),
    ),
)


def _not_from_status(move: FindingMove, status: str) -> Refusal:
    label = FINDING_STATUSES.get(status) or t(status, status)
    if move.dest in move.sources:  # a move that keeps the status, such as acknowledging
        return Refusal(
            409,
            "state",
            t(
                f"A finding that is {label.en.lower()} cannot be {move.label.en.lower()}d.",
                f"'{label.ko}' 상태의 지적 사항은 {move.label.ko}할 수 없습니다.",
            ),
        )
    return Refusal(
        409,
        "state",
        t(
            f"A finding that is {label.en.lower()} cannot be moved to "
            f"{FINDING_STATUSES[move.dest].en.lower()}.",
            f"'{label.ko}' 상태의 지적 사항은 '{FINDING_STATUSES[move.dest].ko}'(으)로 "
            "바꿀 수 없습니다.",
        ),
    )


# A finding's life runs on the lifecycle's engine (workflows/engine.py).
FINDING_STEPS: Engine[FindingMove] = Engine(
    "a finding's life",
    FINDING_STATUSES,
    INITIAL_FINDING_STATUS,
    FINDING_MOVES,
    not_from_state=_not_from_status,
)
FINDING_MOVES_BY_NAME: dict[str, FindingMove] = FINDING_STEPS.by_name


def _as_actor(role: str) -> Actor:
    return Actor(user_id=None, role=role, organization_id=None, label=role)


def finding_move_refusal(move_name: str, status: str, role: str) -> Refusal | None:
    """Why `role` may not make this move from `status`, or None if it may: whose move it
    is comes first, then the status."""
    move = FINDING_MOVES_BY_NAME.get(move_name)
    if move is None:
        return Refusal(
            409, "unknown_move", t(f"No such move: {move_name}.", f"없는 처리: {move_name}.")
        )
    found = FINDING_STEPS.refusals(move, _as_actor(role), FindingFacts(status))
    return found[0] if found else FINDING_STEPS.not_from_state(move, status)


def apply_finding_move(move_name: str, status: str, role: str) -> str:
    """Move a finding through the machine; its new status (engine.NotFromState, Refused)."""
    return FINDING_STEPS.apply(move_name, _as_actor(role), FindingFacts(status))


def finding_moves_from(status: str, role: str) -> list[FindingMove]:
    return [m for m in FINDING_MOVES if finding_move_refusal(m.name, status, role) is None]


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def suspension_may_be_lifted(open_findings: Iterable[Any]) -> Refusal | None:
    """Why the approver may not reinstate yet: findings not closed (docs/domain.md section 5).

    Takes the registration's findings (objects or dicts with `status` and `rule`
    or `code`); an escalated finding still blocks until it is closed.
    """
    pending = [f for f in open_findings if _get(f, "status") != "closed"]
    if not pending:
        return None
    codes = sorted({str(_get(f, "rule") or _get(f, "code") or "?") for f in pending})
    listed = ", ".join(codes)
    return Refusal(
        409,
        "findings_open",
        t(
            f"{len(pending)} finding(s) are not closed ({listed}); close them before reinstating.",
            f"종결되지 않은 지적 사항 {len(pending)}건({listed})이 있어 정지를 해제할 수 없습니다.",
        ),
    )
