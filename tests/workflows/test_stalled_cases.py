"""No case waits on the issuer forever (docs/domain.md section 4, stalled cases).

A case returned as incomplete, or with a request open, may be closed by its reviewer
once the issuer's deadline has passed; and every state that is not final has a step
out of it that the regulator or the clock takes, not the issuer.
"""

from datetime import date

import pytest

from workflows.lifecycle import (
    INITIAL_STATE,
    ISSUER_DEADLINE_STATES,
    OFFICER,
    REGULATOR_ROLES,
    STATES,
    SYSTEM,
    SYSTEM_ROLE,
    TRANSITIONS,
    UPHOLDING_STEPS,
    Actor,
    CaseFacts,
    Refused,
    apply,
    leaving,
)

ORG = 7
REVIEWER = Actor(3, "reviewer", 99, "reviewer@example")
CLOSING = {
    "returned_incomplete": "close_not_resubmitted",
    "information_requested": "close_unanswered",
}


def waiting(state: str, due_on: date, today: date) -> CaseFacts:
    return CaseFacts(
        state=state,
        organization_id=ORG,
        category="other_virtual_asset",
        assigned_reviewer_id=3,
        issuer_due_on=due_on,
        today=today,
    )


def test_the_closing_steps_are_the_waiting_states_own():
    assert set(ISSUER_DEADLINE_STATES) == set(CLOSING)


@pytest.mark.parametrize("state", list(CLOSING))
def test_the_day_before_the_deadline_the_case_may_not_be_closed(state):
    """Administrative Procedures Act Art 17(5)-(6): the authority sets a period to complete
    the application and may return it only when the period passes without completion; the
    registry holds an information request to the same rule (docs/domain.md section 4)."""
    with pytest.raises(Refused) as refused:
        apply(CLOSING[state], REVIEWER, waiting(state, date(2026, 3, 10), date(2026, 3, 9)))
    assert refused.value.refusal.code == "deadline_not_passed"
    assert refused.value.refusal.status == 409


@pytest.mark.parametrize("state", list(CLOSING))
def test_on_the_day_of_the_deadline_the_issuer_still_has_the_day(state):
    """Administrative Procedures Act Art 17(5)-(6): a period runs to the end of its last
    day (Civil Act Art 159), so the application is not returned on that day."""
    with pytest.raises(Refused) as refused:
        apply(CLOSING[state], REVIEWER, waiting(state, date(2026, 3, 10), date(2026, 3, 10)))
    assert refused.value.refusal.code == "deadline_not_passed"
    assert "2026-03-10" in refused.value.refusal.en


@pytest.mark.parametrize("state", list(CLOSING))
def test_the_day_after_the_deadline_the_reviewer_may_close_the_case(state):
    """Administrative Procedures Act Art 17(6): once the period has passed without the
    application being completed, the authority may return it, stating why."""
    facts = waiting(state, date(2026, 3, 10), date(2026, 3, 11))
    assert apply(CLOSING[state], REVIEWER, facts) == "discontinued"


@pytest.mark.parametrize(
    "due_on,last_day",
    [
        (date(2026, 3, 14), date(2026, 3, 16)),  # a Saturday: the Monday after
        (date(2026, 5, 5), date(2026, 5, 6)),  # Children's Day: the next business day
    ],
)
def test_a_deadline_on_a_day_off_runs_to_the_next_business_day(due_on, last_day):
    """Civil Act Art 161: a period whose last day is a public holiday ends the day after;
    the Korean business-day calendar of workflows/clock.py says which days are off."""
    state = "returned_incomplete"
    with pytest.raises(Refused):
        apply(CLOSING[state], REVIEWER, waiting(state, due_on, last_day))
    next_day = date.fromordinal(last_day.toordinal() + 1)
    assert apply(CLOSING[state], REVIEWER, waiting(state, due_on, next_day)) == "discontinued"


def test_a_case_without_a_deadline_is_not_closed_for_non_response():
    facts = CaseFacts(
        state="returned_incomplete",
        organization_id=ORG,
        category="other_virtual_asset",
        today=date(2026, 3, 11),
    )
    with pytest.raises(Refused) as refused:
        apply("close_not_resubmitted", REVIEWER, facts)
    assert refused.value.refusal.code == "no_deadline"


@pytest.mark.parametrize("state", list(CLOSING))
def test_the_issuer_cannot_close_its_own_case_for_non_response(state):
    issuer = Actor(1, "issuer", ORG, "issuer@example", OFFICER)
    with pytest.raises(Refused) as refused:
        apply(CLOSING[state], issuer, waiting(state, date(2026, 3, 10), date(2026, 4, 10)))
    assert refused.value.refusal.code == "role"




def _ways_on(state: str) -> list:
    """The steps that leave `state`, but those that uphold an objection: a refusal or a
    revocation is final unless the issuer objects and the objection is upheld (docs/domain.md
    section 4, objection)."""
    return [t for t in leaving(state) if t.name not in UPHOLDING_STEPS]


# A state is final when no step but an upheld objection leaves it. The draft is the
# issuer's own workspace: nothing has been filed, the regulator does not see it, so no
# regulator's step can leave it.
NON_FINAL = [s for s in STATES if _ways_on(s) and s != INITIAL_STATE]


def test_the_walk_covers_every_state_with_a_way_out():
    assert {s for s in STATES if _ways_on(s)} == {*NON_FINAL, INITIAL_STATE}
    assert {"refused", "revoked"} <= {s for s in STATES if leaving(s)} - set(NON_FINAL)
    assert set(ISSUER_DEADLINE_STATES) <= set(NON_FINAL)


@pytest.mark.parametrize("state", NON_FINAL)
def test_every_non_final_state_has_an_exit_the_issuer_does_not_control(state):
    """No case stays stuck because the issuer stops acting: from every state before a
    final one, the regulator or the service's clock can move it on (docs/domain.md
    section 4, stalled cases; Administrative Procedures Act Art 17(6))."""
    exits = [
        t
        for t in _ways_on(state)
        if set(t.roles) & {*REGULATOR_ROLES, SYSTEM_ROLE} and "issuer" not in t.roles
    ]
    assert exits, f"only the issuer moves a case out of {state}"
    # And one of them really moves a case once the issuer has let its deadline pass.
    moved = []
    for step in exits:
        role = step.roles[0]
        who = SYSTEM if role == SYSTEM_ROLE else Actor(3, role, 99, f"{role}@example")
        facts = CaseFacts(
            state=state,
            organization_id=ORG,
            category="other_virtual_asset",
            assigned_reviewer_id=3,
            validity_ended=True,
            issuer_due_on=date(2026, 3, 10),
            today=date(2026, 4, 10),
        )
        try:
            moved.append(apply(step.name, who, facts))
        except Refused:
            continue
    assert moved, f"no regulator's or clock's step leaves {state}"
    assert all(dest != state for dest in moved)


def test_the_new_steps_are_reviewer_steps_with_a_filed_and_mailed_notice():
    steps = {t.name: t for t in TRANSITIONS}
    for name in CLOSING.values():
        step = steps[name]
        assert step.roles == ("reviewer",) and step.reviewer_step
        assert (step.filing_kind, step.notice, step.public_status) == (
            "closure_notice",
            "closure",
            None,
        )
