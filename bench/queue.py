"""The reviewer queue page against the bare SQL behind it (target: at most 2x).

The page goes through the Flask test client, logged in as a reviewer: routing,
the session's user, the ORM, the template. The bare SQL is what the page needs
from the database, written by hand and run on the driver's own cursor: the
first page of open cases with applicant and reviewer, and the count per state.
"""

from bench.common import BENCH_REVIEWER, bench_user_id, make_app, median_seconds, report
from workflows.lifecycle import OPEN_STATES

TARGET = 2.0
PAGE = 50

VIEWS = {
    "queue page, default view": {},
    "queue page, filtered by state": {"state": "assessment"},
    "queue page, filtered by category": {"category": "krw_stablecoin"},
}


def bare_sql(dialect: str, params: dict) -> list[tuple[str, tuple]]:
    mark = "%s" if dialect == "postgresql" else "?"
    states = [params["state"]] if params.get("state") else list(OPEN_STATES)
    # The states as literals, as a DBA would write them (the partial index needs them).
    where = f"a.state IN ({', '.join(repr(s) for s in states)})"
    args: list = []
    if params.get("category"):
        where += f" AND a.category = {mark}"
        args.append(params["category"])
    page = (
        "SELECT a.id, a.category, a.state, a.due_on, o.name_ko, u.email "
        "FROM application a LEFT JOIN organization o ON o.id = a.organization_id "
        'LEFT JOIN "user" u ON u.id = a.assigned_reviewer_id '
        f"WHERE {where} ORDER BY a.due_on, a.id LIMIT {PAGE + 1}"
    )
    # The counts per state, as the page makes them: every filter but the state, the open
    # states as literals, and (filtered) one row of FILTERed counts.
    open_states = ", ".join(repr(s) for s in OPEN_STATES)
    counts = (
        f"SELECT state, count(*) FROM application WHERE state IN ({open_states}) GROUP BY state"
    )
    count_args: tuple = ()
    if params.get("category"):
        per_state = ", ".join(f"count(*) FILTER (WHERE state = {s!r})" for s in OPEN_STATES)
        counts = (
            f"SELECT {per_state} FROM application "
            f"WHERE state IN ({open_states}) AND category = {mark}"
        )
        count_args = (params["category"],)
    return [(page, tuple(args)), (counts, count_args)]


def logged_in_client(app, email: str = BENCH_REVIEWER):
    from service.auth import sessions
    from service.extensions import db

    with app.app_context():
        with db.engine.connect() as connection:
            user_id = bench_user_id(connection, email)
        key = sessions.record(user_id)  # a session the server knows, as a sign-in makes
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:  # Flask-Login's keys and the session's
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = key
    return client


def time_bare(app, statements) -> float:
    from service.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
        try:

            def work():
                cursor = raw.cursor()
                for sql, args in statements:
                    cursor.execute(sql, args)
                    cursor.fetchall()
                cursor.close()
                raw.rollback()

            return median_seconds(work)
        finally:
            raw.close()


def time_page(client, url: str) -> float:
    def work():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return median_seconds(work)


def run(context: dict | None = None) -> list[dict]:
    from urllib.parse import urlencode

    app = make_app()
    client = logged_in_client(app)
    results = []
    for name, params in VIEWS.items():
        url = "/review" + (f"?{urlencode(params)}" if params else "")
        body = client.get(url).get_data(as_text=True)
        assert "/review/cases/" in body, "the queue page lists no case"
        with app.app_context():
            from service.extensions import db

            dialect = db.engine.dialect.name
        bare = time_bare(app, bare_sql(dialect, params))
        page = time_page(client, url)
        ratio = page / bare
        results.append(
            report(
                name,
                ratio,
                f"<= {TARGET:.0f}x",
                ratio <= TARGET,
                f"page {page * 1000:.1f} ms, SQL {bare * 1000:.1f} ms, {dialect}",
            )
        )
    return results


if __name__ == "__main__":
    run()
