"""Every guard of the lifecycle explains itself: the reason, its status, in Korean and English.

`REASONS` holds one refusing example per guard; a test checks it covers every
guard the table uses, so a new guard without a tested reason fails here.
"""

from datetime import date

import pytest

from workflows.lifecycle import (
    OFFICER,
    PREPARER,
    SYSTEM_ROLE,
    TRANSITIONS,
    Actor,
    CaseFacts,
    NotFromState,
    NoticeFacts,
    ObjectionFacts,
    Refused,
    amendments_complete,
    application_complete,
    apply,
    assigned_reviewer,
    central_bank_favourable,
    deadline_passed,
    findings_closed,
    four_eyes,
    heard_before_decision,
    holds_the_registration,
    objection_upheld,
    officer_acts,
    opinions_recorded,
    options,
    own_organization,
    role_allowed,
    validity_ended,
)

ORG = 7
BOTH_FAVOURABLE = (
    ("bank_of_korea", "favourable"),
    ("ministry_of_economy_and_finance", "favourable"),
)


def actor(role: str, user_id: int = 1, organization_id: int | None = None) -> Actor:
    if organization_id is None:
        organization_id = ORG if role == "issuer" else 99
    duty = OFFICER if role == "issuer" else None
    return Actor(user_id, role, organization_id, f"{role}@example", duty)


def facts(state: str, **changes) -> CaseFacts:
    values = {"organization_id": ORG, "category": "other_virtual_asset", "validity_ended": True}
    return CaseFacts(state=state, **{**values, **changes})


# guard -> (transition, actor, case that it refuses, status, code, English, Korean fragment)
REASONS = {
    role_allowed: (
        "approve",
        actor("reviewer"),
        facts("recommended"),
        403,
        "role",
        "Only an approver may approve.",
        "등록 승인은 결재권자만 할 수 있습니다.",
    ),
    own_organization: (
        "withdraw",
        actor("issuer", organization_id=8),
        facts("assessment"),
        403,
        "organization",
        "This application belongs to another organization.",
        "다른 기관의 신청서입니다.",
    ),
    officer_acts: (
        "submit",
        Actor(2, "issuer", ORG, "preparer@example", PREPARER),
        facts("draft"),
        403,
        "officer",
        "A preparer fills in the application; an officer of the issuer signs and files it.",
        "서명과 제출은 발행인의 임원이 합니다.",
    ),
    assigned_reviewer: (
        "request_information",
        actor("reviewer", user_id=4),
        facts("assessment", assigned_reviewer_id=3),
        403,
        "assignment",
        "This case is assigned to another reviewer.",
        "다른 심사역에게 배정된 사건입니다.",
    ),
    four_eyes: (
        "refuse",
        actor("approver", user_id=5),
        facts("recommended", recommended_by_id=5),
        403,
        "four_eyes",
        "You recommended this case; another approver must decide.",
        "이 사건을 건의한 본인은 결정할 수 없습니다",
    ),
    application_complete: (
        "resubmit",
        actor("issuer"),
        facts("returned_incomplete", missing=("Capital",)),
        409,
        "incomplete",
        "The application is not complete: Capital.",
        "신청서가 완성되지 않았습니다: Capital.",
    ),
    validity_ended: (
        "lapse",
        actor(SYSTEM_ROLE, user_id=None),
        facts("registered", validity_ended=False),
        409,
        "still_valid",
        "The registration is still within its validity period.",
        "등록 유효기간이 아직 끝나지 않았습니다.",
    ),
    opinions_recorded: (
        "approve",
        actor("approver", user_id=6),
        facts("recommended", category="krw_stablecoin", recommended_by_id=5),
        409,
        "opinion_missing",
        "The opinion of the Bank of Korea and the Ministry of Economy and Finance "
        "is not yet recorded.",
        "한국은행·기획재정부의 의견이 아직 기록되지 않았습니다.",
    ),
    central_bank_favourable: (
        "approve",
        actor("approver", user_id=6),
        facts(
            "recommended",
            category="krw_stablecoin",
            recommended_by_id=5,
            opinions=(
                ("bank_of_korea", "unfavourable"),
                ("ministry_of_economy_and_finance", "favourable"),
            ),
        ),
        409,
        "central_bank_unfavourable",
        "The Bank of Korea's opinion is unfavourable; the case may only be refused or sent back.",
        "한국은행의 의견이 부정적이므로",
    ),
    amendments_complete: (
        "respond",
        actor("issuer"),
        facts("information_requested", missing=("Declaration",)),
        409,
        "incomplete",
        "The answers you changed are not complete: Declaration. Complete them before you "
        "respond; a changed answer withdraws the officer's declaration, so the officer "
        "confirms it again.",
        "변경한 답변이 완성되지 않았습니다: Declaration.",
    ),
    findings_closed: (
        "reinstate",
        actor("approver"),
        facts("suspended", open_findings=("reserve_coverage_below_minimum",)),
        409,
        "findings_open",
        "1 finding(s) are not closed (reserve_coverage_below_minimum); "
        "close them before reinstating.",
        "종결되지 않은 지적 사항 1건(reserve_coverage_below_minimum)이 있어",
    ),
    holds_the_registration: (
        "suspend",
        actor("supervisor"),
        facts("registered", renews="KVI-2023-0001"),
        409,
        "renewal",
        "This renewal extended registration KVI-2023-0001; act on that registration.",
        "이 갱신 신청은 등록 KVI-2023-0001의 유효기간을 연장했습니다.",
    ),
    # Administrative Procedures Act Art 21(1), (3), Art 22(3): no adverse decision before
    # the issuer had notice and its comments were filed or its time to give them ran out.
    heard_before_decision: (
        "refuse",
        actor("approver"),
        facts(
            "recommended",
            today=date(2026, 12, 4),
            notices=(NoticeFacts("refuse", date(2026, 12, 4), False),),
        ),
        409,
        "hearing_open",
        "The issuer may comment until 2026-12-04; decide once its comments are filed or "
        "from the next day.",
        "발행인은 2026-12-04까지 의견을 제출할 수 있습니다.",
    ),
    # APA Art 36: the approver who refused does not decide the objection to it.
    objection_upheld: (
        "reconsider",
        actor("approver"),
        facts("refused", objection=ObjectionFacts("refuse", 1)),
        403,
        "own_decision",
        "You took the decision objected to; another approver decides the objection.",
        "이의신청 대상 결정을 한 본인은 이의신청을 결정할 수 없습니다.",
    ),
    deadline_passed: (
        "close_not_resubmitted",
        actor("reviewer"),
        facts("returned_incomplete", issuer_due_on=date(2026, 3, 10), today=date(2026, 3, 10)),
        409,
        "deadline_not_passed",
        "The issuer has until 2026-03-10; the case may be closed from the next day.",
        "발행인의 기한은 2026-03-10까지입니다.",
    ),
}


