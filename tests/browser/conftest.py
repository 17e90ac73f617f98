"""Browser tests: Debian's Chromium driven by Playwright against a live server.

The server runs the real app in a thread on 127.0.0.1, on its own database
(a SQLite file, or a `<db>_browser` database beside DATABASE_URL's), loaded
with the demo data once per run. Pages are saved as screenshots under
test-artifacts/screenshots/, and each page shot is checked with axe-core
(vendored from npm into node_modules/ by `make assets`).
"""

import functools
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from bench.common import CHROMIUM, CHROMIUM_ARGS
from service import create_app
from service.demo import DEMO_PASSWORD, load
from service.extensions import db
from service.models import Registration
from tests.conftest import database_url
from tests.service.factories import Cast

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The bar: no serious or critical violation on any page.
AXE_FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory, worker_id):
    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url(folder, worker_id, "_browser"),
            "STORAGE_PATH": str(folder / "storage"),
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
            # Static files from the browser's cache, not revalidated on every page load.
            "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        }
    )
    with app.app_context():
        upgrade()
        load()
    return app


@pytest.fixture(scope="session")
def live_server(browser_app):
    server = make_server("127.0.0.1", 0, browser_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server, locale="ko-KR", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    yield tab
    context.close()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    follow(page, "form.narrow-form button[type=submit]")
    assert "/login" not in page.url, f"login failed for {email}"


def signed_in(chromium, live_server, email: str, language: str, password: str = DEMO_PASSWORD):
    """A browser context of its own at 1280 px, in `language`, signed in as `email`: the
    context (to close) and its page."""
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"/language/{language}?next=/")
    login(page, email, password)
    return context, page


@dataclass(frozen=True)
class RegisteredCase:
    """A case registered through the real steps, with the people who act on it."""

    case_id: int
    number: str
    issuer: str  # e-mail addresses; their password is the factories' PASSWORD
    approver: str


def registered_case(app) -> RegisteredCase:
    """A new cast's case, taken to registration in `app`."""
    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("registered").id
        number = db.session.execute(
            select(Registration.number).where(Registration.application_id == case_id)
        ).scalar_one()
        return RegisteredCase(case_id, number, cast.issuer.email, cast.approver.email)


def choose(control) -> None:
    """Tick a radio button or a checkbox (a locator of the input) the way `follow` clicks: as
    an event on the input, so a page still shifting under load cannot take the click; then
    check that it holds."""
    control.dispatch_event("click")
    assert control.is_checked(), "the choice did not take"


def follow(page, target) -> None:
    """Activate a link or a submit button (a selector or a locator) and wait for the page it
    leads to, not the one still shown.

    The click is dispatched as an event on the element, not at screen coordinates: on a
    loaded machine a page can still shift (late styles and fonts) between the moment the
    button is found and the moment it is clicked, and such a click lands beside it."""
    target = (page.locator(target) if isinstance(target, str) else target).first
    target.wait_for()
    with page.expect_navigation():
        target.dispatch_event("click")


def shoot(page, name: str, *, full_page: bool = True) -> Path:
    """Save the whole page (or only the screen, for an overlay such as an open menu) as
    test-artifacts/screenshots/<name>.png, then check it with axe."""
    path = ARTIFACTS / (re.sub(r"[^a-z0-9_-]+", "-", name.lower()) + ".png")
    page.screenshot(path=str(path), full_page=full_page)
    check_accessibility(page, name)
    return path


@functools.cache
def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make assets` installs axe-core from npm")
    # A trailing expression, so evaluate() runs the file as a script and returns plain data.
    return AXE.read_text(encoding="utf-8") + "\n;true"


# Violations as plain data: rule, impact, help and the selector of each node it failed on.
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


def check_accessibility(page, name: str) -> None:
    """Fail on any serious or critical axe-core violation of the page as shown.

    axe is injected through evaluate(), which the pages' CSP (no inline script)
    does not govern, as a plain <script> would be refused."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = [v for v in page.evaluate(_AXE_RUN) if v["impact"] in AXE_FAILING_IMPACTS]
    if violations:
        lines = [
            f"axe-core: {len(violations)} serious or critical violation(s) on {name} ({page.url})"
        ]
        for v in violations:
            lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['url']})")
            for node in v["nodes"][:10]:
                lines.append(f"    {node['target']}")
                lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines()[:4])
        pytest.fail("\n".join(lines), pytrace=False)


def open_report_form(page, language: str, kind: str) -> str:
    """As Hanbit's issuer, in `language`, open the form of report `kind` of its first
    registration listed; the registration's number."""
    page.goto(f"/language/{language}?next=/")
    login(page, "issuer@hanbit.example")
    page.goto("/monitoring")
    follow(page, "main a[href*='/monitoring/registrations/']")
    number = re.search(r"KVI-\d{4}-\d{4}", page.url).group(0)
    page.goto(f"/monitoring/registrations/{number}/reports/new?kind={kind}")
    return number

