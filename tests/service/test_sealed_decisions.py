"""The regulator's decisions carry its seal (PAdES, pyHanko) and stay PDF/A-3: the served
file validates with pyHanko's validator, any change after sealing fails it, and a seal
that cannot be made stops the decision."""

import asyncio
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import re
import socket
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel

from service.canonical import canonical_json
from service.extensions import db
from service.filings import seal
from service.filings.kinds import KIND_TITLES
from service.filings.pdf import RenderingFailed, render_filing
from service.models import Application, Filing, Registration
from service.storage import storage
from tests.service.conftest import run_worker
from tests.service.factories import Cast
from tests.service.pdfs import pdfa_part, reader
from tests.service.seals import (
    TimeStampAuthority,
    demo_root,
    info_disagreeing_with_xmp,
    issue,
    signature_count,
    validated,
    write_files,
)
from tests.service.test_api_lifecycle import move, token
from tests.service.test_filing_pdfs import CONTENTS, filed
from workflows.lifecycle import HEARD_STEPS

REFUSE = {"grounds": ["requirements_not_met"], "reasons": "Capital short."}
REVOKE = {"grounds": ["serious_infringement"], "reasons": "Repeated breaches."}


def filing_of(case: Application, kind: str) -> Filing:
    return db.session.query(Filing).filter_by(application_id=case.id, kind=kind).one()


def assert_sealed_by_the_demo_seal(pdf: bytes, app) -> None:
    status = validated(pdf, demo_root(app))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok and status.modification_level == ModificationLevel.NONE
    subject = status.signing_cert.subject.native
    assert subject["organization_name"] == "Financial Services Commission (DEMO)"
    assert "DEMO" in subject["common_name"] and "DEMO" in subject["organizational_unit_name"]
    # Still PDF/A-3a after the incremental update, its Info and XMP metadata agreeing.
    assert pdfa_part(pdf) == ("3", "A")
    assert info_disagreeing_with_xmp(pdf) == {}
    assert reader(pdf).trailer["/Root"].get("/Version") is None  # no PDF 2.0 bump


def test_the_certificate_on_the_register_is_sealed_valid_and_still_pdfa_3(client, cast, app):
    case = cast.case_in("recommended")
    assert move(client, cast.approver, case.id, "approve", {}).status_code == 200
    number = db.session.query(Registration).filter_by(application_id=case.id).one().number

    served = client.get(f"/register/{number}/documents/certificate.pdf")
    assert served.status_code == 200
    pdf = served.data
    assert_sealed_by_the_demo_seal(pdf, app)
    status = validated(pdf, demo_root(app))
    assert status.timestamp_validity is None  # no time-stamp authority configured: B-B
    certificate = filing_of(case, "certificate")
    # The hash on record (and the ETag) is the sealed file's, as stored and served.
    assert certificate.pdf_sha256 == hashlib.sha256(pdf).hexdigest() == served.headers["ETag"][1:-1]
    assert storage().get(certificate.pdf_storage_key) == pdf
    assert certificate.pdf_size == len(pdf)


@pytest.mark.parametrize(
    ("state", "who", "transition", "payload", "kind"),
    [
        ("recommended", "approver", "approve", {}, "decision"),
        ("recommended", "approver", "refuse", REFUSE, "decision"),
        (
            "registered",
            "supervisor",
            "suspend",
            {"reason": "Reserve shortfall."},
            "suspension_notice",
        ),
        ("suspended", "approver", "reinstate", {"reason": "Remedied."}, "reinstatement_notice"),
        ("registered", "approver", "revoke", REVOKE, "revocation_decision"),
    ],
)
def test_each_decision_letter_the_issuer_downloads_is_sealed(
    client, cast, app, state, who, transition, payload, kind
):
    case = cast.case_in(state)
    if transition in HEARD_STEPS:
        cast.hear(case, transition, getattr(cast, who))  # the issuer heard first
    assert move(client, getattr(cast, who), case.id, transition, payload).status_code == 200
    letter = filing_of(case, kind)

    served = client.get(
        f"/api/v1/filings/{letter.accession_number}.pdf", headers=token(client, cast.issuer)
    )
    assert served.status_code == 200
    assert_sealed_by_the_demo_seal(served.data, app)
    assert letter.pdf_sha256 == hashlib.sha256(served.data).hexdigest()


