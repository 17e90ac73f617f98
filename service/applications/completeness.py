"""What an application still lacks before it may be filed, by the forms' rules; and what
the issuer changed since it was last filed."""

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from forms.sections import SECTIONS, Missing, SectionContext, kept_form, missing_for_submission
from service.canonical import canonical_json
from service.extensions import db
from service.models import Application, Filing
from service.regime import regime
from service.timezone import korea_today
from workflows.regime import RegimeProfile

# While an information request is open the issuer may amend the application; the
# response files it again, whole, with the answers.
AMENDING_STATES = ("information_requested",)
# The filings that freeze the whole application: submissions, resubmissions, responses.
WHOLE_APPLICATION_KINDS = ("application", "response")


def section_context(application: Application, today: date, profile: RegimeProfile):
    return SectionContext(
        category=application.category,
        profile=profile,
        today=today,
        applicant_is_bank=application.organization.is_bank,
    )


def missing_items(application: Application, today: date, profile: RegimeProfile) -> list[Missing]:
    present = {document.document_type for document in application.documents}
    return missing_for_submission(
        application.category,
        application.sections or {},
        present,
        section_context(application, today, profile),
    )


def outstanding_items(
    application: Application, today: date, profile: RegimeProfile
) -> list[Missing]:
    """What must be complete before the issuer's next filing of the whole application.

    A submission or resubmission is judged whole. A response is judged on what the issuer
    changed since the last filing only: the rest was judged complete on its own filing
    date, and answering a question must not fail because time has passed since (an ISMS
    certificate counts from the submission date)."""
    missing = missing_items(application, today, profile)
    if application.state not in AMENDING_STATES:
        return missing
    changed = set(amended_sections(application))
    return [item for item in missing if item.kind == "section" and item.code in changed]


def last_whole_filing(application: Application) -> Filing | None:
    """The latest filing of the whole application (a submission, resubmission or response)."""
    return db.session.execute(
        select(Filing)
        .where(
            Filing.application_id == application.id,
            Filing.kind.in_(WHOLE_APPLICATION_KINDS),
        )
        .order_by(Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def last_filed_sections(application: Application) -> dict[str, Any]:
    """The sections as the latest filing of the whole application froze them."""
    filing = last_whole_filing(application)
    if filing is None:
        return {}
    return json.loads(filing.content_json).get("content", {}).get("sections") or {}


def amended_sections(application: Application) -> list[str]:
    """The sections whose answers differ from the latest filing, in the forms' order."""
    filed = last_filed_sections(application)
    current = application.sections or {}
    ctx = section_context(application, korea_today(), regime())

    def kept(name: str, answers):
        return kept_form(name, answers, ctx) if name in SECTIONS else answers

    changed = {
        name
        for name in set(filed) | set(current)
        if canonical_json(kept(name, filed.get(name)))
        != canonical_json(kept(name, current.get(name)))
    }
    return [name for name in SECTIONS if name in changed] + sorted(changed - set(SECTIONS))
