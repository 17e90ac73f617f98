"""What waits for an approver outside the review queue: objections to answer within 14
days of their lodging (Administrative Procedures Act Art 36(2)) and changes applied for in
advance, each with the day it should be decided by (docs/domain.md sections 4 and 5)."""

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select

from service.extensions import db
from service.hearings.queries import open_objection
from service.models import Application, ChangeApproval, Objection, Organization
from service.regime import regime
from workflows.bilingual import BiText, t
from workflows.changes import CHANGE_APPROVAL_KINDS
from workflows.lifecycle import BY_NAME
from workflows.monitoring.obligations import next_business_day_from

OBJECTION = t("Objection to", "이의신청:")


class Awaiting(NamedTuple):
    application_id: int
    issuer: str
    what: BiText
    accession_number: str
    since: date
    decide_by: date

    def overdue(self, today: date) -> bool:
        return today > self.decide_by


def awaiting_an_approver() -> list[Awaiting]:
    """Open objections and undecided changes, the nearest day to decide by first. An
    objection is answered by the 14th day after it was lodged (the next business day when
    that is a holiday: Civil Act Art 161); a change by the day it is planned to take effect."""
    found: list[Awaiting] = []
    objections = db.session.execute(
        select(Objection, Application, Organization.name_ko)
        .join(Application, Application.id == Objection.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Objection.outcome.is_(None))
    ).all()
    answer_days = regime().objection_answer_days
    for objection, application, issuer in objections:
        if open_objection(application) is not objection:
            continue  # moot: the decision objected to no longer stands
        step = BY_NAME[objection.decision].label
        found.append(
            Awaiting(
                application.id,
                issuer,
                BiText(f"{OBJECTION.en} {step.en}", f"{OBJECTION.ko} {step.ko}"),
                objection.accession_number,
                objection.lodged_on,
                next_business_day_from(objection.lodged_on + timedelta(days=answer_days)),
            )
        )
    changes = db.session.execute(
        select(ChangeApproval, Organization.name_ko)
        .join(Application, Application.id == ChangeApproval.application_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(ChangeApproval.outcome.is_(None))
    ).all()
    for change, issuer in changes:
        found.append(
            Awaiting(
                change.application_id,
                issuer,
                CHANGE_APPROVAL_KINDS[change.kind],
                change.accession_number,
                change.applied_on,
                change.planned_on,
            )
        )
    return sorted(found, key=lambda row: (row.decide_by, row.application_id))
