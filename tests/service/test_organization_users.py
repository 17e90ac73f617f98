"""An issuer's several users, through HTTP (docs/domain.md section 1, "An issuer's
people"): its administrator invites by e-mail with a one-time link and removes users; a
preparer fills in and uploads but cannot sign the declaration, submit, respond, withdraw or
file a report; the log names who prepared and who signed."""

import re
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from forms.report_samples import reserve_report
from service.extensions import db
from service.models import AuditEvent, Invitation, OutboxMessage, Report, ReportDraft, User
from service.models.types import utcnow
from tests.conftest import database_url, migrated_app
from tests.service.conftest import login, token
from tests.service.factories import PASSWORD, Cast, draft, user
from tests.service.test_monitoring import BILLION, registered
from tests.service.test_report_drafts import OCTOBER, _check_page, _draft, _file, _fingerprint

STRONG = "harbour-lantern-42"


def invite(client, email="jiwoo@bank.example", name="박지우", duty="preparer", **extra):
    return client.post(
        "/organization/users/invite", data={"email": email, "name": name, "duty": duty, **extra}
    )


def code_shown(client) -> str:
    """The invitation code the administrator is shown once, after sending the invitation."""
    page = client.get("/organization/users").get_data(as_text=True)
    (code,) = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", page)
    return code


def link_in_mail(email: str) -> str:
    """The path of the one-time link mailed to `email`."""
    sent = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.event == "invitation")
    ).scalars()
    (message,) = [m for m in sent if email in m.recipients]
    assert message.recipients == [email]
    (path,) = re.findall(r"https?://[^/\s]+(/invitations/\S+)", message.body)
    return path


def actions_of(email: str) -> list[str]:
    return list(
        db.session.execute(
            select(AuditEvent.action)
            .where(AuditEvent.actor_label == email)
            .order_by(AuditEvent.seq)
        ).scalars()
    )


def preparer_of(cast: Cast) -> User:
    return user("issuer", cast.org, duty="preparer")


def test_an_administrator_invites_a_preparer_who_sets_a_password_once(app, client, cast):
    login(client, cast.issuer, "en")
    page = client.get("/organization/users").get_data(as_text=True)
    assert cast.issuer.email in page and "Invite a user" in page
    sent = invite(client)
    assert sent.status_code == 302
    code = code_shown(client)
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert (invitation.duty, invitation.organization_id) == ("preparer", cast.org.id)
    assert invitation.token_sha256 not in link_in_mail("jiwoo@bank.example")
    # The code is shown once, and is not in the mail.
    listed = client.get("/organization/users").get_data(as_text=True)
    assert "jiwoo@bank.example" in listed and code not in listed
    mail = db.session.execute(select(OutboxMessage.body)).scalar_one()
    assert code not in mail and code.replace("-", "") not in mail

    newcomer = app.test_client()
    path = link_in_mail("jiwoo@bank.example")
    shown = newcomer.get(path).get_data(as_text=True)
    assert "박지우" in shown and "jiwoo@bank.example" in shown
    weak = newcomer.post(
        path, data={"code": code, "password": "short", "confirm_password": "short"}
    )
    assert weak.status_code == 422
    assert (
        db.session.execute(select(User).where(User.email == "jiwoo@bank.example")).first() is None
    )
    # Typed as people read it out: lower case, a blank for the hyphen.
    typed = code.lower().replace("-", " ")
    made = newcomer.post(path, data={"code": typed, "password": STRONG, "confirm_password": STRONG})
    assert made.status_code == 302
    member = db.session.execute(select(User).where(User.email == "jiwoo@bank.example")).scalar_one()
    assert (member.role, member.duty, member.organization_id) == ("issuer", "preparer", cast.org.id)
    assert not member.organization_admin
    assert newcomer.get("/applications").status_code == 200  # signed in
    # The link works once.
    assert app.test_client().get(path).status_code == 404
    again = app.test_client().post(
        path, data={"code": code, "password": STRONG, "confirm_password": STRONG}
    )
    assert again.status_code == 404
    assert actions_of(cast.issuer.email)[-1] == "invite_user"
    assert actions_of(member.email) == ["accept_invitation"]


