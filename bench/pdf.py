"""The filing PDF's quality bars (docs/design.md section 6), measured in one run:

1. render time of a complete application filing (a KRW stablecoin sample,
   about 10 A4 pages of Korean text): median of several runs; target < 1 s;
2. a repeat download of that filing's PDF through the Flask app (bearer
   token, access check, served from storage) against serving a static file
   of the same size through the same app; target: about 1x;
3. a warm headless Chromium (Debian's, via Playwright) printing the same HTML;
   target: WeasyPrint within 2x of it.

Run with `make bench` (`BENCH_ONLY=pdf` for this one; BENCH_PDF_RUNS, BENCH_DOWNLOADS), or
`.venv/bin/python -m bench.pdf [--runs N] [--downloads N]` (run as a module: as a script,
`bench/` would come first on the path and its `transitions.py` would hide the library).
"""

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import send_from_directory  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.common import CHROMIUM, CHROMIUM_ARGS, report  # noqa: E402
from forms.documents import required_documents  # noqa: E402
from forms.sections.samples import sample_sections  # noqa: E402
from service import create_app  # noqa: E402
from service.applications.operations import actor_for  # noqa: E402
from service.auth.operations import create_user, issue_token  # noqa: E402
from service.canonical import sha256_hex  # noqa: E402
from service.extensions import db  # noqa: E402
from service.filings.operations import make_filing  # noqa: E402
from service.filings.pdf import TEMPLATES, filing_html, render_filing  # noqa: E402
from service.models import Application, Organization  # noqa: E402

TODAY = date(2026, 11, 24)


def application_content() -> dict:
    """A complete KRW stablecoin application as filed: every section, every document."""
    documents = [
        {
            "document_type": code,
            "filename": f"{code}.pdf",
            "size": 180_000 + 977 * n,
            "sha256": sha256_hex(code),
        }
        for n, code in enumerate(required_documents("krw_stablecoin"))
    ]
    return {
        "transition": "submit",
        "from_state": "draft",
        "to_state": "submitted",
        "sections": sample_sections("krw_stablecoin", TODAY),
        "documents": documents,
        "comment": "원화 스테이블코인 발행인 등록을 신청합니다.",
    }


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def run(context: dict | None = None) -> list[dict]:
    """The figures, on a scratch SQLite database of their own (the bench data is not needed)."""
    runs = int(os.environ.get("BENCH_PDF_RUNS", "7"))
    downloads = int(os.environ.get("BENCH_DOWNLOADS", "300"))
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.sqlite",
            "SECRET_KEY": "bench",
            "STORAGE_PATH": str(work / "storage"),
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        }
    )
    static_dir = work / "static"
    static_dir.mkdir()
    app.add_url_rule(
        "/bench-static/<path:name>",
        "bench_static",
        lambda name: send_from_directory(static_dir, name),  # what Flask's static view does
    )
    try:
        with app.app_context():
            upgrade()
            return measure(app, runs, downloads, static_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(app, runs: int, downloads: int, static_dir: Path) -> list[dict]:
    org = Organization(name_en="Hanbit Stable", name_ko="한빛스테이블 주식회사", kind="non_bank")
    db.session.add(org)
    db.session.flush()
    issuer = create_user("issuer@bench.example", "bench-password-1!", "issuer", org, "오지현")
    application = Application(
        organization_id=org.id, category="krw_stablecoin", state="submitted", sections={}
    )
    db.session.add(application)
    db.session.flush()
    filing = make_filing(
        db.session,
        kind="application",
        application=application,
        actor=actor_for(issuer),
        content=application_content(),
    )
    raw_token, _ = issue_token(issuer)
    db.session.commit()
    document = json.loads(filing.content_json)
    stored = (Path(app.config["STORAGE_PATH"]) / filing.pdf_storage_key).read_bytes()
    pages = len(PdfReader(io.BytesIO(stored)).pages)

    # 1. WeasyPrint render, warm (fonts loaded once per thread, as in the service).
    render_filing(document, filing.content_json)
    cpu_start = time.process_time()
    renders = timed(lambda: render_filing(document, filing.content_json), runs)
    render_cpu = (time.process_time() - cpu_start) / runs
    render = statistics.median(renders)

    # 2. A repeat download against a static file of the same size, same app, same client.
    (static_dir / "same-size.pdf").write_bytes(stored)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {raw_token}"}
    url = f"/api/v1/filings/{filing.accession_number}.pdf"
    assert client.get(url, headers=auth).data == stored
    assert client.get("/bench-static/same-size.pdf").data == stored

    def download():
        response = client.get(url, headers=auth)
        assert response.status_code == 200 and len(response.data) == len(stored)

    def static():
        response = client.get("/bench-static/same-size.pdf")
        assert response.status_code == 200 and len(response.data) == len(stored)

    for _ in range(20):  # warm both paths
        download()
        static()
    # Interleaved rounds, so a load spike on the machine hits both sides alike.
    download_times, static_times = [], []
    for _ in range(max(1, downloads // 10)):
        download_times += timed(download, 10)
        static_times += timed(static, 10)
    download_median = statistics.median(download_times)
    static_median = statistics.median(static_times)

    figures = [
        report(
            f"filing PDF render, {pages} pages (vs 1 s)",
            render / 1.0,
            "< 1x",
            render < 1.0,
            f"median of {runs}: {render:.3f} s wall, {render_cpu:.3f} s CPU, "
            f"{len(stored) / 1024:.0f} KB; load average {os.getloadavg()[0]:.1f}",
        ),
        report(
            "filing PDF repeat download vs static file",
            download_median / static_median,
            "<= 1.5x",
            download_median / static_median <= 1.5,
            f"{download_median * 1000:.2f} ms vs {static_median * 1000:.2f} ms, "
            f"median of {len(download_times)} each",
        ),
    ]
    # 3. A warm headless Chromium printing the same HTML (same stylesheet and fonts).
    chromium = chromium_print(document, filing.content_json, runs)
    if chromium is not None:
        figures.append(
            report(
                "filing PDF, WeasyPrint vs warm Chromium",
                render / chromium,
                "<= 2x",
                render / chromium <= 2.0,
                f"{render:.3f} s vs {chromium:.3f} s, median of {runs} each",
            )
        )
    else:
        print(f"  ({CHROMIUM} not found: the Chromium comparison is skipped)")
    return figures


def chromium_print(document: dict, canonical: str, runs: int) -> float | None:
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    stylesheet = (TEMPLATES / "print.css").as_uri()
    html = filing_html(document, canonical).replace(
        "</head>", f'<link rel="stylesheet" href="{stylesheet}"></head>', 1
    )
    # Beside the templates, so the stylesheet's relative font URLs resolve the same way.
    with tempfile.NamedTemporaryFile("w", suffix=".html", dir="/tmp", delete=False) as handle:
        handle.write(html)
    page_url = Path(handle.name).as_uri()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()

            def print_once():
                page.goto(page_url, wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                page.pdf(format="A4", print_background=True)

            print_once()  # warm: browser up, fonts decoded once
            times = timed(print_once, runs)
            browser.close()
        return statistics.median(times)
    finally:
        Path(handle.name).unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per render median")
    parser.add_argument("--downloads", type=int, default=300, help="downloads per side")
    args = parser.parse_args()
    os.environ["BENCH_PDF_RUNS"] = str(args.runs)
    os.environ["BENCH_DOWNLOADS"] = str(args.downloads)
    figures = run()
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
