"""The public register: only what docs/domain.md section 6 makes public.

Nothing from the review (recommendations, opinions, requests), no personal
data and no cross-border flow figures: each disclosure is built field by
field from the registration, the filed token design, the status-changing
audit events and the published documents.
"""

import io
import json
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

from service import csv_safe
from service.extensions import db
from service.models import AuditEvent, Document, Filing, Registration, Report
from service.timezone import in_korea
from workflows.monitoring.rules import reserve_figures
from workflows.regime import CATEGORY_LABELS
from workflows.regime import profile as regime_profile

# The audit actions that change a registration's public status, and the status they leave.
STATUS_EVENTS = {
    "approve": "registered",
    "suspend": "suspended",
    "reinstate": "reinstated",
    "revoke": "revoked",
    "surrender": "surrendered",
    "lapse": "lapsed",
    "renew": "renewed",
}
# The document types published with a registration (docs/domain.md section 6: white paper).
PUBLISHED_DOCUMENT_TYPES = {"white_paper": "register.white_paper"}
CERTIFICATE_KIND = "certificate"

# The register's columns, in order: the JSON keys, the CSV header, nothing else.
PUBLIC_FIELDS = (
    "registration_number",
    "issuer_name_ko",
    "issuer_name_en",
    "category",
    "token_name",
    "token_symbol",
    "status",
    "registered_on",
    "valid_until",
    "status_since",
    "conditions",
)


def register_entries() -> list[dict[str, Any]]:
    rows = db.session.execute(select(Registration).order_by(Registration.number)).scalars()
    return [_entry(r) for r in rows]


def _entry(r: Registration) -> dict[str, Any]:
    return {
        "registration_number": r.number,
        "issuer_name_ko": r.organization.name_ko,
        "issuer_name_en": r.organization.name_en,
        "category": r.category,
        "token_name": r.token_name,
        "token_symbol": r.token_symbol,
        "status": r.status,
        "registered_on": r.registered_on,
        "valid_until": r.valid_until,
        "status_since": r.status_since,
        "conditions": r.conditions,
    }


def registration(number: str) -> Registration | None:
    return db.session.execute(
        select(Registration).where(Registration.number == number)
    ).scalar_one_or_none()


def disclosure(r: Registration) -> dict[str, Any]:
    """Everything the public may read about one registration."""
    return {
        **_entry(r),
        "issuer": {"name_ko": r.organization.name_ko, "name_en": r.organization.name_en},
        "tokens": filed_tokens(r),
        "history": status_history(r),
        "documents": published_documents(r),
        "reserve_reports": reserve_reports(r) if r.category == "krw_stablecoin" else [],
    }


def filed_tokens(r: Registration) -> list[dict[str, Any]]:
    """Name, symbol and ledgers from the token design of the last application filed."""
    filing = db.session.execute(
        select(Filing)
        .where(Filing.application_id == r.application_id, Filing.kind == "application")
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if filing is None:
        return []
    design = json.loads(filing.content_json)["content"]["sections"].get("token_design") or {}
    return [
        {
            "name": design.get("token_name"),
            "symbol": design.get("token_symbol"),
            "ledgers": [
                {
                    "network": ledger.get("network"),
                    "ledger_type": ledger.get("ledger_type"),
                    "smart_contract_address": ledger.get("smart_contract_address"),
                }
                for ledger in design.get("ledgers") or []
            ],
        }
    ]


def status_history(r: Registration) -> list[dict[str, Any]]:
    """Registered, suspended, reinstated, revoked, ... with the day (KST) of each."""
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.occurred_at)
        .where(
            AuditEvent.application_id == r.application_id,
            AuditEvent.action.in_(list(STATUS_EVENTS)),
        )
        .order_by(AuditEvent.seq)
    ).all()
    return [
        {"status": STATUS_EVENTS[action], "on": in_korea(occurred_at).date()}
        for action, occurred_at in events
    ]


