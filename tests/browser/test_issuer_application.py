"""The issuer's whole journey in a real browser, for each category: an empty
draft, every section filled in, a rule broken and fixed, every document
uploaded, answers checked, submitted; then the case is in the reviewer's queue."""

import re

import pytest

from forms.sections.samples import sample_sections
from service.demo import demo_pdf
from service.timezone import korea_today
from tests.browser.conftest import follow, login, shoot

ISSUERS = {
    "krw_stablecoin": "issuer@hanbit.example",
    "tokenized_deposit": "issuer@hanbit.example",
    "security_token": "issuer@nurilabs.example",
    "other_virtual_asset": "issuer@nurilabs.example",
}


def _form_values(answers: dict, prefix: str = "") -> dict:
    """Answers as the form's input names: `<key>`, `<key>-<i>-<sub>`."""
    values = {}
    for key, value in answers.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                values.update(_form_values(row, f"{prefix}{key}-{i}-"))
        elif key != "signed_at":  # the service stamps it
            values[prefix + key] = value
    return values


def _set(page, name: str, value) -> None:
    field = page.locator(f'[name="{name}"]')
    kind = field.first.evaluate("e => e.tagName + ':' + (e.type || '')")
    if kind.startswith("SELECT"):
        field.select_option(str(value))
    elif kind == "INPUT:checkbox" and isinstance(value, list):
        for item in value:
            page.locator(f'[name="{name}"][value="{item}"]').dispatch_event("click")
    elif kind == "INPUT:checkbox":
        if field.is_checked() != bool(value):
            page.locator(f'label[for="{field.get_attribute("id")}"]').dispatch_event("click")
    elif kind == "INPUT:date" and isinstance(value, str) and len(value) == 7:
        page.fill(f'[name="{name}"]', value + "-01")
    else:
        page.fill(f'[name="{name}"]', str(value))


# Sets every named input present on the page in one call; returns the names not there yet.
_FILL = """values => Object.entries(values).filter(([name, value]) => {
  const inputs = document.getElementsByName(name);
  if (!inputs.length) return true;
  const first = inputs[0];
  if (first.type === "checkbox" && Array.isArray(value)) {
    inputs.forEach(input => { input.checked = value.includes(input.value); });
  } else if (first.type === "checkbox") {
    first.checked = Boolean(value);
  } else if (first.tagName === "SELECT" && typeof value === "boolean") {
    first.value = value ? "True" : "False";
  } else if (first.type === "date" && String(value).length === 7) {
    first.value = value + "-01";
  } else {
    first.value = String(value);
  }
  return false;
}).map(([name]) => name)"""


def fill_section(page, answers: dict) -> None:
    """Fill every answer; where a repeating group needs more rows, ask the page for
    another row (it keeps what was typed) and go on."""
    pending = _form_values(answers)
    while pending:
        missing = page.evaluate(_FILL, pending)
        assert len(missing) < len(pending), f"no input for {missing[:5]}"
        pending = {name: pending[name] for name in missing}
        if pending:
            follow(page, "button[name=add_row]")


def save(page) -> None:
    follow(page, "button[name=save]")


def upload_documents(page) -> None:
    for form in page.locator("form.app-upload").all():
        code = form.get_attribute("id").removeprefix("upload-")
        page.set_input_files(
            f"#field-file-{code}",
            {"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": demo_pdf(code)},
        )
        follow(page, f"#upload-{code} button[type=submit]")
        assert page.locator(".app-notice-success").count(), f"upload of {code} failed"


def start_draft(page, category: str) -> int:
    page.goto("/applications")
    page.select_option("#category", category)
    follow(page, "form.inline-form button[type=submit]")
    follow(page, "text=Continue the application")
    return int(re.search(r"/applications/(\d+)/tasks", page.url).group(1))


