"""The section registry: which sections apply, the samples, status and what
is missing before submission."""

import json
from dataclasses import replace

import pytest
from marshmallow import ValidationError, fields

from forms.documents import required_documents
from forms.sections import (
    SECTIONS,
    Missing,
    UnknownSection,
    load_section,
    missing_for_submission,
    section_schema,
    section_status,
    sections_for,
    validate_section,
)
from forms.sections.samples import sample_sections
from workflows.bilingual import use_locale
from workflows.regime import CATEGORIES, KR_2026

WIDGETS = {"text", "textarea", "number", "date", "select", "checkbox", "email", "url", "group"}

EXPECTED_SECTIONS = {
    "krw_stablecoin": [
        "applicant",
        "ownership",
        "business_plan",
        "token_design",
        "capital",
        "reserve",
        "redemption",
        "governance",
        "ict_security",
        "aml_cft",
        "white_paper",
        "cross_border",
        "consumer_protection",
        "declaration",
    ],
    "tokenized_deposit": [
        "applicant",
        "ownership",
        "business_plan",
        "token_design",
        "governance",
        "ict_security",
        "aml_cft",
        "consumer_protection",
        "declaration",
    ],
    "security_token": [
        "applicant",
        "ownership",
        "business_plan",
        "token_design",
        "governance",
        "ict_security",
        "aml_cft",
        "white_paper",
        "consumer_protection",
        "declaration",
    ],
    "other_virtual_asset": [
        "applicant",
        "ownership",
        "business_plan",
        "token_design",
        "capital",
        "governance",
        "ict_security",
        "aml_cft",
        "white_paper",
        "consumer_protection",
        "declaration",
    ],
}


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_gets_its_sections_in_form_order(category):
    assert [spec.name for spec in sections_for(category, KR_2026)] == EXPECTED_SECTIONS[category]


def test_capital_section_follows_the_profile_minimum_not_the_category():
    no_floor = replace(
        KR_2026, minimum_capital={**KR_2026.minimum_capital, "other_virtual_asset": None}
    )
    with_floor = replace(KR_2026, minimum_capital={**KR_2026.minimum_capital, "security_token": 1})
    assert "capital" not in [s.name for s in sections_for("other_virtual_asset", no_floor)]
    assert "capital" in [s.name for s in sections_for("security_token", with_floor)]


def test_every_section_has_a_title_and_summary_in_both_languages():
    for spec in SECTIONS.values():
        assert spec.title.en and spec.title.ko, spec.name
        assert spec.summary.en.endswith(".") and spec.summary.ko.endswith("."), spec.name


def _walk(schema_fields, where):
    for name, field in schema_fields.items():
        meta = field.metadata
        assert meta["label"].en and meta["label"].ko, (where, name)
        assert meta["help"].en and meta["help"].ko, (where, name)
        assert meta["widget"] in WIDGETS, (where, name)
        if meta["widget"] == "select" or meta.get("multiple"):
            assert all(label.en and label.ko for _, label in meta["choices"]), (where, name)
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            _walk(field.inner.schema.fields, f"{where}.{name}")


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_field_carries_label_help_and_widget_in_both_languages(category, section_context):
    ctx = section_context(category)
    for spec in sections_for(category, ctx.profile):
        _walk(section_schema(spec.name, ctx).fields, spec.name)


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_categorys_samples_validate_clean(category, section_context, submission_day):
    ctx = section_context(category)
    samples = sample_sections(category, submission_day)
    assert list(samples) == EXPECTED_SECTIONS[category]
    for name, data in samples.items():
        assert validate_section(name, data, ctx) == {}, name
        assert section_status(name, data, ctx) == "complete", name


@pytest.mark.parametrize("category", CATEGORIES)
def test_loaded_sections_are_json_and_load_again_to_themselves(
    category, section_context, submission_day
):
    ctx = section_context(category)
    for name, data in sample_sections(category, submission_day).items():
        loaded = load_section(name, data, ctx)
        assert json.loads(json.dumps(loaded)) == loaded, name
        assert load_section(name, loaded, ctx) == loaded, name


