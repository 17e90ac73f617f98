"""An issuer downloads a report's table as a workbook, fills it in and uploads it: the rows
land in the form, and a refused cell is named by its row and column, in a real browser in
both languages (docs/design.md, "Tables as spreadsheets")."""


import pytest
from openpyxl import load_workbook

from tests.browser.conftest import follow, open_report_form, shoot

TEXT = {
    "en": {"filled": "filled from the workbook", "bad": "Row 3, Market value (KRW)"},
    "ko": {"filled": "통합문서에서", "bad": "3행 시장가치(원)"},
}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_issuer_fills_the_reserve_table_from_a_workbook(page, language, tmp_path):
    text = TEXT[language]
    open_report_form(page, language, "reserve_report")

    with page.expect_download() as download:
        page.locator("#spreadsheet-reserve_assets a[download]").dispatch_event("click")
    assert download.value.suggested_filename.endswith("-reserve_report-reserve_assets.xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    sheet = book.worksheets[0]
    # The guide lists each allowed value on a line of its own under its column.
    types = [r[2].value for r in book.worksheets[1].iter_rows(min_row=2) if not r[0].value]
    deposit = next(label for label in types if "deposit" in label.lower() or "예금" in label)
    sheet.append([deposit, f"browser {language}", "Hanbit Bank", 7_000_000_000])
    sheet.append([deposit, "", "Hanbit Bank", "a lot"])
    bad = tmp_path / "bad.xlsx"
    book.save(bad)

    # A refused cell: named, and nothing filled.
    page.set_input_files("#field-workbook-reserve_assets", str(bad))
    follow(page, "#upload-reserve_assets")
    assert text["bad"] in page.locator("#error-summary").inner_text()
    assert page.locator(f"input[value='browser {language}']").count() == 0

    # Without the bad row the table is filled, and the form shows the rows.
    sheet.delete_rows(sheet.max_row)
    good = tmp_path / "good.xlsx"
    book.save(good)
    page.set_input_files("#field-workbook-reserve_assets", str(good))
    follow(page, "#upload-reserve_assets")
    assert text["filled"] in page.locator(".app-flashes").inner_text()
    assert page.locator(f"input[value='browser {language}']").count() == 1
    shoot(page, f"report-spreadsheet-{language}")

    # Put the demo back: no draft left for the other browser tests.
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#discard-draft")
