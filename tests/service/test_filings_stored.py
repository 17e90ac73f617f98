"""A filing's PDF is rendered once, when the filing is made, stored with its hash,
and served from storage; it lives and dies with the transition that made it."""

import errno
import json
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from service import storage as storage_module
from service.applications import operations
from service.audit import chain
from service.canonical import sha256_hex
from service.extensions import db
from service.filings import operations as filing_operations
from service.filings.pdf import RenderingFailed
from service.models import Application, AuditEvent, Filing, User
from tests.service.conftest import token
from tests.service.factories import PASSWORD, TODAY, Cast
from tests.service.pdfs import attachments, has_text, pdfa_part


def stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_PATH"]) / "filings"
    return sorted(p for p in root.rglob("*.pdf")) if root.exists() else []


def filings_of(case) -> list[Filing]:
    return list(
        db.session.execute(
            select(Filing).where(Filing.application_id == case.id).order_by(Filing.id)
        ).scalars()
    )


def test_submitting_stores_the_pdf_once_with_its_hash_and_the_json_inside(cast, app):
    case = cast.case_in("submitted")
    (filing,) = filings_of(case)
    data = (Path(app.config["STORAGE_PATH"]) / filing.pdf_storage_key).read_bytes()
    assert filing.pdf_sha256 == sha256_hex(data) and filing.pdf_size == len(data)
    assert pdfa_part(data) == ("3", "A")
    assert attachments(data) == {f"{filing.accession_number}.json": filing.content_json.encode()}
    assert has_text(data, filing.accession_number, case.organization.name_ko, "신청인")


