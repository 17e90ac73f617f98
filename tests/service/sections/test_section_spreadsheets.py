"""The business plan's 36 months as a spreadsheet (docs/design.md, "Tables as spreadsheets"):
the template lays the months out under labels in the reader's language, and an upload fills
the section through its own row schema, against the version the page was read at."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from service.extensions import db
from service.models import Application, AuditEvent
from tests.service.conftest import login
from tests.service.factories import draft

KO_HEADER = ["월", "수익(원)", "영업비용(원)", "월말 자기자본(원)", "월말 유통 토큰(원화 환산)"]


@pytest.fixture
def plan_started(cast):
    """A draft whose business plan has its first month and nothing else."""
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    application.sections = {"business_plan": {"plan_starts_on": "2027-01-01"}}
    db.session.commit()
    return application


def _url(application, suffix=""):
    return f"/applications/{application.id}/sections/business_plan/table{suffix}"


def _template(client, application, **headers):
    answer = client.get(_url(application, ".xlsx") + "?table=monthly_projections", headers=headers)
    assert answer.status_code == 200
    return load_workbook(io.BytesIO(answer.data))


def _upload(client, application, data: bytes, version=None):
    return client.post(
        _url(application),
        data={
            "table": "monthly_projections",
            "version": str(application.version if version is None else version),
            "workbook-monthly_projections": (io.BytesIO(data), "plan.xlsx"),
        },
        content_type="multipart/form-data",
    )


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_lays_out_every_month_of_the_plan(client, cast, plan_started):
    login(client, cast.issuer)
    sheet = _template(client, plan_started).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == KO_HEADER
    assert len(rows) == 1 + 36
    assert rows[1][0] == "2027-01" and rows[36][0] == "2029-12"
    english = _template(client, plan_started, **{"Accept-Language": "en"}).worksheets[0]
    assert english["A1"].value == "Month" and english["B1"].value == "Revenue (KRW)"


def test_a_filled_in_plan_is_saved_through_the_section_with_its_event(client, cast, plan_started):
    login(client, cast.issuer)
    book = _template(client, plan_started)
    sheet = book.worksheets[0]
    for number in range(2, 38):
        sheet.cell(number, 2, 40_000_000 * number)
        sheet.cell(number, 3, "650,000,000")
        sheet.cell(number, 4, 48_000_000_000)
        sheet.cell(number, 5, 5_000_000_000)
    version = plan_started.version
    events = select(func.count()).select_from(AuditEvent)
    before = db.session.scalar(events)
    answer = _upload(client, plan_started, _saved(book))
    assert answer.status_code == 302, answer.get_data(as_text=True)[:400]
    assert answer.headers["Location"].endswith("/sections/business_plan#field-monthly_projections")
    db.session.expire_all()
    application = db.session.get(Application, plan_started.id)
    rows = application.sections["business_plan"]["monthly_projections"]
    assert len(rows) == 36 and rows[0]["month"] == "2027-01"
    # Kept as the schema loads it: won as an integer, a month as the month.
    assert rows[0]["operating_expenses_krw"] == 650_000_000
    assert application.sections["business_plan"]["plan_starts_on"] == "2027-01"
    assert application.version == version + 1
    assert db.session.scalar(events) == before + 1  # the section's save, as from the form


def test_a_bad_cell_is_named_and_the_section_is_untouched(client, cast, plan_started):
    login(client, cast.issuer)
    book = Workbook()
    sheet = book.active
    sheet.append(KO_HEADER)
    sheet.append(["2027-01", 1, 1, 1, 1])
    sheet.append(["2027-02", "many", 1, 1, 1])
    sheet.append(["not a month", 1, 1, 1, 1])
    answer = _upload(client, plan_started, _saved(book))
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "3행 수익(원)" in html and "4행 월" in html and "2행" not in html
    db.session.expire_all()
    application = db.session.get(Application, plan_started.id)
    assert application.sections == {"business_plan": {"plan_starts_on": "2027-01-01"}}


def test_an_upload_against_an_older_version_of_the_case_saves_nothing(client, cast, plan_started):
    login(client, cast.issuer)
    book = Workbook()
    book.active.append(KO_HEADER)
    book.active.append(["2027-01", 1, 1, 1, 1])
    answer = _upload(client, plan_started, _saved(book), version=plan_started.version - 1)
    assert answer.status_code in (409, 412)
    db.session.expire_all()
    assert (
        "monthly_projections"
        not in (db.session.get(Application, plan_started.id).sections["business_plan"])
    )


def test_a_reviewer_reads_the_table_but_cannot_fill_it(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.reviewer)
    sheet = _template(client, case).worksheets[0]
    assert sheet.max_row == 1 + 36  # the plan as filed
    book = Workbook()
    book.active.append(KO_HEADER)
    assert _upload(client, case, _saved(book)).status_code == 403
