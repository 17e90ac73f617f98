"""The auditor's desk: find, download and verify everything, read-only."""

import csv
import io
import json
import zipfile

from sqlalchemy import select, text

from service.applications import operations as applications
from service.audit import chain
from service.audit.actions import action_label
from service.auditor.records import recheck_csv_chain, verify_export
from service.canonical import sha256_hex
from service.extensions import db
from service.models import Filing
from tests.service.conftest import login
from tests.service.factories import TODAY
from tests.service.pdfs import attachments, has_text, pdfa_part, text_of
from tests.service.test_api_lifecycle import bypass_append_only_triggers


def accession_of(case) -> str:
    return (
        db.session.execute(select(Filing.accession_number).where(Filing.application_id == case.id))
        .scalars()
        .first()
    )


def test_only_auditors_and_administrators_reach_the_desk(client, cast):
    for user in (cast.issuer, cast.reviewer, cast.approver, cast.supervisor):
        login(client, user)
        assert client.get("/audit").status_code == 403
        assert client.get("/audit/events.csv").status_code == 403
        client.get("/logout")
    login(client, cast.auditor)
    assert client.get("/audit").status_code == 200


def test_the_desk_searches_filings_by_issuer_kind_accession_and_date(client, cast):
    case = cast.case_in("information_requested")
    accession = accession_of(case)
    login(client, cast.auditor)
    page = client.get("/audit", query_string={"accession": accession}).get_data(as_text=True)
    assert accession in page and f"/filings/{accession}.pdf" in page
    by_kind = client.get(
        "/audit", query_string={"kind": "information_request", "organization_id": cast.org.id}
    ).get_data(as_text=True)
    assert f"/filings/{accession}.pdf" not in by_kind and ".pdf" in by_kind
    too_early = client.get(
        "/audit", query_string={"accession": accession, "filed_to": "2020-01-01"}
    ).get_data(as_text=True)
    assert f"/filings/{accession}.pdf" not in too_early
    pdf = client.get(f"/filings/{accession}.pdf")
    assert pdf.status_code == 200 and pdfa_part(pdf.data) == ("3", "A")


def test_the_audit_events_download_as_csv_that_re_verifies_offline(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.auditor)
    whole = client.get("/audit/events.csv").get_data(as_text=True)
    assert recheck_csv_chain(whole)[0]
    text = client.get(f"/audit/cases/{case.id}/events.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["action"] for row in rows} >= {"create", "submit"}
    assert {row["application_id"] for row in rows} == {str(case.id)}


def test_the_audit_trail_extract_is_a_pdf_with_its_events_attached(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.auditor)
    answer = client.get(f"/audit/cases/{case.id}/trail.pdf")
    assert answer.status_code == 200 and pdfa_part(answer.data) == ("3", "A")
    # People read each action's name; the attached JSON keeps the codes for tools.
    submitted = action_label("submit")
    assert has_text(answer.data, "감사 기록 발췌", case.organization.name_ko, submitted.ko)
    assert has_text(answer.data, action_label("add_document").en)
    assert "add_document" not in text_of(answer.data)
    events = json.loads(attachments(answer.data)[f"AUDIT-{case.id}.json"])["events"]
    assert [e["action"] for e in events][:2] == ["create", "add_document"]


def _integrity(client) -> str:
    return client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)


def _tamper(sql: str, **params) -> None:
    bypass_append_only_triggers()
    db.session.execute(text(sql), params)


def test_the_integrity_page_shows_the_chain_status_and_head(client, cast):
    cast.case_in("submitted")
    login(client, cast.auditor)
    page = _integrity(client)
    assert chain.verify(db.session).head_hash in page
    assert "Intact" in page and "No full verification has been recorded yet" in page


