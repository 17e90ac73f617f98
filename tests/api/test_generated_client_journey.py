"""One journey per role through a client generated from the served OpenAPI document
(docs/api.md): no hand-written HTTP, only the generated functions and models."""

import importlib
import io
import zipfile
from types import SimpleNamespace

import pytest

from forms.documents import required_documents
from forms.sections.json_schema import section_variants
from forms.sections.samples import sample_sections
from service.api.published import section_body_name
from service.demo import demo_pdf
from service.timezone import korea_today
from tests.service.factories import PASSWORD, RECOMMEND, Cast
from translog import merkle
from translog.note import open_checkpoint, parse_verifier
from translog.receipt import unb64, verify_receipt

CATEGORY = "other_virtual_asset"


@pytest.fixture(scope="module")
def cast(api_app):
    """The e-mails of one case's people (an issuer, reviewers, approvers, an auditor)."""
    with api_app.app_context():
        people = Cast(CATEGORY)
        return SimpleNamespace(
            **{
                role: getattr(people, role).email
                for role in ("issuer", "reviewer", "approver", "auditor")
            }
        )


def signed_in(registry_client, served, email):
    """An AuthenticatedClient for `email`, from POST /auth/token through the client."""
    from registry_client.api.api_auth import create_token
    from registry_client.models import Credentials

    anonymous = registry_client.Client(base_url=served)
    answer = create_token.sync_detailed(
        client=anonymous, body=Credentials(email=email, password=PASSWORD)
    )
    assert answer.status_code == 201, answer.content
    return registry_client.AuthenticatedClient(base_url=served, token=answer.parsed.token)


def section_model(section: str) -> str:
    """The generated model of the section's body for CATEGORY."""
    variants = section_variants(section)
    categories = next(c for c in variants.values() if CATEGORY in c)
    return section_body_name(section, categories, len(variants))


def ok(answer, status=200):
    assert answer.status_code == status, answer.content
    return answer.parsed


def test_each_role_walks_its_journey_with_the_generated_client(registry_client, served, cast):
    from registry_client import models
    from registry_client.api.api_applications import (
        apply_approve,
        apply_mark_complete,
        apply_recommend,
        apply_submit,
        create_application,
        get_application,
    )
    from registry_client.api.api_audit import download_audit_export
    from registry_client.api.api_filings import (
        download_filing_json,
        download_filing_pdf,
        get_filing_receipt,
        list_filings,
    )
    from registry_client.api.api_log import get_inclusion_proof, get_latest_checkpoint, get_log_key
    from registry_client.api.api_register import get_register_entry
    from registry_client.api.api_sections import upload_document
    from registry_client.models import (
        ApplicationCreate,
        ApplicationCreateCategory,
        ApproveBody,
        DocumentUpload,
        DocumentUploadDocumentType,
        MarkCompleteBody,
        RecommendBody,
        SubmitBody,
    )
    from registry_client.types import File

    # The issuer drafts, saves its sections, uploads its documents and submits.
    issuer = signed_in(registry_client, served, cast.issuer)
    created = create_application.sync_detailed(
        client=issuer, body=ApplicationCreate(category=ApplicationCreateCategory(CATEGORY))
    )
    case = ok(created, 201)
    etag = created.headers["ETag"]
    for name, answers in sample_sections(CATEGORY, korea_today()).items():
        # Each section is its own operation, its body the model of the case's category.
        save = importlib.import_module(f"registry_client.api.api_sections.save_section_{name}")
        body_model = getattr(models, section_model(name))
        saved = save.sync_detailed(
            case.id, client=issuer, body=body_model.from_dict(answers), if_match=etag
        )
        assert ok(saved).status == "complete", name
        etag = saved.headers["ETag"]
    for document_type in required_documents(CATEGORY):
        upload = DocumentUpload(
            document_type=DocumentUploadDocumentType(document_type),
            file=File(
                payload=io.BytesIO(demo_pdf(document_type)),
                file_name=f"{document_type}.pdf",
                mime_type="application/pdf",
            ),
        )
        document = ok(upload_document.sync_detailed(case.id, client=issuer, body=upload), 201)
        assert document.version == 1
    etag = get_application.sync_detailed(case.id, client=issuer).headers["ETag"]
    submitted = apply_submit.sync_detailed(case.id, client=issuer, body=SubmitBody(), if_match=etag)
    assert ok(submitted).state == "submitted"
    filing = next(
        f
        for f in ok(list_filings.sync_detailed(client=issuer, application_id=case.id)).items
        if f.kind == "application"
    )
    receipt = ok(get_filing_receipt.sync_detailed(filing.accession_number, client=issuer))
    pdf = ok(download_filing_pdf.sync_detailed(filing.accession_number, client=issuer))
    pdf_bytes = pdf.payload.read()
    assert pdf_bytes.startswith(b"%PDF-")

    # The reviewer and the approver take the case to registration, each step through its
    # own operation and body model.
    steps = [
        (cast.reviewer, apply_mark_complete, MarkCompleteBody(), "assessment"),
        (cast.reviewer, apply_recommend, RecommendBody.from_dict(RECOMMEND), "recommended"),
        (cast.approver, apply_approve, ApproveBody(), "registered"),
    ]
    for user, step, body, state in steps:
        regulator = signed_in(registry_client, served, user)
        etag = get_application.sync_detailed(case.id, client=regulator).headers["ETag"]
        moved = step.sync_detailed(case.id, client=regulator, body=body, if_match=etag)
        assert ok(moved).state == state, step.__name__
    number = ok(get_application.sync_detailed(case.id, client=regulator)).registration_number

    # The auditor downloads the filing as filed and the export of the period.
    auditor = signed_in(registry_client, served, cast.auditor)
    filed = ok(download_filing_json.sync_detailed(filing.accession_number, client=auditor))
    assert filed.to_dict()["application_id"] == case.id
    export = ok(download_audit_export.sync_detailed(client=auditor, filed_from=korea_today()))
    with zipfile.ZipFile(io.BytesIO(export.payload.read())) as archive:
        names = archive.namelist()
    assert any(filing.accession_number in name for name in names), names

    # The public reads the register and checks the receipt against the log's own answers.
    public = registry_client.Client(base_url=served)
    entry = ok(get_register_entry.sync_detailed(number, client=public))
    assert entry.status == "registered"
    key = ok(get_log_key.sync_detailed(client=public))
    verifier = parse_verifier(key.strip())
    receipt = receipt.to_dict()
    leaf, _ = verify_receipt(receipt, verifier, pdf_bytes)
    assert leaf["accession"] == filing.accession_number
    latest = open_checkpoint(ok(get_latest_checkpoint.sync_detailed(client=public)), verifier)
    leaf_hash = merkle.leaf_hash(unb64(receipt["leaf_b64"], "the leaf"))
    proof = ok(
        get_inclusion_proof.sync_detailed(client=public, leaf=leaf_hash.hex(), size=latest.size)
    )
    assert proof.leaf_index == receipt["leaf_index"]
    hashes = [unb64(item, "a proof hash") for item in proof.inclusion_proof]
    # Raises ProofError naming what failed, unless the leaf is in the latest signed tree.
    merkle.verify_inclusion(proof.leaf_index, latest.size, leaf_hash, hashes, latest.root)
    assert receipt["tree_size"] <= latest.size
