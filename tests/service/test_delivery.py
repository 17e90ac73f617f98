"""Light pages (docs/performance.md): responses travel compressed with brotli or gzip, and
static files are addressed by their content and cached for a year, while an address
without the current fingerprint is cached for minutes only."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from service.delivery import IMMUTABLE, SHORT, fingerprint_of

STATIC = Path(__file__).resolve().parents[2] / "service" / "static"
SITE_CSS = STATIC / "build" / "site.css"


@pytest.fixture(autouse=True)
def _built():
    if not SITE_CSS.exists():
        pytest.fail("service/static/build/ is missing: `make assets` builds it")


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


@pytest.mark.parametrize(
    ("accepted", "encoding", "decode"),
    [("br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_pages_and_their_files_travel_compressed(app, client, accepted, encoding, decode):
    page = client.get("/register", headers={"Accept-Encoding": accepted})
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in page.headers["Vary"]
    html = decode(page.data).decode()
    assert "<html" in html
    compressed = 0
    for url in _static_urls(html):
        plain = client.get(url)
        answer = client.get(url, headers={"Accept-Encoding": accepted})
        assert answer.status_code == 200, url
        assert "Content-Encoding" not in plain.headers
        if len(plain.get_data()) < app.config["COMPRESS_MIN_SIZE"]:
            # A few hundred bytes gain nothing from it (app.js).
            assert "Content-Encoding" not in answer.headers, url
            continue
        assert answer.headers["Content-Encoding"] == encoding, url
        body = decode(answer.get_data())
        assert body == plain.get_data(), url
        assert len(answer.get_data()) < len(body), url
        compressed += 1
    assert compressed >= 2  # the stylesheet and KRDS's script


def test_a_client_that_accepts_no_compression_gets_the_page_as_is(client):
    page = client.get("/register")
    assert "Content-Encoding" not in page.headers
    assert b"<html" in page.data


def test_the_pages_point_at_fingerprinted_files_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    urls = _static_urls(html)
    assert any(url.startswith("/static/build/site.css?v=") for url in urls)
    assert any(url.startswith("/static/build/js/ui-script.js?v=") for url in urls)
    for url in urls:
        path, _, query = url.partition("?v=")
        assert query == fingerprint_of(STATIC / path.removeprefix("/static/")), url
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["Cache-Control"] == IMMUTABLE, url


def test_the_stylesheet_points_at_fingerprinted_fonts_and_icons(client):
    css = SITE_CSS.read_text(encoding="utf-8")
    urls = re.findall(r"url\(\"?([^\")]+)\"?\)", css)
    local = [url for url in urls if not url.startswith("data:")]
    assert any(url.startswith("fonts/") for url in local)
    assert any(".svg?v=" in url for url in local)
    for url in sorted(set(local)):
        path, _, query = url.partition("?v=")
        file = (SITE_CSS.parent / path.split("#")[0]).resolve()
        assert query.split("#")[0] == fingerprint_of(file), url
        answer = client.get("/static/" + file.relative_to(STATIC).as_posix() + "?v=" + query)
        assert answer.status_code == 200, url
        assert answer.headers["Cache-Control"] == IMMUTABLE, url


@pytest.mark.parametrize("query", ["", "?v=0000000000000000", "?v=old"])
def test_a_static_address_without_the_current_fingerprint_is_cached_briefly(client, query):
    answer = client.get("/static/build/site.css" + query)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == SHORT


def test_a_revalidated_static_file_keeps_its_cache_header(client):
    url = next(u for u in _static_urls(client.get("/").get_data(as_text=True)) if "site.css" in u)
    first = client.get(url, headers={"Accept-Encoding": "br"})
    again = client.get(
        url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == IMMUTABLE


def test_pages_stay_out_of_caches(client):
    page = client.get("/register", headers={"Accept-Encoding": "br"})
    assert page.headers["Cache-Control"] == "no-store"


def test_subresources_carry_no_document_policies_but_svg_and_pages_do(client):
    """A font, stylesheet or script never runs as a document, so the document policies
    (CSP, framing, devices) are left off them; nosniff stays, so none can be taken for
    another type. An SVG opened on its own is a document and keeps them."""
    html = client.get("/").get_data(as_text=True)
    css = next(u for u in _static_urls(html) if "site.css" in u)
    script = next(u for u in _static_urls(html) if "ui-script.js" in u)
    font = "/static/build/fonts/" + sorted((SITE_CSS.parent / "fonts").iterdir())[0].name
    for url in (css, script, font):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["X-Content-Type-Options"] == "nosniff", url
        for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
            assert header not in answer.headers, (url, header)
    for url in ("/static/img/logo-mark.svg", "/register"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "default-src 'self'" in answer.headers["Content-Security-Policy"], url
        assert answer.headers["X-Frame-Options"] == "DENY", url


def test_a_fingerprinted_static_file_carries_no_download_name_or_date(client):
    url = next(u for u in _static_urls(client.get("/").get_data(as_text=True)) if "site.css" in u)
    answer = client.get(url)
    assert answer.headers["Cache-Control"] == IMMUTABLE
    assert "Content-Disposition" not in answer.headers
    assert "Last-Modified" not in answer.headers
    # Without the fingerprint the date stays, so a browser can revalidate.
    assert "Last-Modified" in client.get("/static/build/site.css").headers
