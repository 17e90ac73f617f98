"""Input that Python reads differently from what it looks like gets a 4xx, never a 500."""

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.json_bodies import MAX_JSON_DEPTH
from service.models import AuditEvent
from tests.service.conftest import login, token
from tests.service.factories import draft

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


# -- JSON nested past the limit (service/json_bodies.py) --------------------------------


def _arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def _objects(depth: int) -> str:
    return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)


def _mixed(depth: int) -> str:
    opening = "".join('[{"a":' if i % 2 else "[" for i in range(depth // 2))
    closing = "".join("}]" if i % 2 else "]" for i in reversed(range(depth // 2)))
    return opening + "1" + closing


def _inside_an_answer(depth: int) -> str:
    return '{"programme_of_operations": "x", "monthly_projections": ' + _arrays(depth - 1) + "}"


DEEP_BODIES = {
    "arrays, one past the limit": _arrays(MAX_JSON_DEPTH + 1),
    "objects, one past the limit": _objects(MAX_JSON_DEPTH + 1),
    "arrays and objects, 200 deep": _mixed(400),
    "arrays, 5000 deep": _arrays(5000),
    "objects, 100000 deep": _objects(100_000),
    "inside a section's answers": _inside_an_answer(3000),
    "unclosed": "[" * 50_000,
}


def _json_calls(client, cast):
    application = draft(cast.issuer, complete=False)
    issuer = {**token(client, cast.issuer), "If-Match": application.etag}
    return application, [
        ("PUT", f"/api/v1/applications/{application.id}/sections/business_plan", issuer),
        ("POST", f"/api/v1/applications/{application.id}/transitions/withdraw", issuer),
        ("POST", "/api/v1/applications", issuer),  # read by the argument parser (webargs)
        ("POST", "/api/v1/auth/token", {}),
        ("POST", "/login", {}),  # a page: the same limit for every JSON body the app reads
    ]


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_json_body_nested_too_deep_is_refused_with_400_on_every_endpoint(client, cast, body):
    application, calls = _json_calls(client, cast)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for method, path, headers in calls:
        answer = client.open(
            path, method=method, data=body, content_type="application/json", headers=headers
        )
        assert answer.status_code == 400, (path, answer.status_code)
        text = answer.get_data(as_text=True)
        assert f"{MAX_JSON_DEPTH}단계보다 깊게" in text, path  # Korean, the default language
        if path.startswith("/api/"):
            assert answer.mimetype == "application/problem+json"
            assert answer.json["code"] == "json_too_deep"
    db.session.refresh(application)
    assert (application.state, application.version, application.sections) == ("draft", 1, {})
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


NUL_BODIES = {
    "escaped in an e-mail": '{"email": "\\u0000", "password": "x"}',
    "escaped mid-answer": '{"programme_of_operations": "plan\\u0000 text", "reason": "r"}',
    "raw": '{"email": "a\x00b@example.com", "password": "x"}',
    "after an escaped backslash": '{"email": "\\\\\\u0000", "category": "\\u0000"}',
}


@pytest.mark.parametrize("body", NUL_BODIES.values(), ids=NUL_BODIES.keys())
def test_a_json_body_carrying_nul_is_refused_with_400_on_every_endpoint(client, cast, body):
    """PostgreSQL cannot store NUL in text: a body carrying one (the fuzzer's e-mail at
    sign-in was a 500 there) is refused before anything reads or stores it."""
    application, calls = _json_calls(client, cast)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for method, path, headers in calls:
        answer = client.open(
            path, method=method, data=body, content_type="application/json", headers=headers
        )
        assert answer.status_code == 400, (path, answer.status_code)
        assert "NUL 문자" in answer.get_data(as_text=True), path
        if path.startswith("/api/"):
            assert answer.json["code"] == "json_nul_character"
    db.session.refresh(application)
    assert (application.state, application.version, application.sections) == ("draft", 1, {})
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_an_escaped_backslash_before_u0000_is_text_not_nul(client, cast):
    answer = client.post(
        "/api/v1/auth/token", json={"email": "\\u0000@example.com", "password": "x"}
    )
    assert answer.status_code == 401, answer.json


def test_the_depth_refusal_speaks_english_and_reads_utf16_as_the_parser_would(client, cast):
    application, calls = _json_calls(client, cast)
    method, path, headers = calls[0]
    answer = client.open(
        path,
        method=method,
        data=_objects(MAX_JSON_DEPTH + 5).encode("utf-16"),
        content_type="application/json",
        headers={**headers, "Accept-Language": "en"},
    )
    assert answer.status_code == 400
    assert answer.json["detail"] == (
        f"The JSON body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep."
    )


@pytest.mark.parametrize(
    "body",
    [
        _inside_an_answer(MAX_JSON_DEPTH),
        '{"programme_of_operations": "' + "[{" * 20_000 + '"}',
        '{"programme_of_operations": "\\"[[[[\\\\", "monthly_projections": '
        + _arrays(MAX_JSON_DEPTH - 1)
        + "}",
    ],
    ids=["at the limit", "brackets inside a string", "escaped quotes before brackets"],
)
def test_nesting_up_to_the_limit_and_brackets_in_strings_reach_the_schema(client, cast, body):
    application, calls = _json_calls(client, cast)
    method, path, headers = calls[0]
    answer = client.open(
        path, method=method, data=body, content_type="application/json", headers=headers
    )
    # The schema's own answer: monthly_projections takes rows, or the summary is saved.
    assert answer.status_code in (200, 422), answer.json
    assert answer.json.get("code") != "json_too_deep"


# -- dates at both ends of the calendar, numbers past the columns -----------------------

FAR_DAYS = [
    ("0001-01-01", "9999-12-31"),
    (None, "9999-12-31"),
    ("0001-01-01", None),
    ("9999-12-31", None),
    (None, "2200-01-01"),
    ("1899-12-31", "2026-12-31"),
]
OUTSIDE = {
    "en": "Enter a date between 1900-01-01 and 2199-12-31.",
    "ko": "1900-01-01부터 2199-12-31까지의 날짜를 입력하십시오.",
}


def _period(filed_from, filed_to) -> dict:
    return {k: v for k, v in (("filed_from", filed_from), ("filed_to", filed_to)) if v}


def test_a_filing_search_beyond_the_calendar_is_a_422_naming_the_range(client, cast):
    cast.case_in("submitted")  # a filing to find
    auth = {**token(client, cast.auditor), "Accept-Language": "en"}
    for filed_from, filed_to in FAR_DAYS:
        period = _period(filed_from, filed_to)
        answer = client.get("/api/v1/filings", query_string=period, headers=auth)
        assert answer.status_code == 422, period
        assert answer.mimetype == "application/problem+json"
        far = next(name for name, day in period.items() if not "1900" <= day <= "2199")
        assert answer.json["errors"]["query"][far] == [OUTSIDE["en"]], period

    everything = client.get("/api/v1/filings", query_string={"limit": 200}, headers=auth)
    ends = client.get(
        "/api/v1/filings",
        query_string={"filed_from": "1900-01-01", "filed_to": "2199-12-31", "limit": 200},
        headers=auth,
    )
    assert ends.status_code == 200
    assert ends.json["items"] and ends.json["items"] == everything.json["items"]


def test_the_auditors_desk_refuses_a_period_beyond_the_calendar(client, cast):
    cast.case_in("submitted")
    login(client, cast.auditor)
    for path in ("/audit", "/audit/export.zip"):
        for filed_from, filed_to in FAR_DAYS:
            answer = client.get(path, query_string=_period(filed_from, filed_to))
            assert answer.status_code == 422, (path, filed_from, filed_to)
            assert OUTSIDE["ko"] in answer.get_data(as_text=True)
        edges = client.get(path, query_string=_period("1900-01-01", "2199-12-31"))
        assert edges.status_code == 200, path


def test_the_filing_query_itself_takes_the_farthest_days(cast):
    from datetime import date

    from service.filings import queries

    cast.case_in("submitted")
    every = queries.search(cast.auditor, limit=200).filings
    assert every
    farthest = queries.search(cast.auditor, filed_from=date.min, filed_to=date.max, limit=200)
    assert farthest.filings == every
    assert list(queries.in_period(date.min, date.max)) == sorted(every, key=lambda f: f.id)


# An instant's own day beyond the calendar, in zones whose shift to Korean time or UTC
# leaves datetime's years (1 to 9999), and far days that would not.
FAR_MOMENTS = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+09:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+09:00",
    "1000-01-01T00:00:00Z",
    "2200-01-01T00:00:00+09:00",
]
# The form's date-time input carries no zone: Korean time.
FAR_LOCAL_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59"]


def _incident(moment: str) -> dict:
    return {
        "incident_kind": "depeg",
        "occurred_at": moment,
        "description": "Price fell on a foreign exchange.",
        "lowest_price_krw": "0.98",
    }


def test_an_incident_beyond_the_calendar_is_refused_through_the_api_and_the_form(client, ctx):
    from service.models import Report
    from tests.service.test_monitoring import registered

    cast = registered()
    reports = select(func.count()).select_from(Report)
    before = db.session.scalar(reports)
    auth = token(client, cast.issuer)
    for moment in FAR_MOMENTS:
        answer = client.post(
            f"/api/v1/registrations/{cast.number}/reports",
            json={"kind": "incident_report", "report": _incident(moment)},
            headers=auth,
        )
        assert answer.status_code == 422, moment
        assert answer.json["errors"]["occurred_at"] == [OUTSIDE["ko"]], moment
    login(client, cast.issuer)
    for moment in FAR_LOCAL_MOMENTS:
        answer = client.post(
            f"/monitoring/registrations/{cast.number}/reports/draft",
            data={"kind": "incident_report", "action": "check", **_incident(moment)},
        )
        assert answer.status_code == 422, moment
        assert OUTSIDE["ko"] in answer.get_data(as_text=True)
    assert db.session.scalar(reports) == before


HUGE = ["99999999999999999999", "9223372036854775808", "2147483648"]


def test_numbers_past_the_columns_are_no_filter_and_no_reviewer(client, cast):
    """Each overflowed SQLite's INTEGER or PostgreSQL's integer: a 500."""
    case = cast.case_in("submitted")
    login(client, cast.auditor)
    for number in HUGE:
        for path in (
            f"/audit?after={number}",
            f"/audit?organization_id={number}",
            f"/review?cursor=2026-01-01_{number}",
            f"/review/cases/{case.id}?before={number}",
        ):
            assert client.get(path).status_code == 200, path
    login(client, cast.approver)
    for number in HUGE:
        answer = client.post(f"/review/cases/{case.id}/assign", data={"reviewer_id": number})
        assert answer.status_code == 422, number
    db.session.refresh(case)
    assert case.assigned_reviewer_id is None
