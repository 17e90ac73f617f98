"""A case page with a long history (about 2,000 events) against its bare queries (at most 2x).

The page shows the latest HISTORY_PAGE events (older ones are a link away), so its
bare queries are the case with applicant and reviewer, that page of events,
the information requests, the documents and the registration number.
"""

from bench.common import make_app, report
from bench.queue import logged_in_client, time_bare, time_page
from service.applications.queries import HISTORY_PAGE

TARGET = 2.0


def bare_sql(dialect: str, case_id: int) -> list[tuple[str, tuple]]:
    mark = "%s" if dialect == "postgresql" else "?"
    return [
        (
            "SELECT a.*, o.name_ko, o.name_en, u.email FROM application a "
            "JOIN organization o ON o.id = a.organization_id "
            f'LEFT JOIN "user" u ON u.id = a.assigned_reviewer_id WHERE a.id = {mark}',
            (case_id,),
        ),
        (
            "SELECT seq, occurred_at, actor_id, actor_label, action, from_state, to_state, detail, "
            f"hash FROM audit_event WHERE application_id = {mark} "
            f"ORDER BY seq DESC LIMIT {HISTORY_PAGE + 1}",
            (case_id,),
        ),
        (f"SELECT * FROM information_request WHERE application_id = {mark}", (case_id,)),
        (f"SELECT * FROM document WHERE application_id = {mark}", (case_id,)),
        (f"SELECT number FROM registration WHERE application_id = {mark}", (case_id,)),
    ]


def run(context: dict | None = None) -> list[dict]:
    from service.extensions import db

    case_id = (context or {}).get("long_case_id", 1)
    events = (context or {}).get("long_case_events")
    app = make_app()
    client = logged_in_client(app)
    url = f"/review/cases/{case_id}"
    assert client.get(url).status_code == 200
    with app.app_context():
        dialect = db.engine.dialect.name
    bare = time_bare(app, bare_sql(dialect, case_id))
    page = time_page(client, url)
    ratio = page / bare
    return [
        report(
            f"case page, {events or 'long'} events",
            ratio,
            f"<= {TARGET:.0f}x",
            ratio <= TARGET,
            f"page {page * 1000:.1f} ms, SQL {bare * 1000:.1f} ms, {dialect}",
        )
    ]


if __name__ == "__main__":
    run()
