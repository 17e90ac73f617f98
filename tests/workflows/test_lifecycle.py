"""The lifecycle table, checked exhaustively: every (state, transition, role)."""

import itertools
from datetime import date

import pytest

from workflows.lifecycle import (
    BY_NAME,
    HEARD_STEPS,
    MACHINE,
    OFFICER,
    ROLES,
    STATES,
    SYSTEM_ROLE,
    TRANSITIONS,
    Actor,
    CaseFacts,
    NotFromState,
    NoticeFacts,
    ObjectionFacts,
    Refused,
    apply,
    options,
)

ORG = 7
OTHER_ORG = 8

# docs/design.md section 2, written out again by hand: (transition, sources, destination, roles).
EXPECTED = {
    "submit": ({"draft"}, "submitted", {"issuer"}),
    "return_incomplete": ({"submitted"}, "returned_incomplete", {"reviewer"}),
    "resubmit": ({"returned_incomplete"}, "submitted", {"issuer"}),
    "mark_complete": ({"submitted"}, "assessment", {"reviewer"}),
    "request_information": ({"assessment"}, "information_requested", {"reviewer"}),
    "respond": ({"information_requested"}, "assessment", {"issuer"}),
    "recommend": ({"assessment"}, "recommended", {"reviewer"}),
    "send_back": ({"recommended"}, "assessment", {"approver"}),
    "approve": ({"recommended"}, "registered", {"approver"}),
    "refuse": ({"recommended"}, "refused", {"approver"}),
    "close_not_resubmitted": ({"returned_incomplete"}, "discontinued", {"reviewer"}),
    "close_unanswered": ({"information_requested"}, "discontinued", {"reviewer"}),
    "withdraw": (
        {
            "draft",
            "submitted",
            "returned_incomplete",
            "assessment",
            "information_requested",
            "recommended",
        },
        "withdrawn",
        {"issuer"},
    ),
    "suspend": ({"registered"}, "suspended", {"supervisor", "approver"}),
    "suspend_urgently": ({"registered"}, "suspended", {"supervisor"}),
    "reinstate": ({"suspended"}, "registered", {"approver"}),
    "revoke": ({"registered", "suspended", "surrender_requested"}, "revoked", {"approver"}),
    "surrender": ({"registered"}, "surrender_requested", {"issuer"}),
    "accept_surrender": ({"surrender_requested"}, "surrendered", {"approver"}),
    "refuse_surrender": ({"surrender_requested"}, "registered", {"approver"}),
    "lapse": ({"registered", "suspended", "surrender_requested"}, "lapsed", {SYSTEM_ROLE}),
    "reconsider": ({"refused"}, "recommended", {"approver"}),
    "restore": ({"suspended", "revoked"}, "registered", {"approver"}),
}


def actor(role: str, user_id: int = 1, organization_id: int | None = None) -> Actor:
    if organization_id is None:
        organization_id = ORG if role == "issuer" else 99
    duty = OFFICER if role == "issuer" else None
    return Actor(user_id, role, organization_id, f"{role}@example", duty)


def facts(state: str, **changes) -> CaseFacts:
    # Every precondition met, so only state and role decide.
    values = {
        "organization_id": ORG,
        "category": "other_virtual_asset",
        "validity_ended": True,
        # The issuer's deadline long past, so the closing steps are open.
        "issuer_due_on": date(2026, 3, 10),
        "today": date(2026, 4, 10),
        # The issuer heard before each adverse decision.
        "notices": tuple(NoticeFacts(a, date(2026, 3, 20), True) for a in HEARD_STEPS),
        # An objection open, lodged against another approver's decision.
        "objection": ObjectionFacts("refuse", 99),
    }
    return CaseFacts(state=state, **{**values, **changes})


def test_the_machine_has_fifteen_states_and_the_twenty_three_named_transitions():
    assert len(STATES) == 15
    assert set(BY_NAME) == set(EXPECTED)
    assert set(MACHINE.events) == set(EXPECTED)
    assert not any(name.startswith("to_") for name in MACHINE.events)


def test_every_state_is_reached_by_some_transition_or_is_the_initial_one():
    reached = {t.dest for t in TRANSITIONS} | {"draft"}
    assert reached == set(STATES)


@pytest.mark.parametrize(
    "name,state,role",
    list(itertools.product(EXPECTED, STATES, (*ROLES, SYSTEM_ROLE))),
)
def test_every_state_transition_and_role_combination(name, state, role):
    sources, destination, roles = EXPECTED[name]
    who = actor(role)
    if state not in sources:
        with pytest.raises(NotFromState) as refused:
            apply(name, who, facts(state))
        assert refused.value.refusal.status == 409
    elif role not in roles:
        with pytest.raises(Refused) as refused:
            apply(name, who, facts(state))
        assert refused.value.refusal.status == 403
        assert refused.value.refusal.code == "role"
    else:
        assert apply(name, who, facts(state)) == destination
    assert MACHINE.models == []  # the shared machine is left unbound


