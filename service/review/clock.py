"""The statutory clock of a case, read from its dates and information requests."""

from dataclasses import dataclass
from datetime import date

from service.models import Application
from workflows.clock import ClockReading, ClockStop, assessment_clock, business_days_between
from workflows.regime import RegimeProfile


def clock_stops(application: Application) -> list[ClockStop]:
    return [
        ClockStop(r.opened_on, r.answered_on, "information request")
        for r in application.information_requests
    ]


def assessment_reading(
    application: Application, today: date, profile: RegimeProfile
) -> ClockReading | None:
    if application.complete_on is None:
        return None
    return assessment_clock(
        application.complete_on,
        clock_stops(application),
        today,
        profile.assessment_days,
        profile.clock_stop_max_days,
    )


@dataclass(frozen=True)
class DueStatus:
    due_on: date | None
    business_days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.business_days_left is not None and self.business_days_left < 0

    def due_within(self, days: int) -> bool:
        return self.business_days_left is not None and 0 <= self.business_days_left <= days


def due_status(due_on: date | None, today: date) -> DueStatus:
    if due_on is None:
        return DueStatus(None, None)
    if due_on >= today:
        return DueStatus(due_on, business_days_between(today, due_on))
    return DueStatus(due_on, -business_days_between(due_on, today))
