"""The public register: only what docs/domain.md section 6 makes public.

Nothing from the review (recommendations, opinions, requests), no personal
data and no cross-border flow figures: each disclosure is built field by
field from the registration, its application's applicant and white-paper
sections, the filed token design, the status-changing audit events and the
published documents. The register is read in keyset pages (docs/register.md).
"""

import io
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, url_for
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, lazyload

from service import csv_safe, keyset
from service.changes.queries import approved_white_papers
from service.extensions import db
from service.models import (
    Application,
    AuditEvent,
    Document,
    Filing,
    Organization,
    Registration,
    Report,
)
from service.timezone import in_korea
from workflows.bilingual import t
from workflows.lifecycle import TRANSITIONS
from workflows.monitoring.rules import reserve_figures
from workflows.regime import CATEGORY_LABELS
from workflows.regime import profile as regime_profile

# The audit actions that change a registration's public status, and the status they leave:
# the steps that say so in the step table (docs/design.md, "The step table"), and a renewal.
STATUS_EVENTS = {
    **{t.name: t.public_status for t in TRANSITIONS if t.public_status},
    "renew": "renewed",
    # An objection to a suspension or revocation, and its dismissal; upheld, it is the
    # `restore` step (docs/domain.md section 4, objection).
    "lodge_objection": "objected_to",
    "dismiss_objection": "objection_dismissed",
}
# Statuses that end a registration: its end date is the day it took one of them.
ENDING_STATUSES = ("revoked", "surrendered", "lapsed")
# The document types published with a registration (docs/domain.md section 6: white paper).
PUBLISHED_DOCUMENT_TYPES = {"white_paper": "register.white_paper"}
CERTIFICATE_KIND = "certificate"
# The authority that grants and withdraws every registration (docs/domain.md section 1).
COMPETENT_AUTHORITY = t("Financial Services Commission", "금융위원회")

# Rows per page of the register (HTML and JSON), and per query of the streamed CSV.
PAGE = 50
CSV_BATCH = 250

# The register's fields, in order: the JSON keys of an entry (docs/register.md). Where
# each value comes from: docs/domain.md section 6.
PUBLIC_FIELDS = (
    "registration_number",
    "competent_authority_ko",
    "competent_authority_en",
    "issuer_name_ko",
    "issuer_name_en",
    "commercial_names",
    "lei",
    "registered_address",
    "website",
    "category",
    "token_name",
    "token_symbol",
    "status",
    "registered_on",
    "valid_until",
    "ended_on",
    "redeem_holders_by",
    "holders_redeemed_on",
    "status_since",
    "under_objection_since",
    "white_paper_version",
    "white_paper_date",
    "white_paper_updated_on",
    "conditions",
    "history",
)
# The CSV's columns: the fields, the category in Korean beside its code, and the history
# as one column per status, each holding every date it was taken ("; " between them).
HISTORY_COLUMNS = {status: f"{status}_dates" for status in dict.fromkeys(STATUS_EVENTS.values())}
CSV_COLUMNS = (
    *PUBLIC_FIELDS[: PUBLIC_FIELDS.index("category") + 1],
    "category_ko",
    *PUBLIC_FIELDS[PUBLIC_FIELDS.index("category") + 1 : -1],
    *HISTORY_COLUMNS.values(),
)
# The values the filed application keeps: (section, field) in Application.sections.
_SECTION_VALUES = {
    "lei": ("applicant", "lei"),
    "registered_address": ("applicant", "registered_office"),
    "website": ("applicant", "website"),
    "commercial_names": ("applicant", "trading_names"),
    "white_paper_version": ("white_paper", "white_paper_version"),
    "white_paper_date": ("white_paper", "white_paper_date"),
}


@dataclass(frozen=True)
class Search:
    """What the register is narrowed to; `text` matches names, number and token."""

    text: str | None = None
    category: str | None = None
    status: str | None = None

    @classmethod
    def of(cls, args: dict[str, Any]) -> "Search":
        """The search that arguments loaded by forms.register.RegisterQuery ask for."""
        return cls(args.get("q"), args.get("category"), args.get("status"))

    def args(self) -> dict[str, str]:
        """The query-string arguments that ask for this search again (for the next link)."""
        found = {"q": self.text, "category": self.category, "status": self.status}
        return {name: value for name, value in found.items() if value}


def next_args(search: Search, limit: int, after: str) -> dict[str, Any]:
    """The query-string arguments of the page after `after`: the same search and page size."""
    size = {} if limit == PAGE else {"limit": limit}
    return {**search.args(), **size, "after": after}


