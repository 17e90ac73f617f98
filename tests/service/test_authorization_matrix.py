"""Every route, with every role, against the permission policy's own table.

The routes come from the app's URL map; a route without an entry in service.policy.ROUTES
fails. Each role's test builds one registered KRW stablecoin case (with its filings,
opinions, a monitoring finding) and an open case, then calls every rule and method once,
and expects what the policy answers for that user and those objects.

Outcomes:
- "allowed": the request got past authorization: 2xx; a 3xx other than a redirect to the
  login page; or a validation or state answer (400, 409, 412, 422, 428) to a request
  whose body cannot succeed. HTML forms answer these with the page and the reason, never
  with a redirect. Operations ask the policy before the state, so such an answer never
  stands in for a refusal: a route that checked state first would fail its row.
- "denied": 401/403 (HTML forms: the error page), or a redirect to /login. A form that
  answered a refusal with a redirect would read as "allowed" here and fail its row.
- "hidden": 404, the object is not revealed to that caller.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from flask import g, url_for
from sqlalchemy import select
from werkzeug.routing import Map, Rule

from forms.report_samples import reserve_report
from service import policy
from service.audit import chain
from service.auth.passwords import hash_password
from service.canonical import sha256_hex
from service.extensions import db
from service.hearings.operations import give_notice
from service.models import (
    Application,
    ChangeApproval,
    Document,
    Filing,
    Finding,
    Invitation,
    Objection,
    Opinion,
    Registration,
    Webhook,
)
from service.models.types import utcnow
from service.monitoring.reports import submit_report
from service.webhooks import signing
from tests.service import factories
from tests.service.factories import PASSWORD
from tests.service.test_monitoring import registered
from workflows.lifecycle import BY_NAME
from workflows.monitoring.findings import FINDING_MOVES_BY_NAME

ROLES = (
    "anonymous",
    "issuer",
    "other_issuer",
    "reviewer",
    "approver",
    "supervisor",
    "auditor",
    "admin",
)
REGULATORS = frozenset(policy.REGULATORS)
# What a refused decision reads as over HTTP.
OUTCOMES = {401: "denied", 403: "denied", 404: "hidden"}


# How to call a rule: URL arguments beyond the world's objects, a body, headers, a query.
@dataclass(frozen=True)
class Call:
    args: dict = field(default_factory=dict)
    form: dict | None = None
    json: dict | None = None
    query: dict | None = None
    headers: dict | None = None
    open_case: bool = False  # the submitted, unassigned case rather than the registered one


CALLS: dict[tuple[str, str], Call] = {
    ("api_sections.put_section", "PUT"): Call(json={}, headers={"If-Match": "*"}),
    ("sections.section_table_template", "GET"): Call(
        args={"name": "business_plan"}, query={"table": "monthly_projections"}
    ),
    ("sections.upload_section_table", "POST"): Call(
        args={"name": "business_plan"}, form={"table": "monthly_projections"}
    ),
    ("main.set_language", "GET"): Call(args={"code": "en"}),
    ("applications.create", "POST"): Call(form={"category": ""}),
    ("applications.apply_transition", "POST"): Call(args={"name": "suspend"}, form={}),
    ("review.add_opinion", "POST"): Call(form={}),
    ("review.claim", "POST"): Call(form={}, open_case=True),
    # The objection stands against the open case's (made-up) decision: policy decides first.
    ("hearings.dismiss_objection", "POST"): Call(form={}, open_case=True),
    ("api_applications.dismiss_objection", "POST"): Call(json={}, open_case=True),
    # A change applied for on the open case: policy decides first; past it the case is not
    # a registration in force, so the change is not decided (409).
    ("changes.decide_change", "POST"): Call(form={}, open_case=True),
    ("review.assign", "POST"): Call(open_case=True),  # reviewer_id filled from the world
    ("review.add_note", "POST"): Call(form={"text": "Checked."}, open_case=True),
    ("monitoring.new_report", "GET"): Call(query={"kind": "reserve_report"}),
    ("monitoring.save_report_draft", "POST"): Call(form={"kind": "reserve_report"}),
    ("monitoring.check_report", "GET"): Call(query={"kind": "reserve_report"}),
    ("monitoring.report_table_template", "GET"): Call(
        query={"kind": "reserve_report", "table": "reserve_assets"}
    ),
    ("monitoring.upload_report_table", "POST"): Call(
        form={"kind": "reserve_report", "table": "reserve_assets"}
    ),
    ("monitoring.file_report", "POST"): Call(form={"kind": "reserve_report"}),
    ("monitoring.move_finding", "POST"): Call(form={"move": "acknowledge"}),
    ("monitoring.warning_letter", "POST"): Call(form={"reasons": ""}),
    ("monitoring.supervise_issuance", "POST"): Call(form={"action": "cap", "reason": ""}),
    ("monitoring.open_renewal", "POST"): Call(form={}),
    ("api_applications.create_application", "POST"): Call(json={"category": "krw_stablecoin"}),
    ("api_schemas.filing_schema", "GET"): Call(args={"kind": "application"}),
    ("api_applications.post_transition", "POST"): Call(
        args={"name": "suspend"}, json={}, headers={"If-Match": "*"}
    ),
    ("api_applications.post_opinion", "POST"): Call(form={}),
    ("api_monitoring.file_report", "POST"): Call(json={"kind": "reserve_report", "report": {}}),
    ("api_monitoring.move_finding", "POST"): Call(args={"move": "acknowledge"}, json={}),
    ("api_applications.decide_change", "POST"): Call(json={}, open_case=True),
    ("api_monitoring.file_redemption_report", "POST"): Call(json={}),
    ("auth.invite_user", "POST"): Call(form={}),
    # A wrong code: refused, and the invitation stays for the next role's world.
    ("auth.accept_invitation", "POST"): Call(form={"code": "WRONG", "password": "short"}),
}
INVITATION_TOKEN = "matrix-invitation-link"
# These end the caller's own session (or token): each runs on a client signed in for it.
SIGN_OUT_RULES = {("auth.logout", "POST"), ("auth.sign_out_everywhere", "POST")}
# These change who is signed in: each runs on a client of its own.
SESSION_RULES = SIGN_OUT_RULES | {
    ("auth.login", "POST"),
    ("api_auth.create_token", "POST"),
    ("api_auth.delete_token", "DELETE"),
}


def routes(app) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


@dataclass
class World:
    cast: factories.Cast
    users: dict
    application_id: int
    open_case_id: int
    number: str
    accession: str
    finding_id: int
    opinion_id: int
    internal_accession: str = ""
    draft_id: int = 0
    document_id: int = 0
    verification_id: int = 0
    webhook_id: int = 0
    notice_id: int = 0
    objection_id: int = 0
    change_id: int = 0
    invitation_id: int = 0
    member_id: int = 0


def build_world() -> World:
    cast = registered()  # a KRW stablecoin case registered on 2026-01-15, both opinions in
    application = cast.registration.application
    open_case = cast.case_in("submitted")
    # A September reserve one won short: a critical finding, open.
    short = reserve_report(
        date(2026, 9, 1),
        10 * 10**9,
        deposits={"A Bank": 2_500_000_000, "B Bank": 2_500_000_000},
        bonds=5 * 10**9 - 1,
    )
    submit_report(cast.number, cast.issuer, "reserve_report", short, today=date(2026, 10, 16))
    finding = db.session.execute(
        select(Finding).where(Finding.registration_id == cast.registration.id)
    ).scalar_one()
    # A filing the issuer may read: its own, not internal, with its PDF.
    accession = (
        db.session.execute(
            select(Filing.accession_number)
            .where(
                Filing.application_id == application.id,
                Filing.internal.is_(False),
                Filing.pdf_storage_key.is_not(None),
            )
            .order_by(Filing.id)
        )
        .scalars()
        .first()
    )
    opinion_id = (
        db.session.execute(select(Opinion.id).where(Opinion.application_id == application.id))
        .scalars()
        .first()
    )
    assert accession and opinion_id
    users = {
        "issuer": cast.issuer,
        "other_issuer": factories.user("issuer"),
        "reviewer": cast.reviewer,
        "approver": cast.approver,
        "supervisor": cast.supervisor,
        "auditor": cast.auditor,
        "admin": factories.user("admin"),
    }
    # The recommendation's filing is regulator-internal; a draft is its issuer's alone.
    internal_accession = (
        db.session.execute(
            select(Filing.accession_number).where(
                Filing.application_id == application.id, Filing.internal.is_(True)
            )
        )
        .scalars()
        .first()
    )
    assert internal_accession
    draft = factories.draft(cast.issuer, cast.category, complete=False)
    document_id = (
        db.session.execute(select(Document.id).where(Document.application_id == application.id))
        .scalars()
        .first()
    )
    # A full pass of the chain, recorded, for GET /api/v1/audit/verifications/<id>.
    verification_id = chain.start_full_verification(db.session, "matrix").id
    chain.run_full_verification(verification_id)
    # The issuer's webhook (its URL is never called: the world's cases do not move).
    webhook = Webhook(
        organization_id=cast.issuer.organization_id,
        url="https://hooks.example.com/registry",
        secret=signing.seal(signing.new_secret()),
    )
    db.session.add(webhook)
    db.session.flush()
    # A notice of intended revocation the issuer may still comment on.
    notice = give_notice(
        application.id,
        cast.approver,
        {"action": "revoke", "grounds": "Reserve short.", "comment_deadline": "2026-12-31"},
    )
    # An objection row on the open case, so the dismissal routes name a real one: the policy
    # answers first; past it the case has no decision in force, so an approver gets 409.
    objection = Objection(
        application_id=open_case.id,
        decision="refuse",
        decision_accession="VAR-2026-999999",
        grounds="A mistaken fact.",
        lodged_on=date(2026, 11, 2),
        lodged_by_id=cast.issuer.id,
        accession_number="VAR-2026-999998",
    )
    db.session.add(objection)
    change = ChangeApproval(
        application_id=open_case.id,
        kind="token",
        details={"description": "A second token."},
        planned_on=date(2026, 12, 31),
        applied_on=date(2026, 11, 2),
        applied_by_id=cast.issuer.id,
        accession_number="VAR-2026-999997",
    )
    db.session.add(change)
    # A preparer of the issuer, whom its administrator may remove, and an invitation waiting.
    member = factories.user("issuer", cast.org, duty="preparer")
    invitation = Invitation(
        organization_id=cast.org.id,
        email="invited@example.test",
        name="Invited",
        duty="preparer",
        token_sha256=sha256_hex(INVITATION_TOKEN),
        code_hash=hash_password("MATRIX22"),
        invited_by_id=cast.issuer.id,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.flush()
    return World(
        cast,
        users,
        application.id,
        open_case.id,
        cast.number,
        accession,
        finding.id,
        opinion_id,
        internal_accession,
        draft.id,
        document_id,
        verification_id,
        webhook.id,
        notice.id,
        objection.id,
        change.id,
        invitation.id,
        member.id,
    )


# Objects some roles must not see although they may use the route: each variant of the
# world is asked of the policy too, so these routes are checked on those objects as well.
FILING_ROUTES = (
    "filings.pdf",
    "filings.json",
    "api_filings.get_filing",
    "api_filings.get_filing_pdf",
    "api_filings.get_filing_json",
    "api_filings.get_filing_receipt",
)
CASE_ROUTES = (
    "applications.detail",
    "review.case",
    "api_applications.get_application",
    "api_applications.list_transitions",
    "api_applications.list_events",
    "api_applications.list_opinions",
    "api_applications.list_notices",
    "auditor.case_events_csv",
    "auditor.case_trail_pdf",
)
HIDDEN_OBJECTS = {
    # The recommendation filing (internal): not even its own issuer reads it.
    "internal filing": (
        lambda world: replace(world, accession=world.internal_accession),
        FILING_ROUTES,
    ),
    # An unsubmitted draft: no regulator reads it.
    "draft": (lambda world: replace(world, application_id=world.draft_id), CASE_ROUTES),
}


def object_of(world: World, model, spec: "Call"):
    """The world's object an action of `model` is asked about, as the route's URL names it."""
    if model is None:
        return None
    if model is Application:
        return db.session.get(
            Application, world.open_case_id if spec.open_case else world.application_id
        )
    if model is Registration:
        return db.session.execute(
            select(Registration).where(Registration.number == world.number)
        ).scalar_one()
    if model is Finding:
        return db.session.get(Finding, world.finding_id)
    if model is Webhook:
        return db.session.get(Webhook, world.webhook_id)
    if model is Filing:
        return db.session.execute(
            select(Filing).where(Filing.accession_number == world.accession)
        ).scalar_one()
    raise LookupError(f"the world has no {model.__name__}")


def expected(world: World, endpoint: str, method: str, role: str) -> str:
    """What the policy answers `role` for this route on the world's objects."""
    spec = CALLS.get((endpoint, method), Call())
    placeholders = {**(spec.form or {}), **spec.args}
    user = world.users.get(role)
    for name in policy.route_actions(endpoint, method):
        name = name.format(**placeholders)
        decision = policy.check(user, name, object_of(world, policy.ACTIONS[name].model, spec))
        if not decision:
            return OUTCOMES[decision.status]
    return "allowed"


