"""The public register in keyset pages, searched, and its CSV streamed (docs/register.md):
through HTTP, as an anonymous reader."""

import csv
import io
import re
from datetime import date

import pytest

from service.extensions import db
from service.models import Application, Registration
from service.register import queries
from tests.service.factories import organization

ON = date(2026, 3, 2)


def _register(org, n: int, category="other_virtual_asset", status="registered", token=None):
    """A registration row as the approval leaves it (the register reads nothing else here)."""
    application = Application(organization_id=org.id, category=category, state=status)
    db.session.add(application)
    db.session.flush()
    registration = Registration(
        number=f"KVI-2026-{n:04d}",
        application_id=application.id,
        organization_id=org.id,
        category=category,
        status=status,
        status_since=ON,
        registered_on=ON,
        valid_until=date(2029, 3, 2),
        conditions=[],
        token_name=token or f"Token {n}",
        token_symbol=f"T{n}",
    )
    db.session.add(registration)
    db.session.commit()
    return registration.number


@pytest.fixture
def eight(ctx):
    """Eight registrations of two issuers, in two categories and three statuses."""
    hanbit = organization("bank", "Hanbit Bank")
    nuri = organization("non_bank", "Nuri Labs")
    numbers = [_register(hanbit, n, "krw_stablecoin") for n in (1, 3, 5)]
    numbers += [_register(nuri, n) for n in (2, 4)]
    numbers += [_register(nuri, 6, status="suspended", token="Nuri Play")]
    numbers += [_register(nuri, 7, status="revoked"), _register(hanbit, 8, status="lapsed")]
    return {"hanbit": hanbit, "nuri": nuri, "numbers": sorted(numbers)}


def _numbers(items) -> list[str]:
    return [item["registration_number"] for item in items]


def test_the_json_register_pages_by_its_next_link_without_duplicates_or_omissions(client, eight):
    """Keyset pages on the registration number: a registration approved while a reader pages
    (a new number, after every other) shows on a later page; nothing repeats or goes missing."""
    answer = client.get("/api/v1/register?limit=3")
    assert answer.status_code == 200
    assert set(answer.json) == {"items", "next"}
    seen = _numbers(answer.json["items"])
    assert seen == eight["numbers"][:3]
    added = _register(eight["nuri"], 9)  # approved between two pages
    pages = 1
    url = answer.json["next"]
    while url:
        assert url.startswith("/api/v1/register?") and "limit=3" in url
        answer = client.get(url)
        assert answer.status_code == 200
        seen += _numbers(answer.json["items"])
        url = answer.json["next"]
        pages += 1
    assert seen == [*eight["numbers"], added]
    assert pages == 3


def test_a_full_last_page_says_there_is_no_next(client, eight):
    answer = client.get("/api/v1/register?limit=8")
    assert len(answer.json["items"]) == 8 and answer.json["next"] is None
    first = client.get("/api/v1/register?limit=4").json
    assert client.get(first["next"]).json["next"] is None


def test_the_html_register_pages_by_its_next_link(client, eight):
    url, seen, pages = "/register?limit=3", [], 0
    for _ in range(10):
        html = client.get(url).get_data(as_text=True)
        page = re.findall(r'href="/register/(KVI-\d{4}-\d{4})"', html)
        assert 0 < len(page) <= 3  # the next link keeps the page size
        seen, pages = seen + page, pages + 1
        link = re.search(r'<a class="page-navi next" rel="next" href="([^"]+)"', html)
        if link is None:
            break
        url = link.group(1).replace("&amp;", "&")
        assert "after=KVI-" in url
    assert seen == eight["numbers"] and pages == 3
    assert "First page" in html or "첫 페이지" in html


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("q=hanbit", (1, 3, 5, 8)),  # the issuer's English name, in any case
        ("q=HANBIT+bank", (1, 3, 5, 8)),
        ("q=KVI-2026-0004", (4,)),  # the number
        ("q=nuri+play", (6,)),  # the token's name
        ("q=t7", (7,)),  # the token's symbol
        ("category=krw_stablecoin", (1, 3, 5)),
        ("status=suspended", (6,)),
        ("q=nuri&status=registered", (2, 4)),
        ("q=%25", ()),  # a LIKE wildcard is searched as itself
        ("q=_", ()),
        ("q=&category=&status=", (1, 2, 3, 4, 5, 6, 7, 8)),  # an empty form asks for all
    ],
)
def test_the_register_searches_by_name_number_token_category_and_status(
    client, eight, args, expected
):
    numbers = [f"KVI-2026-{n:04d}" for n in expected]
    assert _numbers(client.get(f"/api/v1/register?{args}").json["items"]) == numbers
    html = client.get(f"/register?{args}").get_data(as_text=True)
    assert re.findall(r'href="/register/(KVI-\d{4}-\d{4})"', html) == numbers
    rows = list(csv.DictReader(io.StringIO(client.get(f"/register.csv?{args}").text[1:])))
    assert [row["registration_number"] for row in rows] == numbers


def test_the_next_link_keeps_the_search(client, eight):
    first = client.get("/api/v1/register?q=nuri&limit=2").json
    assert _numbers(first["items"]) == ["KVI-2026-0002", "KVI-2026-0004"]
    assert "q=nuri" in first["next"]
    assert _numbers(client.get(first["next"]).json["items"]) == ["KVI-2026-0006", "KVI-2026-0007"]
    html = client.get("/register?q=nuri&limit=2").get_data(as_text=True)
    assert re.search(r'rel="next" href="/register\?q=nuri&amp;[^"]*after=KVI-2026-0004', html)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=many", "limit"),
        ("status=pending", "status"),
        ("category=bonds", "category"),
        ("after=1%20OR%201=1", "after"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_bad_arguments_get_a_clear_400_not_a_server_error(client, eight, args, field):
    api = client.get(f"/api/v1/register?{args}")
    assert api.status_code == 400
    assert api.headers["Content-Type"].startswith("application/problem+json")
    assert field in api.json["errors"]["query"]

    page = client.get(f"/register?{args}", headers={"Accept-Language": "en"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'role="alert"' in html and f"{field}:" in html

    download = client.get(f"/register.csv?{args}")
    assert download.status_code == 400
    assert download.text.startswith(f"{field}: ")


def test_the_csv_streams_in_keyset_batches_and_lists_every_registration_once(
    client, eight, monkeypatch
):
    monkeypatch.setattr(queries, "CSV_BATCH", 3)  # three batches and a short one
    answer = client.get("/register.csv", buffered=False)
    assert answer.status_code == 200 and answer.is_streamed
    chunks = [chunk.decode("utf-8") for chunk in answer.response]
    answer.close()
    assert len(chunks) == 1 + 3  # the header, then one chunk per batch
    text = "".join(chunks)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [row["registration_number"] for row in rows] == eight["numbers"]
