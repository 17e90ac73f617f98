"""Input that Python reads differently from what it looks like gets a 4xx, never a 500."""

import pytest

from service.extensions import db
from tests.service.factories import Cast, draft
from tests.service.test_api_lifecycle import token
from tests.service.test_pages import login


@pytest.fixture
def cast(ctx):
    return Cast()


# '²' and '١' pass str.isdigit() but int() refuses them; the others overflow an INTEGER.
ODD_NUMBERS = ["²", "١٢", "99999999999999999999", "2147483648", "-1", " 7"]


@pytest.mark.parametrize("tag", ODD_NUMBERS)
def test_an_odd_if_match_is_a_stale_version(client, cast, tag):
    case = cast.case_in("submitted")
    answer = client.post(
        f"/api/v1/applications/{case.id}/transitions/mark_complete",
        json={},
        headers={**token(client, cast.reviewer), "If-Match": f'"{tag}"'},
    )
    assert answer.status_code == 412
    assert answer.json["code"] == "stale_version"
    db.session.refresh(case)
    assert case.state == "submitted"


@pytest.mark.parametrize("value", ODD_NUMBERS)
@pytest.mark.parametrize("name", ["assignee", "due_within"])
def test_the_queue_ignores_an_odd_number_in_its_filters(client, cast, name, value):
    cast.case_in("submitted")
    page = login(client, cast.reviewer).get("/review", query_string={name: value})
    assert page.status_code == 200
    assert "data-case=" in page.get_data(as_text=True)


def test_a_plan_starting_in_the_year_9999_is_refused_with_a_field_error(client, cast):
    application = draft(cast.issuer, complete=False)
    answer = client.put(
        f"/api/v1/applications/{application.id}/sections/business_plan",
        json={"plan_starts_on": "9999-12"},
        headers={**token(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 422
    # Korean, the service's default language.
    assert answer.json["errors"]["plan_starts_on"] == [
        "1900-01-01부터 2199-12-31까지의 날짜를 입력하십시오."
    ]