def outcome(answer) -> str:
    status = answer.status_code
    if 300 <= status < 400:
        if urlparse(answer.headers.get("Location", "")).path == "/login":
            return "denied"
        return "allowed"
    if 200 <= status < 300 or status in (400, 409, 412, 422, 428):
        return "allowed"
    if status in (401, 403):
        return "denied"
    if status == 404:
        return "hidden"
    return f"unexpected {status}"


def forget_the_last_user() -> None:
    """Requests made inside the test's app context share its `g`, where Flask-Login keeps
    the user it loaded: without this, a request would act as the previous request's user
    whatever its cookie says."""
    g.pop("_login_user", None)


def sign_in(client, user) -> None:
    forget_the_last_user()
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.data


def token_of(client, user) -> str:
    forget_the_last_user()
    answer = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 201, answer.data
    return answer.get_json()["token"]


def call(app, client, world, endpoint, method, role, bearer):
    spec = CALLS.get((endpoint, method), Call())
    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
    values = {
        "application_id": world.open_case_id if spec.open_case else world.application_id,
        "number": world.number,
        "accession": world.accession,
        "finding_id": world.finding_id,
        "opinion_id": world.opinion_id,
        "document_id": world.document_id,
        "verification_id": world.verification_id,
        "webhook_id": world.webhook_id,
        "notice_id": world.notice_id,
        "objection_id": world.objection_id,
        "change_id": world.change_id,
        "invitation_id": world.invitation_id,
        "token": INVITATION_TOKEN,
        "name": "applicant",
        # The administrator ends the sessions of a user the loop does not sign in as; a lock
        # that is not there is lifted already (a redirect back to the list).
        "user_id": world.cast.reviewer2.id,
        "lock_id": 1,
    }
    args = {name: values[name] for name in rule.arguments if name in values} | spec.args
    with app.test_request_context():
        url = url_for(endpoint, **args)
    api = url.startswith("/api/")
    user = world.users.get(role)
    form = spec.form
    if endpoint == "review.assign":
        form = {"reviewer_id": str(world.cast.reviewer2.id)}
    if endpoint == "auth.remove_user":  # a user of the issuer's own organization
        args["user_id"] = world.member_id
        with app.test_request_context():
            url = url_for(endpoint, **args)
    headers = dict(spec.headers or {})
    if api and bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    if (endpoint, method) in SESSION_RULES:
        # A fresh client: signing in or out must not change the session the loop uses.
        client = app.test_client()
        who = user or world.cast.issuer  # an anonymous caller signs in as someone
        if endpoint == "auth.sign_out_everywhere" and user:
            # It ends every session and token of its user: someone else of the same role.
            user = factories.user(user.role)
        if (endpoint, method) in SIGN_OUT_RULES and user:
            sign_in(client, user)
        if endpoint == "api_auth.delete_token" and user:
            headers["Authorization"] = f"Bearer {token_of(app.test_client(), user)}"
        form = {"email": who.email, "password": PASSWORD} if endpoint == "auth.login" else form
        if endpoint == "api_auth.create_token":
            spec = Call(json={"email": who.email, "password": PASSWORD})
    forget_the_last_user()
    answer = client.open(
        url,
        method=method,
        data=form,
        json=spec.json,
        query_string=spec.query,
        headers=headers,
    )
    answer.get_data()  # streamed answers (CSV, ZIP) run to their end and pop their context
    answer.close()
    return outcome(answer), answer


