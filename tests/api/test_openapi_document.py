"""The served OpenAPI document is a contract a client can be generated from: it validates,
names every operation, and says what each answer is (media type, headers)."""

import re

import pytest
from openapi_spec_validator import validate

from service.api.contract import OPERATION_IDS, SECTION_OPERATION_IDS, STEP_OPERATION_IDS

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
# The downloads that are no JSON of a schema, by operationId: their media type.
DOWNLOADS = {
    "download_filing_pdf": "application/pdf",
    "download_document": "application/pdf",
    "download_audit_events": "text/csv",
    "download_audit_export": "application/zip",
    "get_log_key": "text/plain",
    "get_latest_checkpoint": "text/plain",
    "get_checkpoint": "text/plain",
}


@pytest.fixture(scope="module")
def document(app):
    answer = app.test_client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return answer.json


@pytest.fixture(scope="module")
def operations(document):
    return {
        operation["operationId"]: operation
        for path in document["paths"].values()
        for method, operation in path.items()
        if method in METHODS
    }


def test_the_document_validates(document):
    validate(document)


def test_every_operation_has_an_operation_id_a_summary_and_tags(document):
    seen = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            name = operation.get("operationId")
            assert name, f"{where} has no operationId: name it in service/api/contract.py"
            assert re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", name), (where, name)
            assert operation.get("summary"), where
            assert operation.get("tags"), where
            seen.append(name)
    assert len(seen) == len(set(seen)), "an operationId is used twice"
    assert set(seen) == {*OPERATION_IDS.values(), *STEP_OPERATION_IDS, *SECTION_OPERATION_IDS}, (
        "the table names operations not served"
    )


def test_each_download_declares_its_media_type(operations):
    for name, media_type in DOWNLOADS.items():
        content = operations[name]["responses"]["200"]["content"]
        assert list(content) == [media_type], name
    for name in ("download_filing_pdf", "download_document", "download_filing_json"):
        assert "ETag" in operations[name]["responses"]["200"]["headers"], name


def test_every_success_answer_says_what_it_carries(operations):
    for name, operation in operations.items():
        for status, response in operation["responses"].items():
            if status.startswith("2") and status != "204":
                assert response.get("content"), (name, status)


def test_versions_locations_and_preconditions_are_described(document, operations):
    for name in (
        "create_application",
        "get_application",
        "apply_recommend",
        "save_section_reserve",
    ):
        success = next(r for s, r in operations[name]["responses"].items() if s.startswith("2"))
        assert "ETag" in success["headers"], name
    for name in ("apply_recommend", "save_section_reserve"):
        responses = operations[name]["responses"]
        assert responses["428"] == {"$ref": "#/components/responses/PRECONDITION_REQUIRED"}
        assert responses["412"] == {"$ref": "#/components/responses/PRECONDITION_FAILED"}
    assert "Location" in operations["start_full_verification"]["responses"]["202"]["headers"]
    components = document["components"]["responses"]
    assert "Allow" in components["DEFAULT_ERROR"]["headers"]
    assert "application/problem+json" in components["PRECONDITION_REQUIRED"]["content"]
