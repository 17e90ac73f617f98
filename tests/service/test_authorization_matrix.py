"""Every route, with every role, against one explicit table of who may do what.

The routes come from the app's URL map; a route without a row in AUTHORIZATION fails.
Each role's test builds one registered KRW stablecoin case (with its filings, opinions,
a monitoring finding) and an open case, then calls every rule and method once.

Outcomes:
- "allowed": the request got past authorization: 2xx; a 3xx other than a redirect to the
  login page; or a validation or state answer (400, 409, 412, 422, 428) to a request
  whose body cannot succeed. HTML forms answer these with the page and the reason, never
  with a redirect. Operations ask the role before the state, so such an answer never
  stands in for a role refusal: a route that checked state first would fail its row.
- "denied": 401/403 (HTML forms: the error page), or a redirect to /login. A form that
  answered a refusal with a redirect would read as "allowed" here and fail its row.
- "hidden": 404, the object is not revealed to that caller.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlparse

import pytest
from flask import g, url_for
from sqlalchemy import select

from forms.report_samples import reserve_report
from service.audit import chain
from service.extensions import db
from service.models import Document, Filing, Finding, Opinion
from service.monitoring.reports import submit_report
from tests.service import factories
from tests.service.factories import PASSWORD
from tests.service.test_monitoring import registered

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
REGULATORS = frozenset({"reviewer", "approver", "supervisor", "auditor", "admin"})
EVERYONE = REGULATORS | {"issuer"}
DASHBOARD = frozenset({"supervisor", "approver", "admin", "auditor", "reviewer"})


@dataclass(frozen=True)
class Allow:
    """Who may use an endpoint (every method of it).

    `roles`: the signed-in roles allowed ("issuer" is the issuer of the owning organization).
    `own_org_only`: an issuer of another organization is answered 404 (the object is hidden);
    without it, another organization's issuer is treated like the owning issuer.
    `public`: anonymous callers are allowed.
    `hidden`: roles answered 404 rather than 403 although they are not allowed.
    `other_org`: the answer to another organization's issuer when it differs from the rule
    above (the object is looked up, and hidden, before the role is checked).
    """

    roles: frozenset = frozenset()
    own_org_only: bool = True
    public: bool = False
    hidden: frozenset = frozenset()
    other_org: str | None = None

    def expected(self, role: str) -> str:
        if role == "anonymous":
            return "allowed" if self.public else "denied"
        if role == "other_issuer":
            if self.other_org:
                return self.other_org
            if "issuer" in self.roles:
                return "hidden" if self.own_org_only else "allowed"
            role = "issuer"
        if role in self.roles:
            return "allowed"
        return "hidden" if role in self.hidden else "denied"


def allow(*roles, **options) -> Allow:
    names = set()
    for role in roles:
        names |= {role} if isinstance(role, str) else set(role)
    return Allow(roles=frozenset(names), **options)


PUBLIC = Allow(roles=frozenset(EVERYONE), own_org_only=False, public=True)
SIGNED_IN = Allow(roles=frozenset(EVERYONE), own_org_only=False)
OWN_CASE = allow("issuer", REGULATORS)  # service.access.application_for
QUEUE = allow(REGULATORS)  # service.access.QUEUE_ROLES + auditor (review/views.py)
AUDIT_DESK = allow("auditor", "admin")  # service.access.AUDIT_ROLES

# A key is an endpoint (every method), or (endpoint, method) where one method differs.
AUTHORIZATION: dict = {
    # -- public ----------------------------------------------------------------------------
    "main.index": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    # One's own account: the password, signing out everywhere (service/auth/views.py).
    "auth.account": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.sign_out_everywhere": SIGNED_IN,
    # The administrator's sign-in locks and sessions of every user.
    "auth.sign_ins": allow("admin"),
    "auth.end_sessions": allow("admin"),
    "auth.release_lock": allow("admin"),
    "register.index": PUBLIC,
    "register.download": PUBLIC,
    "register.disclosure": PUBLIC,
    "register.certificate": PUBLIC,
    "register.certificate_pdf": PUBLIC,
    "register.white_paper": PUBLIC,
    # The transparency log: its key, checkpoints and proofs (docs/transparency.md).
    "api_log.key": PUBLIC,
    "transparency.log_page": PUBLIC,
    "api_log.latest_checkpoint": PUBLIC,
    "api_log.checkpoint_of_size": PUBLIC,
    "api_log.inclusion_proof": PUBLIC,
    "api_log.consistency_proof": PUBLIC,
    "api-docs.openapi_json": PUBLIC,
    "api_auth.create_token": PUBLIC,
    "api_auth.delete_token": SIGNED_IN,
    "api_register.register": PUBLIC,
    "api_register.register_disclosure": PUBLIC,
    # -- the issuer's pages (service/applications/views.py) ---------------------------------
    # Regulators are redirected to the queue; any issuer sees its own (possibly empty) list.
    "applications.dashboard": SIGNED_IN,
    # operations.create_draft: issuers only; the empty category is a 422.
    "applications.create": allow("issuer", own_org_only=False),
    # application_for, then regulators are redirected to review.case.
    "applications.detail": OWN_CASE,
    # "suspend" on a registered case: lifecycle TRANSITIONS give it to supervisor, approver.
    "applications.apply_transition": allow("supervisor", "approver", other_org="hidden"),
    # -- the issuer's application journey (service/sections): pages read through
    # application_for (the issuer's own, every regulator once submitted); changes are the
    # applicant's alone (save_section, add_document and the transitions refuse the others).
    "sections.tasks": OWN_CASE,
    "sections.section": OWN_CASE,
    ("sections.section", "POST"): allow("issuer"),
    "sections.check": OWN_CASE,
    "sections.documents_page": OWN_CASE,
    "sections.download": OWN_CASE,
    "sections.submitted": OWN_CASE,
    "sections.respond": OWN_CASE,
    # The issuer's steps. The registered probe case refuses them by state (409, "allowed"
    # past authorization), but operations.transition asks whose step it is first, so every
    # other role gets 403 whatever the state (respond without an open request too).
    ("sections.respond", "POST"): allow("issuer"),
    "sections.withdraw": OWN_CASE,
    ("sections.withdraw", "POST"): allow("issuer"),
    "sections.upload": allow("issuer"),
    "sections.submit": allow("issuer"),
    "api_sections.put_section": allow("issuer"),
    "api_sections.list_documents": OWN_CASE,
    "api_sections.download_document": OWN_CASE,
    "api_sections.upload_document": allow("issuer"),
    # -- the review desk (QUEUE_ROLES + auditor before every request) -----------------------
    "review.queue": QUEUE,
    "review.case": QUEUE,
    "review.opinion_letter": QUEUE,
    "review.add_opinion": allow("reviewer", "approver"),  # OPINION_ROLES
    "review.claim": allow("reviewer"),
    "review.assign": allow("approver", "admin"),  # ASSIGNING_ROLES
    "review.add_note": allow("reviewer", "approver", "supervisor", "admin"),  # NOTE_ROLES
    # -- supervision pages (DASHBOARD_ROLES + issuer before every request) ------------------
    "monitoring.dashboard": allow("issuer", DASHBOARD, own_org_only=False),
    "monitoring.registration": allow("issuer", DASHBOARD),
    # The report form is the issuer's: the regulators' roles get a 404.
    "monitoring.new_report": allow("issuer", hidden=DASHBOARD),
    "monitoring.file_report": allow("issuer"),
    # Findings are not found for non-regulators; acknowledging is the supervisor's.
    "monitoring.move_finding": allow("supervisor", hidden={"issuer"}, other_org="hidden"),
    "monitoring.warning_letter": allow("supervisor", "approver", other_org="hidden"),
    "monitoring.open_renewal": allow("issuer"),
    # -- the lifecycle diagram, the outbox ---------------------------------------------------
    "lifecycle.page": allow(REGULATORS),
    "lifecycle.diagram": allow(REGULATORS),
    "notifications.outbox": allow("admin"),
    # -- the auditor's desk -----------------------------------------------------------------
    "auditor.filings": AUDIT_DESK,
    "auditor.integrity": AUDIT_DESK,
    "auditor.all_events_csv": AUDIT_DESK,
    "auditor.export": AUDIT_DESK,
    "auditor.case_events_csv": AUDIT_DESK,
    "auditor.case_trail_pdf": AUDIT_DESK,
    # The one change on the desk: starting a full pass of the chain.
    "auditor.start_verification": allow("admin"),
    # -- filings (visible_filings: issuers their own non-internal ones) ---------------------
    "filings.pdf": OWN_CASE,
    "filings.json": OWN_CASE,
    "api_filings.list_filings": SIGNED_IN,
    "api_filings.get_filing": OWN_CASE,
    "api_filings.get_filing_pdf": OWN_CASE,
    "api_filings.get_filing_json": OWN_CASE,
    "api_filings.get_filing_receipt": OWN_CASE,
    # -- the applications API ---------------------------------------------------------------
    "api_applications.list_applications": SIGNED_IN,
    "api_applications.create_application": allow("issuer", own_org_only=False),
    "api_applications.get_application": OWN_CASE,
    "api_applications.list_transitions": OWN_CASE,
    "api_applications.list_events": OWN_CASE,
    "api_applications.list_opinions": OWN_CASE,
    "api_applications.post_opinion": allow("reviewer", "approver", other_org="hidden"),
    "api_applications.post_transition": allow("supervisor", "approver", other_org="hidden"),
    "api_audit.verify": AUDIT_DESK,
    "api_audit.verification": AUDIT_DESK,
    "api_audit.start_verification": allow("admin"),
    # -- the monitoring API (registration_by_number: issuers their own, every regulator) ----
    "api_monitoring.list_reports": OWN_CASE,
    "api_monitoring.list_findings": OWN_CASE,
    "api_monitoring.file_report": allow("issuer"),
    "api_monitoring.move_finding": allow("supervisor", hidden={"issuer"}, other_org="hidden"),
}


# How to call a rule: URL arguments beyond the world's objects, a body, headers, a query.
@dataclass(frozen=True)
class Call:
    args: dict = field(default_factory=dict)
    form: dict | None = None
    json: dict | None = None
    query: dict | None = None
    headers: dict | None = None
    open_case: bool = False  # the submitted, unassigned case rather than the registered one


def rule_for(endpoint: str, method: str) -> Allow:
    return AUTHORIZATION.get((endpoint, method)) or AUTHORIZATION[endpoint]


CALLS: dict[tuple[str, str], Call] = {
    ("api_sections.put_section", "PUT"): Call(json={}, headers={"If-Match": "*"}),
    ("main.set_language", "GET"): Call(args={"code": "en"}),
    ("applications.create", "POST"): Call(form={"category": ""}),
    ("applications.apply_transition", "POST"): Call(args={"name": "suspend"}, form={}),
    ("review.add_opinion", "POST"): Call(form={}),
    ("review.claim", "POST"): Call(form={}, open_case=True),
    ("review.assign", "POST"): Call(open_case=True),  # reviewer_id filled from the world
    ("review.add_note", "POST"): Call(form={"text": "Checked."}, open_case=True),
    ("monitoring.new_report", "GET"): Call(query={"kind": "reserve_report"}),
    ("monitoring.file_report", "POST"): Call(form={"kind": "reserve_report"}),
    ("monitoring.move_finding", "POST"): Call(form={"move": "acknowledge"}),
    ("monitoring.warning_letter", "POST"): Call(form={"reasons": ""}),
    ("monitoring.open_renewal", "POST"): Call(form={}),
    ("api_applications.create_application", "POST"): Call(json={"category": "krw_stablecoin"}),
    ("api_applications.post_transition", "POST"): Call(
        args={"name": "suspend"}, json={}, headers={"If-Match": "*"}
    ),
    ("api_applications.post_opinion", "POST"): Call(form={}),
    ("api_monitoring.file_report", "POST"): Call(json={"kind": "reserve_report", "report": {}}),
    ("api_monitoring.move_finding", "POST"): Call(args={"move": "acknowledge"}, json={}),
}
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
    submit_report(
        cast.number, cast.issuer, "reserve_report", short, today=date(2026, 10, 16)
    )
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
    )


# Objects some roles must not see although they may use the route: there the table's
# "allowed" becomes "hidden" for those roles (other answers stay as the table says).
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
    "auditor.case_events_csv",
    "auditor.case_trail_pdf",
)
HIDDEN_OBJECTS = {
    # The recommendation filing (internal): not even its own issuer reads it.
    "internal filing": (
        lambda world: replace(world, accession=world.internal_accession),
        FILING_ROUTES,
        {"issuer", "other_issuer"},
    ),
    # An unsubmitted draft: no regulator reads it (service.access.can_read).
    "draft": (
        lambda world: replace(world, application_id=world.draft_id),
        CASE_ROUTES,
        REGULATORS | {"other_issuer"},
    ),
}


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


def test_every_route_has_a_row_in_the_authorization_table(app):
    endpoints = {endpoint for endpoint, _method in routes(app)}
    rows = {key for key in AUTHORIZATION if isinstance(key, str)}
    assert endpoints == rows, (
        f"routes without a row: {sorted(endpoints - rows)}; "
        f"rows without a route: {sorted(rows - endpoints)}"
    )


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
        assert endpoint in AUTHORIZATION, f"{endpoint} has no row in AUTHORIZATION"
        expected = rule_for(endpoint, method).expected(role)
        got, answer = call(app, client, world, endpoint, method, role, bearer)
        checked += 1
        if got != expected:
            mismatches.append(
                f"{method} {answer.request.path} ({endpoint}) as {role}: "
                f"expected {expected}, got {got} ({answer.status_code})"
            )
    assert checked == len(routes(app))
    for label, (variant, endpoints, unseen_by) in HIDDEN_OBJECTS.items():
        for endpoint in endpoints:
            expected = rule_for(endpoint, "GET").expected(role)
            if expected == "allowed" and role in unseen_by:
                expected = "hidden"
            got, answer = call(app, client, variant(world), endpoint, "GET", role, bearer)
            if got != expected:
                mismatches.append(
                    f"GET {answer.request.path} ({endpoint}, {label}) as {role}: "
                    f"expected {expected}, got {got} ({answer.status_code})"
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


def test_the_table_lets_the_auditor_change_nothing_and_no_issuer_touch_another_organization(app):
    """docs/domain.md: auditors read everything and change nothing; docs/design.md section 6: no
    cross-organization read or write. Checked on the table, which the matrix holds to."""
    # Signing in and out, and one's own password, change nothing of the registry's.
    signing = {
        "auth.login",
        "auth.logout",
        "auth.sign_out_everywhere",
        "auth.change_password",
        "api_auth.create_token",
        "api_auth.delete_token",
    }
    writes = {(endpoint, method) for endpoint, method in routes(app) if method != "GET"}
    writes = {(e, m) for e, m in writes if e not in signing}
    assert writes, "the URL map has state-changing routes"
    assert {e for e in writes if rule_for(*e).expected("auditor") == "allowed"} == set()
    # Another organization's issuer is allowed, off the public register, only where the
    # route names no organization's object.
    without_object = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not {"application_id", "number", "accession", "finding_id"} & set(rule.arguments)
    }
    reaches = {
        endpoint
        for endpoint, row in AUTHORIZATION.items()
        if row.expected("other_issuer") == "allowed" and not row.public  # the public register
    }
    assert reaches <= without_object, sorted(reaches - without_object)