@pytest.mark.parametrize(
    "link",
    ["/invitations/guessed-link", "/invitations/" + "A" * 43, "/invitations/%00"],
)
def test_a_guessed_link_opens_nothing(client, cast, link):
    assert client.get(link).status_code == 404
    made = client.post(link, data={"password": STRONG, "confirm_password": STRONG})
    assert made.status_code == 404
    assert db.session.execute(select(User).where(User.duty == "preparer")).first() is None


def test_an_expired_or_withdrawn_invitation_opens_nothing(app, client, cast):
    login(client, cast.issuer, "en")
    invite(client, email="late@bank.example")
    late = link_in_mail("late@bank.example")
    invite(client, email="withdrawn@bank.example")
    withdrawn = link_in_mail("withdrawn@bank.example")
    expiring = db.session.execute(
        select(Invitation).where(Invitation.email == "late@bank.example")
    ).scalar_one()
    expiring.expires_at = utcnow() - timedelta(seconds=1)
    waiting = db.session.execute(
        select(Invitation).where(Invitation.email == "withdrawn@bank.example")
    ).scalar_one()
    assert client.post(f"/organization/invitations/{waiting.id}/withdraw").status_code == 302
    assert waiting.revoked_at is not None
    for path in (late, withdrawn):
        answer = app.test_client().post(path, data={"password": STRONG, "confirm_password": STRONG})
        assert answer.status_code == 404
        assert "유효하지 않은 초대 링크" in answer.get_data(as_text=True)
    assert db.session.execute(select(User).where(User.duty == "preparer")).first() is None


def test_a_bad_invitation_is_refused_on_the_form_and_nothing_is_sent(client, cast):
    login(client, cast.issuer, "en")
    for fields, field in (
        ({"email": "not-an-address"}, "email"),
        ({"email": "a b@bank.example"}, "email"),
        ({"name": "   "}, "name"),
        ({"duty": "approver"}, "duty"),
    ):
        answer = invite(client, **fields)
        assert answer.status_code == 422, fields
        assert f'href="#field-{field}"' in answer.get_data(as_text=True)
    taken = invite(client, email=cast.reviewer.email.upper())
    assert taken.status_code == 409 and "Already has an account" in taken.get_data(as_text=True)
    assert invite(client, email="twice@bank.example").status_code == 302
    twice = invite(client, email="twice@bank.example")
    assert twice.status_code == 409 and "Already invited" in twice.get_data(as_text=True)
    assert len(db.session.execute(select(Invitation)).all()) == 1
    assert (
        db.session.execute(select(OutboxMessage.id).where(OutboxMessage.event == "invitation"))
        .all()
        .__len__()
        == 1
    )


def test_only_the_organizations_administrator_manages_its_users(app, client, cast):
    preparer, officer = preparer_of(cast), user("issuer", cast.org)
    for person in (preparer, officer):
        other = app.test_client()
        login(other, person, "en")
        assert other.get("/organization/users").status_code == 403
        assert invite(other).status_code == 403
        assert other.post(f"/organization/users/{preparer.id}/remove").status_code == 403
    # Another organization's administrator reaches none of this one's users or invitations.
    login(client, cast.issuer)
    invite(client)
    waiting = db.session.execute(select(Invitation)).scalar_one()
    stranger = Cast().issuer
    outsider = app.test_client()
    login(outsider, stranger, "en")
    assert outsider.post(f"/organization/users/{preparer.id}/remove").status_code == 404
    assert outsider.post(f"/organization/invitations/{waiting.id}/withdraw").status_code == 404
    assert preparer.active and waiting.revoked_at is None
    assert str(preparer.email) not in outsider.get("/organization/users").get_data(as_text=True)
    # The regulator's administrator manages the registry, not a bank's people.
    regulator = app.test_client()
    login(regulator, user("admin"), "en")
    assert regulator.get("/organization/users").status_code == 403


def test_a_removed_user_is_signed_out_everywhere_and_cannot_sign_in(app, client, cast):
    preparer = preparer_of(cast)
    theirs = app.test_client()
    login(theirs, preparer, "en")
    bearer = token(app.test_client(), preparer)
    login(client, cast.issuer, "en")
    assert client.post(f"/organization/users/{preparer.id}/remove").status_code == 302
    db.session.refresh(preparer)
    assert not preparer.active
    assert theirs.get("/applications").status_code == 302  # to the login page
    assert app.test_client().get("/api/v1/applications", headers=bearer).status_code == 401
    refused = app.test_client().post("/login", data={"email": preparer.email, "password": PASSWORD})
    assert refused.status_code == 401
    assert "remove_user" in actions_of(cast.issuer.email)
    # Not themselves: the organization would be left without its administrator.
    own = client.post(f"/organization/users/{cast.issuer.id}/remove")
    assert own.status_code == 409 and cast.issuer.active


