"""Reads behind the issuer's form: the task list, a section's errors, documents, versions."""

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from forms.documents import DOCUMENT_TYPES, required_documents
from forms.sections import (
    COMPLETE,
    HAS_ERRORS,
    IN_PROGRESS,
    SectionSpec,
    section_schema,
    section_status,
    sections_for,
)
from forms.sections.base import add_months
from service.applications.completeness import (
    AMENDING_STATES,
    amended_sections,
    outstanding_items,
    section_context,
)
from service.applications.operations import regime
from service.extensions import db
from service.models import Application, Document, Filing
from service.timezone import in_korea
from workflows.bilingual import BiText, localize


@dataclass
class Task:
    spec: SectionSpec
    status: str
    documents: list[tuple[str, Document | None]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name


def tasks(application: Application, today: date) -> list[Task]:
    """Each section of the case with its status and the documents it asks for."""
    ctx = section_context(application, today, regime())
    latest = latest_documents(application)
    answers = application.sections or {}
    return [
        Task(
            spec,
            section_status(spec.name, answers.get(spec.name), ctx),
            [(code, latest.get(code)) for code in spec.documents_for(application.category)],
        )
        for spec in sections_for(application.category, ctx.profile)
    ]


def section_status_map(application: Application, today: date) -> dict[str, str]:
    return {task.name: task.status for task in tasks(application, today)}


def section_errors(application: Application, name: str, today: date, *, full: bool = False):
    """The saved answers' field errors: rule breaks only, or with `full` missing answers too."""
    ctx = section_context(application, today, regime())
    data = (application.sections or {}).get(name) or {}
    status = section_status(name, data, ctx)
    if status == COMPLETE or (status == IN_PROGRESS and not full) or not data:
        return {}
    partial = status == HAS_ERRORS and not full
    return localize(section_schema(name, ctx).validate(data, partial=partial))


def latest_documents(application: Application) -> dict[str, Document]:
    """The document that counts for each type: its latest version."""
    latest: dict[str, Document] = {}
    for document in application.documents:  # ordered by id, so later versions win
        latest[document.document_type] = document
    return latest


def document_versions(application: Application) -> list[dict[str, Any]]:
    """Every upload, numbered within its type, marking the version that counts."""
    latest = latest_documents(application)
    counts: dict[str, int] = {}
    rows = []
    for document in application.documents:
        counts[document.document_type] = counts.get(document.document_type, 0) + 1
        rows.append(
            {
                "document": document,
                "version": counts[document.document_type],
                "current": latest[document.document_type].id == document.id,
            }
        )
    return rows


def document_types_for(application: Application) -> list[str]:
    return required_documents(application.category)


def document_label(code: str) -> BiText:
    return DOCUMENT_TYPES[code]["label"]


def missing(application: Application, today: date):
    """What the next filing still lacks: the whole application for a submission, the
    amended answers for a response."""
    return outstanding_items(application, today, regime())


def amended(application: Application) -> list[str]:
    """While a request is open: the sections changed since the last filing, which the
    response files again (none in any other state)."""
    if application.state not in AMENDING_STATES:
        return []
    return amended_sections(application)


def latest_filing(application: Application, kind: str) -> dict[str, Any] | None:
    """The content of the case's latest filing of `kind`, with its accession number."""
    filing = db.session.execute(
        select(Filing)
        .where(Filing.application_id == application.id, Filing.kind == kind)
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if filing is None:
        return None
    filed_at = in_korea(filing.filed_at).strftime("%Y-%m-%d %H:%M:%S")
    return {
        **json.loads(filing.content_json),
        "sha256": filing.content_sha256,
        "filed_at_kst": filed_at,
    }


def with_plan_months(name: str, values: dict, application: Application, today: date) -> dict:
    """The business plan's projection rows, one per month of the plan, months filled in:
    the issuer types the figures instead of adding 36 rows one by one."""
    if name != "business_plan" or not values.get("plan_starts_on"):
        return values
    try:
        start = date.fromisoformat(str(values["plan_starts_on"])[:7] + "-01")
    except ValueError:
        return values
    rows = list(values.get("monthly_projections") or [])
    given = {str(row.get("month", ""))[:7] for row in rows if isinstance(row, dict)}
    months = regime().business_plan_months
    for offset in range(months):
        month = add_months(start, offset).isoformat()[:7]
        if month not in given:
            rows.append({"month": month})
    rows.sort(key=lambda row: str(row.get("month", "")) if isinstance(row, dict) else "")
    return {**values, "monthly_projections": rows}