def test_without_a_full_verification_the_page_recomputes_every_event_and_finds_an_edit(
    client, cast
):
    case = cast.case_in("assessment")
    _tamper(
        "UPDATE audit_event SET actor_label = 'someone else' "
        "WHERE application_id = :id AND action = 'submit'",
        id=case.id,
    )
    login(client, cast.auditor)
    page = _integrity(client)
    assert "The audit chain is broken at event" in page and "was altered" in page


def test_after_a_full_verification_the_page_checks_what_came_since(client, cast, app):
    case = cast.case_in("submitted")
    outcome = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert outcome.exit_code == 0, outcome.output
    recorded = chain.last_full_verification(db.session)
    assert recorded.ok and recorded.verified_by == "flask audit verify"
    applications.transition(case.id, "mark_complete", cast.reviewer, {}, today=TODAY)
    login(client, cast.auditor)
    page = _integrity(client)
    now = chain.verify(db.session)
    assert now.checked > recorded.checked
    assert "Intact" in page and now.head_hash in page and recorded.head_hash in page
    # The chain rewritten from the event the full verification ended at: found at once.
    _tamper(
        "UPDATE audit_event SET hash = :h WHERE seq = :s",
        h="f" * 64,
        s=recorded.checked,
    )
    page = _integrity(client)
    assert f"The audit chain is broken at event {recorded.checked}" in page
    assert "no longer has the hash the last full verification found" in page


def test_an_event_edited_in_place_before_the_last_full_pass_is_found_by_the_next_one(
    client, cast, app
):
    case = cast.case_in("assessment")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    _tamper(
        "UPDATE audit_event SET actor_label = 'someone else' "
        "WHERE application_id = :id AND action = 'submit'",
        id=case.id,
    )
    login(client, cast.auditor)
    assert "Intact" in _integrity(client)  # only what came since is recomputed here
    outcome = runner.invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1 and "BROKEN" in outcome.output
    page = _integrity(client)  # the broken full pass is what the page shows now
    assert "The audit chain is broken at event" in page and "was altered" in page


def test_the_trail_extract_names_the_last_full_pass_and_finds_an_edit_since_it(client, cast, app):
    case = cast.case_in("submitted")
    login(client, cast.auditor)
    trail = f"/audit/cases/{case.id}/trail.pdf"
    assert has_text(client.get(trail).data, "every event recomputed")
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    recorded = chain.last_full_verification(db.session)
    applications.transition(case.id, "mark_complete", cast.reviewer, {}, today=TODAY)
    extract = client.get(trail).data
    assert has_text(extract, "events since then recomputed", f"({recorded.checked})")
    assert has_text(extract, "intact", chain.verify(db.session).head_hash)
    _tamper(
        "UPDATE audit_event SET actor_label = 'someone else' "
        "WHERE application_id = :id AND action = 'mark_complete'",
        id=case.id,
    )
    assert has_text(client.get(trail).data, "BROKEN", "was altered")


def test_an_export_verifies_offline_and_a_tampered_pdf_is_named(client, cast, app, tmp_path):
    case = cast.case_in("submitted")
    accession = accession_of(case)
    login(client, cast.auditor)
    answer = client.get("/audit/export.zip")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = tmp_path / "export.zip"
    archive.write_bytes(answer.data)
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    pdf_path = f"filings/{accession}.pdf"
    assert pdf_path in listed and "audit/events.csv" in listed
    filing = db.session.execute(
        select(Filing).where(Filing.accession_number == accession)
    ).scalar_one()
    assert listed[pdf_path] == filing.pdf_sha256
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify-export", str(archive)])
    assert intact.exit_code == 0, intact.output

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == pdf_path:
                middle = len(data) // 2  # one flipped bit in the PDF's body
                data = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
            target.writestr(item, data)
    assert sha256_hex(zipfile.ZipFile(tampered).read(pdf_path)) != listed[pdf_path]
    broken = runner.invoke(args=["audit", "verify-export", str(tampered)])
    assert broken.exit_code == 1
    assert pdf_path in broken.output
    assert [p for p in verify_export(str(tampered)).problems if pdf_path in p]