@pytest.mark.parametrize("category", list(ISSUERS))
def test_an_issuer_prepares_and_submits_a_complete_application(page, category):
    page.goto("/language/en?next=/")
    login(page, ISSUERS[category])
    application_id = start_draft(page, category)
    statuses = page.locator(".app-task-status").evaluate_all(
        "cells => cells.map(c => c.dataset.status)"
    )
    assert statuses and set(statuses) == {"not_started"}
    shoot(page, f"{category}-01-task-list-empty")
    answers = sample_sections(category, korea_today())
    names = [
        link.get_attribute("href").rsplit("/", 1)[1]
        for link in page.locator("table.tbl th[scope=row] a").all()
    ]
    assert names[0] == "applicant" and names[-1] == "declaration"

    # A rule broken on the first section: the summary links to the field; then fixed.
    follow(page, "text=1. Applicant")
    wrong = {**answers["applicant"], "business_registration_number": "124-81-00999"}
    for name, value in wrong.items():  # typed field by field, as a person would
        _set(page, name, value)
    save(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator('a[href="#field-business_registration_number"]').count() == 1
    assert page.locator("#field-business_registration_number[aria-invalid=true]").count() == 1
    shoot(page, f"{category}-02-applicant-error")
    page.fill(
        "#field-business_registration_number", answers["applicant"]["business_registration_number"]
    )
    save(page)
    assert page.locator("#error-summary").count() == 0
    assert (
        page.locator("#task-applicant .app-task-status").get_attribute("data-status") == "complete"
    )

    for name in names:
        page.goto(f"/applications/{application_id}/sections/{name}")
        upload_documents(page)  # each upload reloads the page: before typing the answers
        if name != "applicant":
            fill_section(page, answers[name])
        if name == "declaration":
            shoot(page, f"{category}-03-{name}")
        save(page)
        status = page.locator(f"#task-{name} .app-task-status").get_attribute("data-status")
        assert status == "complete", (name, page.locator("#error-summary").all_inner_texts())

    shoot(page, f"{category}-04-task-list-complete")
    follow(page, "text=Check your answers")
    assert page.locator("#missing-list").count() == 0
    shoot(page, f"{category}-05-check-answers")
    follow(page, "#submit-application")
    accession = page.locator("#accession-number").inner_text()
    assert re.fullmatch(r"VAR-\d{4}-\d{6}", accession)
    shoot(page, f"{category}-06-submitted")

    page.context.clear_cookies()
    page.goto("/language/en?next=/")
    login(page, "reviewer@fsc.example")
    page.goto("/review?state=submitted")
    assert page.locator(f'a[href="/review/cases/{application_id}"]').count() == 1
    shoot(page, f"{category}-07-reviewer-queue")


def test_a_renamed_file_is_refused_in_the_browser_with_a_clear_message(page):
    page.goto("/language/en?next=/")
    login(page, "issuer@nurilabs.example")
    application_id = start_draft(page, "other_virtual_asset")
    page.goto(f"/applications/{application_id}/sections/white_paper")
    page.set_input_files(
        "#field-file-white_paper",
        {"name": "white_paper.pdf", "mimeType": "application/pdf", "buffer": b"PK\x03\x04zip"},
    )
    follow(page, "#upload-white_paper button[type=submit]")
    error = page.locator("#field-file-white_paper-error")
    assert "not a PDF" in error.inner_text()
    shoot(page, "upload-refused-not-a-pdf")
    page.goto(f"/applications/{application_id}/documents")
    assert page.get_by_text("No documents yet.").is_visible()


def test_a_section_page_explains_what_the_regulator_expects_in_both_languages(page):
    page.goto("/language/en?next=/")
    login(page, "issuer@hanbit.example")
    application_id = start_draft(page, "krw_stablecoin")
    page.goto(f"/applications/{application_id}/sections/reserve")
    page.locator("#guidance summary").press("Enter")  # a native <details>: the keyboard opens it
    assert page.get_by_text(
        "The reserve must cover all tokens outstanding at all times"
    ).is_visible()
    shoot(page, "section-guidance-en")
    page.goto(f"/language/ko?next=/applications/{application_id}/sections/reserve")
    page.locator("#guidance summary").click()
    assert page.get_by_text("준비자산은 언제나 유통 중인 토큰 전부를 충당해야 합니다").is_visible()
    shoot(page, "section-guidance-ko")
