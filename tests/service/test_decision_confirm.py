"""A decision taken through the case page is restated before it is taken: the first post
of approve, refuse, suspend, reinstate or revoke checks everything and answers with a
confirm page, recording nothing; only the post that carries the confirmation acts."""

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import AuditEvent, Filing
from tests.service.conftest import login
from workflows.lifecycle import HEARD_STEPS


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Filing)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


@pytest.mark.parametrize(
    ("state", "who", "step", "form", "restated", "after"),
    [
        (
            "recommended",
            "approver",
            "approve",
            {"conditions": "Quarterly ledger reconciliation", "comment": "All met."},
            "Quarterly ledger reconciliation",
            "registered",
        ),
        (
            "registered",
            "supervisor",
            "suspend",
            {"reason": "Reserve shortfall in October."},
            "Reserve shortfall in October.",
            "suspended",
        ),
    ],
)
def test_a_decision_is_restated_first_and_taken_only_when_confirmed(
    client, cast, state, who, step, form, restated, after
):
    case = cast.case_in(state)
    if step in HEARD_STEPS:
        cast.hear(case, step, getattr(cast, who))  # the issuer heard first
        db.session.refresh(case)
    login(client, getattr(cast, who), "en")
    url = f"/applications/{case.id}/transitions/{step}"
    before = _counts()

    shown = client.post(url, data={**form, "version": case.version})
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200, page
    assert "Confirm:" in page and restated in page
    db.session.refresh(case)
    assert case.state == state and _counts() == before

    taken = client.post(url, data={**form, "version": case.version, "confirmed": "yes"})
    assert taken.status_code == 302, taken.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == after


def test_a_decision_with_a_fault_is_refused_before_any_confirm_page(client, cast):
    """The confirm page never stands for a decision that would fail: a missing field is
    refused on the case page, with the step's errors."""
    case = cast.case_in("recommended")
    cast.hear(case, "refuse")
    db.session.refresh(case)
    login(client, cast.approver, "en")
    answer = client.post(
        f"/applications/{case.id}/transitions/refuse",
        data={"version": case.version, "reasons": "Capital short."},
    )
    assert answer.status_code == 422
    assert "Confirm:" not in answer.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == "recommended"


def test_a_step_that_is_not_a_decision_is_taken_at_once(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.reviewer, "en")
    answer = client.post(
        f"/applications/{case.id}/transitions/mark_complete",
        data={"version": case.version, "comment": "Complete."},
    )
    assert answer.status_code == 302
    db.session.refresh(case)
    assert case.state == "assessment"
