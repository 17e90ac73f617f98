"""The review desk: claim and assign, internal notes, the case page, decision filings."""

import json
import re

import pytest
from sqlalchemy import select

from service.errors import Conflict, Forbidden, Invalid
from service.extensions import db
from service.models import AuditEvent, Filing, Note, Registration
from service.review import operations
from tests.service.conftest import login
from tests.service.factories import TODAY


def _last_event(application_id):
    return (
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.application_id == application_id)
            .order_by(AuditEvent.seq.desc())
        )
        .scalars()
        .first()
    )


def test_a_reviewer_claims_an_unassigned_case_and_the_claim_is_audited(cast):
    case = cast.case_in("submitted")
    operations.claim(case.id, cast.reviewer)
    assert case.assigned_reviewer_id == cast.reviewer.id
    event = _last_event(case.id)
    assert (event.action, event.actor_id) == ("claim", cast.reviewer.id)
    with pytest.raises(Conflict):
        operations.claim(case.id, cast.reviewer2)


def test_only_reviewers_claim_and_only_approvers_or_admins_assign(cast):
    case = cast.case_in("submitted")
    with pytest.raises(Forbidden):
        operations.claim(case.id, cast.approver)
    with pytest.raises(Forbidden):
        operations.assign(case.id, cast.reviewer, cast.reviewer2.id)
    with pytest.raises(Invalid):
        operations.assign(case.id, cast.approver, cast.approver2.id)


def test_an_approver_reassigns_a_case_to_another_reviewer(cast):
    case = cast.case_in("assessment")  # assigned to cast.reviewer by mark_complete
    operations.assign(case.id, cast.approver, cast.reviewer2.id)
    assert case.assigned_reviewer_id == cast.reviewer2.id
    event = _last_event(case.id)
    assert event.action == "reassign"
    assert event.detail == {"reviewer": cast.reviewer2.email, "previous": cast.reviewer.email}


def test_a_closed_case_cannot_be_assigned(cast):
    case = cast.case_in("registered")
    with pytest.raises(Conflict):
        operations.assign(case.id, cast.approver, cast.reviewer2.id)


def test_notes_are_appended_audited_and_cannot_be_changed(cast):
    case = cast.case_in("assessment")
    note = operations.add_note(case.id, cast.reviewer, "Check the custodian's licence.")
    assert _last_event(case.id).detail == {"note_id": note.id}
    with pytest.raises(Forbidden):
        operations.add_note(case.id, cast.auditor, "Auditors change nothing.")
    with pytest.raises(Invalid):
        operations.add_note(case.id, cast.reviewer, "   ")
    note.text = "rewritten"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Note, note.id).text == "Check the custodian's licence."


def test_approval_files_a_decision_and_a_separate_certificate(cast):
    case = cast.case_in("registered")
    filings = {
        f.kind: json.loads(f.content_json)["content"]
        for f in db.session.execute(
            select(Filing).where(Filing.application_id == case.id)
        ).scalars()
    }
    registration = db.session.execute(
        select(Registration).where(Registration.application_id == case.id)
    ).scalar_one()
    certificate = filings["certificate"]
    assert certificate["registration_number"] == registration.number
    assert certificate["issuer"]["name_ko"] == cast.org.name_ko
    assert certificate["category"] == "other_virtual_asset"
    assert certificate["valid_until"] == registration.valid_until.isoformat()
    assert certificate["conditions"] == ["Quarterly ledger reconciliation"]
    assert "token" in certificate
    assert filings["decision"]["registration_number"] == registration.number


def test_a_refusal_decision_carries_its_grounds_and_reasons(cast):
    case = cast.case_in("refused")
    decision = db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == "decision")
    ).scalar_one()
    content = json.loads(decision.content_json)["content"]
    assert content["grounds"] == ["requirements_not_met"]
    assert content["grounds_text"][0]["ko"] == "해당 유형의 등록 요건 미충족"
    assert content["reasons"] == "Capital short."


def _amend(case, issuer, name: str, **answers) -> None:
    """The issuer changes a section while the request is open, and the officer confirms the
    declaration again (the change withdrew it), through the section operation."""
    from service.sections.operations import save_section

    save_section(case.id, name, {**case.sections[name], **answers}, issuer, today=TODAY)
    assert "signed_at" not in case.sections["declaration"]
    declaration = {**case.sections["declaration"], "confirmed": True}
    save_section(case.id, "declaration", declaration, issuer, today=TODAY)


