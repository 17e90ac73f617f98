"""A problem document speaks one language, the request's (Korean when none is asked for),
and names each field error with a machine-readable code (docs/api.md)."""

import re

import pytest

from tests.service.conftest import token
from tests.service.factories import Cast

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LANGUAGES = {None: "ko", "ko-KR,ko;q=0.9": "ko", "en-US,en;q=0.8": "en"}


def texts(body: dict) -> list[str]:
    """Every sentence a person reads in a problem document."""
    found = [body["title"], body.get("detail")]
    found += [row["message"] for row in body.get("field_errors", [])]
    return [text for text in found if text]


def assert_speaks(body: dict, language: str) -> None:
    for text in texts(body):
        assert bool(HANGUL.search(text)) == (language == "ko"), (language, text)


@pytest.mark.parametrize("accept", list(LANGUAGES))
def test_a_refused_request_is_answered_in_its_language_with_field_codes(client, cast, accept):
    language = LANGUAGES[accept]
    asked = {"Accept-Language": accept} if accept else {}
    auth = token(client, cast.issuer)

    # Fields refused by the API's own schema (webargs): a wrong choice, a missing field.
    wrong = client.post(
        "/api/v1/applications", json={"category": "tulips"}, headers={**auth, **asked}
    )
    assert wrong.status_code == 422
    assert_speaks(wrong.json, language)
    assert wrong.json["field_errors"][0]["field"] == "json.category"
    assert wrong.json["field_errors"][0]["code"] == "one_of"
    missing = client.post("/api/v1/auth/token", json={}, headers=asked)
    assert missing.status_code == 422
    assert_speaks(missing.json, language)
    codes = {row["field"]: row["code"] for row in missing.json["field_errors"]}
    assert codes == {"json.email": "required", "json.password": "required"}

    # Fields refused by a transition's own schema (forms/transitions.py).
    case = cast.case_in("assessment")
    regulator = token(client, cast.reviewer)
    etag = client.get(f"/api/v1/applications/{case.id}", headers=regulator).headers["ETag"]
    refused = client.post(
        f"/api/v1/applications/{case.id}/transitions/request_information",
        json={"due_on": "someday"},
        headers={**regulator, **asked, "If-Match": etag},
    )
    assert refused.status_code == 422, refused.json
    assert_speaks(refused.json, language)
    codes = {row["field"]: row["code"] for row in refused.json["field_errors"]}
    assert codes["questions"] == "required"
    assert set(codes.values()) <= {"required", "type", "invalid", "range", "pattern"}

    # No If-Match: 428; no token: 401; an unknown method: 405 with Allow.
    unversioned = client.post(
        f"/api/v1/applications/{case.id}/transitions/mark_complete",
        json={},
        headers={**regulator, **asked},
    )
    assert unversioned.status_code == 428
    assert unversioned.json["code"] == "if_match_required"
    assert_speaks(unversioned.json, language)
    anonymous = client.get("/api/v1/applications", headers=asked)
    assert anonymous.status_code == 401 and anonymous.json["code"] == "token_required"
    assert_speaks(anonymous.json, language)
    unknown = client.delete("/api/v1/register", headers=asked)
    assert unknown.status_code == 405 and "GET" in unknown.headers["Allow"]
    assert unknown.json["code"] == "method_not_allowed"
    assert_speaks(unknown.json, language)
    # A refusal the service raised with an English sentence only still speaks one language.
    stranger = client.get(
        f"/api/v1/applications/{case.id}", headers={**token(client, Cast().issuer), **asked}
    )
    assert stranger.status_code == 404
    assert_speaks(stranger.json, language)
