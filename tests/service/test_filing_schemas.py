"""Each filing kind's canonical JSON has a published JSON Schema, /api/v1/schemas/<kind>.json,
converted from the envelope the JSON is built through; a filing names it with
`Link: <...>; rel="describedby"` (docs/api.md, "Published schemas")."""

import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.service.conftest import token
from tests.service.test_monitoring import registered

LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="describedby"; type="application/schema\+json"$')


@pytest.fixture
def case(ctx):
    """A KRW stablecoin case registered through the real steps: an application, the
    opinions asked and given, a decision and a certificate among its filings."""
    return registered()


def test_every_filing_of_a_registered_case_validates_against_its_kinds_schema(client, case):
    auth = token(client, case.auditor)
    application_id = case.registration.application_id
    listed = client.get(f"/api/v1/filings?application_id={application_id}", headers=auth)
    assert listed.status_code == 200, listed.json
    kinds = set()
    for filing in listed.json["items"]:
        accession = filing["accession_number"]
        filed = client.get(f"/api/v1/filings/{accession}.json", headers=auth)
        assert filed.status_code == 200
        link = LINK.match(filed.headers["Link"])
        assert link, filed.headers["Link"]
        assert (
            client.get(f"/api/v1/filings/{accession}", headers=auth).headers["Link"]
            == (filed.headers["Link"])
        )
        url = link["url"].removeprefix("http://localhost")
        assert url == f"/api/v1/schemas/{filing['kind']}.json"
        published = client.get(url)  # public: no token
        assert published.status_code == 200
        schema = published.json
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        errors = [error.message for error in validator.iter_errors(filed.json)]
        assert not errors, (filing["kind"], errors)
        # The schema forbids what the envelope never holds: another kind, a missing key.
        assert not validator.is_valid({**filed.json, "kind": "something_else"})
        assert not validator.is_valid({k: v for k, v in filed.json.items() if k != "filed_at"})
        kinds.add(filing["kind"])
    assert {"application", "decision", "certificate", "opinion_request"} <= kinds, kinds


def test_an_unknown_kind_is_a_404_problem_document(client):
    answer = client.get("/api/v1/schemas/no_such_kind.json")
    assert answer.status_code == 404
    assert answer.mimetype == "application/problem+json"
    assert answer.json["status"] == 404


def test_the_filing_responses_reference_the_schema_in_the_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/filings/{accession}.json"]["get"]
    success = operation["responses"]["200"]
    assert "Link" in success["headers"]
    assert "/api/v1/schemas/{kind}.json" in success["description"]
    assert document["paths"]["/api/v1/schemas/{kind}.json"]["get"]["security"] == []
