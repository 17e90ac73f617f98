"""A step reads the case facts its own guards ask for, and a fact read late is the fact
(docs/design.md, "The lifecycle")."""

from datetime import date

from sqlalchemy import event

from service.applications.operations import case_facts
from service.extensions import db
from service.unit_of_work import actor_for
from tests.service.factories import Cast
from workflows import lifecycle

TODAY = date(2026, 12, 4)
ON_REQUEST = ("opinion", "prior_notice", "objection", "information_request", "finding")


def _statements():
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    return seen, record


def test_marking_a_case_complete_reads_none_of_the_facts_its_guards_do_not_ask_for(cast):
    case = cast.case_in("submitted")
    seen, record = _statements()
    event.listen(db.engine, "after_cursor_execute", record)
    try:
        facts = case_facts(case, TODAY)
        assert lifecycle.apply("mark_complete", actor_for(cast.reviewer), facts) == "assessment"
    finally:
        event.remove(db.engine, "after_cursor_execute", record)
    read = [table for table in ON_REQUEST for s in seen if f"FROM {table}" in s]
    assert read == []


def test_a_fact_read_when_asked_is_what_the_case_holds(ctx):
    stablecoin = Cast(category="krw_stablecoin")
    case = stablecoin.case_in("recommended")
    stablecoin.record_opinion(case, "bank_of_korea", opinion="unfavourable")
    facts = case_facts(case, TODAY)
    seen, record = _statements()
    event.listen(db.engine, "after_cursor_execute", record)
    try:
        opinions = facts.opinions
        again = facts.opinions
    finally:
        event.remove(db.engine, "after_cursor_execute", record)
    assert opinions == again == (("bank_of_korea", "unfavourable"),)
    assert len([s for s in seen if "FROM opinion" in s]) <= 1  # read once, then kept
    # The case page asks every step: every fact, read or not, is there to compare.
    assert facts == case_facts(case, TODAY)
