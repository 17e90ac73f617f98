"""Every page's first load, in Chromium with an empty cache, transfers under 150 KB: the
document and everything it pulls in (stylesheet, scripts, font pieces, icons), counted as
they cross the network, compressed (docs/performance.md, "Light pages").

The pages are those of the browser tour (test_every_page.py), as each role meets them,
in Korean and in English."""

import pytest

from tests.browser.conftest import login
from tests.browser.test_every_page import LANGUAGES, _tour

BUDGET = 150 * 1024


def _first_load(chromium, live_server, state, path) -> tuple[int, dict[str, int]]:
    """Bytes on the wire (headers and encoded bodies) of one page opened in a fresh
    context, so nothing comes from the cache, and the largest files among them."""
    context = chromium.new_context(
        base_url=live_server, storage_state=state, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    answer = page.goto(path)
    assert answer.status == 200, path
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    encodings = {}
    sizes = {}
    for request in finished:
        size = request.sizes()
        sizes[request.url] = size["responseBodySize"] + size["responseHeadersSize"]
        response = request.response()
        text = request.resource_type in ("document", "stylesheet", "script")
        # Under 500 bytes (app.js) compression gains nothing and is skipped.
        if response and text and size["responseBodySize"] >= 500:
            encodings[request.url] = response.header_value("content-encoding")
    context.close()
    # Text travels compressed, or the budget would only hold by luck.
    assert all(encodings.values()), f"{path}: sent uncompressed: {encodings}"
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_pages_first_load_transfers_under_150_kb(
    chromium, live_server, browser_app, language
):
    heavy = []
    for email, paths in _tour(browser_app):
        context = chromium.new_context(base_url=live_server)
        page = context.new_page()
        page.goto(f"/language/{language}?next=/")
        if email:
            login(page, email)
        state = context.storage_state()
        context.close()
        for path in paths:
            total, sizes = _first_load(chromium, live_server, state, path)
            if total >= BUDGET:
                largest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
                heavy.append(f"{email or 'public'} {path}: {total:,} B; largest {largest}")
    assert not heavy, "\n".join(heavy)
