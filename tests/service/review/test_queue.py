"""The queue on thousands of cases: default order, every filter, counts, keyset pages, and
a page costs the same number of SQL statements however many rows there are."""

import random
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from service.extensions import db
from service.models import Application
from service.review.clock import due_status
from service.review.operations import add_note
from service.review.queries import QueueFilter, queue
from tests.service import factories
from tests.service.conftest import login
from tests.service.factories import TODAY, Cast
from workflows.lifecycle import OPEN_STATES
from workflows.regime import CATEGORIES

CASES = 3000


@pytest.fixture
def desk(ctx):
    """Two reviewers and CASES cases inserted in bulk, open and closed, due all around TODAY."""
    org = factories.organization("bank")
    first, second = factories.user("reviewer"), factories.user("reviewer")
    pick = random.Random(4)
    states = [*OPEN_STATES, "registered", "withdrawn", "refused"]
    rows = []
    for _ in range(CASES):
        state = pick.choice(states)
        rows.append(
            {
                "organization_id": org.id,
                "category": pick.choice(CATEGORIES),
                "state": state,
                "version": 1,
                "sections": {},
                "assigned_reviewer_id": pick.choice([None, first.id, second.id]),
                "submitted_on": TODAY - timedelta(days=40),
                "due_on": TODAY + timedelta(days=pick.randint(-30, 90))
                if state in OPEN_STATES
                else None,
            }
        )
    db.session.execute(insert(Application), rows)
    db.session.commit()
    return first, second


def _expected(keep) -> list[int]:
    rows = db.session.execute(
        select(
            Application.id,
            Application.state,
            Application.category,
            Application.assigned_reviewer_id,
            Application.due_on,
        )
    ).all()
    chosen = [r for r in rows if r.state in OPEN_STATES and keep(r)]
    return [r.id for r in sorted(chosen, key=lambda r: (r.due_on, r.id))]


def _walk(queue_filter: QueueFilter) -> list[int]:
    """Every case the filter shows, page after page through the keyset cursor."""
    seen, cursor = [], None
    while True:
        page = queue(queue_filter, today=TODAY, cursor=cursor, limit=200)
        seen += [case.id for case in page.cases]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_the_default_view_lists_every_open_case_by_due_date_with_counts(desk):
    expected = _expected(lambda r: True)
    assert len(expected) > 1500
    assert _walk(QueueFilter()) == expected
    page = queue(QueueFilter(), today=TODAY)
    assert page.total == len(expected)
    states = {r.state for r in db.session.execute(select(Application.state)).all()}
    assert set(page.counts) == set(OPEN_STATES) and states >= set(OPEN_STATES)
    for state in OPEN_STATES:
        assert page.counts[state] == len(_expected(lambda r, s=state: r.state == s))


FILTERS = [
    ("state", QueueFilter(state="assessment"), lambda r: r.state == "assessment"),
    ("category", QueueFilter(category="krw_stablecoin"), lambda r: r.category == "krw_stablecoin"),
    ("unassigned", QueueFilter(unassigned=True), lambda r: r.assigned_reviewer_id is None),
    ("overdue", QueueFilter(overdue=True), lambda r: due_status(r.due_on, TODAY).overdue),
    (
        "due within 5",
        QueueFilter(due_within=5),
        lambda r: due_status(r.due_on, TODAY).due_within(5),
    ),
    (
        "due within 0",
        QueueFilter(due_within=0),
        lambda r: due_status(r.due_on, TODAY).due_within(0),
    ),
    (
        "combined",
        QueueFilter(state="submitted", category="security_token", overdue=True),
        lambda r: (
            r.state == "submitted"
            and r.category == "security_token"
            and due_status(r.due_on, TODAY).overdue
        ),
    ),
]


def test_each_filter_keeps_the_due_date_order_and_counts_what_it_shows(desk):
    # One data set for every filter: building 3,000 cases is the slow part.
    for name, queue_filter, keep in FILTERS:
        expected = _expected(keep)
        assert expected, f"the generated data has no case for {name}"
        assert _walk(queue_filter) == expected, name
        assert queue(queue_filter, today=TODAY).total == len(expected), name


def test_the_assignee_filter_shows_one_reviewers_cases(desk):
    first, _second = desk
    expected = _expected(lambda r: r.assigned_reviewer_id == first.id)
    assert _walk(QueueFilter(assignee_id=first.id)) == expected
    counts = queue(QueueFilter(assignee_id=first.id), today=TODAY).counts
    assert sum(counts.values()) == len(expected)


def test_my_cases_and_overdue_through_the_queue_page(client, desk):
    from service.timezone import korea_today

    first, _second = desk
    html = login(client, first).get("/review?mine=1&overdue=1").get_data(as_text=True)
    expected = _expected(
        lambda r: r.assigned_reviewer_id == first.id and due_status(r.due_on, korea_today()).overdue
    )
    assert re.findall(r'data-case="(\d+)"', html) == [str(i) for i in expected[:50]]
    assert f"{len(expected)}" in re.search(r'id="queue-total">([^<]*)<', html).group(1)
    assert 'class="overdue"' in html and "next" in html


@contextmanager
def counted_statements():
    statements: list[str] = []
    db.session.expire_all()  # each page reads fresh rows, as a new request in production does

    def count(conn, cursor, statement, parameters, context, executemany):
        # The test's rolled-back transaction adds savepoints; only the page's own reads count.
        if not statement.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queue_statements(client, user) -> int:
    with counted_statements() as statements:
        assert client.get("/review").status_code == 200
    return len(statements)


def test_the_queue_page_costs_the_same_statements_for_few_and_many_cases(client, ctx):
    cast = Cast()
    login(client, cast.approver)
    few_cases = [cast.case_in("submitted") for _ in range(2)] + [cast.case_in("assessment")]
    reviewers = (cast.reviewer.id, cast.reviewer2.id)
    few = _queue_statements(client, cast.approver)
    casts = (cast, Cast(), Cast())
    for i in range(8):  # the rows alternate between two reviewers and three organizations
        case = casts[i % 3].case_in("assessment")
        case.assigned_reviewer_id = reviewers[i % 2]
        db.session.commit()
    many = _queue_statements(client, cast.approver)
    assert few_cases and many == few


def _case_statements(client, application_id) -> int:
    with counted_statements() as statements:
        assert client.get(f"/review/cases/{application_id}").status_code == 200
    return len(statements)


def test_the_case_page_costs_the_same_statements_however_long_the_case(client, ctx):
    from service.applications import operations as applications

    cast = Cast()
    short = cast.case_in("information_requested")
    long = cast.case_in("information_requested")
    for n in range(3):
        applications.transition(
            long.id, "respond", cast.issuer, {"answers": [f"A{n}"]}, today=TODAY
        )
        applications.transition(
            long.id,
            "request_information",
            cast.reviewer,
            {"questions": [f"Q{n}"], "due_on": "2026-12-10"},
            today=TODAY,
        )
    for n in range(8):
        add_note(long.id, (cast.reviewer, cast.approver, cast.supervisor)[n % 3], f"Note {n}")
    add_note(short.id, cast.reviewer, "One note")
    login(client, cast.reviewer)
    assert _case_statements(client, long.id) == _case_statements(client, short.id)
