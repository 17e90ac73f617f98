"""Demo data for `make run`: two issuers, the regulators, cases across the lifecycle.

Every case is moved by the same operations a user's click calls, so the
demo's audit chain and filings are real. Loading twice changes nothing.
"""

from datetime import date, timedelta

from sqlalchemy import func, select

from forms.documents import DOCUMENT_TYPES, required_documents
from forms.report_samples import cross_border_flows, redemption_statistics, reserve_report
from forms.sections.samples import sample_sections
from service.applications import operations
from service.auth.operations import create_user
from service.documents.operations import add_document
from service.extensions import db
from service.models import Application, Organization, Registration, User
from service.monitoring.reports import obligation_of, submit_report
from service.monitoring.run import run_monitoring
from service.regime import regime
from service.review.operations import record_opinion
from service.sections.operations import save_section
from service.timezone import korea_today
from workflows.clock import add_business_days
from workflows.monitoring.obligations import add_months

DEMO_PASSWORD = "demo1234!"
DEMO_CASES = 5  # applications the demo creates; fewer means an interrupted load

ORGANIZATIONS = [
    # (English name, Korean name, kind, business registration number, contact)
    ("Hanbit Bank", "한빛은행", "bank", "124-81-00998", "compliance@hanbit.example"),
    ("Nuri Labs", "누리랩스", "non_bank", "220-81-62517", "compliance@nurilabs.example"),
    ("Financial Services Commission", "금융위원회", "regulator", None, None),
    ("Board of Audit and Inspection", "감사원", "audit_authority", None, None),
]

USERS = [
    ("issuer@hanbit.example", "김하나", "issuer", "Hanbit Bank"),
    ("preparer@hanbit.example", "서작성", "issuer", "Hanbit Bank"),
    ("issuer@nurilabs.example", "이누리", "issuer", "Nuri Labs"),
    ("reviewer@fsc.example", "박심사", "reviewer", "Financial Services Commission"),
    ("reviewer2@fsc.example", "최심사", "reviewer", "Financial Services Commission"),
    ("approver@fsc.example", "정결재", "approver", "Financial Services Commission"),
    ("supervisor@fsc.example", "한감독", "supervisor", "Financial Services Commission"),
    ("admin@fsc.example", "오관리", "admin", "Financial Services Commission"),
    ("auditor@bai.example", "윤감사", "auditor", "Board of Audit and Inspection"),
]


class DemoIncomplete(RuntimeError):
    pass


