"""Reads of filings: who may see which, the search, one filing as metadata."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, select

from service import policy
from service.errors import NotFound
from service.extensions import db
from service.models import Filing, Organization, User
from service.timezone import KST

MAX_PAGE = 200


def filing_for(user: User, accession: str, *, pdf_only: bool = False) -> Filing | Row:
    """The filing if `user` may read it; 404 otherwise, so others' filings stay unseen.

    `pdf_only` loads just what serving the PDF needs, not the filed JSON (a
    complete application's is tens of kilobytes), so a download stays cheap.
    """
    visible = [Filing.accession_number == accession, policy.where(user, "filing.view")]
    if pdf_only:
        # Three columns as a plain row: no ORM object to build for a download.
        filing = db.session.execute(
            select(Filing.accession_number, Filing.pdf_storage_key, Filing.pdf_sha256).where(
                *visible
            )
        ).one_or_none()
    else:
        filing = db.session.execute(select(Filing).where(*visible)).scalar_one_or_none()
    if filing is None:
        raise NotFound("No such filing.", code="filing_not_found")
    return filing


@dataclass(frozen=True)
class FilingPage:
    filings: list[Filing]
    next_cursor: int | None


# Filings exist only between these days: a filter beyond them means "from the start" or
# "to the end", and keeps the KST to UTC shift inside datetime's range.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


def kst_start(day: date, *, next_day: bool = False) -> datetime:
    """When the Korean day `day`, or the day after it, begins (a day beyond the range as the
    range's end: a far filter cannot overflow a date)."""
    day = min(max(day, FIRST_DAY), LAST_DAY) + timedelta(days=1 if next_day else 0)
    return datetime.combine(day, time.min, tzinfo=KST)


def filed_within(filed_from: date | None, filed_to: date | None) -> list[ColumnElement[bool]]:
    """Filed on the Korean days from `filed_from` to `filed_to`, both included, either open."""
    found = []
    if filed_from:
        found.append(Filing.filed_at >= kst_start(filed_from))
    if filed_to:
        found.append(Filing.filed_at < kst_start(filed_to, next_day=True))
    return found


def search(
    user: User,
    *,
    organization_id: int | None = None,
    kind: str | None = None,
    accession: str | None = None,
    application_id: int | None = None,
    filed_from: date | None = None,
    filed_to: date | None = None,
    after: int | None = None,
    limit: int = 50,
) -> FilingPage:
    """Filings `user` may see, newest first, keyset-paged by id; dates are Korean days."""
    query = select(Filing).where(policy.where(user, "filing.view"))
    if organization_id:
        query = query.where(Filing.organization_id == organization_id)
    if kind:
        query = query.where(Filing.kind == kind)
    if accession:
        # Any part of the number (its last digits, say); `%` and `_` typed are matched as
        # themselves, not as LIKE's wildcards.
        part = accession.strip().upper()
        query = query.where(Filing.accession_number.contains(part, autoescape=True))
    if application_id:
        query = query.where(Filing.application_id == application_id)
    query = query.where(*filed_within(filed_from, filed_to))
    if after:
        query = query.where(Filing.id < after)
    limit = max(1, min(limit, MAX_PAGE))
    rows = list(db.session.execute(query.order_by(Filing.id.desc()).limit(limit + 1)).scalars())
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return FilingPage(rows[:limit], next_cursor)


def in_period(filed_from: date | None, filed_to: date | None, batch: int = 500):
    """Every filing of a period, oldest first, for exports (auditors' desk)."""
    query = select(Filing).where(*filed_within(filed_from, filed_to))
    return db.session.execute(
        query.order_by(Filing.id).execution_options(yield_per=batch)
    ).scalars()


def kinds() -> list[str]:
    return list(db.session.execute(select(Filing.kind).distinct().order_by(Filing.kind)).scalars())


def organizations() -> list[Organization]:
    return list(
        db.session.execute(
            select(Organization)
            .where(Organization.id.in_(select(Filing.organization_id).distinct()))
            .order_by(Organization.name_en)
        ).scalars()
    )


def present(filing: Filing) -> dict[str, Any]:
    return {
        "accession_number": filing.accession_number,
        "kind": filing.kind,
        "application_id": filing.application_id,
        "organization": filing.organization,
        "filed_at": filing.filed_at,
        "filed_by": filing.filed_by_label,
        "internal": filing.internal,
        "content_sha256": filing.content_sha256,
        "pdf_sha256": filing.pdf_sha256,
        "pdf_size": filing.pdf_size,
    }
