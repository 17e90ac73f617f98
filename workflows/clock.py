"""Korean business days and the statutory review clock.

Business days exclude weekends, the public holidays of the `holidays` package
(substitute holidays and election days included) and 31 December, when Korean
banks close for the year-end settlement (the Korea Exchange closes too: the
package's own XKRX calendar lists it as the "End of Year Holiday"). One
calendar serves every clock; docs/domain.md section 4 says why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year)) | {date(year, 12, 31)}


def load_calendars(*years: int) -> None:
    """Load these years' holidays now. The first load imports the `holidays` package's
    calendar of every country (about 0.17 s of CPU): a serving process pays it as it starts
    rather than in the first request that reads a clock."""
    for year in years:
        _holidays_for(year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


# A pure function too: every step that starts or moves a clock asks it (a 60-day deadline is
# about 90 calendar days to walk).
@lru_cache(maxsize=8192)
def add_business_days(start: date, days: int) -> date:
    """The business day `days` business days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


# Asked again for the same deadlines on every page view.
@lru_cache(maxsize=8192)
def business_days_between(start: date, end: date) -> int:
    """Business days in the interval (start, end]: what a clock counts from start to end."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


@dataclass(frozen=True)
class ClockStop:
    """An interval during which the assessment clock is stopped (an information request)."""

    started_on: date
    ended_on: date | None  # None while the request is open
    reason: str = ""

    def business_days(self, today: date) -> int:
        return business_days_between(self.started_on, self.ended_on or today)


@dataclass(frozen=True)
class ClockReading:
    started_on: date
    due_on: date
    days_allowed: int
    days_used: int
    days_left: int
    stopped_days: int  # counted towards the stop allowance
    stopped_days_uncounted: int  # stop days beyond the allowance: the clock ran
    running: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def assessment_clock(
    complete_on: date,
    stops: Iterable[ClockStop],
    today: date,
    days_allowed: int,
    stop_allowance: int,
) -> ClockReading:
    """Read the assessment clock on `today`.

    The clock starts on the day the application became complete, stops while
    an information request is open, and the stops add up to at most
    `stop_allowance` business days; past that the clock runs even while a
    request is open (MiCA Art 20(3) model).
    """
    stops = list(stops)
    stopped = sum(stop.business_days(today) for stop in stops)
    counted_stop = min(stopped, stop_allowance)
    elapsed = business_days_between(complete_on, today)
    used = elapsed - counted_stop
    open_stop = any(stop.ended_on is None for stop in stops)
    running = not open_stop or stopped >= stop_allowance
    return ClockReading(
        started_on=complete_on,
        due_on=add_business_days(complete_on, days_allowed + counted_stop),
        days_allowed=days_allowed,
        days_used=used,
        days_left=days_allowed - used,
        stopped_days=counted_stop,
        stopped_days_uncounted=stopped - counted_stop,
        running=running,
    )