def test_loading_gives_canonical_identifiers_dates_and_decimals(section_context, sample):
    ctx = section_context()
    applicant = sample("krw_stablecoin", "applicant")
    applicant["business_registration_number"] = "2208741625"
    applicant["lei"] = "988400hanbitstbl0195"
    loaded = load_section("applicant", applicant, ctx)
    assert loaded["business_registration_number"] == "220-87-41625"
    assert loaded["lei"] == "988400HANBITSTBL0195"
    ownership = load_section("ownership", sample("krw_stablecoin", "ownership"), ctx)
    assert ownership["qualifying_holders"][0]["percentage"] == "30"
    plan = load_section("business_plan", sample("krw_stablecoin", "business_plan"), ctx)
    assert plan["monthly_projections"][0]["month"] == "2026-12"  # a month, written as one


def test_samples_stay_valid_whatever_the_day(section_context, submission_day):
    later = submission_day.replace(year=2028, month=2, day=29)
    ctx = section_context("other_virtual_asset", today=later)
    for name, data in sample_sections("other_virtual_asset", later).items():
        assert validate_section(name, data, ctx) == {}, name


def test_load_section_raises_for_invalid_answers(section_context):
    with pytest.raises(ValidationError) as raised:
        load_section("capital", {"paid_in_capital_krw": 1}, section_context())
    assert "paid_in_capital_krw" in raised.value.messages


def test_section_not_applying_to_the_category_is_unknown(section_context):
    with pytest.raises(UnknownSection):
        validate_section("reserve", {}, section_context("tokenized_deposit"))
    with pytest.raises(UnknownSection):
        validate_section("white_paper", {}, section_context("tokenized_deposit"))
    with pytest.raises(UnknownSection):
        section_status("no_such_section", {}, section_context())


def test_unknown_field_is_an_error_in_both_locales(section_context, sample, errors_in):
    ctx = section_context()
    data = {**sample("krw_stablecoin", "capital"), "share_capital": "1"}
    assert errors_in("en", "capital", data, ctx) == {
        "share_capital": ["This field is not part of this section for this category."]
    }
    assert errors_in("ko", "capital", data, ctx) == {
        "share_capital": ["이 범주의 이 섹션에는 없는 항목입니다."]
    }


def test_field_of_another_category_is_refused(section_context, sample, errors_in):
    applicant = {**sample("krw_stablecoin", "applicant"), "bank_licence_number": "제1호"}
    errors = errors_in("en", "applicant", applicant, section_context("krw_stablecoin"))
    assert list(errors) == ["bank_licence_number"]


def test_category_fields_are_only_in_that_categorys_schema(section_context):
    assert (
        "bank_licence_number"
        in section_schema("applicant", section_context("tokenized_deposit")).fields
    )
    assert "bank_licence_number" not in section_schema("applicant", section_context()).fields
    token_fields = section_schema("token_design", section_context("security_token")).fields
    assert {"ksd_registration_number", "account_management", "security_type"} <= set(token_fields)


def test_required_answer_message_is_in_the_current_locale(section_context, errors_in):
    ctx = section_context()
    assert errors_in("en", "capital", {"capital_evidence": "x"}, ctx)["paid_in_capital_krw"] == [
        "This field is required."
    ]
    assert errors_in("ko", "capital", {"capital_evidence": "x"}, ctx)["paid_in_capital_krw"] == [
        "필수 입력 항목입니다."
    ]


def test_blank_answers_and_blank_group_rows_count_as_not_given(section_context, sample, errors_in):
    ctx = section_context()
    ownership = sample("krw_stablecoin", "ownership")
    ownership["qualifying_holders"].append({"name": " ", "holder_type": "", "percentage": None})
    ownership["bank_shareholding_total_pct"] = " 60 "
    assert validate_section("ownership", ownership, ctx) == {}
    errors = errors_in("en", "capital", {"paid_in_capital_krw": ""}, ctx)
    assert errors["paid_in_capital_krw"] == ["This field is required."]


