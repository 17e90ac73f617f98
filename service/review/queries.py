"""The review queue: open cases, the nearest statutory deadline first, keyset-paged.

Every filter keeps the keyset order (due_on, id), so a page costs one index
range scan however many cases there are: the partial indexes on open cases
(models.applications) serve the default view, the category and the assignee
filters; `ix_application_queue` serves one state; overdue and due-soon are
ranges of due_on.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from service.access import sees_internal
from service.extensions import db
from service.models import Application, Organization, User
from service.web import whole_number
from workflows.clock import add_business_days, is_business_day
from workflows.lifecycle import OPEN_STATES
from workflows.regime import CATEGORIES


@dataclass(frozen=True)
class QueueFilter:
    state: str | None = None
    category: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    overdue: bool = False
    due_within: int | None = None  # business days

    def args(self) -> dict[str, str]:
        """The filter as query-string arguments (for links that keep it)."""
        found = {
            "state": self.state,
            "category": self.category,
            "assignee": "none"
            if self.unassigned
            else (str(self.assignee_id) if self.assignee_id is not None else None),
            "overdue": "1" if self.overdue else None,
            "due_within": str(self.due_within) if self.due_within is not None else None,
        }
        return {key: value for key, value in found.items() if value}


class QueueRow(NamedTuple):
    """What a queue row shows: columns, not ORM objects (loading whole cases with
    their JSON sections cost more than the query itself)."""

    id: int
    category: str
    state: str
    due_on: date | None
    applicant: str
    reviewer: str | None


@dataclass(frozen=True)
class QueuePage:
    cases: list[QueueRow]
    next_cursor: str | None
    counts: dict[str, int]
    total: int


def parse_cursor(cursor: str | None) -> tuple[date, int] | None:
    """A cursor is '<due date>_<id>' of the last case shown; anything else starts over."""
    if not cursor:
        return None
    due, _, ident = cursor.partition("_")
    try:
        day = date.fromisoformat(due)
    except ValueError:
        return None
    number = whole_number(ident)
    return None if number is None else (day, number)


def last_business_day(today: date) -> date:
    day = today
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def due_window(today: date, days: int) -> tuple[date, date]:
    """[start, end) of due dates with 0..days business days left (review.clock.DueStatus)."""
    return last_business_day(today), add_business_days(today, days + 1)


def _conditions(queue_filter: QueueFilter, today: date) -> list:
    """Every filter but the state (the per-state counts apply the same ones)."""
    found = []
    if queue_filter.category in CATEGORIES:
        found.append(Application.category == queue_filter.category)
    if queue_filter.unassigned:
        found.append(Application.assigned_reviewer_id.is_(None))
    elif queue_filter.assignee_id is not None:
        found.append(Application.assigned_reviewer_id == queue_filter.assignee_id)
    if queue_filter.overdue:
        # Overdue: at least one business day has passed since the due date.
        found.append(Application.due_on < last_business_day(today))
    if queue_filter.due_within is not None:
        start, end = due_window(today, queue_filter.due_within)
        found += [Application.due_on >= start, Application.due_on < end]
    return found


def queue(
    queue_filter: QueueFilter,
    *,
    today: date,
    cursor: str | None = None,
    limit: int = 50,
) -> QueuePage:
    conditions = _conditions(queue_filter, today)
    state_condition = [Application.is_open()]
    if queue_filter.state in OPEN_STATES:
        state_condition.append(Application.state == queue_filter.state)
    reviewer = aliased(User)
    query = (
        select(
            Application.id,
            Application.category,
            Application.state,
            Application.due_on,
            Organization.name_ko,
            reviewer.name,
        )
        # Outer joins keep application the driving table (its partial index gives the order).
        .outerjoin(Organization, Organization.id == Application.organization_id)
        .outerjoin(reviewer, reviewer.id == Application.assigned_reviewer_id)
        .where(*state_condition, *conditions)
    )
    position = parse_cursor(cursor)
    if position:
        due, ident = position
        query = query.where(
            or_(Application.due_on > due, and_(Application.due_on == due, Application.id > ident))
        )
    rows = [
        QueueRow(*row)
        for row in db.session.execute(
            query.order_by(Application.due_on, Application.id).limit(limit + 1)
        )
    ]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = f"{last.due_on.isoformat()}_{last.id}"
    counts = _counts_per_state(conditions)
    total = (
        counts.get(queue_filter.state, 0)
        if queue_filter.state in OPEN_STATES
        else sum(counts.values())
    )
    return QueuePage(rows[:limit], next_cursor, counts, total)


def _counts_per_state(conditions: list) -> dict[str, int]:
    """Open cases per state under the filters. Filtered, as one row of FILTERed counts:
    given GROUP BY state, SQLite's planner (once it has statistics) walks the state index
    for its order and reads every row, instead of the filter's covering partial index."""
    if not conditions:
        found = dict(
            db.session.execute(
                select(Application.state, func.count())
                .where(Application.is_open())
                .group_by(Application.state)
            ).all()
        )
        return {state: found.get(state, 0) for state in OPEN_STATES}
    row = db.session.execute(
        select(*(func.count().filter(Application.state == state) for state in OPEN_STATES)).where(
            Application.is_open(), *conditions
        )
    ).one()
    return dict(zip(OPEN_STATES, row, strict=True))


def reviewers() -> list[User]:
    """Active reviewers, for the assign form."""
    return list(
        db.session.execute(
            select(User).where(User.role == "reviewer", User.active.is_(True)).order_by(User.name)
        ).scalars()
    )


def filter_from_args(args, user: User) -> QueueFilter:
    """The queue's filter from the query string; `mine` is the signed-in reviewer's cases."""
    assignee = args.get("assignee", "")
    due_within = args.get("due_within", "")
    return QueueFilter(
        state=args.get("state") or None,
        category=args.get("category") or None,
        assignee_id=user.id if args.get("mine") == "1" else whole_number(assignee),
        unassigned=assignee == "none",
        overdue=args.get("overdue") == "1",
        due_within=min(whole_number(due_within) or 0, 250) or None,
    )


def opinions_for(user, application) -> list:
    """The opinions on a case, for the regulator only (they are part of the review)."""
    return list(application.opinions) if sees_internal(user) else []
