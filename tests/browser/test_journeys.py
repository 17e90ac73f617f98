"""The journeys' rough edges, walked in Chromium in Korean and in English: an error
summary's link shows its field with the label below the sticky header; a file over the
body limit is refused beside its upload field; the auditor finds a filing by part of its
number and is told why a reversed period finds nothing; at a phone's width tables are
cards; a text input shows an outline on focus; every footer links the privacy policy and
gives the contact point."""

import re

import pytest

from tests.browser.conftest import follow, login, shoot

LANGUAGES = ("ko", "en")
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def save(page) -> None:
    follow(page, "button[name=save]")


def start_draft(page, category: str) -> int:
    """A new draft of `category`, in whatever language the page is in; its id."""
    page.goto("/applications")
    page.select_option("#category", category)
    follow(page, "form.inline-form button[type=submit]")
    return int(re.search(r"/applications/(\d+)", page.url).group(1))


@pytest.fixture
def open_tab(chromium, live_server):
    """A tab at a given screen size (`open_tab(viewport)`), closed after the test."""
    contexts = []

    def _open(viewport):
        context = chromium.new_context(base_url=live_server, viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


# The summary's links whose target field has its own <label for>.
_LABELLED_TARGETS = """() => [...document.querySelectorAll('#error-summary a[href^="#field-"]')]
  .map(a => a.getAttribute('href'))
  .filter(href => document.querySelector(`label[for="${href.slice(1)}"]`))"""

# Resolves once the page has not scrolled for 300 ms.
_SCROLL_SETTLED = """() => new Promise(done => {
  let last = -1, still = 0;
  const tick = () => {
    if (scrollY === last) { still += 1; if (still >= 3) { done(scrollY); return; } }
    else { still = 0; last = scrollY; }
    setTimeout(tick, 100);
  };
  tick();
})"""

_BOXES = """id => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  return {label: box(document.querySelector(`label[for="${id}"]`)),
          field: box(document.getElementById(id)),
          header: box(document.getElementById('krds-header')),
          height: window.innerHeight};
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_error_summary_link_shows_the_field_with_its_label_below_the_sticky_header(
    open_tab, language, viewport
):
    page = open_tab(viewport)
    page.goto(f"/language/{language}?next=/")
    login(page, "issuer@nurilabs.example")
    application_id = start_draft(page, "other_virtual_asset")
    page.goto(f"/applications/{application_id}/sections/applicant")
    # Every text field answered "x": each one it does not fit is in the summary.
    page.locator("form.app-form").locator(
        "input.krds-input[type=text], input.krds-input[type=email]"
    ).evaluate_all("inputs => inputs.forEach(input => { input.value = 'x'; })")
    save(page)
    targets = page.evaluate(_LABELLED_TARGETS)
    assert len(targets) >= 3, targets
    # The last one lies far down the page: the link has to scroll to it.
    href = targets[-1]
    # The summary takes the focus as the page loads (autofocus): then the reader follows it.
    page.wait_for_function("() => document.activeElement?.id === 'error-summary'")
    # The link is followed by an event on it, not a click at screen coordinates: on a loaded
    # machine the phone layout can still shift under the pointer and the click land beside it
    # (one CI run in several). What the page does on following the link is what is tested.
    page.locator(f'#error-summary a[href="{href}"]').dispatch_event("click")
    page.wait_for_function("h => location.hash === h", arg=href)
    page.evaluate(_SCROLL_SETTLED)  # KRDS scrolls smoothly: wait until it stops
    boxes = page.evaluate(_BOXES, href[1:])
    header_bottom = max(boxes["header"]["bottom"], 0)
    # The label is on screen and not under the sticky header; so is the field.
    assert boxes["label"]["top"] >= header_bottom - 1, boxes
    assert boxes["label"]["bottom"] <= boxes["height"], boxes
    assert header_bottom - 1 <= boxes["field"]["top"] < boxes["field"]["bottom"] <= boxes["height"]
    assert page.locator(href).evaluate("e => e === document.activeElement")
    shoot(page, f"error-summary-link-{language}-{viewport['width']}", full_page=False)


OVERSIZED_MESSAGES = {
    "ko": "파일이 64 KB를 넘습니다. 더 작은 PDF를 올리십시오.",
    "en": "The file is larger than 64 KB: upload a smaller PDF.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_file_over_the_body_limit_is_refused_beside_its_upload_field(
    page, browser_app, monkeypatch, language
):
    # A small limit, so the browser need not send megabytes: the body over it is refused
    # before it is read (Flask's 413), as a 20 MB one is in production.
    monkeypatch.setitem(browser_app.config, "MAX_UPLOAD_BYTES", 64 * 1024)
    monkeypatch.setitem(browser_app.config, "MAX_CONTENT_LENGTH", 80 * 1024)
    page.goto(f"/language/{language}?next=/")
    login(page, "issuer@nurilabs.example")
    application_id = start_draft(page, "other_virtual_asset")
    section = f"/applications/{application_id}/sections/white_paper"
    page.goto(section)
    # An answer of the section, saved: it is still shown after the refusal.
    text = page.locator("form.app-form input.krds-input[type=text]").first
    name = text.get_attribute("name")
    text.fill("Kept answer 7")
    save(page)
    page.goto(section)
    assert page.locator(f'[name="{name}"]').input_value() == "Kept answer 7"

    big = b"%PDF-1.7\n" + b"0" * (200 * 1024) + b"\n%%EOF\n"
    page.set_input_files(
        "#field-file-white_paper",
        {"name": "white_paper.pdf", "mimeType": "application/pdf", "buffer": big},
    )
    follow(page, "#upload-white_paper button[type=submit]")
    error = page.locator("#field-file-white_paper-error")
    assert error.is_visible()
    assert OVERSIZED_MESSAGES[language] in error.inner_text()
    # The same section page, not a dead end: its answers and its other upload forms.
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(f'[name="{name}"]').input_value() == "Kept answer 7"
    assert page.locator("form.app-form button[name=save]").count() == 1
    assert page.locator("#field-file-white_paper").get_attribute("aria-invalid") == "true"
    shoot(page, f"upload-refused-too-large-{language}")
    page.goto(f"/applications/{application_id}/documents")
    assert page.locator("table.tbl a[href*='/documents/']").count() == 0


def _accessions(page) -> list[str]:
    return page.locator("table.tbl tbody th[scope=row]").all_inner_texts()


def _search(page, **fields) -> None:
    page.goto("/audit")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    follow(page, "form.inline-form button[type=submit]")


REVERSED_MESSAGES = {
    "ko": "종료일(2026-01-01)이 시작일(2026-12-31)보다 앞섭니다.",
    "en": "The end date 2026-01-01 is before the start date 2026-12-31",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_auditor_finds_a_filing_by_part_of_its_number_and_wildcards_are_literal(page, language):
    page.goto(f"/language/{language}?next=/")
    login(page, "auditor@bai.example")
    every = _accessions(page)
    assert every and all(re.fullmatch(r"VAR-\d{4}-\d{6}", number) for number in every)
    wanted = every[-1]
    tail = wanted[-4:]  # the end of the number, not its start
    _search(page, accession=tail)
    found = _accessions(page)
    assert wanted in found and all(tail in number for number in found)
    shoot(page, f"auditor-search-part-{language}")
    # `_` and `%` are characters to find, not LIKE's "any character" and "anything".
    _search(page, accession=wanted.replace("-", "_", 1))
    assert _accessions(page) == []
    _search(page, accession=wanted[:3] + "%" + wanted[-3:])
    assert _accessions(page) == []
    _search(page, accession="%")
    assert _accessions(page) == []
    _search(page, accession=wanted.lower())  # typed in lower case, still found
    assert wanted in _accessions(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_auditor_is_told_a_reversed_period_beside_the_dates(page, language):
    page.goto(f"/language/{language}?next=/")
    login(page, "auditor@bai.example")
    _search(page, filed_from="2026-12-31", filed_to="2026-01-01")
    message = page.locator("#f-period-error")
    assert message.is_visible()
    assert REVERSED_MESSAGES[language] in message.inner_text()
    assert page.locator("#f-to").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-from").get_attribute("aria-describedby") == "f-period-error"
    # Said instead of an empty list: no table claiming that nothing matched.
    assert page.locator("table.tbl").count() == 0
    # The dates stay as typed, to be corrected.
    assert page.locator("#f-from").input_value() == "2026-12-31"
    shoot(page, f"auditor-reversed-period-{language}")


# Every cell of every data table in the page: its box, and whether it is shown.
_CELLS = """() => [...document.querySelectorAll('table.tbl.data tbody tr > *')].map(c => {
  const r = c.getBoundingClientRect(); const s = getComputedStyle(c);
  return {text: c.innerText.trim().slice(0, 40), left: r.left, right: r.right, width: r.width,
          shown: s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0,
          label: c.dataset.label || null};
})"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_phone_width_the_dashboard_tables_are_cards_with_every_cell_on_screen(
    open_tab, language
):
    page = open_tab(PHONE)
    page.goto(f"/language/{language}?next=/")
    login(page, "issuer@hanbit.example")
    assert page.locator("#attention-reports").is_visible()
    reports = page.locator("#attention-reports + .krds-table-wrap table")
    assert reports.count() == 1
    # The report table's due date and action, visible in the screen's width.
    for column in (3, 4):
        cell = reports.locator(f"tbody tr:first-child > :nth-child({column + 1})")
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert reports.locator("tbody tr:first-child a", has_text=re.compile(".")).last.is_visible()
    cells = page.evaluate(_CELLS)
    assert cells
    for cell in cells:
        assert cell["shown"], cell
        assert cell["left"] >= 0 and cell["right"] <= PHONE["width"] + 0.5, cell
    # Each value carries its column's heading on the card.
    assert all(cell["label"] for cell in cells if cell["text"]), cells
    shoot(page, f"phone-dashboard-cards-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_text_input_shows_an_outline_when_it_has_focus(page, language):
    page.goto(f"/language/{language}?next=/login")
    before = page.locator("#email").evaluate("e => getComputedStyle(e).outlineStyle")
    page.locator("#email").focus()
    style = page.locator("#email").evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert before == "none"
    assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2, style
    page.keyboard.press("Tab")  # on to the password: the same ring
    assert page.evaluate("() => document.activeElement.id") == "password"
    assert page.locator("#password").evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    shoot(page, f"login-focus-ring-{language}", full_page=False)


PRIVACY_TITLES = {"ko": "개인정보처리방침", "en": "Privacy policy"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_footer_links_the_privacy_policy_and_gives_the_contact_point(
    page, browser_app, language
):
    email = browser_app.config["CONTACT_EMAIL"]
    page.goto(f"/language/{language}?next=/register")
    footer = page.locator("#krds-footer")
    assert footer.locator("#footer-contact a", has_text=email).is_visible()
    link = footer.locator("#footer-privacy")
    assert link.inner_text() == PRIVACY_TITLES[language]
    follow(page, link)
    assert page.url.endswith("/privacy")
    assert page.locator("h1").inner_text() == PRIVACY_TITLES[language]
    # What is kept, why and how long: names and e-mails, sign-ins, the audit trail.
    rows = page.locator("#privacy-table tbody tr")
    assert rows.count() == 3
    for row in ("#privacy-accounts", "#privacy-sign-ins", "#privacy-audit"):
        assert (
            page.locator(f"{row} td").count() == 2 and page.locator(f"{row} td").last.inner_text()
        )
    years = browser_app.config["RETENTION_YEARS"]["sign_ins"]
    kept = page.locator("#privacy-sign-ins td").last.inner_text()
    assert str(years) in kept
    assert page.locator("#privacy-contact-email").get_attribute("href") == f"mailto:{email}"
    shoot(page, f"privacy-policy-{language}")
    # Signed in, the footer is the same.
    login(page, "issuer@hanbit.example")
    assert page.locator("#krds-footer #footer-privacy").is_visible()


# The elements reaching past the right edge of the screen (none is the goal).
_OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length)
  .filter(e => !e.closest('.krds-table-wrap, .app-scroll'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_phone_width_the_issuers_pages_fit_the_screen(open_tab, language):
    """Issue 20, item 15: nothing is wider than a 375 px screen, so nothing scrolls sideways."""
    page = open_tab(PHONE)
    page.goto(f"/language/{language}?next=/")
    login(page, "issuer@hanbit.example")
    for address in ("/", "/applications", "/register"):
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (address, width, page.evaluate(_OVERFLOWING))
