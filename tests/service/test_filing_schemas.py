"""Each filing kind's canonical JSON has a published JSON Schema, /api/v1/schemas/<kind>.json,
converted from the envelope the JSON is built through; a filing names it with
`Link: <...>; rel="describedby"` (docs/api.md, "Published schemas")."""

import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from service.applications.operations import transition
from service.filings.contents import FILED_KINDS, check_content
from service.monitoring.findings import move_finding
from service.monitoring.letters import warning_letter
from tests.service.conftest import token
from tests.service.test_monitoring import ON_TIME, findings_of, registered, short_reserve

LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="describedby"; type="application/schema\+json"$')


@pytest.fixture
def case(ctx):
    """A KRW stablecoin case registered through the real steps: an application, the
    opinions asked and given, a decision and a certificate among its filings."""
    return registered()


def filed_kinds_validate(client, case) -> set[str]:
    """Every filing of the case checked against the schema its kind publishes; its kinds."""
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
        # The schema forbids what the envelope never holds: another kind, a missing key,
        # a content key its kind does not file.
        assert not validator.is_valid({**filed.json, "kind": "something_else"})
        assert not validator.is_valid({k: v for k, v in filed.json.items() if k != "filed_at"})
        assert not validator.is_valid({**filed.json, "content": {**filed.json["content"], "x": 1}})
        kinds.add(filing["kind"])
    return kinds


def test_every_filing_of_a_registered_case_validates_against_its_kinds_schema(client, case):
    kinds = filed_kinds_validate(client, case)
    assert {"application", "decision", "certificate", "opinion_request", "opinion"} <= kinds


def test_supervision_filings_validate_against_their_kinds_schemas(client, case):
    """A report, the remedy asked for its finding, a warning letter, then a suspension."""
    short_reserve(case)
    finding = findings_of(case)[0]
    move_finding(finding.id, "request_remedy", case.supervisor, "Fix it.", today=ON_TIME)
    warning_letter(case.number, case.supervisor, "Reserve short.", [finding.id], today=ON_TIME)
    suspend = {"reason": "Reserve shortfall."}
    case.hear(case.registration.application_id, "suspend", case.supervisor, today=ON_TIME)
    transition(case.registration.application_id, "suspend", case.supervisor, suspend, today=ON_TIME)
    kinds = filed_kinds_validate(client, case)
    assert {
        "report:reserve_report",
        "remedy_request",
        "warning_letter",
        "suspension_notice",
        "prior_notice",
        "notice_comments",
    } <= kinds


def test_every_filed_kind_publishes_its_content_field_by_field(client):
    for kind in FILED_KINDS:
        schema = client.get(f"/api/v1/schemas/{kind}.json").json
        content = schema["properties"]["content"]
        variants = content.get("anyOf", [content])
        for variant in variants:
            assert variant["additionalProperties"] is False, kind
            assert variant["properties"], kind
    # A document the service makes but never files has no filed JSON to describe.
    assert client.get("/api/v1/schemas/audit_extract.json").status_code == 404


def test_a_content_its_kind_does_not_describe_is_never_filed():
    letter = {
        "registration_number": "KVI-2026-000001",
        "reasons": "Reserve short.",
        "findings": [],
        "sent_on": "2026-10-16",
    }
    check_content("warning_letter", letter)
    with pytest.raises(ValueError, match="warning_letter"):
        check_content("warning_letter", {**letter, "secret": "x"})
    with pytest.raises(ValueError, match="sent_on"):
        check_content("warning_letter", {k: v for k, v in letter.items() if k != "sent_on"})
    # A step's filing must name a step that files that kind.
    with pytest.raises(ValueError, match="names no step"):
        check_content("decision", {"transition": "withdraw"})


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
