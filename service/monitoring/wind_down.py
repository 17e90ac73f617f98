"""The wind-down of a registration ended by an accepted surrender, a revocation or a lapse:
the issuer reports its redemption until a report shows nothing outstanding, and the
monitoring run raises a finding once the day to redeem by has passed (docs/domain.md
section 4, wind-down)."""

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from forms.wind_down import RedemptionReportSchema
from service import policy
from service.errors import Conflict, loaded
from service.extensions import db
from service.filings.operations import make_filing
from service.models import Filing, Registration, User
from service.monitoring.findings import raise_once
from service.monitoring.supervision import registration_by_number
from service.timezone import korea_today
from service.unit_of_work import unit_of_work
from workflows.bilingual import t
from workflows.monitoring import wind_down_overdue_findings

KIND = "redemption_report"


def redemption_reports(registration: Registration) -> list[dict[str, Any]]:
    """The redemption reports filed, oldest first: each one's accession and content."""
    filings = db.session.execute(
        select(Filing)
        .where(Filing.application_id == registration.application_id, Filing.kind == KIND)
        .order_by(Filing.id)
    ).scalars()
    return [redemption_report_of(f) for f in filings]


def redemption_report_of(filing: Filing) -> dict[str, Any]:
    """A redemption report as filed: its accession and content."""
    return {
        "accession_number": filing.accession_number,
        **json.loads(filing.content_json)["content"],
    }


def file_redemption_report(
    number: str, user: User, payload: dict[str, Any], *, today: date | None = None
) -> Filing:
    """File the issuer's redemption report; nothing outstanding and no holder left ends the
    wind-down on the day it is as of."""
    today = today or korea_today()
    with unit_of_work(user) as work:
        registration = registration_by_number(number, user)
        policy.require(user, "report.file", registration)
        if not registration.winding_down:
            raise Conflict(
                t(
                    "Only a registration being wound down files a redemption report.",
                    "상환 보고서는 상환 중인 등록만 제출합니다.",
                ),
                code="not_winding_down",
            )
        data = loaded(RedemptionReportSchema(today=today), payload)
        complete = data["outstanding_krw"] == 0 and data["holders_outstanding"] == 0
        filing = make_filing(
            db.session,
            kind=KIND,
            application=registration.application,
            actor=work.actor,
            content={
                "registration_number": registration.number,
                **data,
                "notes": data.get("notes"),
                "redeem_by": registration.wind_down_by,
                "complete": complete,
                "filed_on": today,
            },
        )
        if complete:
            registration.wound_down_on = data["as_of"]
        work.audit(
            "redemption_reported",
            application_id=registration.application_id,
            detail={
                "registration_number": registration.number,
                "filing": filing.accession_number,
                "complete": complete,
            },
        )
    return filing


def wind_down_overdue(registration: Registration, today: date) -> list[str]:
    """The monitoring run's check: a finding, once, when the day to redeem by has passed
    and the wind-down is not done."""
    if not registration.winding_down:
        return []
    reports = redemption_reports(registration)
    drafts = wind_down_overdue_findings(
        registration.wind_down_by, today, reports[-1] if reports else None
    )
    if not drafts:
        return []
    key = f"wind_down:{registration.wind_down_by.isoformat()}"
    if not raise_once(
        registration,
        drafts[0],
        today,
        key,
        action="wind_down_overdue",
        wind_down_by=registration.wind_down_by.isoformat(),
    ):
        return []
    return [f"{registration.number} wind_down_overdue {key}"]
