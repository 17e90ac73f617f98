"""The public register in HTML, JSON and CSV: what docs/domain.md section 6 lists, nothing else."""

import csv
import io

import pytest

from service.register.queries import CSV_COLUMNS, PUBLIC_FIELDS
from service.review.operations import add_note
from tests.service.factories import RECOMMEND, Cast
from workflows.regime import CATEGORY_LABELS

NOTE = "INTERNAL-NOTE-3e1f"
REASONING = "RECOMMENDATION-REASONING-b77a"


@pytest.fixture
def register(ctx):
    """A registered case, a suspended one and a revoked one, with internal text on each."""
    found = {}
    for state in ("registered", "suspended", "revoked"):
        cast = Cast()
        case = cast.case_in(state)
        add_note(case.id, cast.reviewer, NOTE)
        case.recommendation = {**RECOMMEND, "reasons": REASONING}
        found[state] = (cast, case)
    return found


def _csv_rows(client):
    answer = client.get("/register.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))


def test_the_csv_lists_every_registration_with_its_public_status_in_korean_and_english(
    client, register
):
    rows = {row["status"]: row for row in _csv_rows(client)}
    assert set(rows) >= {"registered", "suspended", "revoked"}
    cast, _case = register["suspended"]
    suspended = rows["suspended"]
    assert suspended["issuer_name_ko"] == cast.org.name_ko
    assert suspended["issuer_name_en"] == cast.org.name_en
    assert suspended["registration_number"].startswith("KVI-")
    assert suspended["conditions"] == "Quarterly ledger reconciliation"
    assert suspended["category"] == "other_virtual_asset"
    assert suspended["category_ko"] == CATEGORY_LABELS["other_virtual_asset"].ko
    assert list(suspended) == list(CSV_COLUMNS)


def test_the_json_register_has_exactly_the_public_fields(client, register):
    entries = client.get("/api/v1/register").json["items"]
    assert entries and all(set(entry) == set(PUBLIC_FIELDS) for entry in entries)
    revoked = next(e for e in entries if e["status"] == "revoked")
    assert revoked["status_since"] and revoked["valid_until"] and revoked["registered_on"]


def test_nothing_internal_reaches_the_public_register(client, register):
    bodies = [
        client.get(url).get_data(as_text=True)
        for url in ("/register", "/api/v1/register", "/register.csv")
    ]
    for body in bodies:
        assert NOTE not in body and REASONING not in body
        for _cast, case in register.values():
            assert _cast.reviewer.email not in body and _cast.approver.email not in body
            assert f"/review/cases/{case.id}" not in body
    assert "KVI-" in bodies[0] and "register.csv" in bodies[0]
