"""What an application still lacks before it may be submitted, by the forms' rules."""

from datetime import date

from forms.sections import Missing, SectionContext, missing_for_submission
from service.models import Application
from workflows.regime import RegimeProfile


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
