"""A report's repeating table as a spreadsheet (docs/design.md, "Tables as spreadsheets"): a
template holding the draft's rows, and an upload read back through the table's own schema,
a refused cell named by its row and column, the draft untouched unless every row passes."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from forms.report_samples import reserve_report
from forms.reports import RESERVE_ASSET_TYPES
from service.extensions import db
from service.models import ReportDraft
from service.spreadsheets import MAX_ROWS, XLSX
from tests.service.conftest import login
from tests.service.factories import Cast
from tests.service.test_monitoring import BILLION, registered
from tests.service.test_report_drafts import OCTOBER, as_form

KO_HEADER = ["자산 유형", "설명", "보관 은행", "시장가치(원)", "만기일", "발행기관"]
EN_HEADER = [
    "Type of asset",
    "Description",
    "Custodian bank",
    "Market value (KRW)",
    "Maturity date",
    "Issuer of the instrument",
]


@pytest.fixture
def cast(ctx):
    return registered()


def _base(cast) -> str:
    return f"/monitoring/registrations/{cast.number}/reports"


def _save_draft(client, cast, data):
    form = {"kind": "reserve_report", "action": "save", **as_form(data)}
    assert client.post(f"{_base(cast)}/draft", data=form).status_code == 302


def _template(client, cast, **headers):
    answer = client.get(
        f"{_base(cast)}/table.xlsx?kind=reserve_report&table=reserve_assets", headers=headers
    )
    assert answer.status_code == 200, answer.data[:200]
    assert answer.mimetype == XLSX
    return load_workbook(io.BytesIO(answer.data))


def _workbook(header, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, cast, data: bytes, name="reserve.xlsx"):
    return client.post(
        f"{_base(cast)}/table",
        data={
            "kind": "reserve_report",
            "table": "reserve_assets",
            "workbook-reserve_assets": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _draft_rows() -> list[dict] | None:
    draft = db.session.execute(select(ReportDraft)).scalar_one_or_none()
    return None if draft is None else draft.body.get("reserve_assets")


def test_the_template_holds_the_drafts_rows_under_labels_in_the_readers_language(client, cast):
    login(client, cast.issuer)
    _save_draft(client, cast, reserve_report(OCTOBER, 80 * BILLION))
    book = _template(client, cast)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == KO_HEADER
    assert rows[1][0] == RESERVE_ASSET_TYPES["bank_deposit"].ko
    assert rows[1][2] == "Hanbit Bank" and rows[1][3] == 20 * BILLION
    assert rows[3][4].date() == date(2026, 12, 30)  # the bond's maturity, a real date cell
    # The asset types are offered as a list, read from the guide sheet.
    (rule,) = sheet.data_validations.dataValidation
    assert rule.type == "list" and "안내" in rule.formula1
    english = _template(client, cast, **{"Accept-Language": "en"}).worksheets[0]
    assert [c.value for c in english[1]] == EN_HEADER


def test_a_no_in_the_draft_comes_back_as_no_through_a_round_trip(client, cast):
    """A custodian reported as not segregated keeps its "no" in the template and after
    the upload: a blank cell would have turned it into no answer."""
    login(client, cast.issuer)
    body = reserve_report(OCTOBER, 80 * BILLION)
    body["custodians"][0]["segregated"] = False
    _save_draft(client, cast, body)
    answer = client.get(f"{_base(cast)}/table.xlsx?kind=reserve_report&table=custodians")
    sheet = load_workbook(io.BytesIO(answer.data)).worksheets[0]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["아니오", "예"]
    out = io.BytesIO()
    sheet.parent.save(out)
    uploaded = client.post(
        f"{_base(cast)}/table",
        data={
            "kind": "reserve_report",
            "table": "custodians",
            "workbook-custodians": (io.BytesIO(out.getvalue()), "custodians.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    draft = db.session.execute(select(ReportDraft)).scalar_one()
    assert [c["segregated"] for c in draft.body["custodians"]] == [False, True]


def test_a_filled_in_template_fills_the_draft_through_the_schema(client, cast):
    login(client, cast.issuer)
    _save_draft(client, cast, reserve_report(OCTOBER, 80 * BILLION))
    book = _template(client, cast)
    sheet = book.worksheets[0]
    sheet.append([RESERVE_ASSET_TYPES["cash"].ko, "금고", "Woori Bank", "1,000,000"])
    out = io.BytesIO()
    book.save(out)
    answer = _upload(client, cast, out.getvalue())
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    rows = _draft_rows()
    assert len(rows) == 4
    assert rows[0]["asset_type"] == "bank_deposit" and rows[0]["market_value_krw"] == str(
        20 * BILLION
    )
    assert rows[2]["maturity_date"] == "2026-12-30"
    assert rows[3] == {
        "asset_type": "cash",
        "description": "금고",
        "custodian_bank": "Woori Bank",
        "market_value_krw": "1000000",
    }
    # The rest of the draft is kept, and the whole report now checks.
    checked = client.post(
        f"{_base(cast)}/draft",
        data={"kind": "reserve_report", "action": "check", **_form_of_draft()},
    )
    assert checked.status_code == 302 and "/reports/check" in checked.headers["Location"]


def _form_of_draft() -> dict:
    draft = db.session.execute(select(ReportDraft)).scalar_one()
    return as_form(draft.body)


def test_english_headings_and_keys_are_read_too(client, cast):
    login(client, cast.issuer)
    data = _workbook(
        ["asset_type", "Custodian bank", "Market value (KRW)"],
        ["Bank deposit", "Hanbit Bank", 5 * BILLION],
    )
    assert _upload(client, cast, data).status_code == 302
    assert _draft_rows() == [
        {
            "asset_type": "bank_deposit",
            "custodian_bank": "Hanbit Bank",
            "market_value_krw": str(5 * BILLION),
        }
    ]


def test_refused_cells_are_named_by_row_and_column_and_the_draft_is_untouched(client, cast):
    login(client, cast.issuer)
    _save_draft(client, cast, reserve_report(OCTOBER, 80 * BILLION))
    before = _draft_rows()
    data = _workbook(
        KO_HEADER,
        [RESERVE_ASSET_TYPES["bank_deposit"].ko, "", "Hanbit Bank", 1_000],
        ["gold bars", "", "Hanbit Bank", 1_000],
        [RESERVE_ASSET_TYPES["bank_deposit"].ko, "", "Hanbit Bank", "lots"],
        [RESERVE_ASSET_TYPES["government_bond"].ko, "", "KSD", 1_000],
    )
    answer = _upload(client, cast, data)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert "3행 자산 유형: “gold bars”: 다음 중에서 고르십시오." in html
    assert "bank_deposit" not in html.split('id="error-summary"')[1].split("</ul>")[0]
    assert "4행 시장가치(원)" in html
    assert "5행 만기일" in html and "5행 발행기관" in html
    assert "2행" not in html
    assert _draft_rows() == before
    english = client.post(
        f"{_base(cast)}/table",
        data={
            "kind": "reserve_report",
            "table": "reserve_assets",
            "workbook-reserve_assets": (io.BytesIO(data), "reserve.xlsx"),
        },
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert "Row 4, Market value (KRW)" in english.get_data(as_text=True)


@pytest.mark.parametrize(
    "header",
    [["자산 유형", "Colour"], ["자산 유형", "Type of asset"]],
    ids=["unknown", "repeated"],
)
def test_a_heading_that_is_not_a_column_of_the_table_is_refused_by_its_letter(client, cast, header):
    login(client, cast.issuer)
    answer = _upload(client, cast, _workbook(header, ["현금", "x"]))
    assert answer.status_code == 422
    assert "B열" in answer.get_data(as_text=True)
    assert _draft_rows() is None


def _bomb() -> bytes:
    """A workbook-shaped zip whose sheet unpacks to far more than a table can hold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (2 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a workbook", b"name,value\nx,1\n", _bomb(), b""],
    ids=["pdf", "csv", "zip-bomb", "empty"],
)
def test_what_is_not_a_workbook_of_this_table_is_refused_and_changes_nothing(client, cast, data):
    login(client, cast.issuer)
    answer = _upload(client, cast, data)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "통합문서" in html
    assert _draft_rows() is None


def test_more_rows_than_a_table_holds_are_refused(client, cast):
    login(client, cast.issuer)
    rows = [["현금", "", "Hanbit Bank", 1]] * (MAX_ROWS + 1)
    answer = _upload(client, cast, _workbook(KO_HEADER, *rows))
    assert answer.status_code == 422
    assert f"최대 {MAX_ROWS}행" in answer.get_data(as_text=True)
    assert _draft_rows() is None


def test_another_issuer_can_neither_download_nor_fill_the_table(client, cast):
    login(client, cast.issuer)
    _save_draft(client, cast, reserve_report(OCTOBER, 80 * BILLION))
    client.post("/logout")
    other = Cast("krw_stablecoin")
    login(client, other.issuer)
    answer = client.get(f"{_base(cast)}/table.xlsx?kind=reserve_report&table=reserve_assets")
    assert answer.status_code == 404
    upload = _upload(client, cast, _workbook(KO_HEADER, ["현금", "", "Evil Bank", 1]))
    assert upload.status_code == 404
    assert "Evil Bank" not in str(_draft_rows())
    for table in ("outstanding_issuance_krw", "nothing"):
        answer = client.get(f"{_base(cast)}/table.xlsx?kind=reserve_report&table={table}")
        assert answer.status_code == 404
