"""What each transition asks of the person requesting it, at the boundaries of its rules."""

from datetime import date, timedelta

import pytest

from forms.transitions import TransitionContext, payload_schema
from workflows.bilingual import localize, use_locale
from workflows.clock import add_business_days
from workflows.regime import KR_2026

# A Tuesday; Seollal 2027 (8 and 9 February, weekdays) falls inside 20 business days.
TODAY = date(2027, 1, 19)
CTX = TransitionContext(today=TODAY, profile=KR_2026, open_questions=2)


def errors(name: str, payload: dict, locale: str = "en", ctx: TransitionContext = CTX) -> dict:
    with use_locale(locale):
        return localize(payload_schema(name, ctx).validate(payload))


def test_a_return_deadline_may_be_twenty_business_days_away_and_not_one_more():
    latest = add_business_days(TODAY, 20)
    assert latest == date(2027, 2, 18)  # 16 February without the two Seollal days
    base = {"missing": ["Audited financial statements"]}
    assert errors("return_incomplete", {**base, "deadline": latest.isoformat()}) == {}
    one_more = add_business_days(TODAY, 21).isoformat()
    found = errors("return_incomplete", {**base, "deadline": one_more})
    assert found["deadline"] == [
        "The deadline may be at most 20 business days away (2027-02-18) "
        "(completeness rule, Reg. 2025/296)."
    ]
    korean = errors("return_incomplete", {**base, "deadline": one_more}, "ko")
    assert korean["deadline"] == [
        "보완 기한은 최대 20영업일(2027-02-18)까지입니다(완전성 심사 규정)."
    ]


def test_a_return_deadline_must_be_after_today():
    found = errors("return_incomplete", {"missing": ["x"], "deadline": TODAY.isoformat()})
    assert found["deadline"] == ["The deadline must be after today."]


@pytest.mark.parametrize("deadline", ["9999-12-31", "1899-12-31"])
def test_dates_outside_two_centuries_are_refused_as_typing_mistakes(deadline):
    found = errors("return_incomplete", {"missing": ["x"], "deadline": deadline})
    assert found["deadline"] == ["Enter a date between 1900-01-01 and 2199-12-31."]


def test_an_answer_date_may_be_eighty_business_days_away_and_not_one_more():
    questions = {"questions": ["Name the custodian banks."]}
    latest = add_business_days(TODAY, 80)  # assessment days and the clock-stop allowance
    assert errors("request_information", {**questions, "due_on": latest.isoformat()}) == {}
    later = (latest + timedelta(days=1)).isoformat()
    found = errors("request_information", {**questions, "due_on": later})
    assert found["due_on"] == [
        f"The due date may be at most 80 business days away ({latest.isoformat()}): "
        "the assessment period and its clock-stop allowance."
    ]
    past = errors("request_information", {**questions, "due_on": TODAY.isoformat()})
    assert past["due_on"] == ["The due date must be after today."]


def test_every_open_question_gets_one_answer():
    assert errors("respond", {"answers": ["One.", "Two."]}) == {}
    assert errors("respond", {"answers": ["Only one."]})["answers"] == [
        "Answer each of the 2 questions."
    ]
    assert errors("respond", {"answers": ["Un.", "Deux.", "Trois."]}, "ko")["answers"] == [
        "2개 질문에 각각 답하십시오."
    ]


def test_a_refusal_recommendation_cites_a_legal_ground():
    refuse = {"recommendation": "refuse", "reasons": "Reserve held at one bank."}
    assert errors("recommend", refuse)["grounds"] == [
        "A refusal must cite at least one legal ground (MiCA Art 21)."
    ]
    assert errors("recommend", {**refuse, "grounds": ["requirements_not_met"]}) == {}
    approve = {"recommendation": "approve", "reasons": "Meets every requirement."}
    assert errors("recommend", approve) == {}


def test_a_refusal_decision_cites_a_legal_ground_from_the_list():
    found = errors("refuse", {"grounds": [], "reasons": "No."})
    assert found["grounds"] == ["Cite at least one legal ground."]
    found = errors("refuse", {"grounds": ["bad_weather"], "reasons": "No."})
    assert found["grounds"] == {0: ["Not one of the legal grounds."]}


@pytest.mark.parametrize("name", ["withdraw", "suspend", "send_back", "reinstate"])
def test_a_reason_of_blanks_is_no_reason(name):
    assert errors(name, {"reason": "   \n "})["reason"] == ["Write between 1 and 10000 characters."]
    assert errors(name, {"reason": "  Moving abroad. "}) == {}
    assert payload_schema(name, CTX).load({"reason": "  Moving abroad. "}) == {
        "reason": "Moving abroad."
    }


def test_a_blank_question_is_refused_in_both_languages():
    payload = {"questions": ["Name the banks.", "  "], "due_on": "2027-02-01"}
    assert errors("request_information", payload)["questions"] == {
        1: ["Write each item in 1 to 4000 characters."]
    }
    assert errors("request_information", payload, "ko")["questions"] == {
        1: ["각 항목은 1~4000자로 작성하십시오."]
    }


def test_a_surrender_names_its_plan_and_redeems_after_today():
    """A surrender is asked for with the plan to redeem every holder and the day it is done
    by, after the day it is asked (docs/domain.md section 4, surrender; MiCA Art 47 as the
    model): that day itself is refused, the next one taken."""
    plan = {"reason": "Ceasing issuance.", "plan": "Paid at par from the reserve."}
    today = CTX.today
    refused = errors("surrender", {**plan, "redeem_by": today.isoformat()})
    assert refused["redeem_by"] == [
        "The plan redeems holders after it is accepted: give a day after today."
    ]
    tomorrow = date.fromordinal(today.toordinal() + 1).isoformat()
    assert errors("surrender", {**plan, "redeem_by": tomorrow}) == {}
    blank = errors("surrender", {"reason": "Ceasing.", "plan": "  ", "redeem_by": tomorrow})
    assert blank["plan"] == ["Write between 1 and 10000 characters."]
