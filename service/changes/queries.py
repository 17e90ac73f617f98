"""What the pages and the register read of the changes applied for in advance."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from service.applications.operations import registration_of
from service.extensions import db
from service.models import Application, ChangeApproval
from service.monitoring.supervision import SUPERVISED_STATUSES
from service.regime import regime
from workflows.bilingual import BiText
from workflows.changes import approval_refusal


@dataclass(frozen=True)
class Changes:
    """A case's changes applied for, oldest first; whether its issuer may apply now."""

    applied: list[ChangeApproval]
    may_apply: bool
    # Why the rulebook leaves only refusal, by change id (workflows/changes.py).
    unapprovable: dict[int, BiText]

    @property
    def undecided(self) -> list[ChangeApproval]:
        return [change for change in self.applied if change.outcome is None]


def changes_page(application: Application) -> Changes:
    registration = registration_of(application)
    if registration is None:
        return Changes([], False, {})  # no registration, nothing applied for
    applied = list(
        db.session.execute(
            select(ChangeApproval)
            .where(ChangeApproval.application_id == application.id)
            .order_by(ChangeApproval.id)
        ).scalars()
    )
    in_force = registration.status in SUPERVISED_STATUSES
    unapprovable = {
        change.id: why
        for change in applied
        if change.outcome is None
        and (why := approval_refusal(change.kind, registration.category, change.details, regime()))
    }
    return Changes(applied, in_force, unapprovable)


def approved_white_papers(application_ids: list[int]) -> dict[int, dict[str, date | str]]:
    """The white paper each case's latest approved change published: its version, its date
    and the day it was approved."""
    if not application_ids:
        return {}
    rows = db.session.execute(
        select(ChangeApproval)
        .where(
            ChangeApproval.application_id.in_(application_ids),
            ChangeApproval.kind == "white_paper",
            ChangeApproval.outcome == "approved",
        )
        .order_by(ChangeApproval.id)
    ).scalars()
    return {
        change.application_id: {
            "version": change.details["white_paper_version"],
            "date": date.fromisoformat(change.details["white_paper_date"]),
            "approved_on": change.outcome_on,
        }
        for change in rows
    }
