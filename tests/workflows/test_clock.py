"""Korean business days and the statutory clock, across Chuseok and the year end."""

from datetime import date

from workflows.clock import (
    ClockStop,
    add_business_days,
    assessment_clock,
    business_days_between,
    is_business_day,
)
from workflows.monitoring.obligations import next_business_day_from


def test_chuseok_2026_and_its_eve_are_not_business_days():
    # 24-26 Sep 2026 (Thu-Sat); Hangul Day 9 Oct; National Foundation Day's substitute 5 Oct.
    assert not is_business_day(date(2026, 9, 24))
    assert not is_business_day(date(2026, 9, 25))
    assert not is_business_day(date(2026, 10, 5))
    assert is_business_day(date(2026, 9, 23))


def test_adding_business_days_steps_over_chuseok_and_the_weekend():
    # Wed 23 Sep + 1 business day: Thu-Fri Chuseok, Sat-Sun weekend -> Mon 28 Sep.
    assert add_business_days(date(2026, 9, 23), 1) == date(2026, 9, 28)


def test_adding_business_days_across_the_year_end_skips_31_december_and_new_years_day():
    """Korean banks close on 31 December for the year-end settlement (the XKRX calendar's
    "End of Year Holiday"); docs/domain.md section 4. Wed 30 Dec 2026 + 1: Thu 31 Dec
    closed, Fri 1 Jan New Year's Day, the weekend, so Mon 4 Jan 2027; + 2 is Tue 5 Jan."""
    assert add_business_days(date(2026, 12, 30), 1) == date(2027, 1, 4)
    assert add_business_days(date(2026, 12, 30), 2) == date(2027, 1, 5)


def test_31_december_is_not_a_business_day_and_its_neighbours_are():
    """The year-end bank holiday at its boundaries: 30 December and 2 January are business
    days on a weekday; 31 December is not, in any year (docs/domain.md section 4)."""
    assert is_business_day(date(2026, 12, 30))
    assert not is_business_day(date(2026, 12, 31))
    assert not is_business_day(date(2025, 12, 31))  # a Wednesday
    assert is_business_day(date(2025, 12, 30))
    assert is_business_day(date(2025, 1, 2))
    assert business_days_between(date(2026, 12, 30), date(2026, 12, 31)) == 0
    # A deadline falling on it moves to the next business day (Civil Act Art 161).
    assert next_business_day_from(date(2025, 12, 31)) == date(2026, 1, 2)


def test_business_days_between_counts_the_end_but_not_the_start():
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 24)) == 1
    assert business_days_between(date(2026, 11, 24), date(2026, 11, 24)) == 0
    assert business_days_between(date(2026, 9, 23), date(2026, 9, 28)) == 1


def test_the_completeness_deadline_is_25_business_days_after_submission():
    # Submitted Fri 18 Sep 2026; Chuseok and two substitute holidays push the date out.
    assert add_business_days(date(2026, 9, 18), 25) == date(2026, 10, 29)


def test_an_open_information_request_stops_the_clock():
    reading = assessment_clock(
        date(2026, 11, 2), [ClockStop(date(2026, 11, 9), None)], date(2026, 11, 16), 60, 20
    )
    assert reading.days_used == 5  # 3-9 Nov counted; 10-16 Nov stopped
    assert reading.stopped_days == 5
    assert not reading.running
    assert reading.due_on == add_business_days(date(2026, 11, 2), 65)


def test_stops_beyond_twenty_business_days_no_longer_stop_the_clock():
    complete = date(2026, 11, 2)
    reading = assessment_clock(
        complete, [ClockStop(date(2026, 11, 2), None)], date(2026, 12, 31), 60, 20
    )
    elapsed = business_days_between(complete, date(2026, 12, 31))
    assert reading.stopped_days == 20
    assert reading.stopped_days_uncounted == elapsed - 20
    assert reading.days_used == elapsed - 20
    assert reading.running


def test_an_answered_request_counts_only_its_own_days():
    stops = [ClockStop(date(2026, 11, 9), date(2026, 11, 13))]
    reading = assessment_clock(date(2026, 11, 2), stops, date(2026, 11, 20), 60, 20)
    assert reading.stopped_days == 4
    assert reading.days_used == business_days_between(date(2026, 11, 2), date(2026, 11, 20)) - 4
    assert reading.running
