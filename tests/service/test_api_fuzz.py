"""Property-based fuzzing of the OpenAPI document (schemathesis), as each role and as the
public: no 5xx, and every answer conforms to the document (every check schemathesis has:
status, content type, headers, body schema, valid data accepted, invalid data refused).
Bounded to fit in CI."""

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.transport.serialization import Binary

from tests.service.factories import PASSWORD, Cast, user

# Examples per operation: enough to find crashes on bad input, small enough for CI.
EXAMPLES = 25
# FUZZ_RANDOM=1 explores new examples (a developer's deeper run); CI replays fixed ones.
FIXED_EXAMPLES = os.environ.get("FUZZ_RANDOM") != "1"


# Every check schemathesis has (its CLI's `--checks all`).
load_all_checks()
ALL_CHECKS = CHECKS.get_all()

# Who calls: each role with its token, and the public with none. The reviewer's run is the
# longest; the others see the same document from where they stand.
ROLES = {
    "reviewer": EXAMPLES,
    "issuer": 10,
    "approver": 10,
    "supervisor": 10,
    "auditor": 10,
    "admin": 10,
    "public": 10,
}


# 422 answers to schema-valid requests that are right all the same: what they check lies
# outside what a JSON Schema can state.
SEMANTIC_REFUSALS = {
    # A webhook's host must resolve, to a public address (docs/security.md).
    "webhook_url_unresolved",
    # Which document types a case takes depends on its category.
    "document_type_refused",
}


def _problem(response) -> dict:
    try:
        return response.json()
    except ValueError:
        return {}


DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _semantic(response, body) -> bool:
    """A 422 to a schema-valid body that is right all the same: a code of
    SEMANTIC_REFUSALS, or only days and files refused. The schema bounds a day to the
    calendar, but its rules run from today (a comment deadline at least 10 days away, a
    deadline within the legal limit, a letter received in the past); a file is checked
    for being a PDF by its content (a document, an opinion's letter)."""
    if response.status_code != 422:
        return False
    problem = _problem(response)
    if problem.get("code") in SEMANTIC_REFUSALS:
        return True
    fields = [error["field"] for error in problem.get("field_errors", [])]
    sent = body if isinstance(body, dict) else {}
    return bool(fields) and all(
        isinstance(sent.get(name), Binary)
        or (isinstance(sent.get(name), str) and DAY.match(sent[name]))
        for name in fields
    )


@pytest.fixture
def cast(ctx):
    cast = Cast()
    cast.case_in("assessment")
    return cast


def _token(client, cast, role) -> dict:
    if role == "public":
        return {}
    who = user("admin", cast.reviewer.organization) if role == "admin" else getattr(cast, role)
    answer = client.post("/api/v1/auth/token", json={"email": who.email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json['token']}"}


@pytest.fixture(params=list(ROLES))
def role(request):
    return request.param


@pytest.fixture
def bearer(client, cast, role):
    return _token(client, cast, role)


@pytest.fixture
def fresh_bearer(client, cast, role):
    """A token of its own for each call of DELETE /auth/token, which revokes the one it is
    sent with: the shared one must outlive it."""
    return lambda: _token(client, cast, role)


def test_the_api_answers_fuzzed_requests_without_a_server_error(app, role, bearer, fresh_bearer):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # Every JSON body carrying NUL is refused with 400 before any endpoint reads it
    # (docs/api.md); test_bad_input.py attacks that on every endpoint.
    schema.config.generation.update(allow_x00=False)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=ROLES[role],
            deadline=None,
            database=None,
            # The same examples every run: CI must not pass or fail by chance.
            derandomize=FIXED_EXAMPLES,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            revokes = (case.method.upper(), case.path) == ("DELETE", "/api/v1/auth/token")
            case.headers = {
                **(case.headers or {}),
                **(fresh_bearer() if revokes else bearer),
                # The WSGI transport hands back the bytes as sent: ask for them uncompressed.
                "Accept-Encoding": "identity",
            }
            response = case.call()
            # A well-formed ETag of another version is refused with 412: that is the contract.
            # So is a refusal on what no schema can say (_semantic).
            stale = response.status_code == 412
            semantic = _semantic(response, case.body)
            case.validate_response(
                response,
                checks=ALL_CHECKS,
                excluded_checks=[positive_data_acceptance] if stale or semantic else None,
            )

        fuzz()
