"""Organizations, users and cases for service tests, made through the real operations."""

from datetime import date, timedelta

from forms.documents import required_documents
from forms.sections.samples import sample_sections
from service.applications import operations
from service.auth.operations import create_user
from service.demo import demo_pdf
from service.documents.operations import add_document
from service.extensions import db
from service.hearings.operations import file_comments, give_notice
from service.models import Application, Organization, User
from service.review.operations import record_opinion
from workflows.lifecycle import CONSULTED_CATEGORIES, HEARD_STEPS, OPINION_AUTHORITIES

PASSWORD = "correct horse 1!"
TODAY = date(2026, 11, 24)

_counter = iter(range(1, 1_000_000))


def organization(kind: str = "bank", name: str | None = None) -> Organization:
    n = next(_counter)
    org = Organization(
        name_en=name or f"Org {n}",
        name_ko=f"기관 {n}",
        kind=kind,
        contact_email=f"c{n}@org.example",
    )
    db.session.add(org)
    db.session.flush()
    return org


def user(role: str, org: Organization | None = None, **options) -> User:
    """A user; `options` are create_user's (an issuer's duty, organization_admin)."""
    org = org or organization("bank" if role == "issuer" else "regulator")
    account = create_user(
        f"{role}{next(_counter)}@example.test", PASSWORD, role, org, role.title(), **options
    )
    db.session.commit()
    return account


def draft(issuer: User, category: str = "other_virtual_asset", *, complete: bool = True):
    application = operations.create_draft(issuer, category)
    if complete:
        application.sections = sample_sections(category, TODAY)
        db.session.commit()
        for document_type in required_documents(category):
            add_document(
                application, issuer, document_type, f"{document_type}.pdf", demo_pdf(document_type)
            )
    return application


class Cast:
    """The people of one case: an issuer, two reviewers, two approvers, a supervisor."""

    def __init__(self, category: str = "other_virtual_asset", kind: str = "bank"):
        self.org = organization(kind)
        self.issuer = user("issuer", self.org, organization_admin=True)
        regulator = organization("regulator")
        self.reviewer = user("reviewer", regulator)
        self.reviewer2 = user("reviewer", regulator)
        self.approver = user("approver", regulator)
        self.approver2 = user("approver", regulator)
        self.supervisor = user("supervisor", regulator)
        self.auditor = user("auditor", regulator)
        self.category = category

    def case_in(self, state: str) -> Application:
        """A case of this cast driven through the real transitions up to `state`."""
        application = draft(self.issuer, self.category)
        return self.drive(application, state)

    def drive(self, application: Application, state: str, today=TODAY) -> Application:
        """Move `application` along PATHS[state], recording the opinions a decision waits for."""
        for name, who, payload in PATHS[state]:
            if name == "approve" and application.category in CONSULTED_CATEGORIES:
                # A KRW stablecoin decision waits for both opinions (docs/domain.md section 4).
                for authority in OPINION_AUTHORITIES:
                    self.record_opinion(application, authority, today=today)
            if name in HEARD_STEPS:
                # An adverse decision follows a notice and the issuer's comments
                # (docs/domain.md section 4, hearing).
                self.hear(application, name, getattr(self, who), today=today)
            operations.transition(application.id, name, getattr(self, who), payload, today=today)
        db.session.refresh(application)
        return application

    def hear(self, application, action: str, by: User | None = None, today=TODAY):
        """A notice of the intended `action` on `application` (a case or its id) given by `by`
        (the approver by default), and the issuer's comments filed on it the same day, so the
        decision may follow at once (docs/domain.md section 4, hearing)."""
        application_id = getattr(application, "id", application)
        notice = give_notice(
            application_id,
            by or self.approver,
            {
                "action": action,
                "grounds": f"Grounds for the intended {action}.",
                "comment_deadline": (today + timedelta(days=10)).isoformat(),
            },
            today=today,
        )
        return file_comments(
            application_id,
            notice.id,
            self.issuer,
            {"comments": f"Our comments on the intended {action}."},
            today=today,
        )

    def record_opinion(
        self, application: Application, authority: str, opinion="favourable", today=TODAY
    ):
        """The opinion of `authority` received and recorded by the reviewer, with its letter."""
        return record_opinion(
            application.id,
            self.reviewer,
            {
                "authority": authority,
                "opinion": opinion,
                "summary": f"{authority}: {opinion}.",
                "received_on": today.isoformat(),
            },
            (f"{authority}.pdf", demo_pdf(f"Opinion of {authority}")),
            today=today,
        )


QUESTIONS = {"questions": ["Explain the custody arrangement."], "due_on": "2026-12-10"}
RECOMMEND = {
    "recommendation": "approve",
    "reasons": "Meets every requirement.",
    "conditions": ["Quarterly ledger reconciliation"],
}

_TO_ASSESSMENT = [("submit", "issuer", {}), ("mark_complete", "reviewer", {})]
_TO_RECOMMENDED = _TO_ASSESSMENT + [("recommend", "reviewer", RECOMMEND)]
_TO_REGISTERED = _TO_RECOMMENDED + [("approve", "approver", {})]

# A request to surrender and its redemption plan (docs/domain.md section 4, surrender).
SURRENDER = {
    "reason": "Ceasing issuance.",
    "plan": "Every holder is paid from the reserve account at par through the wallet.",
    "redeem_by": "2027-02-26",
}
PATHS = {
    "draft": [],
    "submitted": [("submit", "issuer", {})],
    "returned_incomplete": [
        ("submit", "issuer", {}),
        (
            "return_incomplete",
            "reviewer",
            {"missing": ["Audited statements"], "deadline": "2026-12-08"},
        ),
    ],
    "assessment": _TO_ASSESSMENT,
    "information_requested": _TO_ASSESSMENT + [("request_information", "reviewer", QUESTIONS)],
    "recommended": _TO_RECOMMENDED,
    "registered": _TO_REGISTERED,
    "refused": _TO_RECOMMENDED
    + [("refuse", "approver", {"grounds": ["requirements_not_met"], "reasons": "Capital short."})],
    "withdrawn": [("withdraw", "issuer", {"reason": "Business plan changed."})],
    "suspended": _TO_REGISTERED + [("suspend", "supervisor", {"reason": "Reserve shortfall."})],
    "revoked": _TO_REGISTERED
    + [("revoke", "approver", {"grounds": ["serious_infringement"], "reasons": "Repeated."})],
    "surrender_requested": _TO_REGISTERED + [("surrender", "issuer", SURRENDER)],
    "surrendered": _TO_REGISTERED
    + [
        ("surrender", "issuer", SURRENDER),
        ("accept_surrender", "approver", {"reasons": "Every holder is redeemed in time."}),
    ],
}