def test_a_preparer_fills_in_and_uploads_but_cannot_sign_or_submit(app, client, cast):
    case = draft(cast.issuer, cast.category)
    case.sections = {**case.sections, "declaration": {}}
    db.session.commit()
    preparer = preparer_of(cast)
    login(client, preparer, "en")
    saved = client.post(
        f"/applications/{case.id}/sections/declaration",
        data={
            "officer_name": "김서연",
            "officer_title": "대표이사",
            "officer_email": "ceo@bank.example",
            "confirmed": "on",
            "version": str(case.version),
        },
    )
    assert saved.status_code == 422
    assert "Only an officer of your organization confirms" in saved.get_data(as_text=True)
    db.session.refresh(case)
    declaration = case.sections["declaration"]
    assert declaration["officer_name"] == "김서연"  # the rest is kept
    assert "confirmed" not in declaration and "signed_by" not in declaration
    # The check page says who submits; the submit itself is refused, on the web and the API.
    check = client.get(f"/applications/{case.id}/check").get_data(as_text=True)
    assert 'id="officer-submits"' in check and 'id="submit-application"' not in check
    db.session.refresh(case)
    posted = client.post(f"/applications/{case.id}/submit", data={"version": str(case.version)})
    assert posted.status_code == 403
    headers = token(app.test_client(), preparer)
    signed = client.put(
        f"/api/v1/applications/{case.id}/sections/declaration",
        json={**declaration, "confirmed": True},
        headers={**headers, "If-Match": "*"},
    )
    assert signed.status_code == 422 and signed.json["code"] == "officer_signs"
    stepped = client.post(
        f"/api/v1/applications/{case.id}/transitions/withdraw",
        json={"reason": "Changed our plans."},
        headers={**headers, "If-Match": "*"},
    )
    assert stepped.status_code == 403 and stepped.json["code"] == "officer"
    db.session.refresh(case)
    assert case.state == "draft"

    # The officer signs and submits; the log names who prepared and who signed.
    officer = app.test_client()
    login(officer, cast.issuer, "en")
    db.session.refresh(case)
    officer.post(
        f"/applications/{case.id}/sections/declaration",
        data={**declaration, "confirmed": "on", "version": str(case.version)},
    )
    db.session.refresh(case)
    assert case.sections["declaration"]["signed_by"] == cast.issuer.email
    assert (
        officer.post(
            f"/applications/{case.id}/submit", data={"version": str(case.version)}
        ).status_code
        == 302
    )
    assert "save_section" in actions_of(preparer.email)
    assert actions_of(cast.issuer.email)[-2:] == ["sign_declaration", "submit"]


def test_a_preparer_drafts_a_report_and_only_an_officer_files_it(app, client):
    cast = registered()
    preparer = preparer_of(cast)
    login(client, preparer, "en")
    assert _draft(client, cast, reserve_report(OCTOBER, 80 * BILLION)).status_code == 302
    check = _check_page(client, cast).get_data(as_text=True)
    assert 'id="officer-files"' in check and 'id="file-report"' not in check
    draft_row = db.session.execute(select(ReportDraft)).scalar_one()
    assert draft_row.saved_by_id == preparer.id
    officer = app.test_client()
    login(officer, cast.issuer, "en")
    fingerprint = _fingerprint(_check_page(officer, cast).get_data(as_text=True))
    assert _file(client, cast, fingerprint).status_code == 403
    api = client.post(
        f"/api/v1/registrations/{cast.number}/reports",
        json={"kind": "reserve_report", "report": {}},
        headers=token(app.test_client(), preparer),
    )
    assert api.status_code == 403 and api.json["code"] == "officer"
    assert db.session.execute(select(Report)).first() is None
    assert _file(officer, cast, fingerprint).status_code == 302
    assert db.session.execute(select(Report.filed_by_id)).scalar_one() == cast.issuer.id


