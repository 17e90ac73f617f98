"""`make lighthouse`: Lighthouse 12.2.3 (npm, pinned in package.json) in Debian's Chromium
against gunicorn serving the demo data, on six pages in Korean and in English; prints the
performance, accessibility and best-practices scores (docs/performance.md, "Light pages").

Lighthouse's defaults: a mobile device, simulated slow 4G and a 4x slower CPU. The signed-in
pages get the session cookie of a demo user through `--extra-headers`, the language through
the `lang` cookie. The reports (JSON) go to test-artifacts/lighthouse/.

Environment: LIGHTHOUSE_PAGES (comma-separated names, to run only some).
"""

import json
import os
import re
import shutil
import subprocess  # nosec B404: runs gunicorn and the pinned lighthouse
import sys
import tempfile
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode, urljoin
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

from sqlalchemy import select

from bench import serve
from bench.common import CHROMIUM, CHROMIUM_ARGS, ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
LANGUAGES = ("ko", "en")
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100}
CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
ISSUER = "issuer@hanbit.example"
REVIEWER = "reviewer@fsc.example"
SUPERVISOR = "supervisor@fsc.example"


def _demo_app(folder: Path):
    from flask_migrate import upgrade

    from service import create_app
    from service.demo import load

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'lighthouse.sqlite'}",
            "SECRET_KEY": "lighthouse-bench-secret",
            "STORAGE_PATH": str(folder / "storage"),
        }
    )
    with app.app_context():
        upgrade()
        load()
    return app


def _pages(app) -> list[tuple[str, str, str | None]]:
    """(name, path, who signs in) for the six pages."""
    from service.extensions import db
    from service.models import Application, Organization, Registration

    with app.app_context():
        hanbit = db.session.scalar(
            select(Organization.id).where(Organization.name_en == "Hanbit Bank")
        )
        number = db.session.scalar(
            select(Registration.number)
            .where(Registration.organization_id == hanbit, Registration.status == "registered")
            .limit(1)
        )
        case = db.session.scalar(
            select(Application.id).where(Application.state == "submitted").order_by(Application.id)
        )
    return [
        ("home", "/", None),
        ("register", "/register", None),
        ("registration", f"/register/{number}", None),
        ("issuer dashboard", "/applications", ISSUER),
        ("case", f"/review/cases/{case}", REVIEWER),
        ("monitoring", f"/monitoring/registrations/{number}", SUPERVISOR),
    ]


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session_cookie(base: str, email: str) -> str:
    """Sign in through the login form, as a browser would; return the Cookie header value."""
    from service.demo import DEMO_PASSWORD

    jar = CookieJar()
    browser = build_opener(HTTPCookieProcessor(jar), _NoRedirects)
    with browser.open(urljoin(base, "/login"), timeout=30) as answer:  # nosec B310
        form = answer.read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    body = urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD}).encode()
    try:
        browser.open(Request(urljoin(base, "/login"), data=body), timeout=30)  # nosec B310
        raise RuntimeError(f"signing in as {email} did not redirect")
    except URLError as redirect:
        if getattr(redirect, "code", None) != 302:
            raise
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _lighthouse(url: str, cookie: str, report: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)  # nosec B603
    if done.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    result = json.loads(report.read_text())
    return {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main() -> int:
    for needed, how in [(LIGHTHOUSE, "make assets (npm ci)"), (Path(CHROMIUM), "make browser")]:
        if not needed.exists():
            print(f"lighthouse: {needed} is missing: {how}", file=sys.stderr)
            return 1
    only = {p.strip() for p in os.environ.get("LIGHTHOUSE_PAGES", "").split(",") if p.strip()}
    shutil.rmtree(REPORTS, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="issuer-registry-lighthouse-"))
    server = None
    try:
        app = _demo_app(folder)
        pages = [page for page in _pages(app) if not only or page[0] in only]
        port = serve.free_port()
        base = f"http://127.0.0.1:{port}"
        log = folder / "gunicorn.log"
        server = serve.start_app(
            app, folder, log, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2"
        )
        serve.wait_until_up(base, server, log)
        sessions = {who: _session_cookie(base, who) for who in {p[2] for p in pages} if who}
        rows = []
        for name, path, who in pages:
            for language in LANGUAGES:
                cookie = "; ".join(filter(None, [sessions.get(who), f"lang={language}"]))
                report = REPORTS / f"{name.replace(' ', '-')}-{language}.json"
                scores = _lighthouse(base + path, cookie, report)
                rows.append((name, language, path, scores))
                print(
                    f"  {name:<17} {language}  "
                    + "  ".join(f"{c} {scores[c]:>3}" for c in CATEGORIES),
                    flush=True,
                )
    finally:
        if server is not None:
            serve.stop(server, seconds=30)
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(f"{'page':<17} {'lang':<4} {'perf':>5} {'a11y':>5} {'best':>5}  path")
    for name, language, path, scores in rows:
        print(
            f"{name:<17} {language:<4} {scores['performance']:>5} {scores['accessibility']:>5}"
            f" {scores['best-practices']:>5}  {path}"
        )
    missed = [
        f"{name} {language} {category} {scores[category]} < {TARGETS[category]}"
        for name, language, _path, scores in rows
        for category in CATEGORIES
        if scores[category] < TARGETS[category]
    ]
    print()
    for category in CATEGORIES:
        worst = min(scores[category] for *_rest, scores in rows)
        verdict = "PASS" if worst >= TARGETS[category] else "MISS"
        print(f"{category:<15} lowest {worst:>3}  target >= {TARGETS[category]}  {verdict}")
    print(f"reports: {REPORTS.relative_to(ROOT)}/")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
