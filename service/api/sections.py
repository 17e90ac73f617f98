"""`/api/v1/applications/<id>/sections` and `/documents`: the same schemas and
operations as the issuer's web form."""

from flask import request
from flask_smorest import Blueprint

from service.access import application_for
from service.api.applications import _if_match_version
from service.api.auth import bearer_user, requires_token
from service.api.contract import download, headers
from service.api.schemas import DocumentUpload, DocumentVersionOut, SectionOut
from service.documents import operations as documents
from service.documents.download import send_document
from service.extensions import csrf
from service.sections import queries
from service.sections.operations import save_section

blp = Blueprint(
    "api_sections",
    __name__,
    url_prefix="/api/v1/applications",
    description="Application sections and supporting documents",
)
csrf.exempt(blp)

_IF_MATCH = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}}


@blp.route("/<int:application_id>/sections/<name>", methods=["PUT"])
@requires_token
@blp.doc(
    requestBody={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
    parameters=[_IF_MATCH],
)
@blp.response(200, SectionOut, headers=headers("ETag"))
@blp.alt_response(412, response="PRECONDITION_FAILED")
@blp.alt_response(428, response="PRECONDITION_REQUIRED")
def put_section(application_id, name):
    """Replace a section's answers. Missing answers are kept as a draft; answers
    breaking a rule get 422 with the field errors; a section the category does
    not have is 404."""
    user = bearer_user()
    application_for(user, application_id)
    expected = _if_match_version()
    raw = request.get_json(silent=True)
    application, status = save_section(application_id, name, raw, user, expected)
    body = {
        "name": name,
        "status": status,
        "answers": application.sections[name],
        "version": application.version,
    }
    return body, 200, {"ETag": application.etag}


@blp.route("/<int:application_id>/documents", methods=["GET"])
@requires_token
@blp.response(200, DocumentVersionOut(many=True))
def list_documents(application_id):
    """Every uploaded document, oldest first, with its version within its type."""
    application = application_for(bearer_user(), application_id)
    return [
        {**_fields(row["document"]), "version": row["version"], "current": row["current"]}
        for row in queries.document_versions(application)
    ]


@blp.route("/<int:application_id>/documents", methods=["POST"])
@requires_token
@blp.doc(
    requestBody={
        "required": True,
        "content": {"multipart/form-data": {"schema": DocumentUpload}},
    }
)
@blp.response(201, DocumentVersionOut)
def upload_document(application_id):
    """Upload a PDF (multipart: `document_type`, `file`). Checked by content, size-limited;
    a new upload of a type is a new version, never an overwrite."""
    user = bearer_user()
    application = application_for(user, application_id)
    upload = request.files.get("file")
    data = documents.read_upload(upload.stream if upload else None)
    name = (upload.filename if upload else "") or "document.pdf"
    document_type = request.form.get("document_type", "")
    document = documents.add_document(application, user, document_type, name, data)
    row = next(r for r in queries.document_versions(application) if r["document"] is document)
    return {**_fields(document), "version": row["version"], "current": True}, 201


@blp.route("/<int:application_id>/documents/<int:document_id>", methods=["GET"])
@requires_token
@blp.doc(responses={"200": download("application/pdf", "The stored PDF", etag=True)})
def download_document(application_id, document_id):
    """The stored PDF; its SHA-256 is the ETag."""
    return send_document(documents.document_for(bearer_user(), application_id, document_id))


def _fields(document) -> dict:
    return {
        name: getattr(document, name)
        for name in ("id", "document_type", "filename", "size", "sha256", "uploaded_at")
    }