@pytest.mark.parametrize(
    ("state", "answer", "kind"),
    [
        ("refused", ("transitions/reconsider", {"reasons": "Capital met."}), "objection_decision"),
        ("revoked", ("transitions/restore", {"reasons": "Wrong facts."}), "objection_decision"),
        ("suspended", ("objections/{id}/dismissal", {"reasons": "Stands."}), "objection_dismissal"),
    ],
)
def test_the_answer_to_an_objection_is_sealed_and_the_objection_is_not(
    client, cast, app, state, answer, kind
):
    """An objection upheld or dismissed is the authority's decision (docs/sealing.md); the
    issuer's objection itself is what it filed."""
    case = cast.case_in(state)
    lodged = client.post(
        f"/api/v1/applications/{case.id}/objections",
        json={"grounds": "The decision rests on a mistaken fact."},
        headers=token(client, cast.issuer),
    )
    assert lodged.status_code == 201, lodged.json
    path, body = answer
    answered = client.post(
        f"/api/v1/applications/{case.id}/{path.format(id=lodged.json['id'])}",
        json=body,
        headers={**token(client, cast.approver2), "If-Match": "*"},
    )
    assert answered.status_code in (200, 201), answered.json
    for filing, sealed in ((filing_of(case, kind), True), (filing_of(case, "objection"), False)):
        served = client.get(
            f"/api/v1/filings/{filing.accession_number}.pdf", headers=token(client, cast.issuer)
        )
        assert served.status_code == 200
        assert signature_count(served.data) == (1 if sealed else 0), filing.kind
        if sealed:
            assert_sealed_by_the_demo_seal(served.data, app)


def test_only_the_regulators_decisions_are_sealed(cast):
    assert seal.SEALED_KINDS.issubset(KIND_TITLES)
    case = cast.case_in("revoked")
    filings = db.session.query(Filing).filter_by(application_id=case.id).all()
    kinds = {filing.kind for filing in filings}
    assert {"application", "decision", "certificate", "revocation_decision"} <= kinds
    for filing in filings:
        pdf = storage().get(filing.pdf_storage_key)
        assert signature_count(pdf) == (1 if filing.kind in seal.SEALED_KINDS else 0), filing.kind


@pytest.mark.real_commits
def test_the_job_worker_seals_the_decisions_it_renders(app, redis_queue):
    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("registered").id
        db.session.remove()
        run_worker(redis_queue)

        for kind in ("application", "decision", "certificate"):
            filing = filing_of(db.session.get(Application, case_id), kind)
            stored = storage().get(filing.pdf_storage_key)
            assert filing.pdf_sha256 == hashlib.sha256(stored).hexdigest()
            if kind in seal.SEALED_KINDS:
                assert_sealed_by_the_demo_seal(stored, app)
            else:
                assert signature_count(stored) == 0


def sealed_certificate() -> bytes:
    text = canonical_json(filed("certificate", CONTENTS["certificate"]))
    return render_filing(json.loads(text), text)


def test_a_decision_filed_while_an_event_loop_runs_in_its_thread_is_sealed_all_the_same(app):
    """An asynchronous server, or a test driving a browser, runs an event loop in the thread
    that files the decision; pyHanko's own loop cannot start there, and the seal must not
    fail for it."""

    async def filed_inside_a_running_loop() -> bytes:
        return sealed_certificate()

    sealed = asyncio.run(filed_inside_a_running_loop())
    status = validated(sealed, demo_root(app))
    assert status.bottom_line
    assert pdfa_part(sealed) == ("3", "A")


def _draw_over_the_page(writer: IncrementalPdfFileWriter) -> None:
    # A white box over the whole page.
    box = generic.StreamObject(stream_data=b"q 1 1 1 rg 0 0 595 842 re f Q")
    writer.add_stream_to_page(0, writer.add_object(box))


def _replace_the_page_contents(writer: IncrementalPdfFileWriter) -> None:
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"q Q"))
    writer.update_container(page)