def test_the_pdf_is_served_from_storage_with_an_etag_and_the_accession_as_its_name(
    cast, client, app, monkeypatch
):
    case = cast.case_in("submitted")
    (filing,) = filings_of(case)
    auth = token(client, cast.issuer)

    def no_second_render(*args, **kwargs):
        raise AssertionError("a stored filing is never rendered again")

    monkeypatch.setattr(filing_operations, "render_filing", no_second_render)
    first = client.get(f"/api/v1/filings/{filing.accession_number}.pdf", headers=auth)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert sha256_hex(first.data) == filing.pdf_sha256
    assert first.headers["ETag"] == f'"{filing.pdf_sha256}"'
    assert f"{filing.accession_number}.pdf" in first.headers["Content-Disposition"]
    again = client.get(
        f"/api/v1/filings/{filing.accession_number}.pdf",
        headers={**auth, "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    as_json = client.get(f"/api/v1/filings/{filing.accession_number}.json", headers=auth)
    assert as_json.data.decode() == filing.content_json
    assert as_json.headers["ETag"] == f'"{filing.content_sha256}"'
    meta = client.get(f"/api/v1/filings/{filing.accession_number}", headers=auth).json
    assert meta["pdf_sha256"] == filing.pdf_sha256 and meta["kind"] == "application"


def test_a_failed_render_rolls_the_transition_back_whole(cast, app, monkeypatch):
    case = cast.case_in("draft")
    version = case.version

    def broken(*args, **kwargs):
        raise RenderingFailed("injected")

    monkeypatch.setattr(filing_operations, "render_filing", broken)
    with pytest.raises(RenderingFailed):
        operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    db.session.expire_all()
    application = db.session.get(Application, case.id)
    assert application.state == "draft" and application.version == version
    assert filings_of(case) == []
    assert stored_files(app) == []


def test_a_failure_after_the_pdf_is_stored_deletes_the_file_with_the_rollback(
    cast, app, monkeypatch
):
    case = cast.case_in("draft")
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))

    def broken_append(*args, **kwargs):
        assert len(stored_files(app)) == 1  # the PDF was written before this failure
        raise RuntimeError("injected after the file was stored")

    monkeypatch.setattr(chain, "append", broken_append)
    with pytest.raises(RuntimeError, match="injected"):
        operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    assert stored_files(app) == []
    assert filings_of(case) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def assert_storage_agrees_with_the_database(app, cases) -> None:
    """No filing row without its file (whole, with its hash), no file without its row:
    every file in the filings folder, temporary ones included, is some filing's PDF."""
    root = Path(app.config["STORAGE_PATH"])
    db.session.expire_all()
    filings = [filing for case in cases for filing in filings_of(case)]
    for filing in filings:
        path = root / filing.pdf_storage_key
        assert path.is_file(), f"{filing.accession_number} has no file"
        assert sha256_hex(path.read_bytes()) == filing.pdf_sha256, filing.accession_number
    folder = root / "filings"
    on_disk = {p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk == {filing.pdf_storage_key for filing in filings}
    verification = chain.verify(db.session)
    assert verification.ok, verification.problem


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_file_store_failing_while_it_writes_the_pdf_leaves_neither_half(
    cast, app, monkeypatch, failing
):
    """The disk fills up while the PDF is written (fsync), or the rename that puts it in
    place fails: the step fails with the store's error, and neither the filing nor any
    part of its file is left; an earlier filing and its file are untouched."""
    earlier = cast.case_in("submitted")
    case = cast.case_in("draft")
    version = case.version
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with monkeypatch.context() as patch:
        patch.setattr(storage_module.os, failing, full_disk)
        with pytest.raises(OSError, match="No space left"):
            operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    db.session.expire_all()
    application = db.session.get(Application, case.id)
    assert (application.state, application.version) == ("draft", version)
    assert filings_of(case) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert_storage_agrees_with_the_database(app, [earlier, case])
    # The store works again: the same step goes through, with its file.
    operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    assert_storage_agrees_with_the_database(app, [earlier, case])


def refused_commit(*args, **kwargs):
    raise OperationalError("COMMIT", {}, Exception("injected: the commit was refused"))


@pytest.mark.real_commits
@pytest.mark.parametrize("where", ["session before_commit", "connection commit"])
def test_a_commit_that_fails_leaves_neither_the_filing_nor_its_file(cast, app, where):
    """The COMMIT itself fails after the PDF was stored, on a database that really commits:
    the session refuses it (before_commit), or the connection's COMMIT raises before the
    database has it. Nothing of the step is committed and the file is deleted."""
    earlier = cast.case_in("submitted")
    case = cast.case_in("draft")
    version = case.version
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    target, name = (Session, "before_commit") if "session" in where else (db.engine, "commit")
    files_before = len(stored_files(app))
    stored_at_commit = []

    def fail(*args, **kwargs):
        stored_at_commit.append(len(stored_files(app)))
        refused_commit()

    event.listen(target, name, fail)
    try:
        with pytest.raises(OperationalError, match="injected"):
            operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    finally:
        event.remove(target, name, fail)
    assert stored_at_commit == [files_before + 1]  # the PDF was in storage when it failed
    ids = earlier.id, case.id, cast.issuer.id
    db.session.remove()  # read back what the database holds, from a fresh session
    earlier, case, issuer = (
        db.session.get(Application, ids[0]),
        db.session.get(Application, ids[1]),
        db.session.get(User, ids[2]),
    )
    assert (case.state, case.version) == ("draft", version)
    assert filings_of(case) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert_storage_agrees_with_the_database(app, [earlier, case])
    # Nothing stays locked or half-done: the same step commits now, with its file.
    operations.transition(case.id, "submit", issuer, {}, today=TODAY)
    assert_storage_agrees_with_the_database(app, [earlier, case])
    db.session.remove()


@pytest.mark.real_commits
def test_a_commit_whose_answer_is_lost_keeps_the_file_of_the_committed_filing(
    cast, app, monkeypatch
):
    """The database carries out the COMMIT, but the answer never comes back (the connection
    drops on the way): the step is committed, so its PDF must stay in storage."""
    case = cast.case_in("draft")
    case_id, issuer_id = case.id, cast.issuer.id
    dialect = db.engine.dialect
    commit = dialect.do_commit

    def commit_then_lose_the_answer(dbapi_connection):
        commit(dbapi_connection)
        raise OperationalError("COMMIT", {}, Exception("injected: the answer was lost"))

    monkeypatch.setattr(dialect, "do_commit", commit_then_lose_the_answer)
    with pytest.raises(OperationalError, match="injected"):
        operations.transition(case_id, "submit", cast.issuer, {}, today=TODAY)
    monkeypatch.setattr(dialect, "do_commit", commit)
    db.session.remove()
    case = db.session.get(Application, case_id)
    assert case.state == "submitted"  # the database has it
    (filing,) = filings_of(case)
    assert storage_module.storage().get(filing.pdf_storage_key)  # and its file is still there
    assert_storage_agrees_with_the_database(app, [case])
    assert db.session.get(User, issuer_id) is not None
    db.session.remove()


def test_the_database_refuses_to_update_or_delete_a_filing_or_an_audit_event(cast):
    cast.case_in("submitted")
    for statement in (
        "UPDATE filing SET kind = 'forged'",
        "DELETE FROM filing",
        "UPDATE audit_event SET actor_label = 'someone else'",
        "DELETE FROM audit_event",
    ):
        with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
            db.session.execute(text(statement))
    assert chain.verify(db.session).ok


def test_issuers_see_only_their_own_non_internal_filings_and_regulators_see_all(cast, client):
    case = cast.case_in("information_requested")
    other = Cast()
    other_case = other.case_in("submitted")
    mine = token(client, cast.issuer)
    listed = client.get("/api/v1/filings", headers=mine).json["items"]
    assert {f["application_id"] for f in listed} == {case.id}
    assert {f["kind"] for f in listed} == {"application", "information_request"}
    (foreign,) = filings_of(other_case)
    assert (
        client.get(f"/api/v1/filings/{foreign.accession_number}", headers=mine).status_code == 404
    )
    assert (
        client.get(f"/api/v1/filings/{foreign.accession_number}.pdf", headers=mine).status_code
        == 404
    )
    regulator = token(client, cast.auditor)
    everything = client.get("/api/v1/filings", headers=regulator, query_string={"limit": 200}).json[
        "items"
    ]
    assert {case.id, other_case.id} <= {f["application_id"] for f in everything}
    by_kind = client.get(
        "/api/v1/filings",
        headers=regulator,
        query_string={"kind": "information_request", "application_id": case.id},
    ).json["items"]
    assert [f["kind"] for f in by_kind] == ["information_request"]


def test_the_filing_search_pages_by_keyset(cast, client):
    case = cast.case_in("information_requested")
    auth = token(client, cast.reviewer)
    first = client.get(
        "/api/v1/filings", headers=auth, query_string={"application_id": case.id, "limit": 1}
    ).json
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = client.get(
        "/api/v1/filings",
        headers=auth,
        query_string={"application_id": case.id, "limit": 1, "after": first["next_cursor"]},
    ).json
    assert second["items"][0]["accession_number"] != first["items"][0]["accession_number"]
    assert second["next_cursor"] is None


def test_every_filing_of_a_registration_carries_its_own_json(cast, app):
    case = cast.case_in("registered")
    kinds = [f.kind for f in filings_of(case)]
    assert kinds[0] == "application" and "decision" in kinds
    for filing in filings_of(case):
        data = (Path(app.config["STORAGE_PATH"]) / filing.pdf_storage_key).read_bytes()
        embedded = attachments(data)[f"{filing.accession_number}.json"]
        assert json.loads(embedded) == json.loads(filing.content_json)


def test_the_issuers_page_and_the_case_page_link_every_filing_they_show_to_its_pdf_and_json(
    cast, app
):
    case = cast.case_in("registered")
    filings = filings_of(case)
    assert {f.kind for f in filings} >= {"application", "decision", "certificate"}
    for user, url in ((cast.issuer, f"/applications/{case.id}"), (cast.reviewer, None)):
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        page = client.get(url or f"/review/cases/{case.id}").get_data(as_text=True)
        for filing in filings:
            pdf = f"/filings/{filing.accession_number}.pdf"
            assert f'href="{pdf}"' in page, (user.role, filing.kind)
            assert f'href="/filings/{filing.accession_number}.json"' in page
            download = client.get(pdf)
            assert download.status_code == 200 and download.data.startswith(b"%PDF-")
        assert "가상자산 발행인 등록증" in page  # each filing by its title (Korean by default)


def test_the_issuers_page_lists_no_internal_filing(cast, client):
    krw = Cast(category="krw_stablecoin")
    case = krw.case_in("registered")
    opinions = [f for f in filings_of(case) if f.internal]
    assert opinions  # the two consulted authorities' opinions
    client.post("/login", data={"email": krw.issuer.email, "password": PASSWORD})
    page = client.get(f"/applications/{case.id}").get_data(as_text=True)
    for filing in opinions:
        assert filing.accession_number not in page
        assert client.get(f"/filings/{filing.accession_number}.pdf").status_code == 404
