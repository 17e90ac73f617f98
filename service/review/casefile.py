"""Reads of the case page: the application as filed, by section and label; the diff of
each later filing against the original submission; the filings list; the requests for
opinions; the statutory clock; internal notes."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from marshmallow import fields
from sqlalchemy import select

from forms.documents import DOCUMENT_TYPES, required_documents
from forms.sections import SECTIONS
from forms.sections.base import WholeNumber
from service import policy
from service.access import sees_internal
from service.applications.completeness import missing_items
from service.extensions import db
from service.models import Application, Filing, Note, User
from service.regime import regime
from service.review.clock import assessment_reading, clock_stops
from service.review.queries import reviewers
from service.timezone import in_korea
from workflows.amounts import whole_number_text
from workflows.bilingual import pick
from workflows.clock import business_days_between
from workflows.lifecycle import OPEN_STATES


@dataclass(frozen=True)
class FieldValue:
    """One answered field, flattened: `path` is unique within the section."""

    section: str
    section_title: str
    path: str
    label: str
    value: str


@dataclass(frozen=True)
class FieldChange:
    change: str  # changed | added | removed
    section_title: str
    label: str
    before: str | None
    after: str | None


def filings_for(user: User, application: Application) -> list[Filing]:
    query = select(Filing).where(Filing.application_id == application.id)
    if not sees_internal(user):
        query = query.where(Filing.internal.is_(False))
    return list(db.session.execute(query.order_by(Filing.filed_at, Filing.id)).scalars())


def _content(filing: Filing) -> dict[str, Any]:
    return json.loads(filing.content_json).get("content", {})


def application_filings(filings: list[Filing]) -> list[tuple[Filing, dict[str, Any]]]:
    """Filings that freeze the whole application (submissions, resubmissions, responses)."""
    found = [(filing, _content(filing)) for filing in filings]
    return [(filing, content) for filing, content in found if "sections" in content]


def _choices(field: fields.Field | None) -> dict[Any, Any]:
    return dict(field.metadata.get("choices") or []) if field is not None else {}


def _display(field: fields.Field | None, value: Any) -> str:
    """A filed answer as a person reads it: choices by their label, times in Korea."""
    if isinstance(value, bool):
        return "예 / Yes" if value else "아니요 / No"
    if isinstance(value, list):
        # A group of checkboxes keeps its options on the list, not on each item.
        inner = getattr(field, "inner", None)
        item_field = inner if _choices(inner) else field
        return ", ".join(_display(item_field, item) for item in value)
    choices = _choices(field)
    if value in choices:
        return pick(choices[value])
    if isinstance(field, WholeNumber) and isinstance(value, int | str):
        return whole_number_text(value)
    if isinstance(field, fields.DateTime) and isinstance(value, str):
        try:
            return in_korea(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M KST")
        except ValueError:
            return value
    return "" if value is None else str(value)


def _nested_schema(field: fields.Field | None):
    target = getattr(field, "inner", field)
    nested = getattr(target, "nested", None)
    if nested is None:
        return None
    return nested if isinstance(nested, type) else type(nested)


def _flatten(schema, value: dict, path: str, label: str, out: list[tuple[str, str, Any, Any]]):
    declared = schema._declared_fields if schema is not None else {}
    by_key = {(f.data_key or name): f for name, f in declared.items()}
    order = {key: i for i, key in enumerate(by_key)}
    for key in sorted(value, key=lambda k: (order.get(k, len(order)), k)):
        field = by_key.get(key)
        item = value[key]
        here = f"{path}.{key}" if path else key
        name = pick(field.metadata.get("label")) if field is not None else key
        name = f"{label} › {name}" if label else name
        nested = _nested_schema(field)
        if nested is not None and isinstance(item, list):
            for i, row in enumerate(item):
                if isinstance(row, dict):
                    _flatten(nested, row, f"{here}[{i}]", f"{name} {i + 1}", out)
        elif nested is not None and isinstance(item, dict):
            _flatten(nested, item, here, name, out)
        else:
            out.append((here, name, field, item))


def section_values(sections: dict[str, Any]) -> list[FieldValue]:
    """Every answered field, section by section in the forms' order, labelled."""
    rows: list[FieldValue] = []
    known = [name for name in SECTIONS if name in sections]
    for name in known + sorted(set(sections) - set(SECTIONS)):
        spec = SECTIONS.get(name)
        title = pick(spec.title) if spec else name
        found: list[tuple[str, str, Any, Any]] = []
        _flatten(spec.schema if spec else None, sections[name] or {}, "", "", found)
        rows += [
            FieldValue(name, title, path, label, _display(field, value))
            for path, label, field, value in found
        ]
    return rows


