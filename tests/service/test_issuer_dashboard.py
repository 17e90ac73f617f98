"""The issuer's dashboard says what needs attention next: open information requests,
applications returned for completion, periodic reports due or overdue (from the
monitoring calendar) and drafts with sections still to finish."""

import re
from datetime import date

import pytest

from forms.report_samples import cross_border_flows, redemption_statistics, reserve_report
from forms.sections.samples import sample_sections
from service.applications.attention import attention_for
from service.extensions import db
from service.monitoring.reports import submit_report
from tests.service.conftest import login
from tests.service.factories import Cast, draft
from tests.service.test_monitoring import BILLION, registered

# Registered on 2026-01-15 (tests.service.test_monitoring.REGISTERED_ON); monthly
# reports are due 10 business days after the month's end.


def file_month(cast, start: date, on: date) -> None:
    """Every monthly report of a KRW stablecoin for the month from `start`, filed on `on`."""
    for kind, body in (
        ("reserve_report", reserve_report(start, 10 * BILLION)),
        ("cross_border_flows", cross_border_flows(start, 10 * BILLION, {"US": (1, 1)})),
        ("redemption_statistics", redemption_statistics(start, 5)),
    ):
        submit_report(cast.number, cast.issuer, kind, body, today=on)


@pytest.fixture
def issuer_with_work(ctx):
    """A registered KRW stablecoin issuer that also has a case with questions open,
    one returned as incomplete and a draft with two sections written."""
    cast = registered()
    cast.questioned = cast.drive(draft(cast.issuer, "krw_stablecoin"), "information_requested")
    cast.returned = cast.drive(draft(cast.issuer, "krw_stablecoin"), "returned_incomplete")
    cast.draft = draft(cast.issuer, "krw_stablecoin", complete=False)
    answers = sample_sections("krw_stablecoin", date(2026, 11, 24))
    cast.draft.sections = {"applicant": answers["applicant"], "ownership": answers["ownership"]}
    db.session.commit()
    return cast


def test_the_dashboard_lists_the_open_request_with_its_due_date_and_a_link_to_answer(
    client, issuer_with_work
):
    cast = issuer_with_work
    page = login(client, cast.issuer, language="en").get("/applications").get_data(as_text=True)
    requests = _section(page, "attention-requests", "attention-returned")
    assert f'data-application="{cast.questioned.id}"' in requests
    assert "2026-12-10" in requests  # QUESTIONS' due date
    assert f'href="/applications/{cast.questioned.id}/respond"' in requests
    assert "1 question" in requests


def test_the_dashboard_lists_the_returned_case_with_its_resubmission_deadline(
    client, issuer_with_work
):
    cast = issuer_with_work
    page = login(client, cast.issuer, language="en").get("/applications").get_data(as_text=True)
    returned = _section(page, "attention-returned", "attention-reports")
    assert f'data-application="{cast.returned.id}"' in returned
    assert "2026-12-08" in returned
    assert f'href="/applications/{cast.returned.id}"' in returned


def test_the_dashboard_lists_overdue_reports_from_the_calendar_with_links_to_file_them(
    client, issuer_with_work
):
    cast = issuer_with_work
    page = login(client, cast.issuer, language="en").get("/applications").get_data(as_text=True)
    reports = _section(page, "attention-reports", "attention-drafts")
    # Nothing has been filed since January: February's reserve report is overdue.
    assert 'data-report="reserve_report" data-status="overdue"' in reports
    assert (
        f"/monitoring/registrations/{cast.number}/reports/new?kind=reserve_report"
        "&amp;period_start=2026-02-01&amp;period_end=2026-02-28" in reports
    )
    assert 'class="app-notice app-notice-warning"' in page  # overdue items are called out


def test_the_dashboard_lists_the_draft_with_the_sections_left_to_finish(client, issuer_with_work):
    cast = issuer_with_work
    page = login(client, cast.issuer, language="en").get("/applications").get_data(as_text=True)
    drafts = _section(page, "attention-drafts", "applications-title")
    assert f'data-application="{cast.draft.id}"' in drafts
    base = f"/applications/{cast.draft.id}/sections/"
    assert f'href="{base}reserve"' in drafts  # not started
    assert f'href="{base}applicant"' not in drafts  # written in full
    assert f'href="/applications/{cast.draft.id}/tasks"' in drafts


def test_reports_filed_leave_the_list_and_those_not_yet_due_show_as_due(issuer_with_work):
    cast = issuer_with_work
    file_month(cast, date(2026, 2, 1), date(2026, 3, 13))  # February's, on time
    on = date(2026, 4, 10)  # before March's reports fall due
    attention = attention_for(cast.issuer, [], on)
    reserve = [
        (item.row.period_end, item.row.status)
        for item in attention.reports
        if item.row.kind == "reserve_report"
    ]
    assert (date(2026, 1, 31), "overdue") in reserve  # never filed
    assert (date(2026, 3, 31), "due") in reserve  # due on 14 April
    assert (date(2026, 4, 30), "due") in reserve  # within the calendar's 40 days ahead
    assert (date(2026, 2, 28), "overdue") not in reserve and (
        date(2026, 2, 28),
        "due",
    ) not in reserve
    due_dates = [item.row.due_on for item in attention.reports]
    assert due_dates == sorted(due_dates)
    assert attention.requests == attention.drafts == []  # only what was passed in


def test_an_issuer_with_nothing_open_is_told_so(client, ctx):
    cast = Cast("other_virtual_asset")
    cast.case_in("submitted")
    page = login(client, cast.issuer, language="en").get("/applications").get_data(as_text=True)
    assert 'id="attention-none"' in page
    assert "attention-requests" not in page and "attention-reports" not in page


def test_another_organizations_requests_and_reports_stay_off_the_dashboard(
    client, issuer_with_work
):
    other = Cast("krw_stablecoin")
    page = login(client, other.issuer, language="en").get("/applications").get_data(as_text=True)
    assert issuer_with_work.number not in page
    assert f'data-application="{issuer_with_work.questioned.id}"' not in page
    assert 'id="attention-none"' in page


def test_the_dashboard_is_in_korean_by_default(client, issuer_with_work):
    login(client, issuer_with_work.issuer, language="ko")
    page = client.get("/applications").get_data(as_text=True)
    assert "확인이 필요한 일" in page
    assert "기한이 지난 항목" in page


def _section(page: str, start_id: str, end_id: str) -> str:
    """The HTML from the heading `start_id` up to the element `end_id` (or the page's end)."""
    start = page.index(f'id="{start_id}"')
    end = re.search(f'id="{end_id}"', page[start:])
    return page[start : start + end.start()] if end else page[start:]
