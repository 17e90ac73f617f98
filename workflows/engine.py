"""One engine for the rulebook's state machines: a registration's lifecycle and a finding's life.

A machine is a table of steps. Each step names its sources, its destination and its
guards; a guard is a plain function that returns a `Refusal` (why not) or None, so a
caller can ask all of them and explain a closed step. The `transitions` library checks
the table when the machine is built and moves a throwaway model through it, with the
same guards as its conditions; it stays a thin engine (docs/design.md, "The step table").

The layers above attach their part of each step (a payload schema, an effect, a notice)
under the step's name with `parts`, which fails at import when a step lacks its part
or the table names a step the machine does not have.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from transitions import Machine, MachineError

from workflows.bilingual import BiText, t


@dataclass(frozen=True)
class Actor:
    """Who asks for a change: a user, or the named system actor."""

    user_id: int | None
    role: str
    organization_id: int | None
    label: str
    # An issuer's user prepares or acts as an officer (workflows/lifecycle.py, DUTIES).
    duty: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a step may not happen: an HTTP-like status and the reason in both languages."""

    status: int  # 403: not yours to do; 409: not possible in this state
    code: str
    reason: BiText

    @property
    def en(self) -> str:
        return self.reason.en

    @property
    def ko(self) -> str:
        return self.reason.ko

    def text(self, locale: str) -> str:
        return self.reason.pick(locale)


ROLE_NAMES = {
    "issuer": t("the issuer", "발행인"),
    "reviewer": t("a reviewer", "심사역"),
    "approver": t("an approver", "결재권자"),
    "supervisor": t("a supervisor", "감독역"),
    "auditor": t("an auditor", "감사인"),
    "admin": t("an administrator", "관리자"),
    "system": t("the system", "시스템"),
}


def role_refusal(roles: Iterable[str], doing_en: str, doing_ko: str) -> Refusal:
    """The 403 of an actor whose role may not take a step: who may, in both languages."""
    who_en = " or ".join(ROLE_NAMES[r].en for r in roles)
    who_ko = " 또는 ".join(ROLE_NAMES[r].ko for r in roles)
    return Refusal(
        403,
        "role",
        t(f"Only {who_en} may {doing_en}.", f"{doing_ko}은(는) {who_ko}만 할 수 있습니다."),
    )


class Facts(Protocol):
    """What the guards know about the thing that moves; `state` is where it stands."""

    @property
    def state(self) -> str: ...


class StepRecord(Protocol):
    name: str
    sources: tuple[str, ...]
    dest: str
    guards: tuple[Callable[..., Refusal | None], ...]


S = TypeVar("S", bound=StepRecord)
V = TypeVar("V")


class UnknownTransition(LookupError):
    pass


class StepTableError(ValueError):
    """A table keyed by step name lacks a step, or names one the machine does not have."""


class NotFromState(Exception):
    """The step does not leave the current state (HTTP 409)."""

    def __init__(self, transition: Any, state: str, refusal: Refusal):
        self.transition = transition
        self.state = state
        self.refusal = refusal
        super().__init__(refusal.en)


class Refused(Exception):
    """A guard said no; `refusals` lists every reason, the first decides the status."""

    def __init__(self, transition: Any, found: list[Refusal]):
        self.transition = transition
        self.refusals = sorted(found, key=lambda r: r.status)
        self.refusal = self.refusals[0]
        super().__init__(self.refusal.en)


class _Model:
    """A throwaway model the shared machine moves for one step."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.refusals: list[Refusal] = []


class Engine(Generic[S]):
    """A table of steps over a set of states, with one `transitions` machine built from it."""

    def __init__(
        self,
        what: str,
        states: Iterable[str],
        initial: str,
        steps: Iterable[S],
        not_from_state: Callable[[S, str], Refusal],
    ):
        self.what = what
        self.states = tuple(states)
        self.steps: tuple[S, ...] = tuple(steps)
        self.by_name: dict[str, S] = {s.name: s for s in self.steps}
        if len(self.by_name) != len(self.steps):
            raise StepTableError(f"{what}: two steps share a name")
        self._not_from_state = not_from_state
        self.machine = Machine(
            model=None,
            states=list(self.states),
            initial=initial,
            transitions=[
                {
                    "trigger": s.name,
                    "source": list(s.sources),
                    "dest": s.dest,
                    "conditions": [self._conditions_hold],
                }
                for s in self.steps
            ],
            auto_transitions=False,
            send_event=True,
            # Bind nothing to the models but their `state`: without this, every model the
            # shared machine holds gets ~47 bound helpers (trigger, may_*, is_*), about
            # 13 KiB each (bench/memory.py). Steps are fired through the machine's events.
            model_override=True,
        )

    def step(self, name: str) -> S:
        try:
            return self.by_name[name]
        except KeyError:
            raise UnknownTransition(name) from None

    def leaving(self, state: str) -> list[S]:
        """The steps of the table that leave `state`, in table order."""
        return [s for s in self.steps if state in s.sources]

    def refusals(self, step: S, actor: Actor, facts: Facts) -> list[Refusal]:
        """Every guard's answer, refusals only: empty when the step is allowed."""
        return [r for guard in step.guards if (r := guard(step, actor, facts))]

    def not_from_state(self, step: S, state: str) -> Refusal | None:
        """Why `step` does not leave `state`, or None if it does."""
        return None if state in step.sources else self._not_from_state(step, state)

    def _conditions_hold(self, event) -> bool:
        """The machine's one condition: every guard of the step, asked once; the refusals
        stay on the model, for the caller to explain a closed step."""
        step = self.by_name[event.event.name]
        event.model.refusals = self.refusals(step, event.kwargs["actor"], event.kwargs["facts"])
        return not event.model.refusals

    def apply(self, name: str, actor: Actor, facts: Facts) -> str:
        """Check the state, then move through the machine, whose condition asks every guard
        once; the new state, or Refused with every reason."""
        step = self.step(name)
        wrong_state = self.not_from_state(step, facts.state)
        if wrong_state:
            raise NotFromState(step, facts.state, wrong_state)
        # A model of one step, fired through the machine's event without being added to it:
        # adding binds (or, with model_override, logs skipping) a helper per step, and the
        # shared machine's list of models would be shared by every thread.
        model = _Model(facts.state)
        try:
            moved = self.machine.events[name].trigger(model, actor=actor, facts=facts)
        except MachineError as exc:  # pragma: no cover - the source check above rules it out
            raise NotFromState(step, facts.state, wrong_state) from exc
        if not moved:
            raise Refused(step, model.refusals)
        return model.state

    def parts(
        self, part: str, table: Mapping[str, V], *, steps: Iterable[str] | None = None
    ) -> Mapping[str, V]:
        """`table` if it holds `part` for exactly `steps` (every step when None), else raise.

        The layers above the rulebook call this at import, so a step added to the table
        without its schema, effect or notice, or a part left for a step that no longer
        exists, stops the service from starting instead of being skipped."""
        expected = set(self.by_name if steps is None else steps)
        unknown = sorted(set(steps or ()) - set(self.by_name))
        if unknown:
            raise StepTableError(f"{self.what}: no step named {', '.join(unknown)} ({part})")
        missing = sorted(expected - set(table))
        extra = sorted(set(table) - expected)
        if missing or extra:
            said = []
            if missing:
                said.append(f"no {part} for {', '.join(missing)}")
            if extra:
                said.append(f"a {part} for {', '.join(extra)}, which is no step here")
            raise StepTableError(f"{self.what}: " + "; ".join(said))
        return table