def load(today: date | None = None) -> bool:
    """Load the demo once; return False when it is already there."""
    today = today or korea_today()
    if db.session.execute(
        select(Organization).where(Organization.name_en == "Hanbit Bank")
    ).first():
        if db.session.scalar(select(func.count()).select_from(Application)) < DEMO_CASES:
            raise DemoIncomplete(
                "the demo data is incomplete (an earlier load was interrupted); "
                "start from an empty database"
            )
        return False
    organizations = {}
    for name_en, name_ko, kind, brn, contact in ORGANIZATIONS:
        organizations[name_en] = Organization(
            name_en=name_en,
            name_ko=name_ko,
            kind=kind,
            business_registration_number=brn,
            contact_email=contact,
        )
        db.session.add(organizations[name_en])
    # Each issuer's first user is its officer and administrator; Hanbit's second prepares.
    users = {
        email: create_user(
            email,
            DEMO_PASSWORD,
            role,
            organizations[org],
            name,
            duty="preparer" if email.startswith("preparer@") else None,
            organization_admin=email.startswith("issuer@"),
        )
        for email, name, role, org in USERS
    }
    db.session.commit()

    hanbit, nuri = users["issuer@hanbit.example"], users["issuer@nurilabs.example"]
    reviewer, approver = users["reviewer@fsc.example"], users["approver@fsc.example"]

    # Two submitted cases waiting for the completeness check.
    submitted_application(hanbit, "krw_stablecoin", today)
    submitted_application(nuri, "other_virtual_asset", today)
    # One in assessment.
    case = submitted_application(nuri, "security_token", today)
    operations.transition(case.id, "mark_complete", reviewer, {"comment": "서류 완비"}, today=today)
    # One registered.
    case = submitted_application(hanbit, "tokenized_deposit", today)
    operations.transition(case.id, "mark_complete", reviewer, {}, today=today)
    operations.transition(
        case.id,
        "recommend",
        reviewer,
        {
            "recommendation": "approve",
            "reasons": "은행업 인가와 연계된 예금 토큰으로 요건을 모두 충족함.",
            "conditions": ["분기별 원장 대사 결과 보고"],
        },
        today=today,
    )
    operations.transition(case.id, "approve", approver, {"comment": "건의대로 승인"}, today=today)
    # One registered token with a white paper, published on the register.
    case = submitted_application(nuri, "other_virtual_asset", today)
    operations.transition(case.id, "mark_complete", reviewer, {}, today=today)
    operations.transition(
        case.id,
        "recommend",
        reviewer,
        {"recommendation": "approve", "reasons": "요건을 모두 충족함.", "conditions": []},
        today=today,
    )
    operations.transition(case.id, "approve", approver, {}, today=today)
    # A KRW stablecoin awaiting its decision: the Bank of Korea has answered, the ministry not yet.
    case = submitted_application(hanbit, "krw_stablecoin", today)
    operations.transition(case.id, "mark_complete", reviewer, {}, today=today)
    operations.transition(
        case.id,
        "recommend",
        reviewer,
        {
            "recommendation": "approve",
            "reasons": "준비자산과 상환 체계가 요건을 충족함.",
            "conditions": ["월별 준비자산 보고서 제출"],
        },
        today=today,
    )
    record_opinion(
        case.id,
        reviewer,
        {
            "authority": "bank_of_korea",
            "opinion": "favourable",
            "summary": "통화정책상 이견 없음.",
            "received_on": today.isoformat(),
        },
        ("bok-opinion.pdf", demo_pdf("Bank of Korea opinion")),
        today=today,
    )
    # One returned as incomplete, and one with an open information request.
    case = submitted_application(nuri, "other_virtual_asset", today)
    operations.transition(
        case.id,
        "return_incomplete",
        reviewer,
        {
            "missing": [
                "감사받은 재무제표: 최근 사업연도분이 아닙니다",
                "백서: 서명본을 제출하십시오",
            ],
            "deadline": add_business_days(today, 10).isoformat(),
        },
        today=today,
    )
    case = submitted_application(nuri, "security_token", today)
    operations.transition(case.id, "mark_complete", reviewer, {}, today=today)
    operations.transition(
        case.id,
        "request_information",
        reviewer,
        {
            "questions": [
                "신탁 수익증권의 기초자산 평가 방법을 설명하십시오.",
                "계좌관리기관 위탁계약서 최종본을 제출하십시오.",
            ],
            "due_on": add_business_days(today, 10).isoformat(),
        },
        today=today,
    )
    # And a draft Hanbit Bank is still writing: some sections done, one begun, the rest not.
    _partly_written(hanbit, "krw_stablecoin", today)
    # A KRW stablecoin registered a year ago, with its monthly reports since.
    _supervised_krw_stablecoin(hanbit, reviewer, approver, today)
    return True