@dataclass(frozen=True)
class Page:
    entries: list[dict[str, Any]]
    # The last number of this page when another page follows; None on the last page.
    next_after: str | None


def _entries_query(search: Search) -> Select:
    sections = Application.sections
    query = (
        select(
            Registration,
            Organization.name_ko.label("issuer_name_ko"),
            Organization.name_en.label("issuer_name_en"),
            *(sections[path].as_string().label(name) for name, path in _SECTION_VALUES.items()),
        )
        .join(Organization, Organization.id == Registration.organization_id)
        .join(Application, Application.id == Registration.application_id)
        .options(lazyload(Registration.organization))  # its names come with the row
    )
    if search.category:
        query = query.where(Registration.category == search.category)
    if search.status:
        query = query.where(Registration.status == search.status)
    if search.text:
        pattern = "%" + _escape_like(search.text.lower()) + "%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Registration.number,
                        Registration.token_name,
                        Registration.token_symbol,
                        Organization.name_ko,
                        Organization.name_en,
                    )
                )
            )
        )
    return query.order_by(Registration.number)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def entries(
    session: Session, search: Search, after: str | None = None, limit: int = PAGE
) -> list[dict[str, Any]]:
    """Up to `limit` entries in number order, after the number `after`: one keyset query,
    then one for the status history and one for the white papers of those rows."""
    query = _entries_query(search)
    if after is not None:
        query = query.where(Registration.number > after)
    rows = session.execute(query.limit(limit)).all()
    return _entries(session, rows)


def page(search: Search, after: str | None = None, limit: int = PAGE) -> Page:
    found = entries(db.session, search, after, limit + 1)
    more = len(found) > limit
    found = found[:limit]
    return Page(found, found[-1]["registration_number"] if more else None)


def entry(r: Registration) -> dict[str, Any]:
    rows = db.session.execute(_entries_query(Search()).where(Registration.id == r.id)).all()
    return _entries(db.session, rows)[0]