def without_entry(app) -> list[str]:
    """The served routes the policy does not name; every action an entry names exists."""
    missing = []
    for endpoint, method in routes(app):
        try:
            names = policy.route_actions(endpoint, method)
        except KeyError:
            missing.append(f"{method} {endpoint}")
            continue
        for name in names:
            options = {"name": BY_NAME, "move": FINDING_MOVES_BY_NAME}
            for placeholder, table in options.items():
                if "{" + placeholder + "}" in name:
                    name = name.format(**{placeholder: next(iter(table))})
            assert name in policy.ACTIONS, f"{endpoint} names the unknown action {name}"
    return missing


def test_every_served_route_has_an_entry_in_the_policy(app):
    """A route the policy does not name fails, so a new view cannot skip the policy; an
    explicit "public" entry is an entry."""
    assert without_entry(app) == [], "routes without a policy entry"
    served = {endpoint for endpoint, _method in routes(app)}
    entries = {key if isinstance(key, str) else key[0] for key in policy.ROUTES}
    assert entries <= served, f"entries without a route: {sorted(entries - served)}"
    # A view added without an entry is caught.
    grown = SimpleNamespace(url_map=Map([*(r.empty() for r in app.url_map.iter_rules())]))
    grown.url_map.add(Rule("/unlisted", endpoint="main.unlisted", methods=["GET"]))
    assert without_entry(grown) == ["GET main.unlisted"]


