"""The review queue shows an approver what waits outside it: an open objection, answered
by the 14th day after its lodging (Administrative Procedures Act Art 36(2); Civil Act Art
161 moves a last day on a holiday to the next business day), and a change applied for in
advance, decided by the day it is planned to take effect (docs/domain.md sections 4, 5)."""

import re
from datetime import date

from service.changes.operations import apply_for_change
from service.hearings.objections import dismiss_objection, lodge_objection
from tests.service.conftest import login
from tests.service.test_prior_notice import on


def rows(page: str) -> dict[str, str]:
    """Each row of the panel by the filing it names: its whole text, tags stripped."""
    found = re.findall(r'<tr class="([^"]*)" data-filing="([^"]+)">(.*?)</tr>', page, re.S)
    return {filing: cls + " " + re.sub(r"<[^>]+>|\s+", " ", body) for cls, filing, body in found}


def test_an_open_objection_and_a_change_wait_for_an_approver_with_their_day(
    client, cast, monkeypatch
):
    refused = cast.case_in("refused")
    on(monkeypatch, date(2026, 11, 25))
    objection = lodge_objection(refused.id, cast.issuer, {"grounds": "A mistaken fact."})
    registered = cast.case_in("registered")
    change = apply_for_change(
        registered.id,
        cast.issuer,
        {"kind": "ledger", "planned_on": "2026-12-15", "description": "Add a second chain."},
    )
    login(client, cast.approver, "en")
    waiting = rows(client.get("/review").get_data(as_text=True))
    # Lodged on Wednesday 25 November: the 14th day is Wednesday 9 December.
    assert "Objection to Refuse" in waiting[objection.accession_number]
    assert "2026-12-09" in waiting[objection.accession_number]
    assert "A new ledger" in waiting[change.accession_number]
    assert "2026-12-15" in waiting[change.accession_number]
    assert not any(row.startswith("overdue") for row in waiting.values())
    # The day after the objection's last day it is overdue; the change is not yet.
    on(monkeypatch, date(2026, 12, 10))
    waiting = rows(client.get("/review").get_data(as_text=True))
    assert waiting[objection.accession_number].startswith("overdue")
    assert "Overdue" in waiting[objection.accession_number]
    assert not waiting[change.accession_number].startswith("overdue")
    # Answered, the objection leaves the panel.
    dismiss_objection(refused.id, objection.id, cast.approver2, {"reasons": "It stands."})
    waiting = rows(client.get("/review").get_data(as_text=True))
    assert objection.accession_number not in waiting and change.accession_number in waiting


def test_an_objection_whose_last_day_is_a_holiday_is_due_the_next_business_day(
    client, cast, monkeypatch
):
    """Lodged on 17 December 2026, the 14th day is 31 December, a bank holiday (docs/domain.md
    section 4), then New Year's Day and a weekend: the answer is due on Monday 4 January."""
    refused = cast.case_in("refused")
    on(monkeypatch, date(2026, 12, 17))
    objection = lodge_objection(refused.id, cast.issuer, {"grounds": "A mistaken fact."})
    login(client, cast.approver, "ko")
    waiting = rows(client.get("/review").get_data(as_text=True))
    assert "2027-01-04" in waiting[objection.accession_number]


def test_only_approvers_see_the_panel(client, cast):
    refused = cast.case_in("refused")
    lodge_objection(refused.id, cast.issuer, {"grounds": "A mistaken fact."})
    login(client, cast.reviewer, "en")
    assert 'id="awaiting-title"' not in client.get("/review").get_data(as_text=True)