@pytest.mark.parametrize("change", [_draw_over_the_page, _replace_the_page_contents])
def test_a_change_appended_after_sealing_fails_validation(app, change):
    sealed = sealed_certificate()
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    changed = out.getvalue()
    assert changed.startswith(sealed)  # the sealed bytes are all still there, untouched

    status = validated(changed, demo_root(app))
    assert status.intact and status.valid  # the sealed revision itself is intact...
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION  # ...but more follows
    assert not status.docmdp_ok
    assert status.modification_level == ModificationLevel.OTHER
    assert not status.bottom_line


def _header_version(pdf: bytes) -> int:
    return pdf.index(b"%PDF-1.") + 7


def _middle_of_the_largest_stream(pdf: bytes) -> int:
    streams = [
        (m.end(), pdf.index(b"endstream", m.end()))
        for m in re.finditer(rb"(?<!end)stream\r?\n", pdf)
    ]
    start, end = max(streams, key=lambda span: span[1] - span[0])
    return (start + end) // 2


def _the_seals_stated_location(pdf: bytes) -> int:
    return pdf.index(b"Seoul")


@pytest.mark.parametrize(
    "where", [_header_version, _middle_of_the_largest_stream, _the_seals_stated_location]
)
def test_a_byte_changed_inside_the_sealed_range_breaks_the_seal(app, where):
    sealed = bytearray(sealed_certificate())
    position = where(bytes(sealed))
    start, length, second, second_length = map(
        int, re.search(rb"/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", sealed).groups()
    )
    assert start <= position < start + length or second <= position < second + second_length
    sealed[position] ^= 0x01

    status = validated(bytes(sealed), demo_root(app))
    assert not status.intact
    assert not status.bottom_line


