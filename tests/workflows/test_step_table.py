"""The step table: each layer's part of every step is checked when it is attached."""

import pytest

from forms.transitions import PAYLOAD_SCHEMAS
from workflows.engine import Actor, Engine, NotFromState, Refusal, Refused, StepTableError
from workflows.lifecycle import BY_NAME, NOTIFYING_STEPS, REGISTRATION_STEPS, STEPS, TRANSITIONS
from workflows.monitoring.findings import (
    FINDING_STEPS,
    apply_finding_move,
    finding_move_refusal,
)

NAMES = [t.name for t in TRANSITIONS]


def test_a_part_missing_for_a_step_stops_the_import():
    partial = {name: object() for name in NAMES if name != "lapse"}
    with pytest.raises(StepTableError, match="no payload schema for lapse"):
        STEPS.parts("payload schema", partial)


def test_a_part_for_a_step_that_does_not_exist_stops_the_import():
    table = {**{name: object() for name in NAMES}, "apporve": object()}
    with pytest.raises(StepTableError, match="a effect for apporve, which is no step here"):
        STEPS.parts("effect", table)


def test_a_subset_must_name_steps_of_the_table():
    with pytest.raises(StepTableError, match="no step named renew"):
        STEPS.parts("notice subject", {"renew": ("", "")}, steps=["renew"])


def test_a_subset_is_held_to_exactly_its_steps():
    table = {name: ("ko", "en") for name in NOTIFYING_STEPS}
    assert STEPS.parts("notice subject", table, steps=NOTIFYING_STEPS) is table
    with pytest.raises(StepTableError, match="mark_complete, which is no step here"):
        STEPS.parts("notice subject", {**table, "mark_complete": ("", "")}, steps=NOTIFYING_STEPS)


def test_importing_a_layer_whose_table_lacks_a_step_fails(tmp_path, monkeypatch):
    """A module that attaches an incomplete table cannot be imported at all."""
    (tmp_path / "broken_steps.py").write_text(
        "from workflows.lifecycle import STEPS\n"
        "EFFECTS = STEPS.parts('effect', {'submit': print})\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(StepTableError, match="no effect for"):
        __import__("broken_steps")


def test_every_layer_holds_a_part_for_every_step():
    from service.applications.operations import EFFECTS
    from service.notifications.messages import EVENTS, SUBJECTS
    from service.web import ACTION_ORDER

    assert set(PAYLOAD_SCHEMAS) == set(EFFECTS) == set(ACTION_ORDER) == set(BY_NAME)
    for name in NOTIFYING_STEPS:
        assert EVENTS[name] == BY_NAME[name].notice
        assert name in SUBJECTS
    assert not {"mark_complete", "recommend", "send_back", "respond"} & set(EVENTS)


def test_the_steps_that_change_the_registration_say_what_the_register_shows():
    assert REGISTRATION_STEPS == (
        "approve",
        "suspend",
        "suspend_urgently",
        "reinstate",
        "revoke",
        "accept_surrender",
        "restore",
        "lapse",
    )
    assert BY_NAME["reinstate"].public_status == "reinstated"
    assert BY_NAME["restore"].public_status == "restored"
    assert BY_NAME["refuse"].public_status is None


def test_two_steps_of_one_name_are_refused():
    step = TRANSITIONS[0]
    with pytest.raises(StepTableError, match="two steps share a name"):
        Engine("twice", ["draft", "submitted"], "draft", [step, step], lambda s, state: None)


def test_finding_moves_run_on_the_same_engine():
    assert type(FINDING_STEPS) is type(STEPS)
    assert set(FINDING_STEPS.machine.events) == {
        "acknowledge",
        "request_remedy",
        "close",
        "escalate",
        "resolve",
    }
    assert apply_finding_move("escalate", "remedy_requested", "supervisor") == "escalated"
    assert apply_finding_move("acknowledge", "open", "supervisor") == "open"
    assert FINDING_STEPS.machine.models == []


def test_a_finding_move_refused_by_the_engine_says_why():
    with pytest.raises(Refused) as refused:
        apply_finding_move("resolve", "escalated", "supervisor")
    assert refused.value.refusal.status == 403
    assert refused.value.refusal.code == "role"
    with pytest.raises(NotFromState) as wrong:
        apply_finding_move("close", "closed", "supervisor")
    assert wrong.value.refusal == finding_move_refusal("close", "closed", "supervisor")
    assert isinstance(wrong.value.refusal, Refusal)


def test_the_lifecycle_guards_see_the_actor_through_the_engine():
    actor = Actor(user_id=1, role="reviewer", organization_id=None, label="r")
    assert STEPS.leaving("recommended") == [
        BY_NAME[n] for n in ("send_back", "approve", "refuse", "withdraw")
    ]
    assert STEPS.not_from_state(BY_NAME["approve"], "recommended") is None
    assert STEPS.refusals(BY_NAME["mark_complete"], actor, _facts("submitted")) == []


def _facts(state):
    from workflows.lifecycle import CaseFacts

    return CaseFacts(state=state, organization_id=1, category="other_token")
