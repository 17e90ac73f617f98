"""Transparency in a browser: a closed step and its reason, the lifecycle, public disclosures."""

from pathlib import Path

from tests.browser.conftest import follow, login, shoot


def test_the_approver_sees_approve_closed_until_the_ministry_answers(page):
    page.goto("/language/en?next=/")
    login(page, "approver@fsc.example")
    page.goto("/review?state=recommended&category=krw_stablecoin")
    follow(page, "table.tbl tbody tr:first-child td:first-child a")
    closed = page.locator(".transition-closed", has_text="Approve")
    assert closed.is_visible()
    assert closed.locator(".transition-reason").inner_text() == (
        "The opinion of the Ministry of Economy and Finance is not yet recorded."
    )
    assert page.get_by_text("Opinions due on").is_visible()
    assert page.get_by_role("cell", name="Bank of Korea", exact=True).is_visible()
    # Send back stays open to this approver; a refusal waits for the issuer to be heard on
    # a notice of it, whose form is on the page (docs/domain.md section 4, hearing).
    assert page.locator("button[value=send_back]").is_visible()
    refuse = page.locator(".transition-closed", has_text="Refuse")
    assert "notice of the intended refusal of the registration" in refuse.inner_text()
    assert page.locator("form.notice-form").is_visible()
    assert page.locator("button[value=approve]").count() == 0
    shoot(page, "approver-krw-case-opinion-missing-en")


def test_staff_see_the_live_lifecycle_drawn_from_the_machine(page):
    login(page, "reviewer@fsc.example")
    page.goto("/lifecycle")
    image = page.locator("figure.lifecycle-figure img")
    assert image.is_visible()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 1000
    shoot(page, "lifecycle-ko")


def test_the_public_reads_a_disclosure_page_and_downloads_its_documents(page):
    page.goto("/language/en?next=/register")
    follow(page, "table.tbl tbody tr:has-text('Nuri Labs') td:first-child a")
    assert "/register/KVI-" in page.url
    assert page.get_by_role("heading", name="Published documents").is_visible()
    assert page.locator(".status-history", has_text="Registered").is_visible()
    shoot(page, "public-disclosure-en")
    with page.expect_download() as paper:
        page.locator(".published-documents a[href$='/white-paper.pdf']").dispatch_event("click")
    assert Path(paper.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as certificate_pdf:
        page.locator(".published-documents a[href$='/certificate.pdf']").dispatch_event("click")
    assert Path(certificate_pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as certificate:
        page.locator(".published-documents a[href$='/certificate.json']").dispatch_event("click")
    text = Path(certificate.value.path()).read_text(encoding="utf-8")
    assert '"kind":"certificate"' in text
    assert "Nuri Labs" in text
