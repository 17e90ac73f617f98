"""The public register's first page at BENCH_SIZE registrations (100,000 by default) against
the reviewer queue's first page in the same run (target: at most 2x; docs/register.md).

The generated data holds about two fifths of its applications as registrations; this bench
adds registered applications and their registration rows (numbered `KVI-2099-…`, after the
generated ones, with no audit events) until the register holds BENCH_SIZE of them. It only
ever adds, so a rerun finds them there; the queue, the audit chain and the other benches do
not read them.

Both pages go through the Flask test client: the register as the anonymous public reads it
(`/register` and `/api/v1/register`), the queue as the bench's reviewer (`/review`).

`BENCH_ONLY=register python -m bench`, or `python -m bench.register`.
"""

from datetime import date, timedelta

from sqlalchemy import func, insert, select

from bench.common import REPEAT, SIZE, make_app, median_seconds, report
from bench.queue import logged_in_client

TARGET = 2.0
TOP_UP_NUMBER = "KVI-2099-{:06d}"
BATCH = 10_000
PAGES = {"register page (HTML)": "/register", "register page (JSON)": "/api/v1/register"}


def top_up(app, size: int) -> int:
    """Add registrations until there are `size`; return how many the register holds."""
    from service.extensions import db
    from service.models import Application, Organization, Registration
    from workflows.regime import CATEGORIES

    applications, registrations = Application.__table__, Registration.__table__
    with app.app_context():
        have = db.session.execute(select(func.count()).select_from(registrations)).scalar_one()
        added = db.session.execute(
            select(func.count()).where(registrations.c.number.like("KVI-2099-%"))
        ).scalar_one()
        orgs = (
            db.session.execute(
                select(Organization.id).where(Organization.kind.in_(("bank", "non_bank")))
            )
            .scalars()
            .all()
        )
        on = date(2026, 1, 5)
        while have < size:
            count = min(BATCH, size - have)
            rows = [
                {
                    "organization_id": orgs[(added + n) % len(orgs)],
                    "category": CATEGORIES[(added + n) % len(CATEGORIES)],
                    "state": "registered",
                    "version": 1,
                    "sections": {},
                }
                for n in range(count)
            ]
            ids = (
                db.session.execute(
                    insert(applications).returning(applications.c.id, sort_by_parameter_order=True),
                    rows,
                )
                .scalars()
                .all()
            )
            db.session.execute(
                insert(registrations),
                [
                    {
                        "number": TOP_UP_NUMBER.format(added + n + 1),
                        "application_id": application_id,
                        "organization_id": row["organization_id"],
                        "category": row["category"],
                        "status": "registered",
                        "status_since": on,
                        "registered_on": on,
                        "valid_until": on + timedelta(days=3 * 365),
                        "conditions": [],
                        "token_name": f"Bench Token {application_id}",
                        "token_symbol": f"BT{application_id % 1000}",
                    }
                    for n, (application_id, row) in enumerate(zip(ids, rows, strict=True))
                ],
            )
            db.session.commit()
            have, added = have + count, added + count
        return have


def time_page(client, url: str, repeat: int) -> float:
    def work():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return median_seconds(work, repeat=repeat)


def run(
    context: dict | None = None, url: str | None = None, size: int = SIZE, repeat: int = REPEAT
) -> list[dict]:
    app = make_app(url)
    count = top_up(app, size)
    reviewer = logged_in_client(app)
    public = app.test_client()
    first = public.get("/api/v1/register").json
    assert len(first["items"]) == 50 and first["next"], "the register has no full first page"
    queue = time_page(reviewer, "/review", repeat)
    results = []
    for name, path in PAGES.items():
        page = time_page(public, path, repeat)
        ratio = page / queue
        results.append(
            report(
                f"{name} at {count:,} registrations",
                ratio,
                f"<= {TARGET:.0f}x queue",
                ratio <= TARGET,
                f"register {page * 1000:.1f} ms, queue page {queue * 1000:.1f} ms",
            )
        )
    return results


if __name__ == "__main__":
    run()
