"""A section form loses nothing typed right (docs/design.md, "Numbers as typed"): an
amount typed with separators or full-width digits is kept as its number; a save refused
for one answer keeps the others; "add another row" saves before it shows the new row."""

import re

import pytest

from tests.browser.conftest import follow, login
from tests.browser.test_issuer_application import ISSUERS, save, start_draft

MESSAGES = {
    "en": ("Your other answers were saved.", "Your answers were saved. Fill in the new row"),
    "ko": ("나머지 답변은 저장했습니다.", "답변을 저장했습니다. 아래 새 행을 작성하십시오."),
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_refused_answer_keeps_the_others_and_add_row_saves(page, language):
    page.goto("/language/en?next=/")
    login(page, ISSUERS["krw_stablecoin"])
    application_id = start_draft(page, "krw_stablecoin")
    page.goto(f"/language/{language}?next=/")
    base = f"/applications/{application_id}/sections"

    # A right amount typed in full-width digits beside evidence over its length.
    page.goto(f"{base}/capital")
    page.fill("#field-paid_in_capital_krw", "₩５０，０００，０００，０００")
    page.fill("#field-capital_as_of", "2026-06-30")
    too_long = "감" * 4001
    page.fill("#field-capital_evidence", too_long)
    save(page)
    assert page.locator("#error-summary").is_visible()
    assert MESSAGES[language][0] in page.locator("body").inner_text()
    assert page.locator("#field-capital_evidence[aria-invalid=true]").count() == 1
    assert page.input_value("#field-capital_evidence") == too_long  # as typed, to correct
    # What was right was saved: a fresh load of the page shows it, the amount as a number.
    page.goto(f"{base}/capital")
    assert page.input_value("#field-paid_in_capital_krw") == "50000000000"
    assert page.input_value("#field-capital_as_of") == "2026-06-30"
    assert page.input_value("#field-capital_evidence") == ""
    page.goto(f"/applications/{application_id}/check")
    assert "50,000,000,000" in page.locator("main").inner_text()

    # A row typed, then "add another row": the row is saved before the new one shows.
    page.goto(f"{base}/ownership")
    page.fill("#field-qualifying_holders-0-name", "한빛은행")
    page.select_option("#field-qualifying_holders-0-holder_type", "bank")
    page.fill("#field-qualifying_holders-0-percentage", "５１%")
    follow(page, "button[name=add_row]")
    # Saved, whether or not a rule across the holders is yet met (one holder of one type).
    said = page.locator("body").inner_text()
    assert MESSAGES[language][1] in said or MESSAGES[language][0] in said
    assert page.locator("#field-qualifying_holders-1-name").count() == 1
    page.goto(f"{base}/ownership")  # a fresh load: the row was kept
    assert page.input_value("#field-qualifying_holders-0-name") == "한빛은행"
    assert page.input_value("#field-qualifying_holders-0-percentage") == "51"
    assert re.search(r"/sections/ownership$", page.url)
