"""E-mails to the issuer's contacts: written with the change, sent over a real local SMTP
server (aiosmtpd) after commit, kept in the outbox when no server is configured."""

import socket
from datetime import date
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from service.applications import operations as applications
from service.errors import Invalid
from service.extensions import db
from service.models import Filing, OutboxMessage, Registration
from service.monitoring.findings import move_finding
from service.monitoring.letters import warning_letter
from service.notifications.operations import send_messages
from tests.service import factories
from tests.service.conftest import login, run_worker
from tests.service.test_monitoring import ON_TIME, findings_of, registered, short_reserve


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (sorted(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", str(port))
    monkeypatch.setitem(app.config, "MAIL_FROM", "registry@fsc.example")
    yield inbox
    controller.stop()


@pytest.fixture
def cast(cast):
    """The default cast, with a second issuer of the same organization."""
    cast.colleague = factories.user("issuer", cast.org)
    return cast


def _outbox(application_id):
    return (
        db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.application_id == application_id)
            .order_by(OutboxMessage.id)
        )
        .scalars()
        .all()
    )


def test_every_event_that_concerns_the_issuer_arrives_by_smtp_in_both_languages(smtp, cast):
    case = cast.case_in("suspended")
    applications.transition(case.id, "reinstate", cast.approver, {"reason": "Reserve restored."})
    cast.hear(case, "revoke")
    applications.transition(
        case.id,
        "revoke",
        cast.approver,
        {"grounds": ["serious_infringement"], "reasons": "Repeated breaches."},
    )
    events = [m.event for m in _outbox(case.id)]
    # Each adverse decision follows a notice of it (docs/domain.md section 4, hearing).
    assert events == [
        "submission_received",
        "decision",
        "prior_notice",
        "suspension",
        "reinstatement",
        "prior_notice",
        "revocation",
    ]
    assert all(m.sent_at is not None and m.error is None for m in _outbox(case.id))
    assert len(smtp.messages) == 7
    recipients = sorted([cast.org.contact_email, cast.issuer.email, cast.colleague.email])
    for rcpt, email in smtp.messages:
        assert rcpt == recipients
        assert email["From"] == "registry@fsc.example"
        body = email.get_content()
        assert body.index(cast.org.name_ko) < body.index(cast.org.name_en)  # Korean first
    subject, body = smtp.messages[1][1]["Subject"], smtp.messages[1][1].get_content()
    assert "등록 승인 결정" in subject and "Decision: registration approved" in subject
    assert "등록번호: KVI-" in body and "Registration number: KVI-" in body
    notice = smtp.messages[5][1]
    assert (
        "처분의 사전 통지" in notice["Subject"] and "Notice of intended action" in notice["Subject"]
    )
    assert "의견 제출 기한: 2026-12-04" in notice.get_content()
    revocation = smtp.messages[6][1].get_content()
    assert "중대한 법령 위반" in revocation and "Serious infringement" in revocation
    assert "사전 통지: VAR-" in revocation and "Notice of intended action: VAR-" in revocation


def test_with_redis_the_worker_sends_the_mail_and_the_request_does_not_wait(
    smtp, cast, redis_queue
):
    case = cast.case_in("assessment")
    questions = {"questions": ["Name the custodian banks."], "due_on": "2026-12-10"}
    applications.transition(case.id, "request_information", cast.reviewer, questions)
    (message,) = [m for m in _outbox(case.id) if m.event == "information_requested"]
    assert message.sent_at is None and not [
        email for _, email in smtp.messages if "Name the custodian banks." in email.get_content()
    ]
    message_id = message.id
    run_worker(redis_queue)  # the mail, and the filings' PDFs
    message = db.session.get(OutboxMessage, message_id)
    assert message.sent_at is not None and message.error is None
    (email,) = [e for _, e in smtp.messages if "Name the custodian banks." in e.get_content()]
    assert email["Message-ID"] == f"<outbox-{message.id}@issuer-registry>"
    # A job run twice (RQ retries after a lost worker) sends nothing twice.
    sent = len(smtp.messages)
    send_messages([message.id])
    assert len(smtp.messages) == sent


def test_incomplete_and_information_requests_tell_what_is_asked_and_by_when(smtp, cast):
    returned = cast.case_in("returned_incomplete")
    asked = cast.case_in("information_requested")
    incomplete = _outbox(returned.id)[-1]
    assert incomplete.event == "incomplete"
    assert "Audited statements" in incomplete.body and "2026-12-08" in incomplete.body
    request = _outbox(asked.id)[-1]
    assert request.event == "information_requested"
    assert "Explain the custody arrangement." in request.body and "2026-12-10" in request.body
    arrived = [email["Subject"] for _rcpt, email in smtp.messages]
    assert any("보완 요구" in s for s in arrived) and any("자료 제출 요청" in s for s in arrived)


