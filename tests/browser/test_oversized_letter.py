"""An opinion letter over the upload limit is refused beside its field on the case page,
as a letter that is no PDF is, not on a page of its own (issue 20, item 10)."""

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Application
from tests.browser.conftest import follow, login

MESSAGES = {
    "en": "The file is larger than 20 MB: upload a smaller PDF.",
    "ko": "파일이 20 MB를 넘습니다. 더 작은 PDF를 올리십시오.",
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_oversized_opinion_letter_is_refused_on_the_case_page(page, browser_app, language):
    with browser_app.app_context():
        case_id = db.session.execute(
            select(Application.id).where(
                Application.state == "recommended", Application.category == "krw_stablecoin"
            )
        ).scalar_one()
        limit = browser_app.config["MAX_CONTENT_LENGTH"]
    page.goto(f"/language/{language}?next=/")
    login(page, "reviewer@fsc.example")
    page.goto(f"/review/cases/{case_id}")
    form = page.locator("form.opinion-form")
    pdf = b"%PDF-1.7\n" + b"0" * limit + b"\n%%EOF\n"
    form.locator("#t-letter").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    # The form's other answers are filled as a browser would require them.
    page.evaluate(
        "document.querySelectorAll('form.opinion-form [required]')"
        ".forEach(e => e.removeAttribute('required'))"
    )
    follow(page, form.locator("button[type=submit]"))
    form = page.locator("form.opinion-form")
    assert form.locator(".form-hint-invalid", has_text=MESSAGES[language]).is_visible()
    assert form.locator("#error-summary a[href='#t-letter']").count() == 1
    assert page.url.endswith(f"/review/cases/{case_id}/opinions")
