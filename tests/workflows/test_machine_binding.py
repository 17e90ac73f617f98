"""The shared machine binds nothing to a model but its state (bench/memory.py measures why)."""

from workflows.lifecycle import MACHINE, SYSTEM, CaseFacts, apply


class Plain:
    pass


def test_a_bound_model_carries_only_its_state():
    model = Plain()
    MACHINE.add_model(model, initial="submitted")
    try:
        assert vars(model) == {"state": "submitted"}
    finally:
        MACHINE.remove_model(model)
    assert model not in MACHINE.models


def test_a_transition_still_moves_through_the_machine_without_bound_helpers():
    facts = CaseFacts(
        state="registered",
        organization_id=1,
        category="krw_stablecoin",
        assigned_reviewer_id=None,
        recommended_by_id=None,
        missing=(),
        validity_ended=True,
    )
    assert apply("lapse", SYSTEM, facts) == "lapsed"
    assert MACHINE.models == []