def test_an_adverse_decision_waits_for_notice_and_the_comments_or_their_last_day():
    """Administrative Procedures Act Art 21(1), (3) and Art 22(3): the issuer has notice
    and until its last day to comment; comments filed open the decision at once. The last
    day of a deadline on a weekend is the next business day (Civil Act Art 161)."""
    approver = actor("approver")
    with pytest.raises(Refused) as refused:
        apply("refuse", approver, facts("recommended", today=date(2026, 12, 1)))
    assert refused.value.refusal.code == "no_prior_notice"
    assert "행정절차법 제21조" in refused.value.refusal.ko
    # A notice of another action does not hear the issuer on this one.
    other = (NoticeFacts("revoke", date(2026, 11, 1), True),)
    with pytest.raises(Refused):
        apply("refuse", approver, facts("recommended", notices=other, today=date(2026, 12, 1)))
    due_friday = (NoticeFacts("refuse", date(2026, 12, 4), False),)
    for day in (date(2026, 12, 3), date(2026, 12, 4)):
        with pytest.raises(Refused):
            apply("refuse", approver, facts("recommended", notices=due_friday, today=day))
    assert (
        apply("refuse", approver, facts("recommended", notices=due_friday, today=date(2026, 12, 5)))
        == "refused"
    )
    due_saturday = (NoticeFacts("refuse", date(2026, 12, 5), False),)
    with pytest.raises(Refused) as refused:
        apply(
            "refuse", approver, facts("recommended", notices=due_saturday, today=date(2026, 12, 6))
        )
    assert "2026-12-07" in refused.value.refusal.en
    commented = (NoticeFacts("refuse", date(2026, 12, 4), True),)
    assert (
        apply("refuse", approver, facts("recommended", notices=commented, today=date(2026, 11, 24)))
        == "refused"
    )


def test_every_guard_of_the_table_has_a_tested_reason():
    used = {guard for t in TRANSITIONS for guard in t.guards}
    assert used == set(REASONS)


