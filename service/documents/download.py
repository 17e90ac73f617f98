"""A stored document as a download: attachment, PDF, its SHA-256 as the ETag."""

import io

from flask import Response, send_file

from service.models import Document
from service.storage import storage


def send_document(document: Document) -> Response:
    response = send_file(
        io.BytesIO(storage().get(document.storage_key)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=document.filename,
        etag=document.sha256,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response