def test_internal_steps_send_nothing(smtp, cast):
    case = cast.case_in("recommended")
    assert [m.event for m in _outbox(case.id)] == ["submission_received"]


def test_without_a_mail_server_messages_wait_in_the_outbox_for_the_admin(app, client, cast):
    assert not app.config.get("SMTP_HOST")
    case = cast.case_in("refused")
    messages = _outbox(case.id)
    assert [m.event for m in messages] == ["submission_received", "prior_notice", "decision"]
    assert all(m.sent_at is None and m.error is None for m in messages)
    assert (
        "해당 유형의 등록 요건 미충족" in messages[2].body and "Capital short." in messages[2].body
    )
    admin = factories.user("admin")
    assert login(client, cast.reviewer).get("/admin/outbox").status_code == 403
    page = login(client, admin).get("/admin/outbox").get_data(as_text=True)
    assert messages[2].subject in page


def test_a_mail_server_that_is_down_is_recorded_and_the_change_still_stands(app, cast, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", str(_free_port()))  # nothing listens
    case = cast.case_in("submitted")
    assert case.state == "submitted"
    message = _outbox(case.id)[0]
    assert message.sent_at is None and "ConnectionRefusedError" in message.error


def test_a_refused_transition_writes_no_message(cast):
    case = cast.case_in("submitted")
    with pytest.raises(Invalid):
        applications.transition(case.id, "return_incomplete", cast.reviewer, {"missing": []})
    assert [m.event for m in _outbox(case.id)] == ["submission_received"]


# -- the issuer's own steps, the system's lapse and the supervisor's letters --------------


@pytest.fixture
def krw(ctx):
    return registered()


def _arrived(smtp, subject_part):
    """The (recipients, e-mail) pairs that reached the server with `subject_part` in the
    subject."""
    return [(rcpt, email) for rcpt, email in smtp.messages if subject_part in email["Subject"]]


def _accessions(application_id, kind):
    return (
        db.session.execute(
            select(Filing.accession_number).where(
                Filing.application_id == application_id, Filing.kind == kind
            )
        )
        .scalars()
        .all()
    )


def test_a_withdrawal_is_confirmed_to_every_contact_with_its_reason_and_notice(smtp, cast):
    case = cast.case_in("assessment")
    applications.transition(case.id, "withdraw", cast.issuer, {"reason": "Plan changed."})
    message = _outbox(case.id)[-1]
    assert message.event == "withdrawal" and message.sent_at is not None
    ((rcpt, email),) = _arrived(smtp, "Withdrawal of the application confirmed")
    assert rcpt == sorted([cast.org.contact_email, cast.issuer.email, cast.colleague.email])
    assert "신청 철회 확인" in email["Subject"] and f"(#{case.id})" in email["Subject"]
    body = email.get_content()
    (accession,) = _accessions(case.id, "withdrawal_notice")
    assert f"접수 번호: {accession}" in body and f"Accession number: {accession}" in body
    assert "사유: Plan changed." in body and "Reason: Plan changed." in body
    assert "새 신청서를 작성하십시오" in body and "start a new application" in body
    assert body.index("신청 철회 확인") < body.index("Withdrawal of the application confirmed")


def test_an_accepted_surrender_names_the_day_every_holder_is_redeemed_by(smtp, cast):
    case = cast.case_in("surrendered")
    assert [m.event for m in _outbox(case.id)][-2:] == ["surrender_requested", "surrender"]
    ((_rcpt, email),) = _arrived(smtp, "Decision: surrender accepted")
    assert "등록 자진 반납 수락 결정" in email["Subject"]
    body = email.get_content()
    (accession,) = _accessions(case.id, "surrender_acceptance")
    number = db.session.scalar(
        select(Registration.number).where(Registration.application_id == case.id)
    )
    assert f"등록번호: {number}" in body and f"Registration number: {number}" in body
    assert accession in body and "Reasons: Every holder is redeemed in time." in body
    assert "Redeem by: 2027-02-26" in body and "상환 완료 기한: 2027-02-26" in body
    assert "file a redemption report showing nothing outstanding" in body


def test_the_monitoring_run_tells_the_issuer_its_registration_lapsed(app, smtp):
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    run = app.test_cli_runner().invoke(args=["monitoring", "run", "--today", "2026-11-02"])
    assert run.exit_code == 0 and f"lapsed: {cast.number}" in run.output
    message = _outbox(cast.registration.application_id)[-1]
    assert message.event == "lapse" and message.sent_at is not None
    ((rcpt, email),) = _arrived(smtp, "Notice: registration lapsed")
    assert rcpt == sorted([cast.org.contact_email, cast.issuer.email])
    assert "등록 기간 만료 통지" in email["Subject"]
    body = email.get_content()
    assert f"등록번호: {cast.number}" in body and f"Registration number: {cast.number}" in body
    assert "유효기간 종료일: 2026-10-31" in body and "Valid until: 2026-10-31" in body
    assert "새로 등록을 신청하십시오" in body and "apply for a new registration" in body
    assert "Accession number" not in body  # a lapse files nothing
    # A second run lapses nothing, so it writes nothing either.
    app.test_cli_runner().invoke(args=["monitoring", "run", "--today", "2026-11-03"])
    assert len(_arrived(smtp, "Notice: registration lapsed")) == 1


def test_a_warning_letter_reaches_the_issuer_with_its_reasons_and_the_findings_cited(smtp, krw):
    short_reserve(krw)
    (finding,) = findings_of(krw)
    filing = warning_letter(
        krw.number, krw.supervisor, "Restore the reserve.", [finding.id], today=ON_TIME
    )
    message = _outbox(krw.registration.application_id)[-1]
    assert message.event == "warning_letter" and message.sent_at is not None
    ((rcpt, email),) = _arrived(smtp, "Warning letter")
    assert rcpt == sorted([krw.org.contact_email, krw.issuer.email])
    assert "경고장" in email["Subject"]
    body = email.get_content()
    assert f"Registration number: {krw.number}" in body
    assert f"접수 번호: {filing.accession_number}" in body
    assert "사유: Restore the reserve." in body and "Reasons: Restore the reserve." in body
    assert f"- [중대] {finding.message['ko']}" in body
    assert f"- [Critical] {finding.message['en']}" in body
    assert "영업 정지 사유" in body and "grounds for suspension" in body
    assert krw.supervisor.email not in body


def test_a_remedy_request_tells_the_issuer_the_finding_and_the_remedy_and_other_moves_stay_quiet(
    smtp, krw
):
    short_reserve(krw)
    (finding,) = findings_of(krw)
    app_id = krw.registration.application_id
    before = len(_outbox(app_id))
    move_finding(finding.id, "acknowledge", krw.supervisor, "Seen.", today=ON_TIME)
    assert len(_outbox(app_id)) == before  # taking ownership tells the issuer nothing
    move_finding(finding.id, "request_remedy", krw.supervisor, "Top up the reserve.", today=ON_TIME)
    message = _outbox(app_id)[-1]
    assert message.event == "remedy_request" and message.sent_at is not None
    ((rcpt, email),) = _arrived(smtp, "Request to remedy a finding")
    assert rcpt == sorted([krw.org.contact_email, krw.issuer.email])
    assert "지적 사항 시정 요구" in email["Subject"]
    body = email.get_content()
    (accession,) = _accessions(app_id, "remedy_request")
    assert f"Accession number: {accession}" in body and f"등록번호: {krw.number}" in body
    assert f"지적 사항: {finding.message['ko']}" in body
    assert f"Finding: {finding.message['en']}" in body
    assert "MiCA Art 36" in body  # the rule's source
    assert "시정 요구 사항: Top up the reserve." in body
    assert "Remedy asked for: Top up the reserve." in body
    assert "감독 담당자에게 알려 주십시오" in body and "tell your supervisor" in body
    move_finding(finding.id, "close", krw.supervisor, "Topped up.", today=ON_TIME)
    assert len(_outbox(app_id)) == before + 1
    assert not any(
        "Seen." in e.get_content() or "Topped up." in e.get_content() for _r, e in smtp.messages
    )


def test_outbox_send_delivers_what_failed_once_the_server_runs_and_sends_nothing_twice(
    app, smtp, cast, monkeypatch
):
    live = app.config["SMTP_PORT"]
    monkeypatch.setitem(app.config, "SMTP_PORT", str(_free_port()))  # nothing listens
    case = cast.case_in("submitted")
    (message,) = _outbox(case.id)
    assert message.sent_at is None and "ConnectionRefusedError" in message.error
    runner = app.test_cli_runner()
    still_down = runner.invoke(args=["outbox", "send"])
    assert still_down.exit_code == 1 and "0 sent, 1 failed" in still_down.output
    monkeypatch.setitem(app.config, "SMTP_PORT", live)
    sent = runner.invoke(args=["outbox", "send"])
    assert sent.exit_code == 0 and sent.output.strip() == "1 sent, 0 failed"
    db.session.refresh(message)
    assert message.sent_at is not None and message.error is None
    ((rcpt, email),) = smtp.messages
    assert "Application received" in email["Subject"] and cast.issuer.email in rcpt
    again = runner.invoke(args=["outbox", "send"])
    assert again.exit_code == 0 and again.output.strip() == "0 sent, 0 failed"
    assert len(smtp.messages) == 1


def test_outbox_send_without_a_mail_server_says_so_and_sends_nothing(app, cast):
    case = cast.case_in("submitted")
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 1 and "SMTP_HOST is not set" in result.output
    assert _outbox(case.id)[0].sent_at is None
