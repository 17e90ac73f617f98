"""The auditor's desk in a real browser: find a filing, download its PDF, see the chain."""

from pathlib import Path

from tests.browser.conftest import follow, login, shoot
from tests.service.pdfs import has_text, pdfa_part


def test_an_auditor_finds_a_filing_and_downloads_its_archival_pdf(page):
    login(page, "auditor@bai.example")
    assert page.url.endswith("/audit")
    page.select_option("#f-kind", "application")
    follow(page, "form.inline-form button[type=submit]")
    shoot(page, "auditor-filings-ko")
    link = page.locator("table.tbl tbody tr:first-child a", has_text="PDF")
    # Clicked by event (a late layout shift cannot make it miss); a busy machine gets time.
    with page.expect_download(timeout=60_000) as download:
        link.dispatch_event("click")
    path = download.value.path()
    data = Path(path).read_bytes()
    assert download.value.suggested_filename.startswith("VAR-")
    assert pdfa_part(data) == ("3", "A")
    assert has_text(data, "가상자산 발행인 등록 신청서")


def test_an_auditor_sees_the_chain_intact_with_its_head_hash(page):
    login(page, "auditor@bai.example")
    page.goto("/audit/integrity")
    assert page.locator(".app-notice-success").is_visible()
    shoot(page, "auditor-integrity-ko")
