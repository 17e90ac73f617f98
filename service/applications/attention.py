"""What an issuer should do next, for the top of its dashboard: questions the regulator
asked, applications sent back for completion, periodic reports due or overdue (from the
monitoring calendar), and drafts with sections still to finish. Soonest deadline first."""

from dataclasses import dataclass, field
from datetime import date

from forms.sections import COMPLETE
from service.models import Application, InformationRequest, Registration, User
from service.monitoring.queries import CalendarRow, calendar, registrations_of
from service.review.clock import DueStatus, due_status
from service.sections.queries import Task, tasks

# Registrations that still owe periodic reports (a suspended issuer keeps reporting).
REPORTING_STATUSES = ("registered", "suspended")


class _Deadline:
    """An item whose lateness is its deadline's."""

    due: DueStatus

    @property
    def overdue(self) -> bool:
        return self.due.overdue


@dataclass(frozen=True)
class OpenRequest(_Deadline):
    application: Application
    request: InformationRequest
    due: DueStatus


@dataclass(frozen=True)
class ReturnedCase(_Deadline):
    application: Application
    due: DueStatus


@dataclass(frozen=True)
class ReportDue:
    registration: Registration
    row: CalendarRow
    due: DueStatus

    @property
    def overdue(self) -> bool:
        return self.row.status == "overdue"


@dataclass(frozen=True)
class UnfinishedDraft:
    application: Application
    unfinished: list[Task]
    total: int


@dataclass
class Attention:
    requests: list[OpenRequest] = field(default_factory=list)
    returned: list[ReturnedCase] = field(default_factory=list)
    reports: list[ReportDue] = field(default_factory=list)
    drafts: list[UnfinishedDraft] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.requests or self.returned or self.reports or self.drafts)

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in [*self.requests, *self.returned, *self.reports])


def attention_for(user: User, applications: list[Application], today: date) -> Attention:
    """`applications` are the issuer's own (the dashboard has them loaded already)."""
    attention = Attention()
    for application in applications:
        open_request = application.open_request
        if application.state == "information_requested" and open_request:
            attention.requests.append(
                OpenRequest(application, open_request, due_status(open_request.due_on, today))
            )
        elif application.state == "returned_incomplete":
            attention.returned.append(
                ReturnedCase(application, due_status(application.due_on, today))
            )
        elif application.state == "draft":
            task_list = tasks(application, today)
            unfinished = [task for task in task_list if task.status != COMPLETE]
            if unfinished:
                attention.drafts.append(UnfinishedDraft(application, unfinished, len(task_list)))
    for registration in registrations_of(user.organization_id):
        if registration.status not in REPORTING_STATUSES:
            continue
        attention.reports.extend(
            ReportDue(registration, row, due_status(row.due_on, today))
            for row in calendar(registration, today)
            if row.status in ("overdue", "due")
        )
    attention.requests.sort(key=lambda item: (item.request.due_on, item.application.id))
    attention.returned.sort(
        key=lambda item: (item.application.due_on or today, item.application.id)
    )
    attention.reports.sort(key=lambda item: (item.row.due_on, item.row.kind))
    return attention