def test_with_a_time_stamp_authority_each_seal_is_pades_b_t(client, cast, app, monkeypatch):
    with TimeStampAuthority() as tsa:
        monkeypatch.setitem(app.config, "SEAL_TSA_URL", tsa.url)
        case = cast.case_in("recommended")
        assert move(client, cast.approver, case.id, "approve", {}).status_code == 200
        number = db.session.query(Registration).filter_by(application_id=case.id).one().number
        pdf = client.get(f"/register/{number}/documents/certificate.pdf").data
        assert tsa.requests >= 2  # the decision letter and the certificate

    status = validated(pdf, demo_root(app), tsa.root.asn1)
    assert status.bottom_line, status.pretty_print_details()
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert stamp.signing_cert.subject.native["common_name"] == "Test time-stamping unit"
    assert abs(stamp.timestamp - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert pdfa_part(pdf) == ("3", "A") and info_disagreeing_with_xmp(pdf) == {}
    # Not trusting the time-stamp authority, the same file's time stamp is not trusted.
    assert not validated(pdf, demo_root(app)).bottom_line


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


@pytest.mark.parametrize("answer", ["no answer", "not a time stamp"])
def test_a_time_stamp_authority_that_fails_stops_the_decision_and_files_nothing(
    client, cast, app, monkeypatch, answer
):
    case = cast.case_in("recommended")
    filings_before = db.session.query(Filing).filter_by(application_id=case.id).count()
    with TimeStampAuthority(answer_with="text/html") as broken:
        url = _closed_port() if answer == "no answer" else broken.url
        monkeypatch.setitem(app.config, "SEAL_TSA_URL", url)
        with pytest.raises(RenderingFailed, match="could not be sealed"):
            move(client, cast.approver, case.id, "approve", {})
    db.session.expire_all()
    assert db.session.get(Application, case.id).state == "recommended"
    assert db.session.query(Filing).filter_by(application_id=case.id).count() == filings_before
    assert db.session.query(Registration).filter_by(application_id=case.id).count() == 0


@pytest.fixture
def authority():
    root = issue("Test root", ca=True, days=3650)
    intermediate = issue("Test seal issuing CA", by=root, ca=True, days=1825)
    return root, intermediate


def configure(monkeypatch, app, paths: dict[str, str], passphrase: str | None = None) -> None:
    for key in ("SEAL_KEY_PATH", "SEAL_CERT_PATH", "SEAL_CHAIN_PATH"):
        monkeypatch.setitem(app.config, key, paths.get(key))
    monkeypatch.setitem(app.config, "SEAL_KEY_PASSPHRASE", passphrase)


def test_a_configured_seal_signs_with_its_chain_and_a_replaced_one_takes_over(
    app, monkeypatch, tmp_path, authority
):
    root, intermediate = authority
    monkeypatch.setitem(app.config, "SEAL_DEMO_PATH", str(tmp_path / "no-demo"))
    first = issue("Financial Services Commission seal 2026", by=intermediate)
    paths = write_files(
        tmp_path / "seal",
        key=first.key_pem("correct horse"),
        cert=first.pem(),
        chain=intermediate.pem() + root.pem(),
    )
    configure(
        monkeypatch,
        app,
        {
            "SEAL_KEY_PATH": paths["key"],
            "SEAL_CERT_PATH": paths["cert"],
            "SEAL_CHAIN_PATH": paths["chain"],
        },
        passphrase="correct horse",
    )
    status = validated(sealed_certificate(), root.asn1)  # the intermediate comes embedded
    assert status.bottom_line, status.pretty_print_details()
    assert status.signing_cert.subject.native["common_name"].endswith("seal 2026")
    assert not (tmp_path / "no-demo").exists()

    # Rotation: new files in place; the next seal is made with them, without a restart.
    second = issue("Financial Services Commission seal 2027", by=intermediate)
    write_files(tmp_path / "seal", key=second.key_pem("correct horse"), cert=second.pem())
    os.utime(paths["key"], ns=(0, Path(paths["key"]).stat().st_mtime_ns + 1_000_000))
    status = validated(sealed_certificate(), root.asn1)
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"].endswith("2027")


def _half_configured(tmp_path, authority):
    seal_cert = issue("Seal", by=authority[1])
    return {"SEAL_KEY_PATH": write_files(tmp_path, key=seal_cert.key_pem())["key"]}, None


def _key_of_another_certificate(tmp_path, authority):
    mine, other = issue("Seal", by=authority[1]), issue("Other", by=authority[1])
    paths = write_files(tmp_path, key=other.key_pem(), cert=mine.pem())
    return {"SEAL_KEY_PATH": paths["key"], "SEAL_CERT_PATH": paths["cert"]}, None


def _wrong_passphrase(tmp_path, authority):
    seal_cert = issue("Seal", by=authority[1])
    paths = write_files(tmp_path, key=seal_cert.key_pem("right one"), cert=seal_cert.pem())
    return {"SEAL_KEY_PATH": paths["key"], "SEAL_CERT_PATH": paths["cert"]}, "wrong one"


def _expired(tmp_path, authority):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    seal_cert = issue("Seal", by=authority[1], valid_from=long_ago, days=365)
    paths = write_files(tmp_path, key=seal_cert.key_pem(), cert=seal_cert.pem())
    return {"SEAL_KEY_PATH": paths["key"], "SEAL_CERT_PATH": paths["cert"]}, None


def _an_ecdsa_key(tmp_path, authority):
    seal_cert = issue("Seal", by=authority[1], key=ec.generate_private_key(ec.SECP256R1()))
    paths = write_files(tmp_path, key=seal_cert.key_pem(), cert=seal_cert.pem())
    return {"SEAL_KEY_PATH": paths["key"], "SEAL_CERT_PATH": paths["cert"]}, None


def _missing_file(tmp_path, authority):
    seal_cert = issue("Seal", by=authority[1])
    paths = write_files(tmp_path, cert=seal_cert.pem())
    return {"SEAL_KEY_PATH": str(tmp_path / "nowhere.pem"), "SEAL_CERT_PATH": paths["cert"]}, None


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        (_half_configured, "configured together"),
        (_key_of_another_certificate, "does not belong to its certificate"),
        (_wrong_passphrase, "cannot be loaded"),
        (_expired, "valid only from"),
        (_an_ecdsa_key, "must be an RSA key"),
        (_missing_file, "cannot be read"),
    ],
)
def test_a_seal_that_cannot_be_used_refuses_to_seal(
    app, monkeypatch, tmp_path, authority, configuration, message
):
    paths, passphrase = configuration(tmp_path, authority)
    configure(monkeypatch, app, paths, passphrase)
    with pytest.raises(RenderingFailed, match=message):
        sealed_certificate()