def test_amounts_in_won_accept_separators_but_not_fractions(section_context, sample):
    ctx = section_context()
    capital = sample("krw_stablecoin", "capital")
    capital["paid_in_capital_krw"] = "₩50,000,000,000"
    assert load_section("capital", capital, ctx)["paid_in_capital_krw"] == 50_000_000_000
    capital["paid_in_capital_krw"] = 5_000_000_000.5
    assert "paid_in_capital_krw" in validate_section("capital", capital, ctx)


def test_status_is_not_started_without_answers(section_context):
    ctx = section_context()
    assert section_status("applicant", None, ctx) == "not_started"
    assert section_status("applicant", {}, ctx) == "not_started"
    assert section_status("applicant", {"legal_name_ko": "  ", "website": ""}, ctx) == "not_started"


def test_status_is_in_progress_when_only_required_answers_are_missing(section_context, sample):
    ctx = section_context()
    applicant = sample("krw_stablecoin", "applicant")
    del applicant["website"], applicant["contact_email"]
    assert section_status("applicant", applicant, ctx) == "in_progress"
    plan = sample("krw_stablecoin", "business_plan")
    del plan["monthly_projections"][3]["revenue_krw"]
    assert section_status("business_plan", plan, ctx) == "in_progress"


def test_status_has_errors_when_a_rule_fails_even_with_answers_missing(section_context):
    ctx = section_context()
    assert section_status("capital", {"paid_in_capital_krw": 1}, ctx) == "has_errors"
    assert section_status("applicant", {"business_registration_number": "124-81-00999"}, ctx) == (
        "has_errors"
    )


def test_nothing_is_missing_from_a_complete_application(section_context, submission_day):
    for category in CATEGORIES:
        ctx = section_context(category)
        sections = sample_sections(category, submission_day)
        documents = set(required_documents(category))
        assert missing_for_submission(category, sections, documents, ctx) == []


def test_missing_for_submission_lists_every_section_and_document_of_an_empty_application(
    section_context,
):
    ctx = section_context("security_token")
    missing = missing_for_submission("security_token", {}, set(), ctx)
    sections = [m.code for m in missing if m.kind == "section"]
    documents = [m.code for m in missing if m.kind == "document"]
    assert sections == EXPECTED_SECTIONS["security_token"]
    assert documents == required_documents("security_token")
    assert {m.status for m in missing if m.kind == "section"} == {"not_started"}


def test_missing_for_submission_names_the_broken_section_and_the_absent_document(
    section_context, submission_day
):
    ctx = section_context()
    sections = sample_sections("krw_stablecoin", submission_day)
    sections["reserve"] = {**sections["reserve"], "coverage_target_pct": "99"}
    del sections["declaration"]
    sections["ict_security"] = {k: v for k, v in sections["ict_security"].items() if k != "scope"}
    documents = set(required_documents("krw_stablecoin")) - {"redemption_policy"}
    with use_locale("en"):
        missing = missing_for_submission("krw_stablecoin", sections, documents, ctx)
    assert [(m.kind, m.code, m.status) for m in missing] == [
        ("section", "reserve", "has_errors"),
        ("section", "ict_security", "in_progress"),
        ("section", "declaration", "not_started"),
        ("document", "redemption_policy", "missing"),
    ]
    assert missing[-1].label.pair() == {"en": "Redemption policy", "ko": "상환 정책"}
    assert missing[-1] == Missing(
        "document", "redemption_policy", missing[-1].label, "Not uploaded.", "missing"
    )
    assert missing[0].label.pair() == {"en": "Reserve and custody", "ko": "준비자산 및 보관"}
    assert missing[0].detail == "Some answers break a rule; see the section."


def test_missing_for_submission_refuses_a_context_of_another_category(section_context):
    with pytest.raises(ValueError):
        missing_for_submission("security_token", {}, set(), section_context("krw_stablecoin"))
