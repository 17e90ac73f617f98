"""The default queue can walk the partial index in (due_on, id) order instead of sorting."""

import pytest
from sqlalchemy import create_engine, event

from service.extensions import db
from service.review.queries import QueueFilter, queue
from tests.service.factories import TODAY, Cast


def _statements_of(work) -> list[tuple[str, object]]:
    seen = []
    engine = db.session.get_bind()

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_default_queue_query_can_use_the_open_cases_index_without_a_sort(ctx):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan is asserted on SQLite; PostgreSQL picks by table size")
    Cast().case_in("submitted")
    statements = _statements_of(lambda: queue(QueueFilter(), today=TODAY))
    statement, parameters = next(s for s in statements if "ORDER BY" in s[0])
    assert "'submitted'" in statement  # the open states are written into the SQL
    # INDEXED BY fails ("no query solution") unless SQLite can prove the partial index's
    # WHERE from the query's: which bound parameters would not let it do. Which index the
    # planner then picks depends on the table's statistics (bench/ measures it at scale).
    forced = statement.replace(
        "FROM application ", "FROM application INDEXED BY ix_application_open_due ", 1
    )
    plan = _plan(forced, parameters)
    assert "ix_application_open_due" in plan
    assert "TEMP B-TREE" not in plan  # the index gives the (due_on, id) order itself


def _plan(statement: str, parameters) -> str:
    connection = db.session.connection().connection.driver_connection
    rows = connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    return " | ".join(row[-1] for row in rows)


def test_the_counts_of_a_category_view_can_read_its_index_alone(ctx):
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan is asserted on SQLite; PostgreSQL picks by table size")
    Cast().case_in("submitted")
    statements = _statements_of(lambda: queue(QueueFilter(category="krw_stablecoin"), today=TODAY))
    statement, parameters = next(s for s in statements if "FILTER" in s[0])
    assert "GROUP BY" not in statement  # which would draw the planner to the state index
    assert "COVERING INDEX ix_application_open_category" in _plan(statement, parameters)


def test_statistics_gathered_under_autocommit_on_sqlite_are_kept(tmp_path):
    # The connection's BEGIN IMMEDIATE (service/__init__.py) must stay out of AUTOCOMMIT,
    # or ANALYZE runs in a transaction that is rolled back when the connection closes.
    engine = create_engine(f"sqlite:///{tmp_path}/plans.sqlite")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("CREATE INDEX ix_t ON t (x)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1), (2)")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    with create_engine(f"sqlite:///{tmp_path}/plans.sqlite").connect() as connection:
        assert connection.exec_driver_sql("SELECT stat FROM sqlite_stat1").scalar() == "2 1"