def test_an_issuer_cannot_act_on_another_organizations_case():
    with pytest.raises(Refused) as refused:
        apply("withdraw", actor("issuer", organization_id=OTHER_ORG), facts("submitted"))
    assert refused.value.refusal.code == "organization"
    assert refused.value.refusal.status == 403


def test_approver_cannot_approve_own_recommendation():
    case = facts("recommended", recommended_by_id=5)
    with pytest.raises(Refused) as refused:
        apply("approve", actor("approver", user_id=5), case)
    assert refused.value.refusal.en == "You recommended this case; another approver must decide."
    assert "다른 결재권자" in refused.value.refusal.ko
    assert apply("approve", actor("approver", user_id=6), case) == "registered"


def test_only_the_assigned_reviewer_works_an_assigned_case():
    case = facts("submitted", assigned_reviewer_id=3)
    with pytest.raises(Refused) as refused:
        apply("mark_complete", actor("reviewer", user_id=4), case)
    assert refused.value.refusal.code == "assignment"
    assert apply("mark_complete", actor("reviewer", user_id=3), case) == "assessment"
    # An unassigned case may be taken by any reviewer.
    assert apply("mark_complete", actor("reviewer", user_id=4), facts("submitted")) == "assessment"


def test_submit_is_refused_with_the_list_of_what_is_missing():
    case = facts("draft", missing=("Capital", "White paper (document)"))
    with pytest.raises(Refused) as refused:
        apply("submit", actor("issuer"), case)
    assert refused.value.refusal.status == 409
    assert "Capital; White paper (document)" in refused.value.refusal.en


def test_respond_waits_until_the_answers_changed_meanwhile_are_complete():
    case = facts(
        "information_requested", missing=("Declaration (Some required answers are missing.)",)
    )
    with pytest.raises(Refused) as refused:
        apply("respond", actor("issuer"), case)
    assert refused.value.refusal.code == "incomplete"
    assert refused.value.refusal.en.startswith("The answers you changed are not complete")
    assert apply("respond", actor("issuer"), facts("information_requested")) == "assessment"


def test_lapse_waits_for_the_end_of_validity():
    with pytest.raises(Refused) as refused:
        apply("lapse", actor(SYSTEM_ROLE), facts("registered", validity_ended=False))
    assert refused.value.refusal.code == "still_valid"


def test_a_suspended_registration_lapses_once_its_validity_ended_and_not_before():
    """docs/domain.md section 4 (validity: 3 years, then it lapses without renewal; the VASP
    report model): suspension does not stop the validity clock, and the same guard holds."""
    system = actor(SYSTEM_ROLE)
    with pytest.raises(Refused) as refused:
        apply("lapse", system, facts("suspended", validity_ended=False))
    assert refused.value.refusal.code == "still_valid"
    assert apply("lapse", system, facts("suspended", validity_ended=True)) == "lapsed"
    with pytest.raises(Refused) as refused:
        apply("lapse", actor("approver"), facts("suspended", validity_ended=True))
    assert refused.value.refusal.code == "role"


def test_options_list_every_transition_leaving_the_state_with_a_reason_when_closed():
    listed = options(actor("approver", user_id=5), facts("recommended", recommended_by_id=5))
    assert [o.transition.name for o in listed] == ["send_back", "approve", "refuse", "withdraw"]
    assert not any(o.allowed for o in listed)
    by_name = {o.transition.name: o for o in listed}
    assert by_name["approve"].reason.code == "four_eyes"
    assert by_name["withdraw"].reason.code == "role"


def test_every_refusal_speaks_korean_and_english():
    for state in STATES:
        for option in options(actor("auditor"), facts(state)):
            for refusal in option.refusals:
                assert refusal.en and refusal.ko and refusal.en != refusal.ko


def test_reinstatement_is_refused_while_findings_are_not_closed():
    from workflows.lifecycle import Actor, CaseFacts, refusals, transition

    approver = Actor(7, "approver", None, "approver@fsc.example")
    blocked = CaseFacts("suspended", 1, "krw_stablecoin", open_findings=("report_missing",))
    (refusal,) = refusals(transition("reinstate"), approver, blocked)
    assert (refusal.status, refusal.code) == (409, "findings_open")
    assert "report_missing" in refusal.en
    assert refusals(transition("reinstate"), approver, CaseFacts("suspended", 1, "x")) == []