def _entries(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    application_ids = [row.Registration.application_id for row in rows]
    histories = _histories(session, application_ids)
    white_papers = _white_paper_updates(session, application_ids)
    approved = approved_white_papers(application_ids)
    return [
        _entry(row, histories[row.Registration.application_id], white_papers, approved)
        for row in rows
    ]


def _entry(
    row: Any,
    history: list[dict[str, Any]],
    white_papers: dict[int, date],
    approved: dict[int, dict[str, Any]],
) -> dict:
    r: Registration = row.Registration
    # A white paper changed with approval replaces the one filed with the application.
    paper = approved.get(r.application_id)
    return {
        "registration_number": r.number,
        "competent_authority_ko": COMPETENT_AUTHORITY.ko,
        "competent_authority_en": COMPETENT_AUTHORITY.en,
        "issuer_name_ko": row.issuer_name_ko,
        "issuer_name_en": row.issuer_name_en,
        "commercial_names": [
            line.strip() for line in (row.commercial_names or "").splitlines() if line.strip()
        ],
        "lei": row.lei or None,
        "registered_address": row.registered_address or None,
        "website": row.website or None,
        "category": r.category,
        "token_name": r.token_name,
        "token_symbol": r.token_symbol,
        "status": r.status,
        "registered_on": r.registered_on,
        "valid_until": r.valid_until,
        "ended_on": r.status_since if r.status in ENDING_STATUSES else None,
        # After an ending, the day by which every holder is to be redeemed, and the day a
        # redemption report showed none left (docs/domain.md section 4, wind-down).
        "redeem_holders_by": r.wind_down_by,
        "holders_redeemed_on": r.wound_down_on,
        "status_since": r.status_since,
        "under_objection_since": _under_objection_since(history),
        "white_paper_version": paper["version"] if paper else row.white_paper_version or None,
        "white_paper_date": paper["date"] if paper else _day(row.white_paper_date),
        # Documents are uploaded before registration, so an approved change is the later.
        "white_paper_updated_on": (
            paper["approved_on"] if paper else white_papers.get(r.application_id)
        ),
        "conditions": r.conditions,
        "history": history,
    }


def _under_objection_since(history: list[dict[str, Any]]) -> date | None:
    """The day of the objection the registration's standing is under, while it is undecided:
    an objection is the last change of the history until it is dismissed or upheld."""
    if history and history[-1]["status"] == "objected_to":
        return history[-1]["on"]
    return None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None  # what is not a day is not published as one


def _histories(session: Session, application_ids: list[int]) -> dict[int, list[dict]]:
    """Registered, suspended, reinstated, revoked, ... with the day (KST) of each, oldest
    first, from the status-changing audit events of each registration's case."""
    found: dict[int, list[dict]] = defaultdict(list)
    if not application_ids:
        return found
    events = session.execute(
        select(AuditEvent.application_id, AuditEvent.action, AuditEvent.occurred_at)
        .where(
            AuditEvent.application_id.in_(application_ids),
            AuditEvent.action.in_(list(STATUS_EVENTS)),
        )
        .order_by(AuditEvent.application_id, AuditEvent.seq)
    ).all()
    for application_id, action, occurred_at in events:
        found[application_id].append(
            {"status": STATUS_EVENTS[action], "on": in_korea(occurred_at).date()}
        )
    return found


def _white_paper_updates(session: Session, application_ids: list[int]) -> dict[int, date]:
    """The day (KST) the published white paper was last uploaded, per case."""
    if not application_ids:
        return {}
    rows = session.execute(
        select(Document.application_id, func.max(Document.uploaded_at))
        .where(
            Document.application_id.in_(application_ids),
            Document.document_type == "white_paper",
        )
        .group_by(Document.application_id)
    ).all()
    return {application_id: in_korea(moment).date() for application_id, moment in rows}


def registration(number: str) -> Registration | None:
    return db.session.execute(
        select(Registration).where(Registration.number == number)
    ).scalar_one_or_none()


def disclosure(r: Registration) -> dict[str, Any]:
    """Everything the public may read about one registration."""
    return {
        **entry(r),
        "issuer": {"name_ko": r.organization.name_ko, "name_en": r.organization.name_en},
        "tokens": filed_tokens(r),
        "documents": published_documents(r),
        "reserve_reports": reserve_reports(r) if r.category == "krw_stablecoin" else [],
        # Conditions a supervisor sets after registration (docs/domain.md section 5); the
        # restriction's reasons stay with the supervisor.
        "issuance_cap_krw": r.issuance_cap_krw,
        "issuance_restricted_since": r.issuance_restricted_since,
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
                    # The file is the white paper filed with the application: its version
                    # there, which a later approved change may have moved past.
                    "version": _filed_white_paper_version(r),
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


def _filed_white_paper_version(r: Registration) -> str | None:
    section, field = _SECTION_VALUES["white_paper_version"]
    return ((r.application.sections or {}).get(section) or {}).get(field) or None


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


INCOMPLETE = "INCOMPLETE"


def csv_row(entry: dict[str, Any]) -> list[Any]:
    """One entry as the CSV's cells (CSV_COLUMNS), lists joined with "; "."""
    cells = {
        key: "; ".join(value) if key in ("conditions", "commercial_names") else value
        for key, value in entry.items()
        if key != "history"
    }
    cells["category_ko"] = CATEGORY_LABELS[entry["category"]].ko
    dates: dict[str, list[str]] = defaultdict(list)
    for change in entry["history"]:
        dates[HISTORY_COLUMNS[change["status"]]].append(change["on"].isoformat())
    cells.update({column: "; ".join(days) for column, days in dates.items()})
    return [cells.get(column) for column in CSV_COLUMNS]


def streamed_csv(search: Search) -> Iterator[str]:
    """The register as CSV, CSV_BATCH entries per keyset query, each in a session of its own
    (service/keyset.py), with a byte-order mark so spreadsheet programs read Korean as UTF-8.

    When a read fails midway the file ends with an INCOMPLETE row saying so and the error is
    raised again, so the server breaks the chunked response off too."""
    buffer = io.StringIO()
    writer = csv_safe.Writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + _drained(buffer)
    last = None
    try:
        for batch in keyset.batches(
            lambda after: keyset.on_its_own(
                lambda session: entries(session, search, after, CSV_BATCH)
            ),
            lambda found: found["registration_number"],
            CSV_BATCH,
        ):
            writer.writerows(csv_row(found) for found in batch)
            last = batch[-1]["registration_number"]
            yield _drained(buffer)
    except Exception:
        writer.writerow(
            [
                INCOMPLETE,
                f"The download stopped after {last or 'the header'} because of a server "
                "error: download the file again.",
                f"서버 오류로 {last or '머리글'} 이후 내려받기가 중단되었습니다. "
                "다시 내려받으십시오.",
            ]
        )
        yield buffer.getvalue()
        raise


def _drained(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