def _respond(case, issuer, answer: str) -> None:
    from service.applications import operations as applications

    applications.transition(case.id, "respond", issuer, {"answers": [answer]}, today=TODAY)


def test_the_case_page_shows_sections_diff_clock_filings_and_notes(client, cast):
    case = cast.case_in("information_requested")
    _amend(case, cast.issuer, "business_plan", target_users="Retail and corporate payers")
    _respond(case, cast.issuer, "Held at two banks.")
    operations.add_note(case.id, cast.reviewer, "Ask BoK informally.")
    page = login(client, cast.reviewer)
    html = page.get(f"/review/cases/{case.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Application as filed" in html and "Business plan" in html
    assert "Retail and corporate payers" in html  # the diff and the latest filing
    assert 'class="diff-changed"' in html
    assert "Intervals the clock stood still" in html and "Information request" in html
    assert "Ask BoK informally." in html
    accessions = db.session.execute(
        select(Filing.accession_number).where(Filing.application_id == case.id)
    ).scalars()
    for accession in accessions:
        assert accession in html


def test_each_later_filing_is_compared_with_the_original_submission(client, cast):
    from service.applications import operations as applications
    from tests.service.factories import QUESTIONS

    case = cast.case_in("information_requested")
    original = case.sections["business_plan"]
    _amend(case, cast.issuer, "business_plan", target_users="Corporate treasurers")
    _respond(case, cast.issuer, "Held at two banks.")
    applications.transition(case.id, "request_information", cast.reviewer, QUESTIONS, today=TODAY)
    _amend(case, cast.issuer, "business_plan", distribution_channels="Partner banks only")
    _respond(case, cast.issuer, "Two banks, as before.")
    submitted, first, second = db.session.execute(
        select(Filing.accession_number)
        .where(Filing.application_id == case.id, Filing.kind.in_(("application", "response")))
        .order_by(Filing.id)
    ).scalars()
    page = login(client, cast.reviewer)
    html = page.get(f"/review/cases/{case.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Changes since the original submission" in html
    assert f"compared field by field with the original submission, {submitted}" in html
    compared = re.findall(r'class="diff-compared" data-before="([^"]+)" data-after="([^"]+)"', html)
    assert compared == [(submitted, first), (submitted, second)]
    # The second response still shows the first change: it is read against the original,
    # not against the response before it.
    latest = html[html.index(f'data-after="{second}"') :]
    latest = latest[: latest.index("</table>")]
    assert "Corporate treasurers" in latest and "Partner banks only" in latest
    assert original["target_users"] in latest and original["distribution_channels"] in latest


def test_the_return_incomplete_form_offers_a_checklist_and_sends_the_ticked_items(client, cast):
    case = cast.case_in("submitted")
    page = login(client, cast.reviewer)
    html = page.get(f"/review/cases/{case.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert 'name="missing_checked"' in html and "Document: Articles of incorporation" in html
    answer = page.post(
        f"/applications/{case.id}/transitions/return_incomplete",
        data={
            "missing_checked": ["정관 / Articles of incorporation"],
            "missing": "Signed declaration page",
            "deadline": "2026-12-10",
            "version": case.version,
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.refresh(case)
    assert case.state == "returned_incomplete"
    notice = db.session.execute(
        select(Filing).where(
            Filing.application_id == case.id, Filing.kind == "incompleteness_notice"
        )
    ).scalar_one()
    assert json.loads(notice.content_json)["content"]["missing"] == [
        "정관 / Articles of incorporation",
        "Signed declaration page",
    ]


def test_claim_and_notes_through_the_case_page(client, cast):
    case = cast.case_in("submitted")
    page = login(client, cast.reviewer)
    assert page.post(f"/review/cases/{case.id}/claim").status_code == 302
    page.post(f"/review/cases/{case.id}/notes", data={"text": "First look done."})
    db.session.refresh(case)
    assert case.assigned_reviewer_id == cast.reviewer.id
    html = page.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "First look done." in html


def test_the_diff_names_changed_added_and_removed_fields_with_section_and_label(ctx):
    from service.review.casefile import diff_sections
    from workflows.bilingual import use_locale

    before = {
        "business_plan": {"target_users": "Retail", "distribution_channels": "App"},
        "ownership": {"qualifying_holders": [{"name": "A Bank", "percentage": "60"}]},
    }
    after = {
        "business_plan": {"target_users": "Corporates"},
        "ownership": {
            "qualifying_holders": [
                {"name": "A Bank", "percentage": "55"},
                {"name": "B Co", "percentage": "20"},
            ]
        },
    }
    with use_locale("en"):
        changes = {(c.change, c.section_title, c.label): c for c in diff_sections(before, after)}
    changed = changes[("changed", "Business plan", "Target users")]
    assert (changed.before, changed.after) == ("Retail", "Corporates")
    assert ("removed", "Business plan", "Distribution channels") in changes
    owners = "Ownership and management"
    shares = changes[("changed", owners, "Qualifying holders 1 › Shareholding (%)")]
    assert (shares.before, shares.after) == ("60", "55")
    assert changes[("added", owners, "Qualifying holders 2 › Holder's name")].after == "B Co"
    assert len(changes) == 5


def _refusal_page(answer, status: int, reason: str) -> None:
    """A refused form is answered with its status and the case page naming why, not a redirect."""
    html = answer.get_data(as_text=True)
    assert answer.status_code == status, html
    assert "Location" not in answer.headers
    assert reason in html


def test_refused_desk_actions_answer_with_their_status_and_the_reason(client, cast):
    case = cast.case_in("submitted")
    operations.claim(case.id, cast.reviewer)
    page = login(client, cast.reviewer2)
    page.set_cookie("lang", "en")
    claimed = page.post(f"/review/cases/{case.id}/claim")
    _refusal_page(claimed, 409, "This case already has a reviewer.")
    empty = page.post(f"/review/cases/{case.id}/notes", data={"text": "  "})
    _refusal_page(empty, 422, "Write the note")
    assert db.session.execute(select(Note).where(Note.application_id == case.id)).first() is None
    # A role the desk action is not for gets the error page.
    login(client, cast.auditor)
    refused = client.post(f"/review/cases/{case.id}/claim")
    _refusal_page(refused, 403, "Only a reviewer may claim a case.")


def test_refused_transitions_through_the_form_answer_409_412_or_403_with_the_reason(client, cast):
    case = cast.case_in("submitted")
    page = login(client, cast.reviewer)
    page.set_cookie("lang", "en")
    url = f"/applications/{case.id}/transitions"
    state = page.post(f"{url}/request_information", data={"version": case.version})
    _refusal_page(state, 409, "is not possible while the case is submitted")
    # Not the reviewer's step in any state: the role is refused before the state is told.
    not_theirs = page.post(f"{url}/approve", data={"version": case.version})
    _refusal_page(not_theirs, 403, "Only an approver may approve.")
    stale = page.post(f"{url}/mark_complete", data={"version": case.version - 1})
    _refusal_page(stale, 412, f"The case is at version {case.version}")
    db.session.refresh(case)
    assert case.state == "submitted"
    recommended = cast.case_in("recommended")
    by_role = page.post(f"{url.replace(str(case.id), str(recommended.id))}/approve", data={})
    assert by_role.status_code == 403 and "Location" not in by_role.headers
    db.session.refresh(recommended)
    assert recommended.state == "recommended"


def test_a_refusal_page_in_korean_has_a_korean_title_and_reason(client, cast):
    case = cast.case_in("submitted")
    operations.claim(case.id, cast.reviewer)
    login(client, cast.reviewer2)
    claimed = client.post(f"/review/cases/{case.id}/claim")
    assert claimed.status_code == 409
    login(client, cast.auditor)
    refused = client.post(f"/review/cases/{case.id}/claim")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "이 작업을 할 권한이 없습니다" in html
    assert "Forbidden" not in html and "Only a reviewer may claim a case." not in html
    missing = client.get("/review/cases/2147483000")
    assert missing.status_code == 404 and "찾을 수 없습니다" in missing.get_data(as_text=True)


def test_repeating_groups_of_the_application_read_as_tables_one_row_an_entry(client, cast):
    """The business plan's months were 180 label-value lines (36 months x 5 fields); a
    reviewer reads them as one table, a month a row, as the issuer wrote them."""
    case = cast.case_in("submitted")
    login(client, cast.reviewer)
    html = client.get(f"/review/cases/{case.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    filed = html.split('id="filed-title"', 1)[1].split('id="diff-title"', 1)[0]
    months = filed.split("<caption>Business plan · Monthly financial projections</caption>", 1)
    assert len(months) == 2, "the months are not a table of their own"
    table = months[1].split("</table>", 1)[0]
    assert ">Month</th>" in table and ">Revenue (KRW)</th>" in table
    plan = case.sections["business_plan"]["monthly_projections"]
    assert table.count("<tr>") == len(plan) + 1  # the header and a row a month
    assert f"<td>{plan[0]['month']}</td>" in table
    assert "Monthly financial projections 1 ›" not in filed
