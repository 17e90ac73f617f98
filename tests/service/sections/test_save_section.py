"""save_section: drafts may be incomplete, rule breaks are refused, the declaration is
time-stamped by the service, every save is audited."""

from datetime import datetime

import pytest
from sqlalchemy import select

from forms.sections.disclosure import KST
from forms.sections.samples import sample_sections
from service.errors import Conflict, Invalid, NotFound, PreconditionFailed
from service.extensions import db
from service.models import AuditEvent
from service.sections.operations import save_section
from service.sections.queries import section_status_map, tasks
from tests.service.factories import TODAY, Cast, draft


def _events(application_id):
    return (
        db.session.execute(
            select(AuditEvent).where(
                AuditEvent.application_id == application_id, AuditEvent.action == "save_section"
            )
        )
        .scalars()
        .all()
    )


def test_an_incomplete_section_is_saved_as_a_draft_in_progress(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    partial = {"legal_name_ko": "한빛스테이블 주식회사", "legal_form": "stock_company"}
    saved, status = save_section(application.id, "applicant", partial, cast.issuer, today=TODAY)
    assert status == "in_progress"
    assert saved.sections["applicant"] == partial
    assert section_status_map(saved, TODAY)["applicant"] == "in_progress"
    assert section_status_map(saved, TODAY)["ownership"] == "not_started"
    [event] = _events(application.id)
    assert event.detail == {"section": "applicant", "status": "in_progress"}


def test_a_complete_section_is_saved_complete_and_bumps_the_version(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    version = application.version
    answers = sample_sections("krw_stablecoin", TODAY)["applicant"]
    saved, status = save_section(
        application.id, "applicant", answers, cast.issuer, version, today=TODAY
    )
    assert status == "complete"
    assert saved.version == version + 1


def test_an_answer_breaking_a_rule_is_refused_with_its_field_error_and_nothing_is_stored(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    answers = {**sample_sections("krw_stablecoin", TODAY)["applicant"]}
    answers["business_registration_number"] = "124-81-00999"  # wrong check digit
    with pytest.raises(Invalid) as refused:
        save_section(application.id, "applicant", answers, cast.issuer, today=TODAY)
    assert list(refused.value.errors) == ["business_registration_number"]
    db.session.refresh(application)
    assert "applicant" not in application.sections
    assert _events(application.id) == []


def test_a_rule_across_rows_of_a_group_is_refused(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    ownership = sample_sections("krw_stablecoin", TODAY)["ownership"]
    ownership["qualifying_holders"][0]["percentage"] = "90"  # holders now sum past 100
    with pytest.raises(Invalid) as refused:
        save_section(application.id, "ownership", ownership, cast.issuer, today=TODAY)
    assert "qualifying_holders" in refused.value.errors


def test_a_section_the_category_does_not_have_is_not_found(ctx):
    cast = Cast("tokenized_deposit")
    application = draft(cast.issuer, "tokenized_deposit", complete=False)
    with pytest.raises(NotFound):
        save_section(application.id, "reserve", {}, cast.issuer, today=TODAY)
    with pytest.raises(NotFound):
        save_section(application.id, "no_such_section", {}, cast.issuer, today=TODAY)


def test_a_stale_version_is_refused_and_changes_nothing(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    stale = application.version
    save_section(application.id, "applicant", {"legal_form": "stock_company"}, cast.issuer)
    with pytest.raises(PreconditionFailed):
        save_section(
            application.id, "applicant", {"legal_form": "limited_company"}, cast.issuer, stale
        )
    db.session.refresh(application)
    assert application.sections["applicant"] == {"legal_form": "stock_company"}


def test_a_submitted_application_can_no_longer_be_edited(cast):
    application = cast.case_in("submitted")
    with pytest.raises(Conflict):
        save_section(application.id, "applicant", {"legal_form": "stock_company"}, cast.issuer)


def test_another_organization_and_the_regulator_cannot_edit(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    stranger = Cast("krw_stablecoin").issuer
    with pytest.raises(NotFound):
        save_section(application.id, "applicant", {}, stranger)
    with pytest.raises(NotFound):  # a draft is not the regulator's to see
        save_section(application.id, "applicant", {}, cast.reviewer)


def test_the_declaration_is_time_stamped_by_the_service_never_by_the_caller(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    declaration = {
        "officer_name": "김서연",
        "officer_title": "대표이사",
        "officer_email": "ceo@hanbitstable.co.kr",
        "confirmed": "true",
        "signed_at": "2020-01-01T00:00:00+09:00",
    }
    now = datetime(2026, 11, 24, 9, 30, 5, tzinfo=KST)
    saved, status = save_section(
        application.id, "declaration", declaration, cast.issuer, today=TODAY, now=now
    )
    assert status == "complete"
    assert saved.sections["declaration"]["signed_at"] == "2026-11-24T09:30:05+09:00"


def test_an_unconfirmed_declaration_carries_no_time_stamp(cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    declaration = {"officer_name": "김서연", "signed_at": "2026-11-24T09:00:00+09:00"}
    saved, status = save_section(
        application.id, "declaration", declaration, cast.issuer, today=TODAY
    )
    assert "signed_at" not in saved.sections["declaration"]
    assert status == "in_progress"


def test_the_task_list_names_each_sections_documents_and_whether_they_are_there(cast):
    application = draft(cast.issuer, "krw_stablecoin")
    rows = {task.name: task for task in tasks(application, TODAY)}
    assert rows["reserve"].status == "complete"
    codes = [code for code, document in rows["reserve"].documents if document is not None]
    assert codes == ["reserve_custody_agreement", "reserve_auditor_engagement_letter"]
    assert rows["cross_border"].documents == []


def test_changing_an_answer_after_the_declaration_voids_the_confirmation(cast):
    application = draft(cast.issuer, "krw_stablecoin")
    assert application.sections["declaration"]["confirmed"] is True
    unchanged = application.sections["capital"]
    saved, _ = save_section(application.id, "capital", unchanged, cast.issuer, today=TODAY)
    assert saved.sections["declaration"]["confirmed"] is True  # the same answers: still signed
    changed = {**unchanged, "paid_in_capital_krw": 60_000_000_000}
    saved, _ = save_section(application.id, "capital", changed, cast.issuer, today=TODAY)
    declaration = saved.sections["declaration"]
    assert "confirmed" not in declaration and "signed_at" not in declaration
    assert declaration["officer_name"] == "김서연"
    assert section_status_map(saved, TODAY)["declaration"] == "in_progress"
    assert _events(application.id)[-1].detail["declaration_withdrawn"] is True