def _supervised_krw_stablecoin(issuer: User, reviewer: User, approver: User, today: date) -> None:
    """Registered thirteen months before `today` through the real transitions, then a year of
    monthly reports filed through the monitoring operations: growing issuance, one month with
    a reserve shortfall, one with a large outflow abroad, one filed late; then the monitoring
    run records what is overdue."""
    # Thirteen months back, so twelve monthly reports are past their due dates whatever the day.
    registered_on = add_months(today, -13)
    case = submitted_application(issuer, "krw_stablecoin", registered_on)
    operations.transition(case.id, "mark_complete", reviewer, {}, today=registered_on)
    operations.transition(
        case.id,
        "recommend",
        reviewer,
        {"recommendation": "approve", "reasons": "준비자산·상환 요건 충족.", "conditions": []},
        today=registered_on,
    )
    # The decision waited for both authorities' opinions (docs/domain.md section 4).
    for authority, summary in (
        ("bank_of_korea", "통화정책상 이견 없음."),
        ("ministry_of_economy_and_finance", "외환 관리상 이견 없음."),
    ):
        record_opinion(
            case.id,
            reviewer,
            {
                "authority": authority,
                "opinion": "favourable",
                "summary": summary,
                "received_on": registered_on.isoformat(),
            },
            (f"{authority}.pdf", demo_pdf(f"Opinion of {authority}")),
            today=registered_on,
        )
    operations.transition(case.id, "approve", approver, {}, today=registered_on)
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == case.id)
    ).scalar_one()
    month = registered_on.replace(day=1)
    for index in range(12):
        # The first report covers the days from registration (docs/domain.md section 5).
        start = max(month, registered_on)
        owed = obligation_of(
            "reserve_report",
            {"period_start": start, "period_end": add_months(month, 1) - timedelta(days=1)},
            "krw_stablecoin",
        )
        filed_on = owed.due_on + timedelta(days=3) if index == 7 else owed.due_on
        if filed_on > today:
            break
        outstanding = (40 + 10 * index) * 1_000_000_000
        reserve = reserve_report(start, outstanding)
        if index == 9:  # a shortfall: bonds marked down, coverage below 100%
            reserve = reserve_report(
                start,
                outstanding,
                deposits={"Hanbit Bank": outstanding // 4, "Woori Bank": outstanding // 4},
                bonds=outstanding // 2 - 1_500_000_000,
            )
        outflow = outstanding // 8 if index == 5 else outstanding // 50
        flows = {
            "US": (outstanding // 100, outflow),
            "SG": (outstanding // 200, outstanding // 150),
        }
        for kind, body in (
            ("reserve_report", reserve),
            ("cross_border_flows", cross_border_flows(start, outstanding, flows)),
            ("redemption_statistics", redemption_statistics(start, 20 + index)),
        ):
            submit_report(number, issuer, kind, body, today=filed_on)
        month = add_months(month, 1)
    run_monitoring(today=today)


def _applicant_matching(user: User, category: str, today: date) -> dict:
    """The sample answers, with the demo organization's own names and number."""
    org = user.organization
    answers = dict(sample_sections(category, today, regime())["applicant"])
    answers.update(
        legal_name_ko=org.name_ko,
        legal_name_en=org.name_en,
        business_registration_number=org.business_registration_number,
        contact_email=org.contact_email,
    )
    return answers


def _write(user: User, application: Application, sections: dict, today: date) -> None:
    for name, answers in sections.items():
        save_section(application.id, name, answers, user, today=today)


def _upload(user: User, application: Application, document_types) -> None:
    # Named as a Korean issuer would name its files, "정관.pdf", not by the code.
    for document_type in document_types:
        name = f"{DOCUMENT_TYPES[document_type]['label'].ko}.pdf"
        add_document(application, user, document_type, name, demo_pdf(document_type))


def submitted_application(user: User, category: str, today: date) -> Application:
    """A complete application of `category`, written, documented and submitted by `user`."""
    application = operations.create_draft(user, category)
    sections = sample_sections(category, today, regime())
    sections["applicant"] = _applicant_matching(user, category, today)
    _write(user, application, sections, today)
    _upload(user, application, required_documents(category))
    operations.transition(application.id, "submit", user, {}, today=today)
    return application


def _partly_written(user: User, category: str, today: date) -> Application:
    application = operations.create_draft(user, category)
    sample = sample_sections(category, today, regime())
    plan = sample["business_plan"]
    _write(
        user,
        application,
        {
            "applicant": _applicant_matching(user, category, today),
            "ownership": sample["ownership"],
            "business_plan": {
                "plan_starts_on": plan["plan_starts_on"],
                "programme_of_operations": plan["programme_of_operations"],
                # Every month of the plan listed, the first year's figures filled in.
                "monthly_projections": [
                    row if i < 12 else {"month": row["month"]}
                    for i, row in enumerate(plan["monthly_projections"])
                ],
            },
            "token_design": {"token_name": sample["token_design"]["token_name"]},
        },
        today,
    )
    _upload(user, application, ["articles_of_incorporation", "corporate_register_extract"])
    return application


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a supporting document."""
    text = f"BT /F1 18 Tf 72 760 Td (Issuer Registry demo: {title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