def published_documents(r: Registration) -> list[dict[str, Any]]:
    """The white paper uploaded with the application and the registration certificate."""
    found: list[dict[str, Any]] = []
    for document_type, endpoint in PUBLISHED_DOCUMENT_TYPES.items():
        document = published_document(r, document_type)
        if document is not None:
            found.append(
                {
                    "kind": document_type,
                    # The name it downloads under (the issuer's own file name stays private).
                    "filename": f"{r.number}-{document_type.replace('_', '-')}.pdf",
                    "media_type": "application/pdf",
                    "size": document.size,
                    "sha256": document.sha256,
                    "url": url_for(endpoint, number=r.number),
                }
            )
    certificate = certificate_filing(r)
    if certificate is not None:
        # The certificate as its archival PDF, and as the data filed (the PDF carries it too).
        found += [
            {
                "kind": CERTIFICATE_KIND,
                "filename": f"{certificate.accession_number}.pdf",
                "media_type": "application/pdf",
                "size": certificate.pdf_size,
                "sha256": certificate.pdf_sha256,
                "accession_number": certificate.accession_number,
                "url": url_for("register.certificate_pdf", number=r.number),
            },
            {
                "kind": CERTIFICATE_KIND,
                "filename": f"{certificate.accession_number}.json",
                "media_type": "application/json",
                "size": len(certificate.content_json.encode()),
                "sha256": certificate.content_sha256,
                "accession_number": certificate.accession_number,
                "url": url_for("register.certificate", number=r.number),
            },
        ]
    return found


def published_document(r: Registration, document_type: str) -> Document | None:
    """The latest document of that type uploaded before the registration was granted."""
    return db.session.execute(
        select(Document)
        .where(Document.application_id == r.application_id, Document.document_type == document_type)
        .order_by(Document.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def certificate_filing(r: Registration) -> Filing | None:
    return db.session.execute(
        select(Filing)
        .where(
            Filing.application_id == r.application_id,
            Filing.kind == CERTIFICATE_KIND,
            Filing.internal.is_(False),
        )
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def reserve_reports(r: Registration) -> list[dict[str, Any]]:
    """Monthly reserve reports of a KRW stablecoin, newest month first.

    Only the reserve report's public figures: never the cross-border flow
    figures, which stay with the supervisor and the Bank of Korea. A
    resubmission replaces the report it supersedes.
    """
    if r.category != "krw_stablecoin":
        return []
    reports = db.session.execute(
        select(Report)
        .where(Report.registration_id == r.id, Report.kind == "reserve_report")
        .order_by(Report.period_start.desc(), Report.id.desc())
    ).scalars()
    rows: list[dict[str, Any]] = []
    profile = regime_profile(current_app.config["REGIME_PROFILE"])
    for report in reports:
        month = report.period_start.isoformat()[:7]
        if rows and rows[-1]["month"] == month:
            continue  # newest first: a resubmission already stands for this month
        figures = reserve_figures(report.body, profile)
        rows.append(
            {
                "month": month,
                "outstanding_issuance": figures["outstanding_issuance_krw"],
                "reserve_market_value": figures["total_reserve_krw"],
                "coverage_ratio": figures["coverage"],
                "attesting_firm": report.body.get("attesting_cpa_firm"),
            }
        )
    return rows
def register_csv() -> str:
    """The register as CSV, with a byte-order mark so spreadsheet programs read Korean as UTF-8."""
    out = io.StringIO()
    writer = csv_safe.Writer(out)
    writer.writerow([*PUBLIC_FIELDS[:4], "category_ko", *PUBLIC_FIELDS[4:]])
    for entry in register_entries():
        row = [
            "; ".join(value) if key == "conditions" else value for key, value in entry.items()
        ]
        writer.writerow([*row[:4], CATEGORY_LABELS[entry["category"]]["ko"], *row[4:]])
    return "\ufeff" + out.getvalue()