def _ensure_and_keep(folder: str, seen: str) -> None:
    seal.ensure_demo_seal(Path(folder))
    Path(seen).write_bytes((Path(folder) / "seal.pem").read_bytes())


def test_the_demo_seal_is_made_once_by_racing_processes_and_says_demo(tmp_path):
    folder, out = tmp_path / "seal", tmp_path / "seen"
    out.mkdir()
    # Fresh interpreters (spawn), not forks of this threaded test process: a fork can
    # inherit a lock another thread holds and wait on it for ever.
    spawn = multiprocessing.get_context("spawn")
    racers = [
        spawn.Process(target=_ensure_and_keep, args=(str(folder), str(out / str(i))))
        for i in range(3)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
        assert racer.exitcode == 0, racer.exitcode
    seen = [(out / str(i)).read_bytes() for i in range(3)]
    assert len(set(seen)) == 1  # one seal for all
    assert sorted(p.name for p in tmp_path.iterdir()) == [".seal.lock", "seal", "seen"]
    assert stat.S_IMODE((folder / "seal-key.pem").stat().st_mode) == 0o600

    certificate = x509.load_pem_x509_certificate(seen[0])
    root = x509.load_pem_x509_certificate((folder / "root.pem").read_bytes())
    certificate.verify_directly_issued_by(root)
    for name in (certificate.subject, root.subject):
        for oid in (
            NameOID.ORGANIZATION_NAME,
            NameOID.COMMON_NAME,
            NameOID.ORGANIZATIONAL_UNIT_NAME,
        ):
            assert "DEMO" in name.get_attributes_for_oid(oid)[0].value


def test_an_expired_demo_seal_is_retired_and_a_new_one_made(tmp_path):
    folder = tmp_path / "seal"
    root = issue("Old demo root", ca=True)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    old = issue("Old demo seal", by=root, valid_from=long_ago, days=365)
    write_files(
        folder, **{"seal-key.pem": old.key_pem(), "seal.pem": old.pem(), "root.pem": root.pem()}
    )

    seal.ensure_demo_seal(folder)
    renewed = x509.load_pem_x509_certificate((folder / "seal.pem").read_bytes())
    assert renewed.not_valid_after_utc > dt.datetime.now(dt.UTC)
    [retired] = [p for p in tmp_path.iterdir() if p.name.startswith("seal.retired-")]
    assert (retired / "seal.pem").read_bytes() == old.pem()


def test_the_decision_on_a_change_is_sealed_and_names_the_change_in_words(client, cast, app):
    """The approver's decision on a change applied for in advance binds the issuer
    (docs/sealing.md); the application is what the issuer filed. Both print the kind of
    change by its label, never its code."""
    from datetime import timedelta

    from service.changes.operations import apply_for_change, decide_change
    from service.timezone import korea_today
    from tests.service.pdfs import text_of

    case = cast.case_in("registered")
    change = apply_for_change(
        case.id,
        cast.issuer,
        {
            "kind": "business_model",
            "planned_on": korea_today() + timedelta(days=30),
            "description": "Payments in shops besides transfers between wallets.",
        },
    )
    decide_change(case.id, change.id, cast.approver, {"decision": "approve", "reasons": "Fit."})
    for kind, sealed in (("change_decision", True), ("change_application", False)):
        served = client.get(
            f"/api/v1/filings/{filing_of(case, kind).accession_number}.pdf",
            headers=token(client, cast.issuer),
        )
        assert served.status_code == 200
        assert signature_count(served.data) == (1 if sealed else 0), kind
        words = text_of(served.data)
        # A coded value prints by its label in both languages, never as the code.
        assert "사업모델의중요한변경Amaterialchangeofthebusinessmodel" in words, words
        assert "business_model" not in words
        if sealed:
            assert_sealed_by_the_demo_seal(served.data, app)
            assert "결과Outcome승인Approved" in words, words