def listed(client, url, bearer, key) -> set:
    forget_the_last_user()
    answer = client.get(
        url, query_string={"limit": 200}, headers={"Authorization": f"Bearer {bearer}"}
    )
    assert answer.status_code == 200, answer.data
    return {item[key] for item in answer.get_json()["items"]}


def list_leaks(client, world, role, bearer) -> list[str]:
    """The API's lists show a role exactly what its reads allow, no more, no less."""
    regulator = role in REGULATORS
    own = role == "issuer"
    problems = []
    cases = listed(client, "/api/v1/applications", bearer, "id")
    for case_id, visible in (
        (world.application_id, own or regulator),
        (world.open_case_id, own or regulator),
        (world.draft_id, own),
    ):
        if (case_id in cases) != visible:
            problems.append(
                f"GET /api/v1/applications as {role}: case {case_id} listed={not visible}"
            )
    filings = listed(client, "/api/v1/filings", bearer, "accession_number")
    for accession, visible in (
        (world.accession, own or regulator),
        (world.internal_accession, regulator),
    ):
        if (accession in filings) != visible:
            problems.append(f"GET /api/v1/filings as {role}: {accession} listed={not visible}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, ctx, role):
    world = build_world()
    client = app.test_client()
    user = world.users.get(role)
    bearer = None
    if user is not None:
        sign_in(client, user)
        bearer = token_of(app.test_client(), user)
    mismatches = []
    checked = 0
    for endpoint, method in routes(app):
        want = expected(world, endpoint, method, role)
        got, answer = call(app, client, world, endpoint, method, role, bearer)
        checked += 1
        if got != want:
            mismatches.append(
                f"{method} {answer.request.path} ({endpoint}) as {role}: "
                f"expected {want}, got {got} ({answer.status_code})"
            )
    assert checked == len(routes(app))
    for label, (variant, endpoints) in HIDDEN_OBJECTS.items():
        for endpoint in endpoints:
            want = expected(variant(world), endpoint, "GET", role)
            got, answer = call(app, client, variant(world), endpoint, "GET", role, bearer)
            if got != want:
                mismatches.append(
                    f"GET {answer.request.path} ({endpoint}, {label}) as {role}: "
                    f"expected {want}, got {got} ({answer.status_code})"
                )
    if bearer:
        mismatches += list_leaks(client, world, role, bearer)
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("role", sorted(REGULATORS | {"issuer"}))
def test_a_deactivated_user_loses_its_session_and_its_tokens_at_once(app, ctx, role):
    user = factories.user(role)
    client = app.test_client()
    sign_in(client, user)
    bearer = token_of(app.test_client(), user)
    forget_the_last_user()
    assert client.get("/").status_code == 302  # signed in: sent to the role's desk
    user.active = False
    db.session.commit()
    forget_the_last_user()
    page = client.get("/applications")
    assert page.status_code == 302
    assert urlparse(page.headers["Location"]).path == "/login"
    forget_the_last_user()
    api = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {bearer}"})
    assert api.status_code == 401


def test_the_policy_lets_the_auditor_change_nothing_and_no_issuer_touch_another_organization(
    app, ctx
):
    """docs/domain.md: auditors read everything and change nothing; docs/design.md: no
    cross-organization read or write, drafts are their issuer's own, recommendations the
    regulator's. Checked on the policy, which the matrix holds the routes to."""
    # Signing in and out, one's own password, and accepting an invitation (the link is the
    # right to it) change nothing of the registry's.
    signing = {
        "auth.accept_invitation",
        "auth.login",
        "auth.logout",
        "auth.sign_out_everywhere",
        "auth.change_password",
        "api_auth.create_token",
        "api_auth.delete_token",
    }
    writes = {(e, m) for e, m in routes(app) if m != "GET" and e not in signing}
    assert writes, "the URL map has state-changing routes"
    everything = [*BY_NAME, *FINDING_MOVES_BY_NAME]
    auditor_writes = []
    for endpoint, method in writes:
        for step in everything:
            names = [n.format(name=step, move=step) for n in policy.route_actions(endpoint, method)]
            admitted = [policy.ACTIONS[n].roles for n in names if n in policy.ACTIONS]
            if len(admitted) == len(names) and all(r is None or "auditor" in r for r in admitted):
                auditor_writes.append(f"{method} {endpoint}")
    assert auditor_writes == []
    # Another organization's issuer is allowed, off the public register, only where the
    # route names no organization's object.
    world = build_world()
    objects = {"application_id", "number", "accession", "finding_id"}
    reaches = [
        (endpoint, method)
        for endpoint, method in routes(app)
        for rule in app.url_map.iter_rules(endpoint)
        if objects & set(rule.arguments)
        and "public" not in policy.route_actions(endpoint, method)
        and expected(world, endpoint, method, "other_issuer") == "allowed"
    ]
    assert reaches == []
    draft = db.session.get(Application, world.draft_id)
    internal = db.session.execute(
        select(Filing).where(Filing.accession_number == world.internal_accession)
    ).scalar_one()
    for role in REGULATORS:
        assert policy.check(world.users[role], "case.view", draft).status == 404
    for role in ("issuer", "other_issuer"):
        assert policy.check(world.users[role], "filing.view", internal).status == 404
