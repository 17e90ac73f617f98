"""Every stored PDF, JSON and document answers If-None-Match with 304 (docs/performance.md):
a client that holds the file downloads it once, whether or not the answer was compressed."""

import gzip
import tracemalloc

import brotli
import pytest

from service.demo import demo_pdf
from service.documents.operations import add_document
from service.extensions import db
from service.models import Document, Filing, Registration
from tests.service.conftest import login, token
from tests.service.factories import Cast, draft

ENCODINGS = ("br, gzip", "gzip", "identity")


@pytest.fixture
def cast(ctx):
    return Cast(category="krw_stablecoin")  # its decision waits for opinion letters


def _downloads(case) -> dict[str, list[str]]:
    """The download addresses of one registered case, by who may fetch them."""
    number = db.session.query(Registration).filter_by(application_id=case.id).one().number
    # The sealed decision: a filing the issuer receives (some of a case's are internal).
    filing = db.session.query(Filing).filter_by(application_id=case.id, kind="decision").one()
    document = (
        db.session.query(Document).filter_by(application_id=case.id).order_by(Document.id).first()
    )
    opinion = case.opinions[0]
    return {
        "public": [
            f"/register/{number}/documents/white-paper.pdf",
            f"/register/{number}/documents/certificate.pdf",
            f"/register/{number}/documents/certificate.json",
        ],
        "issuer": [
            f"/filings/{filing.accession_number}.pdf",
            f"/filings/{filing.accession_number}.json",
            f"/applications/{case.id}/documents/{document.id}",
        ],
        "api": [
            f"/api/v1/filings/{filing.accession_number}.pdf",
            f"/api/v1/filings/{filing.accession_number}.json",
            f"/api/v1/applications/{case.id}/documents/{document.id}",
        ],
        "reviewer": [f"/review/cases/{case.id}/opinions/{opinion.id}/letter"],
    }


def _decoded(answer) -> bytes:
    encoding = answer.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(answer.data)
    if encoding == "br":
        return brotli.decompress(answer.data)
    return answer.data


def _revalidates(client, url: str, headers: dict) -> None:
    for encoding in ENCODINGS:
        first = client.get(url, headers={**headers, "Accept-Encoding": encoding})
        assert first.status_code == 200, (url, first.status_code)
        etag = first.headers.get("ETag")
        assert etag, f"{url} carries no ETag"
        again = client.get(
            url, headers={**headers, "Accept-Encoding": encoding, "If-None-Match": etag}
        )
        assert again.status_code == 304, (url, encoding, etag, again.status_code)
        assert again.data == b""
        other = client.get(
            url, headers={**headers, "Accept-Encoding": encoding, "If-None-Match": '"0" '}
        )
        # The same content; a gzip body's header carries the second it was made in.
        assert other.status_code == 200 and _decoded(other) == _decoded(first)


def test_every_stored_download_answers_304_to_its_own_etag(app, client, cast):
    case = cast.case_in("registered")
    addresses = _downloads(case)
    for url in addresses["public"]:
        _revalidates(client, url, {})
    login(client, cast.issuer)
    for url in addresses["issuer"]:
        _revalidates(client, url, {})
    auth = token(app.test_client(), cast.issuer)
    for url in addresses["api"]:
        _revalidates(client, url, auth)
    client.post("/logout")
    login(client, cast.reviewer)
    for url in addresses["reviewer"]:
        _revalidates(client, url, {})


def streamed(client, url: str) -> tuple[int, int]:
    """The bytes a download sends, read as they come, and the peak of Python's memory
    while it was sent."""
    tracemalloc.start()
    try:
        answer = client.get(url, buffered=False)
        assert answer.status_code == 200
        received = sum(len(chunk) for chunk in answer.response)
        answer.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return received, peak


def test_a_large_document_streams_out_without_being_read_whole_into_memory(client, cast):
    application = draft(cast.issuer, cast.category, complete=False)
    size = 16 * 1024 * 1024
    data = demo_pdf("a large document " * (size // 17))  # a page of one long line
    document = add_document(application, cast.issuer, "business_plan", "plan.pdf", data)
    del data
    login(client, cast.issuer)
    received, peak = streamed(client, f"/applications/{application.id}/documents/{document.id}")
    assert received == document.size > size
    # Hashed and sent a chunk at a time: the peak is a small part of the file.
    assert peak < size // 4, f"peak {peak:,} B for a {size:,} B file"
