"""A filing's PDF and JSON as HTTP responses: served from storage, never re-rendered.

The ETag is the file's SHA-256, so a client that has it gets 304; the
Content-Disposition names the accession number.
"""

from flask import Response, request, send_file

from service.errors import NotFound
from service.models import Filing
from service.storage import storage


def pdf_response(filing: Filing) -> Response:
    if not filing.pdf_storage_key:
        raise NotFound("This filing has no PDF.", code="pdf_not_found")
    path = storage().path(filing.pdf_storage_key)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{filing.accession_number}.pdf",
        etag=filing.pdf_sha256,
        conditional=True,
        max_age=0,
    )
    return _immutable(response)


def json_response(filing: Filing) -> Response:
    response = Response(filing.content_json, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filing.accession_number}.json"'
    )
    response.set_etag(filing.content_sha256)
    response = response.make_conditional(request)
    return _immutable(response)


def _immutable(response: Response) -> Response:
    # A filing never changes: a private cache may keep it, revalidating by ETag.
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
