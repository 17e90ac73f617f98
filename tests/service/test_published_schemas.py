"""The bodies the OpenAPI document publishes are the ones the server validates with
(docs/api.md, "Published schemas"): what a published schema forbids, the server refuses.
Among the service tests, so the cases they make are rolled back with them: committed into
the worker's shared database, their filings' missing files failed later exports' checks."""

import pytest
from jsonschema import Draft202012Validator

from tests.service.conftest import token
from tests.service.factories import RECOMMEND, Cast

BASE = "/api/v1/applications/{}/transitions/"


@pytest.fixture
def cast(ctx):
    return Cast()


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def body_schema(document, step):
    """The published body schema of a step, read through its path as a client would."""
    path = document["paths"][f"/api/v1/applications/{{application_id}}/transitions/{step}"]
    ref = path["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_each_step_is_a_path_of_its_own_with_its_own_body(document):
    from forms.transitions import PAYLOAD_SCHEMAS

    for step in PAYLOAD_SCHEMAS:
        operation = document["paths"][f"/api/v1/applications/{{application_id}}/transitions/{step}"]
        assert operation["post"]["operationId"] == f"apply_{step}"
        Draft202012Validator.check_schema(body_schema(document, step))
    assert "/api/v1/applications/{application_id}/transitions/{name}" not in document["paths"]
    recommend = body_schema(document, "recommend")
    assert set(recommend["required"]) == {"recommendation", "reasons"}
    assert recommend["properties"]["reasons"]["maxLength"] == 10_000
    assert body_schema(document, "return_incomplete")["properties"]["deadline"]["format"] == "date"


def test_a_body_without_a_required_field_is_forbidden_and_refused(client, cast, document):
    case = cast.case_in("assessment")
    auth = token(client, cast.reviewer)
    schema = Draft202012Validator(body_schema(document, "recommend"))
    body = {key: value for key, value in RECOMMEND.items() if key != "reasons"}
    assert [error.validator for error in schema.iter_errors(body)] == ["required"]
    etag = client.get(f"/api/v1/applications/{case.id}", headers=auth).headers["ETag"]
    refused = client.post(
        BASE.format(case.id) + "recommend", json=body, headers={**auth, "If-Match": etag}
    )
    assert refused.status_code == 422, refused.json
    assert [(e["field"], e["code"]) for e in refused.json["field_errors"]] == [
        ("reasons", "required")
    ]
    # The whole body is allowed by the schema and taken by the server.
    assert not list(schema.iter_errors(RECOMMEND))
    taken = client.post(
        BASE.format(case.id) + "recommend", json=RECOMMEND, headers={**auth, "If-Match": etag}
    )
    assert taken.status_code == 200, taken.json
    assert taken.json["state"] == "recommended"


@pytest.mark.parametrize("grounds", [None, []])
def test_a_refusal_without_grounds_is_forbidden_by_the_document_and_refused(
    client, cast, document, grounds
):
    """A rule that ties one field to another is published as if/then, so a generated
    client or a fuzzer does not send what the server must refuse (the fuzz run once sent
    a refusal recommendation with no grounds as schema-valid)."""
    case = cast.case_in("assessment")
    auth = token(client, cast.reviewer)
    schema = Draft202012Validator(body_schema(document, "recommend"))
    body = {"recommendation": "refuse", "reasons": "Closed", "conditions": []}
    if grounds is not None:
        body["grounds"] = grounds
    assert list(schema.iter_errors(body)), "the document allows a refusal without grounds"
    etag = client.get(f"/api/v1/applications/{case.id}", headers=auth).headers["ETag"]
    refused = client.post(
        BASE.format(case.id) + "recommend", json=body, headers={**auth, "If-Match": etag}
    )
    assert refused.status_code == 422, refused.json
    assert [e["field"] for e in refused.json["field_errors"]] == ["grounds"]
    # Citing a ground satisfies both; an approval needs none.
    assert not list(schema.iter_errors({**body, "grounds": ["requirements_not_met"]}))
    assert not list(schema.iter_errors({**body, "recommendation": "approve"}))
