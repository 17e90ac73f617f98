"""Fixtures for the application-section tests: a context per category, the
valid sample answers, and validation in a chosen locale."""

import copy
from datetime import date
from functools import cache

import pytest

from forms.sections import SectionContext, validate_section
from forms.sections.samples import sample_sections
from workflows.bilingual import use_locale
from workflows.regime import KR_2026

# A Tuesday; the samples' dates count from it.
SUBMISSION_DAY = date(2026, 11, 24)


@cache
def _samples(category: str) -> dict:
    return sample_sections(category, SUBMISSION_DAY)


@pytest.fixture
def submission_day() -> date:
    return SUBMISSION_DAY


@pytest.fixture
def section_context():
    """Build a SectionContext; tokenized deposits are applied for by a bank."""

    def make(category="krw_stablecoin", profile=KR_2026, today=SUBMISSION_DAY, is_bank=None):
        if is_bank is None:
            is_bank = category == "tokenized_deposit"
        return SectionContext(category, profile, today, applicant_is_bank=is_bank)

    return make


@pytest.fixture
def sample():
    """A fresh copy of one section's valid sample answers."""

    def make(category: str, section: str) -> dict:
        return copy.deepcopy(_samples(category)[section])

    return make


@pytest.fixture
def errors_in():
    """Validation errors for a section, with messages in the given locale."""

    def check(locale: str, section: str, data: dict, ctx: SectionContext) -> dict:
        with use_locale(locale):
            return validate_section(section, data, ctx)

    return check
