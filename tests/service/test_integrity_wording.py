"""What the integrity page, the case trail PDF and the export say they checked: between two
full passes they recompute only the events appended since the last one, so they say which
events those are and never call the older ones intact."""

import json
import zipfile
from io import BytesIO

from sqlalchemy import text

from service.applications import operations
from service.audit import chain
from service.extensions import db
from tests.service.conftest import login
from tests.service.factories import TODAY
from tests.service.pdfs import has_text
from tests.service.test_api_lifecycle import bypass_append_only_triggers


def test_an_event_altered_before_the_last_full_pass_is_never_called_intact(client, cast, app):
    case = cast.case_in("submitted")
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    full = chain.last_full_verification(db.session)
    operations.transition(case.id, "mark_complete", cast.reviewer, {}, today=TODAY)
    login(client, cast.auditor)  # signing in is an event too
    head = chain.verify(db.session).checked
    bypass_append_only_triggers()
    db.session.execute(
        text(
            "UPDATE audit_event SET actor_label = 'someone else' "
            "WHERE application_id = :id AND action = 'submit'"
        ),
        {"id": case.id},
    )
    db.session.commit()
    english = client.get("/audit/integrity", headers={"Accept-Language": "en"})
    page = english.get_data(as_text=True)
    first = full.checked + 1
    assert f"Events {first} to {head}, appended since the full pass of" in page
    assert f"This page did not recompute events 1 to {full.checked}" in page
    assert "The audit chain is intact" not in page and "Every event" not in page
    korean = client.get("/audit/integrity", headers={"Accept-Language": "ko"}).get_data(
        as_text=True
    )
    assert f"전체 검증 이후 추가된 기록 {first}부터 {head}까지" in korean
    assert f"이 화면은 기록 1부터 {full.checked}까지를 다시 계산하지 않았습니다" in korean
    # The next full pass finds the edit, and the page says so.
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 1
    page = client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The audit chain is broken at event" in page and "link to one another" not in page


def test_with_nothing_appended_since_the_full_pass_the_page_says_it_recomputed_nothing(
    client, cast, app
):
    cast.case_in("submitted")
    login(client, cast.auditor)
    page = client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)
    head = chain.verify(db.session).checked
    assert f"Every event, 1 to {head}, was recomputed now" in page
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    head = chain.verify(db.session).checked
    page = client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No event was appended since the full pass of" in page
    assert f"event {head} still carries the hash that pass found" in page
    assert "Every event" not in page


def test_the_trail_pdf_and_the_export_say_which_events_they_recomputed(client, cast, app):
    case = cast.case_in("submitted")
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    full = chain.last_full_verification(db.session)
    operations.transition(case.id, "mark_complete", cast.reviewer, {}, today=TODAY)
    login(client, cast.auditor)
    head = chain.verify(db.session).checked
    trail = client.get(f"/audit/cases/{case.id}/trail.pdf").data
    assert has_text(
        trail,
        f"events {full.checked + 1} to {head} recomputed",
        f"events 1 to {full.checked} not recomputed now",
    )
    manifest = json.loads(
        zipfile.ZipFile(BytesIO(client.get("/audit/export.zip").data)).read("manifest.json")
    )
    assert manifest["chain"]["recomputed_from"] == full.checked + 1
    assert manifest["chain"]["since_full_pass_at"] is not None
