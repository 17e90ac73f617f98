"""A stored document as a download: attachment, PDF, its SHA-256 as the ETag, served only
while its bytes still have that hash and its upload's audit event recorded that hash
(service.audit.stored)."""

from flask import Response

from service.audit.stored import send_verified, upload_recorded
from service.models import Document


def send_document(document: Document, download_name: str | None = None) -> Response:
    record = {
        "kind": "document",
        "document_id": document.id,
        "application_id": document.application_id,
    }
    upload_recorded(document, record)
    response = send_verified(
        document.storage_key, document.sha256, record, download_name or document.filename
    )
    response.cache_control.private = True
    return response
