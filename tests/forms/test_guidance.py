"""Every section page can say what the regulator expects: each rule a field names has
plain words in Korean and English, and every required field is explained."""

import re
from datetime import date

import pytest

from forms.sections import SECTIONS, section_schema, sections_for
from forms.sections.base import SectionContext
from forms.sections.guidance import RULES, SECTION_BASIS, section_guidance
from workflows.regime import CATEGORIES, KR_2026, PROFILES

TODAY = date(2026, 11, 24)


def _contexts():
    for profile in PROFILES.values():
        for category in CATEGORIES:
            for bank in (True, False):
                yield SectionContext(category, profile, TODAY, applicant_is_bank=bank)


def _fields(schema_fields, path=()):
    for name, field in schema_fields.items():
        yield path + (name,), field
        inner = getattr(field, "inner", field)
        nested = getattr(inner, "schema", None)
        if nested is not None:
            yield from _fields(nested.fields, path + (name,))


def test_every_rule_a_field_names_has_plain_words_in_both_languages():
    named = {
        field.metadata["rule"]
        for ctx in _contexts()
        for spec in sections_for(ctx.category, ctx.profile)
        for _, field in _fields(section_schema(spec.name, ctx).fields)
        if field.metadata.get("rule")
    }
    assert named - RULES.keys() == set()
    assert RULES.keys() - named == set()  # no words left for a rule no field names
    for words in RULES.values():
        assert words.en.strip() and words.ko.strip()


def test_every_section_has_its_basis_in_both_languages():
    assert set(SECTION_BASIS) == set(SECTIONS)
    for basis in SECTION_BASIS.values():
        assert basis.en.strip() and basis.ko.strip()


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_required_top_level_field_is_explained_with_a_rule(category):
    ctx = SectionContext(category, KR_2026, TODAY)
    for spec in sections_for(category, ctx.profile):
        schema = section_schema(spec.name, ctx)
        explained = {item.label.en: item for item in section_guidance(spec.name, schema)}
        for field in schema.fields.values():
            if field.required:
                item = explained[field.metadata["label"].en]
                assert item.required and item.rule.en and item.rule.ko


def test_a_field_with_its_own_rule_shows_that_rule_and_others_the_sections_basis():
    ctx = SectionContext("krw_stablecoin", KR_2026, TODAY)
    guidance = {
        item.label.en: item
        for item in section_guidance("applicant", section_schema("applicant", ctx))
    }
    number = guidance["Business registration number"]
    assert "check digit" in number.rule.en and "검증 숫자" in number.rule.ko
    assert guidance["Legal name (Korean)"].rule == SECTION_BASIS["applicant"]


# A citation of a foreign model, and of a Korean source, as guidance writes them.
FOREIGN = re.compile(r"MiCA|GENIUS|NYDFS")
KOREAN_SOURCE = re.compile(r"금융위원회|한국은행|법률|[가-힣]법\b|[가-힣]법 제|「")


def _sources(text: str) -> str:
    """The citation a sentence ends with: its last parenthesis, nested ones included."""
    depth, start = 0, None
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                start = i
                break
    return text[start:] if start is not None else ""


def test_korean_guidance_cites_korean_sources_before_foreign_models():
    """Issue 20, item 6: a Korean reader meets the Korean source first."""
    for name, words in [*RULES.items(), *SECTION_BASIS.items()]:
        cited = _sources(words.ko)
        foreign, korean = FOREIGN.search(cited), KOREAN_SOURCE.search(cited)
        if foreign and korean:
            assert korean.start() < foreign.start(), (name, cited)
