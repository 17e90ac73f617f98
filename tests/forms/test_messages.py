"""One voice for marshmallow's messages (forms/messages.py): a section, a report, a step, an
opinion and a hearing's comments say the same thing for the same mistake, in the locale of
the load, and a message a field declares itself is kept."""

from datetime import date

import pytest
from marshmallow import ValidationError

from forms.hearings import CommentsSchema
from forms.opinions import OpinionSchema
from forms.reports import ReserveReportSchema
from forms.sections import SectionContext, section_schema
from forms.transitions import PAYLOAD_SCHEMAS, TransitionContext
from workflows.bilingual import localize, use_locale
from workflows.regime import profile

TODAY = date(2026, 12, 3)


def _errors(schema, body: dict, locale: str) -> dict:
    with use_locale(locale):
        with pytest.raises(ValidationError) as refused:
            schema.load(body)
        return localize(refused.value.messages, locale)


def _schemas():
    context = SectionContext("krw_stablecoin", profile(), TODAY)
    return {
        "section": (section_schema("declaration", context), "officer_title"),
        "report": (ReserveReportSchema(category="krw_stablecoin"), "attesting_cpa_firm"),
        "step": (PAYLOAD_SCHEMAS["refuse"](TransitionContext(TODAY, profile())), "reasons"),
        "opinion": (OpinionSchema(TODAY), "summary"),
        "comments": (CommentsSchema(), "comments"),
    }


@pytest.mark.parametrize(
    ("locale", "said"), [("en", "This field is required."), ("ko", "필수 입력 항목입니다.")]
)
def test_every_schema_family_says_a_missing_answer_alike(locale, said):
    for family, (schema, field) in _schemas().items():
        assert _errors(schema, {}, locale)[field] == [said], family


def test_the_same_schema_answers_in_the_locale_of_each_load():
    schema, field = _schemas()["report"]
    assert _errors(schema, {}, "ko")[field] == ["필수 입력 항목입니다."]
    assert _errors(schema, {}, "en")[field] == ["This field is required."]


def test_a_wrong_date_reads_the_same_in_a_report_and_a_step():
    reserve = ReserveReportSchema(category="krw_stablecoin")
    report = _errors(reserve, {"attestation_date": "x"}, "en")
    step = _errors(
        PAYLOAD_SCHEMAS["request_information"](TransitionContext(TODAY, profile())),
        {"due_on": "x"},
        "en",
    )
    assert report["attestation_date"] == step["due_on"] == ["Enter a date as YYYY-MM-DD."]


def test_a_message_the_field_declares_is_kept():
    context = SectionContext("krw_stablecoin", profile(), TODAY)
    errors = _errors(section_schema("declaration", context), {}, "en")
    assert errors["confirmed"] == [
        "The named officer must confirm the application is true and complete."
    ]


def test_an_unknown_key_is_named_by_its_schema_family():
    report = _errors(ReserveReportSchema(category="krw_stablecoin"), {"yield_paid": 1}, "ko")
    assert report["yield_paid"] == ["보고서에 없는 항목입니다."]
