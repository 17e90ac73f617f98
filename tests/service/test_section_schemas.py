"""Each application section is published as its own operation with a body schema per
category, converted from the schema the server validates with (docs/api.md, "Section
bodies"): the answers a complete application gives fit it, and what it forbids the server
refuses."""

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from forms.sections import sections_for
from forms.sections.json_schema import section_variants
from forms.sections.samples import sample_sections
from service.api.published import section_body_name
from tests.conftest import TODAY
from tests.service.conftest import token
from tests.service.factories import Cast, draft
from workflows.regime import CATEGORIES


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def body_validator(document, section: str, category: str) -> Draft202012Validator:
    variants = section_variants(section)
    categories = next(c for c in variants.values() if category in c)
    name = section_body_name(section, categories, len(variants))
    schema = document["components"]["schemas"][name]
    assert category in schema["x-categories"]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_section_of_every_category_has_a_body_its_complete_answers_fit(document, category):
    answers = sample_sections(category, TODAY)
    for spec in sections_for(category):
        path = f"/api/v1/applications/{{application_id}}/sections/{spec.name}"
        operation = document["paths"][path]["put"]
        assert operation["operationId"] == f"save_section_{spec.name}"
        validator = body_validator(document, spec.name, category)
        errors = [e.message for e in validator.iter_errors(answers[spec.name])]
        assert not errors, (category, spec.name, errors)
        required = set(validator.schema["x-required-to-complete"])
        assert required <= set(answers[spec.name]), (spec.name, required)


def test_a_category_s_own_answers_are_in_its_body_only(document):
    """The bank-majority figure is asked of a KRW stablecoin only (docs/domain.md)."""
    stablecoin = body_validator(document, "ownership", "krw_stablecoin").schema
    deposit = body_validator(document, "ownership", "tokenized_deposit").schema
    assert "bank_shareholding_total_pct" in stablecoin["properties"]
    assert "bank_shareholding_total_pct" not in deposit["properties"]


@pytest.fixture
def case(ctx):
    cast = Cast("krw_stablecoin")
    return cast, draft(cast.issuer, "krw_stablecoin", complete=False)


# (section, answers): each breaks the published schema in one way.
FORBIDDEN = [
    ("applicant", {"legal_name_ko": "가" * 201}),  # longer than maxLength
    ("applicant", {"legal_form": "partnership"}),  # not in the enum
    ("applicant", {"no_such_answer": "x"}),  # additionalProperties: false
    ("applicant", {"no_such_answer": ""}),  # unknown, though blank
    ("applicant", {"contact_phone": "call me"}),  # the pattern
    ("capital", {"paid_in_capital_krw": "5억"}),  # not digits
    ("capital", {"paid_in_capital_krw": -1}),  # under the minimum
    ("capital", {"paid_in_capital_krw": {}}),  # an object where a value goes
    ("capital", {"capital_as_of": []}),  # a list where a value goes
    ("capital", {"capital_as_of": "2026-02-30"}),  # no such day
    ("ownership", {"bank_shareholding_total_pct": 0}),  # not more than 0
    ("ownership", {"qualifying_holders": [{"percentage": 100.5}]}),  # over 100
    ("ownership", {"qualifying_holders": "everyone"}),  # text where a list goes
    ("reserve", {"custodians": [{"segregated": "maybe"}]}),  # not a yes or no
]


@pytest.mark.parametrize(("section", "answers"), FORBIDDEN)
def test_what_the_document_forbids_the_server_refuses(client, document, case, section, answers):
    cast, application = case
    validator = body_validator(document, section, "krw_stablecoin")
    assert not validator.is_valid(answers), answers
    answer = client.put(
        f"/api/v1/applications/{application.id}/sections/{section}",
        json=answers,
        headers={**token(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 422, answer.json
    assert answer.json["field_errors"], answer.json


# (section, answers): blank answers and typed figures the document allows.
ALLOWED = [
    ("capital", {"paid_in_capital_krw": "₩5,000,000,000", "capital_as_of": None}),
    ("capital", {"paid_in_capital_krw": "   ", "capital_evidence": ""}),
    ("ownership", {"qualifying_holders": [{"name": "", "percentage": None}, "", None]}),
    ("ownership", {"executives": [], "bank_shareholding_total_pct": "50.5"}),
    ("reserve", {"custodians": [{"segregated": "yes", "bank_name": " "}]}),
]


@pytest.mark.parametrize(("section", "answers"), ALLOWED)
def test_what_the_document_allows_the_server_keeps_as_a_draft(
    client, document, case, section, answers
):
    cast, application = case
    validator = body_validator(document, section, "krw_stablecoin")
    errors = [e.message for e in validator.iter_errors(answers)]
    assert not errors, errors
    answer = client.put(
        f"/api/v1/applications/{application.id}/sections/{section}",
        json=answers,
        headers={**token(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] in {"not_started", "in_progress"}
