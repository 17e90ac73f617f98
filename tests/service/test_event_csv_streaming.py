"""The auditor's event CSVs stream: whole, on a real request's life cycle, in little
memory, and a read that fails midway is said in the file and breaks off the response."""

import csv
import io
import itertools
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bench.generate import Loader, load_audit_events
from service.auditor.records import (
    EVENT_BATCH,
    EVENT_COLUMNS,
    INCOMPLETE,
    events,
    recheck_csv_chain,
)
from service.extensions import db
from service.models import AuditEvent, AuditHead
from tests.service.conftest import login
from tests.service.factories import PASSWORD, Cast


def login_as(client, email: str) -> None:
    answer = client.post("/login", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 302, answer.data


def append_events(count: int, application_id: int | None = None) -> tuple[int, str]:
    """`count` events appended to the chain in the test's transaction by the bench's bulk
    loader (hashes computed as the chain does); returns the new head (length, hash)."""
    length, head_hash = db.session.execute(select(AuditHead.length, AuditHead.head_hash)).one()
    start = datetime(2026, 11, 24, tzinfo=UTC)
    head = {"seq": length, "hash": head_hash}
    load_audit_events(
        Loader.joining(db.session.connection()),
        (
            (application_id, None, "bulk_check", None, None, {"n": n, "note": "x" * 40})
            for n in range(count)
        ),
        head,
        lambda actor: "system",
        (start + timedelta(milliseconds=n) for n in itertools.count()),
    )
    return head["seq"], head["hash"]


@pytest.mark.real_commits
def test_both_event_csvs_download_whole_after_the_request_has_closed_its_session(app, client):
    # No app context is pushed while the requests run: Flask tears the request's down
    # (closing its session) before the body is read, as under gunicorn.
    with app.app_context():
        cast = Cast()
        case = cast.case_in("submitted")
        case_id, auditor = case.id, cast.auditor.email
        case_seqs = (
            db.session.execute(
                select(AuditEvent.seq).where(AuditEvent.application_id == case_id).order_by("seq")
            )
            .scalars()
            .all()
        )
        db.session.remove()
    login_as(client, auditor)  # an event too
    with app.app_context():
        length, head_hash = db.session.execute(select(AuditHead.length, AuditHead.head_hash)).one()
        db.session.remove()

    answer = client.get("/audit/events.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.is_streamed and "Content-Length" not in answer.headers
    whole = answer.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(whole)))
    assert [int(row["seq"]) for row in rows] == list(range(1, length + 1))
    assert recheck_csv_chain(whole) == (True, None, head_hash)

    answer = client.get(f"/audit/cases/{case_id}/events.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].endswith(f'"audit-events-case-{case_id}.csv"')
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [int(row["seq"]) for row in rows] == case_seqs
    assert {row["application_id"] for row in rows} == {str(case_id)}
    assert {"create", "add_document", "submit"} <= {row["action"] for row in rows}


def test_the_case_csv_pages_through_batches_and_keeps_only_its_own_events(client, ctx):
    cast = Cast()
    case = cast.case_in("submitted")
    before = (
        db.session.execute(select(AuditEvent.seq).where(AuditEvent.application_id == case.id))
        .scalars()
        .all()
    )
    login(client, cast.auditor)  # an event too, so before the head is read
    # More than two batches of the case's own, interleaved with other events.
    append_events(EVENT_BATCH + 7)
    append_events(2 * EVENT_BATCH + 3, case.id)
    length, head_hash = append_events(5)

    rows = list(
        csv.reader(io.StringIO(client.get(f"/audit/cases/{case.id}/events.csv").get_data(True)))
    )
    assert rows[0] == list(EVENT_COLUMNS)
    seqs = [int(row[0]) for row in rows[1:]]
    assert seqs[: len(before)] == sorted(before)
    assert len(seqs) == len(before) + 2 * EVENT_BATCH + 3 and seqs == sorted(seqs)
    assert {row[5] for row in rows[1:]} == {str(case.id)}

    whole = client.get("/audit/events.csv").get_data(as_text=True)
    assert recheck_csv_chain(whole) == (True, None, head_hash)
    assert whole.count("\n") == length + 1


def test_streaming_the_events_csv_holds_a_small_fraction_of_it_in_memory(client, ctx):
    cast = Cast()
    login(client, cast.auditor)
    length, head_hash = append_events(15_000)

    def peak_while(work) -> int:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            work()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    received = {"bytes": 0, "lines": 0, "tail": b""}

    def stream() -> None:
        answer = client.get("/audit/events.csv", buffered=False)
        for chunk in answer.response:
            received["bytes"] += len(chunk)
            received["lines"] += chunk.count(b"\n")
            received["tail"] = (received["tail"] + chunk)[-200:]
        answer.close()

    streaming = peak_while(stream)
    # What the whole result takes when it is held at once, as the rows the CSV is made of.
    holding = peak_while(lambda: list(events()))
    print(f"peak {streaming:,} bytes streaming {received['bytes']:,}; {holding:,} held")
    assert received["lines"] == length + 1
    assert received["tail"].decode().rstrip("\n").endswith(head_hash)
    # One batch at a time: a fixed amount however long the log (`make bench` streams its
    # 1,000,000 events). Held whole, these 15,000 events take about 15 MB.
    assert streaming < holding / 8, f"{streaming:,} bytes streaming, {holding:,} held"


def test_a_read_failing_midway_ends_the_file_with_a_notice_and_breaks_off_the_response(client, ctx):
    cast = Cast()
    login(client, cast.auditor)
    append_events(3 * EVENT_BATCH)
    answer = client.get("/audit/events.csv", buffered=False)
    body = iter(answer.response)
    received = next(body) + next(body)  # the header, then the first batch
    # The database fails under the stream: its table is gone (rolled back with the test).
    db.session.execute(text("ALTER TABLE audit_event RENAME TO audit_event_gone"))
    received += next(body)
    with pytest.raises(Exception, match="audit_event"):
        next(body)
    answer.close()

    rows = list(csv.reader(io.StringIO(received.decode())))
    assert rows[0] == list(EVENT_COLUMNS)
    assert len(rows) == 1 + EVENT_BATCH + 1
    last_seq = int(rows[-2][0])
    assert rows[-1][0] == INCOMPLETE
    assert f"after event {last_seq}" in rows[-1][1] and f"{last_seq}번" in rows[-1][2]
    intact, problem, _ = recheck_csv_chain(received.decode())
    assert not intact and problem.startswith("the file says it is incomplete")