def diff_sections(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Field-level changes between two filed versions of the application."""
    old = {(v.section, v.path): v for v in section_values(before)}
    new = {(v.section, v.path): v for v in section_values(after)}
    changes = []
    for key, value in new.items():
        if key not in old:
            changes.append(
                FieldChange("added", value.section_title, value.label, None, value.value)
            )
        elif old[key].value != value.value:
            changes.append(
                FieldChange(
                    "changed", value.section_title, value.label, old[key].value, value.value
                )
            )
    for key, value in old.items():
        if key not in new:
            changes.append(
                FieldChange("removed", value.section_title, value.label, value.value, None)
            )
    return changes


def filing_diffs(filings: list[Filing]) -> list[dict[str, Any]]:
    """Each application filing after the original submission (a resubmission, a response
    with the answers amended while a request was open), with what changed since that
    original: the reviewer reads every later version against what was first filed."""
    versions = application_filings(filings)
    if not versions:
        return []
    original, old = versions[0]
    return [
        {
            "before": original.accession_number,
            "before_filed_at": original.filed_at,
            "after": filing.accession_number,
            "kind": filing.kind,
            "filed_at": filing.filed_at,
            "changes": diff_sections(old.get("sections") or {}, new.get("sections") or {}),
            "documents": _document_changes(old.get("documents") or [], new.get("documents") or []),
        }
        for filing, new in versions[1:]
    ]


def _document_changes(before: list[dict], after: list[dict]) -> list[FieldChange]:
    old = {d["sha256"]: d for d in before}
    new = {d["sha256"]: d for d in after}
    return [
        FieldChange("added", d["document_type"], d["filename"], None, sha)
        for sha, d in new.items()
        if sha not in old
    ] + [
        FieldChange("removed", d["document_type"], d["filename"], sha, None)
        for sha, d in old.items()
        if sha not in new
    ]


def opinion_requests(filings: list[Filing]) -> list[dict[str, Any]]:
    """The requests for the consulted authorities' opinions, one per recommendation of a KRW
    stablecoin case, oldest first (internal filings: `filings` holds them for staff only)."""
    requests = []
    for filing in filings:
        if filing.kind != "opinion_request":
            continue
        content = _content(filing)
        requests.append(
            {
                "accession_number": filing.accession_number,
                "sent_on": content.get("sent_on"),
                "due_on": content.get("due_on"),
                "addressees": [a.get("authority") for a in content.get("addressees") or []],
            }
        )
    return requests


@dataclass(frozen=True)
class FiledTable:
    """A repeating group of a section as filed: one row per entry, one column per field."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class FiledSection:
    title: str
    values: list[FieldValue]  # the section's single answers, flattened and labelled
    tables: list[FiledTable]  # its repeating groups, as tables


def filed_sections(sections: dict[str, Any]) -> list[FiledSection]:
    """Every section as filed, in the forms' order: its single answers labelled one by one,
    each repeating group (the business plan's months, the holders) as a table."""
    out = []
    known = [name for name in SECTIONS if name in sections]
    for name in known + sorted(set(sections) - set(SECTIONS)):
        spec = SECTIONS.get(name)
        answers = sections[name] or {}
        groups = {}
        if spec is not None:
            for attr, field in spec.schema._declared_fields.items():
                key = field.data_key or attr
                repeating = isinstance(field, fields.List) and _nested_schema(field) is not None
                if repeating and isinstance(answers.get(key), list):
                    groups[key] = field
        single = {k: v for k, v in answers.items() if k not in groups}
        values = section_values({name: single})
        tables = [_table(field, answers[key]) for key, field in groups.items()]
        out.append(FiledSection(pick(spec.title) if spec else name, values, tables))
    return out


def _table(field: fields.List, rows: list) -> FiledTable:
    declared = _nested_schema(field)._declared_fields
    by_key = {(f.data_key or attr): f for attr, f in declared.items()}
    keys = [k for k in by_key if any(isinstance(r, dict) and k in r for r in rows)]
    return FiledTable(
        caption=pick(field.metadata.get("label")),
        columns=[pick(by_key[k].metadata.get("label")) or k for k in keys],
        rows=[
            [_display(by_key[k], row.get(k)) for k in keys] for row in rows if isinstance(row, dict)
        ],
    )


def as_filed(filings: list[Filing]) -> tuple[Filing | None, list[FiledSection]]:
    """The latest filed version of the application, section by section."""
    versions = application_filings(filings)
    if not versions:
        return None, []
    filing, content = versions[-1]
    return filing, filed_sections(content.get("sections") or {})


def clock_detail(application: Application, today: date) -> dict[str, Any]:
    """Business days used and left, and every interval the clock stood still, with its reason."""
    in_force = regime()
    reading = assessment_reading(application, today, in_force)
    stops = [
        {
            "started_on": stop.started_on,
            "ended_on": stop.ended_on,
            "reason": stop.reason,
            "business_days": stop.business_days(today),
        }
        for stop in clock_stops(application)
    ]
    completeness_used = (
        business_days_between(application.submitted_on, application.complete_on or today)
        if application.submitted_on
        else None
    )
    return {
        "reading": reading,
        "stops": stops,
        "completeness_days_used": completeness_used,
        "completeness_days_allowed": in_force.completeness_check_days,
        "stop_allowance": in_force.clock_stop_max_days,
    }


def notes_for(user: User, application: Application) -> list[Note]:
    if not sees_internal(user):
        return []
    return list(
        db.session.execute(
            select(Note).where(Note.application_id == application.id).order_by(Note.id)
        ).scalars()
    )


def completeness_checklist(application: Application, today: date) -> list[dict[str, Any]]:
    """What a reviewer may list as missing: every section and document the category asks for,
    those the forms' rules find missing ticked. Each item reads in both languages."""
    in_force = regime()
    flagged = {(m.kind, m.code) for m in missing_items(application, today, in_force)}
    items = [
        ("section", name, spec.title)
        for name, spec in SECTIONS.items()
        if spec.applies_to(application.category, in_force)
    ] + [
        ("document", code, DOCUMENT_TYPES[code]["label"])
        for code in required_documents(application.category)
    ]
    return [
        {
            "value": f"{label.ko} / {label.en}",
            "label": pick(label),
            "kind": kind,
            "checked": (kind, code) in flagged,
        }
        for kind, code, label in items
    ]


def case_page(user: User, application: Application, today: date) -> dict[str, Any]:
    """Everything the regulator's case page shows beyond the shared summary."""
    filings = filings_for(user, application)
    latest, sections = as_filed(filings)
    can_assign = policy.allows(user, "case.assign") and application.state in OPEN_STATES
    return {
        "filings": filings,
        "as_filed": latest,
        "sections": sections,
        "diffs": filing_diffs(filings),
        "opinion_requests": opinion_requests(filings),
        "clock": clock_detail(application, today),
        "notes": notes_for(user, application),
        "can_claim": policy.allows(user, "case.claim")
        and application.state in OPEN_STATES
        and application.assigned_reviewer_id is None,
        "reviewers": reviewers() if can_assign else [],
        "checklist": (
            completeness_checklist(application, today) if application.state == "submitted" else []
        ),
    }