@pytest.mark.parametrize("guard", list(REASONS), ids=lambda g: g.__name__)
def test_the_guard_refuses_with_its_reason_in_both_languages(guard):
    name, who, case, status, code, en, ko = REASONS[guard]
    with pytest.raises(Refused) as refused:
        apply(name, who, case)
    reasons = {r.code: r for r in refused.value.refusals}
    assert code in reasons
    reason = reasons[code]
    assert (reason.status, reason.en) == (status, en)
    assert ko in reason.ko
    assert reason.text("ko") == reason.ko and reason.text("en") == reason.en
    # The guard alone gives the same answer, and the closed option shows it.
    direct = next(t for t in TRANSITIONS if t.name == name)
    assert guard(direct, who, case) == reason
    listed = {o.transition.name: o for o in options(who, case)}[name]
    assert not listed.allowed and reason in listed.refusals


@pytest.mark.parametrize("guard", list(REASONS), ids=lambda g: g.__name__)
def test_the_guard_says_nothing_once_its_condition_holds(guard):
    name, who, case, *_ = REASONS[guard]
    step = next(t for t in TRANSITIONS if t.name == name)
    opened = {
        role_allowed: (actor("approver", user_id=6), case),
        own_organization: (actor("issuer"), case),
        officer_acts: (actor("issuer"), case),
        assigned_reviewer: (actor("reviewer", user_id=3), case),
        four_eyes: (actor("approver", user_id=6), case),
        application_complete: (who, facts("returned_incomplete")),
        amendments_complete: (who, facts("information_requested", missing=())),
        validity_ended: (who, facts("registered", validity_ended=True)),
        deadline_passed: (
            who,
            facts("returned_incomplete", issuer_due_on=date(2026, 3, 10), today=date(2026, 3, 11)),
        ),
        opinions_recorded: (
            who,
            facts("recommended", category="krw_stablecoin", opinions=BOTH_FAVOURABLE),
        ),
        central_bank_favourable: (
            who,
            facts("recommended", category="krw_stablecoin", opinions=BOTH_FAVOURABLE),
        ),
        findings_closed: (who, facts("suspended", open_findings=())),
        holds_the_registration: (who, facts("registered", renews=None)),
        objection_upheld: (
            actor("approver", user_id=6),
            facts("refused", objection=ObjectionFacts("refuse", 1)),
        ),
        heard_before_decision: (
            who,
            facts(
                "recommended",
                today=date(2026, 12, 5),
                notices=(NoticeFacts("refuse", date(2026, 12, 4), False),),
            ),
        ),
    }[guard]
    assert guard(step, *opened) is None


def test_a_step_not_leaving_the_state_names_the_state_in_both_languages():
    with pytest.raises(NotFromState) as refused:
        apply("approve", actor("approver"), facts("assessment"))
    assert refused.value.refusal.status == 409
    assert refused.value.refusal.en == "'Approve' is not possible while the case is in assessment."
    assert refused.value.refusal.ko == "'심사 중' 상태에서는 등록 승인을 할 수 없습니다."


def test_a_krw_stablecoin_case_needs_both_opinions_before_approval():
    approver = actor("approver", user_id=6)
    only_bok = facts(
        "recommended", category="krw_stablecoin", opinions=(("bank_of_korea", "favourable"),)
    )
    with pytest.raises(Refused) as refused:
        apply("approve", approver, only_bok)
    assert refused.value.refusal.en == (
        "The opinion of the Ministry of Economy and Finance is not yet recorded."
    )
    assert refused.value.refusal.ko == "기획재정부의 의견이 아직 기록되지 않았습니다."
    both = facts("recommended", category="krw_stablecoin", opinions=BOTH_FAVOURABLE)
    assert apply("approve", approver, both) == "registered"


def test_an_unfavourable_bank_of_korea_opinion_leaves_only_refuse_and_send_back():
    case = facts(
        "recommended",
        category="krw_stablecoin",
        opinions=(
            ("bank_of_korea", "unfavourable"),
            ("ministry_of_economy_and_finance", "favourable"),
        ),
        notices=(NoticeFacts("refuse", date(2026, 3, 20), True),),
    )
    allowed = [o.transition.name for o in options(actor("approver", user_id=6), case) if o.allowed]
    assert allowed == ["send_back", "refuse"]


def test_a_later_opinion_of_the_same_authority_supersedes_the_earlier_one():
    case = facts(
        "recommended",
        category="krw_stablecoin",
        opinions=(("bank_of_korea", "unfavourable"), *BOTH_FAVOURABLE),
    )
    assert apply("approve", actor("approver", user_id=6), case) == "registered"


def test_other_categories_need_no_opinion():
    for category in ("tokenized_deposit", "security_token", "other_virtual_asset"):
        assert apply("approve", actor("approver"), facts("recommended", category=category)) == (
            "registered"
        )
