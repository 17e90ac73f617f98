"""The names clients are generated with: one `operationId` per operation, set here so that
renaming a view never renames a client's function (docs/api.md). A new operation needs a
line here; tests/api/test_openapi_document.py fails until it has one."""

from forms.sections import SECTIONS
from forms.transitions import PAYLOAD_SCHEMAS

OPERATION_IDS = {
    # (blueprint.endpoint, method): operationId, snake_case verb_noun
    ("api_auth.create_token", "post"): "create_token",
    ("api_auth.delete_token", "delete"): "revoke_token",
    ("api_applications.list_applications", "get"): "list_applications",
    ("api_applications.create_application", "post"): "create_application",
    ("api_applications.get_application", "get"): "get_application",
    ("api_applications.list_transitions", "get"): "list_transitions",
    ("api_applications.list_opinions", "get"): "list_opinions",
    ("api_applications.post_opinion", "post"): "record_opinion",
    ("api_applications.list_events", "get"): "list_events",
    ("api_applications.list_notices", "get"): "list_prior_notices",
    ("api_applications.give_notice", "post"): "give_prior_notice",
    ("api_applications.file_comments", "post"): "file_notice_comments",
    ("api_applications.list_objections", "get"): "list_objections",
    ("api_applications.lodge_objection", "post"): "lodge_objection",
    ("api_applications.dismiss_objection", "post"): "dismiss_objection",
    ("api_applications.list_changes", "get"): "list_changes",
    ("api_applications.apply_for_change", "post"): "apply_for_change",
    ("api_applications.decide_change", "post"): "decide_change",
    ("api_sections.list_documents", "get"): "list_documents",
    ("api_sections.upload_document", "post"): "upload_document",
    ("api_sections.download_document", "get"): "download_document",
    ("api_audit.verify", "get"): "get_audit_verification",
    ("api_audit.start_verification", "post"): "start_full_verification",
    ("api_audit.verification", "get"): "get_full_verification",
    ("api_audit.events_csv", "get"): "download_audit_events",
    ("api_audit.export", "get"): "download_audit_export",
    ("api_register.register", "get"): "list_register_entries",
    ("api_register.register_disclosure", "get"): "get_register_entry",
    ("api_monitoring.list_reports", "get"): "list_reports",
    ("api_monitoring.file_report", "post"): "file_report",
    ("api_monitoring.list_redemption_reports", "get"): "list_redemption_reports",
    ("api_monitoring.file_redemption_report", "post"): "file_redemption_report",
    ("api_monitoring.list_findings", "get"): "list_findings",
    ("api_monitoring.move_finding", "post"): "move_finding",
    ("api_log.key", "get"): "get_log_key",
    ("api_log.latest_checkpoint", "get"): "get_latest_checkpoint",
    ("api_log.checkpoint_of_size", "get"): "get_checkpoint",
    ("api_log.inclusion_proof", "get"): "get_inclusion_proof",
    ("api_log.consistency_proof", "get"): "get_consistency_proof",
    ("api_filings.list_filings", "get"): "list_filings",
    ("api_filings.get_filing", "get"): "get_filing",
    ("api_filings.get_filing_receipt", "get"): "get_filing_receipt",
    ("api_filings.get_filing_pdf", "get"): "download_filing_pdf",
    ("api_filings.get_filing_json", "get"): "download_filing_json",
    ("api_schemas.filing_schema", "get"): "get_filing_schema",
    ("api_webhooks.list_webhooks", "get"): "list_webhooks",
    ("api_webhooks.create_webhook", "post"): "create_webhook",
    ("api_webhooks.get_webhook", "get"): "get_webhook",
    ("api_webhooks.update_webhook", "patch"): "update_webhook",
    ("api_webhooks.rotate_secret", "post"): "rotate_webhook_secret",
    ("api_webhooks.list_deliveries", "get"): "list_webhook_deliveries",
}

# POST /applications/<id>/transitions/<name> is published as one path per step, each named
# apply_<step> (service/api/published.py): the names a client calls to take a step.
STEP_OPERATION_IDS = tuple(f"apply_{step}" for step in PAYLOAD_SCHEMAS)
# PUT /applications/<id>/sections/<name> likewise, one path per section: save_section_<name>.
SECTION_OPERATION_IDS = tuple(f"save_section_{name}" for name in SECTIONS)


def name_operations(blueprint) -> None:
    """Give each documented operation of `blueprint` its operationId from the table."""
    for endpoint, methods in blueprint._docs.items():
        for method, info in methods.items():
            if method == "parameters":
                continue
            found = OPERATION_IDS.get((f"{blueprint.name}.{endpoint}", method))
            if found:
                info.setdefault("manual_doc", {}).setdefault("operationId", found)


# Response headers the document describes, as components (ProblemApi registers them).
HEADERS = {
    "ETag": {
        "description": "the version (an application) or SHA-256 (a file) of what was answered",
        "schema": {"type": "string"},
    },
    "Location": {"description": "where to follow what was started", "schema": {"type": "string"}},
    "Allow": {"description": "the methods this address takes", "schema": {"type": "string"}},
    "Link": {
        "description": "a filing's `rel=\"describedby\"`: its kind's JSON Schema, "
        "`/api/v1/schemas/<kind>.json`",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "seconds to wait before asking again",
        "schema": {"type": "string"},
    },
    "WWW-Authenticate": {"description": "the Bearer scheme", "schema": {"type": "string"}},
}


def header_ref(name: str) -> dict:
    return {"$ref": f"#/components/headers/{name}"}


def headers(*names: str) -> dict:
    """A response's `headers`, by component name."""
    return {name: header_ref(name) for name in names}


def download(
    media_type: str, description: str, *, etag: bool = False, schema: dict | None = None
) -> dict:
    """A 200 response whose body is a file or text, not JSON of a schema: a client generated
    from the document then keeps it as bytes (or text) instead of parsing it."""
    schema = schema or {"type": "string", "format": "binary"}
    response = {"description": description, "content": {media_type: {"schema": schema}}}
    if etag:
        response["headers"] = headers("ETag")
    return response
