"""A filing's PDF and JSON as HTTP responses: served from storage, never re-rendered.

The ETag is the file's SHA-256, so a client that has it gets 304; the
Content-Disposition names the accession number. Both are checked against their recorded
hashes before they are served (service.audit.stored).
"""

from flask import Response, request

from service.audit.stored import send_verified, verified_filing_json
from service.errors import NotReady
from service.filings import operations
from service.models import Filing
from workflows.bilingual import t


def pdf_response(filing: Filing, *, public: bool = False) -> Response:
    """`public`: a document of the public register, which any cache may keep."""
    if not filing.pdf_storage_key and operations.renders_on_demand():
        filing = operations.render_on_demand(filing.accession_number)
    if not filing.pdf_storage_key:
        # Every filing gets its PDF; with the job worker, a moment after it is filed.
        raise NotReady(
            t(
                "The filing's PDF is being rendered; ask again in a few seconds.",
                "제출 문서의 PDF를 만들고 있습니다. 잠시 후 다시 요청하십시오.",
            ),
            code="pdf_pending",
        )
    response = send_verified(
        filing.pdf_storage_key,
        filing.pdf_sha256,
        {"kind": "filing_pdf", "accession_number": filing.accession_number},
        f"{filing.accession_number}.pdf",
    )
    return _immutable(response, public)


def json_response(filing: Filing, *, public: bool = False) -> Response:
    response = Response(verified_filing_json(filing), mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filing.accession_number}.json"'
    )
    response.set_etag(filing.content_sha256)
    response = response.make_conditional(request)
    return _immutable(response, public)


def _immutable(response: Response, public: bool) -> Response:
    # A filing never changes: a cache may keep it, revalidating by ETag (a shared cache only
    # for what the public register publishes).
    scope = "public" if public else "private"
    response.headers["Cache-Control"] = f"{scope}, max-age=0, must-revalidate"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