def test_a_preparer_amends_answers_under_a_request_but_an_officer_responds(client, cast):
    case = cast.case_in("information_requested")
    preparer = preparer_of(cast)
    login(client, preparer, "en")
    tasks = client.get(f"/applications/{case.id}/tasks").get_data(as_text=True)
    assert 'id="officer-responds"' in tasks and "/respond" not in tasks
    answered = client.post(
        f"/applications/{case.id}/respond",
        data={"response": "Our audited accounts are attached.", "version": str(case.version)},
    )
    assert answered.status_code == 403
    for path, body in (
        (f"/applications/{case.id}/withdraw", {"reason": "Plans changed."}),
        (f"/applications/{case.id}/objections", {"grounds": "A mistaken fact."}),
    ):
        assert client.post(path, data={**body, "version": str(case.version)}).status_code == 403
    db.session.refresh(case)
    assert case.state == "information_requested"


def test_a_removed_user_invited_back_gets_the_same_account_with_a_new_password(app, client, cast):
    preparer = preparer_of(cast)
    login(client, cast.issuer, "en")
    client.post(f"/organization/users/{preparer.id}/remove")
    # Another organization cannot claim the address; this one can invite the person back.
    outsider = app.test_client()
    login(outsider, Cast().issuer, "en")
    assert invite(outsider, email=preparer.email).status_code == 409
    assert invite(client, email=preparer.email, duty="officer").status_code == 302
    path = link_in_mail(preparer.email)
    back = app.test_client().post(
        path,
        data={"code": code_shown(client), "password": STRONG, "confirm_password": STRONG},
    )
    assert back.status_code == 302
    db.session.refresh(preparer)
    assert preparer.active and preparer.duty == "officer"
    assert len(db.session.execute(select(User).where(User.email == preparer.email)).all()) == 1
    old = app.test_client().post("/login", data={"email": preparer.email, "password": PASSWORD})
    assert old.status_code == 401


def test_the_mailed_link_alone_opens_nothing_and_five_wrong_codes_withdraw_it(app, client, cast):
    """Whoever reads the outbox holds the link, not the code the administrator gave the
    person another way."""
    login(client, cast.issuer, "en")
    invite(client)
    code = code_shown(client)
    path = link_in_mail("jiwoo@bank.example")
    reader = app.test_client()
    reader.get("/language/en")
    # One character off, never the code itself (a code may end in Z).
    off_by_one = code[:-1] + ("Y" if code.endswith("Z") else "Z")
    for tries_left, guess in zip((4, 3, 2, 1), ("", "AAAA-AAAA", off_by_one, "x"), strict=True):
        answer = reader.post(
            path, data={"code": guess, "password": STRONG, "confirm_password": STRONG}
        )
        assert answer.status_code == 422
        assert f"{tries_left} tries left" in answer.get_data(as_text=True)
    last = reader.post(
        path, data={"code": "BBBB-BBBB", "password": STRONG, "confirm_password": STRONG}
    )
    assert last.status_code == 404
    # Withdrawn: the right code comes too late.
    right = app.test_client().post(
        path, data={"code": code, "password": STRONG, "confirm_password": STRONG}
    )
    assert right.status_code == 404
    assert (
        db.session.execute(select(User).where(User.email == "jiwoo@bank.example")).first() is None
    )
    assert db.session.execute(select(Invitation.revoked_at)).scalar_one() is not None


@pytest.fixture(scope="module")
def migrating_app(tmp_path_factory, worker_id):
    """A database of this module's own, to take back before the duties and forward again."""
    instance = tmp_path_factory.mktemp("users-migration")
    return migrated_app(instance, database_url(instance, worker_id, "_users"))


@pytest.mark.real_commits
def test_accounts_made_before_duties_become_officers_and_their_organizations_admins(
    migrating_app,
):
    """Every issuer user could sign and submit before migration 0023: each stays able to."""
    with migrating_app.app_context():
        cast = Cast()
        preparer = user("issuer", cast.org, duty="preparer")
        ids = {"issuer": cast.issuer.id, "preparer": preparer.id, "reviewer": cast.reviewer.id}
        db.session.remove()
        downgrade(revision="0022")
        upgrade()
        found = {
            name: tuple(
                db.session.execute(
                    text('SELECT duty, organization_admin FROM "user" WHERE id = :id'),
                    {"id": ident},
                ).one()
            )
            for name, ident in ids.items()
        }
        db.session.remove()
    assert found["issuer"] == found["preparer"] == ("officer", True)
    assert found["reviewer"] == (None, False)
