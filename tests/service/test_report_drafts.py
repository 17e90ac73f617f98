"""Reports on the web are drafted, checked, then filed (docs/design.md, "Reports are drafted,
checked, then filed"): saving files nothing, the check page shows what the automatic rules
will raise, and only its button files exactly what was checked."""

from datetime import date

import pytest
from sqlalchemy import func, select

from forms.report_samples import reserve_report
from service.extensions import db
from service.models import Finding, Report, ReportDraft
from tests.service.conftest import login
from tests.service.factories import Cast
from tests.service.test_monitoring import BILLION, registered

OCTOBER = date(2026, 10, 1)


def as_form(data, prefix=""):
    """A report body as the web form posts it: `<key>`, `<key>-<sub>`, `<key>-<i>-<sub>`."""
    form = {}
    for key, value in data.items():
        name = prefix + key
        if isinstance(value, dict):
            form.update(as_form(value, name + "-"))
        elif isinstance(value, list):
            for i, row in enumerate(value):
                form.update(as_form(row, f"{name}-{i}-"))
        elif isinstance(value, bool):
            if value:
                form[name] = "true"
        else:
            form[name] = str(value)
    return form


@pytest.fixture
def cast(ctx):
    return registered()


def _reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def _draft(client, cast, data, action="save"):
    form = {"kind": "reserve_report", "action": action, **as_form(data)}
    return client.post(f"/monitoring/registrations/{cast.number}/reports/draft", data=form)


def _check_page(client, cast):
    return client.get(f"/monitoring/registrations/{cast.number}/reports/check?kind=reserve_report")


def _fingerprint(html: str) -> str:
    return html.split('name="fingerprint" value="', 1)[1].split('"', 1)[0]


def _file(client, cast, fingerprint):
    return client.post(
        f"/monitoring/registrations/{cast.number}/reports",
        data={"kind": "reserve_report", "fingerprint": fingerprint},
    )


def test_saving_a_report_files_nothing_and_keeps_every_row_for_later(client, cast):
    login(client, cast.issuer)
    one_row = reserve_report(OCTOBER, 80 * BILLION)
    one_row["reserve_assets"] = one_row["reserve_assets"][:1]
    answer = _draft(client, cast, one_row)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/reports/new?kind=reserve_report")
    assert _reports() == 0
    form = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Hanbit Bank" in form and 'id="field-reserve_assets-1"' in form  # the row after it
    # Saving again with the second row filled adds it, still filing nothing.
    both = reserve_report(OCTOBER, 80 * BILLION)
    _draft(client, cast, both)
    form = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Woori Bank" in form and 'id="field-reserve_assets-3"' in form
    assert _reports() == 0


def test_the_check_page_shows_what_filing_would_raise_and_files_nothing(client, cast):
    """The report that reached a supervisor as a critical finding on the first click: one
    asset row of 10 billion against 80 billion outstanding (reserve below 100%)."""
    login(client, cast.issuer)
    short = reserve_report(OCTOBER, 80 * BILLION, deposits={"Hanbit Bank": 10 * BILLION})
    answer = _draft(client, cast, short, action="check")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/reports/check?kind=reserve_report")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    previewed = set(part.split('"', 1)[0] for part in page.split('data-rule="')[1:])
    assert "reserve_coverage_below_minimum" in previewed, previewed
    assert "2026-10-01" in page and "Hanbit Bank" in page
    assert _reports() == 0 and db.session.scalar(select(func.count()).select_from(Finding)) == 0
    filed = _file(client, cast, _fingerprint(page))
    assert filed.status_code == 302
    report = db.session.execute(select(Report)).scalar_one()
    raised = set(
        db.session.execute(select(Finding.rule).where(Finding.report_id == report.id)).scalars()
    )
    assert raised == previewed
    assert db.session.scalar(select(func.count()).select_from(ReportDraft)) == 0


def test_a_refused_check_keeps_the_draft_with_what_was_typed(client, cast):
    login(client, cast.issuer)
    body = reserve_report(OCTOBER, 80 * BILLION)
    body["outstanding_issuance_krw"] = "eighty billion"
    answer = _draft(client, cast, body, action="check")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'value="eighty billion"' in html
    again = client.get(f"/monitoring/registrations/{cast.number}/reports/new?kind=reserve_report")
    assert 'value="eighty billion"' in again.get_data(as_text=True)
    # The check page of an invalid draft is the form with its errors, not a filing button.
    check = _check_page(client, cast)
    assert check.status_code == 422 and 'id="file-report"' not in check.get_data(as_text=True)
    assert _reports() == 0


def test_a_draft_changed_after_its_check_is_not_filed(client, cast):
    login(client, cast.issuer)
    _draft(client, cast, reserve_report(OCTOBER, 80 * BILLION), action="check")
    fingerprint = _fingerprint(_check_page(client, cast).get_data(as_text=True))
    # Another tab changes the amount after the check page was read.
    _draft(client, cast, reserve_report(OCTOBER, 90 * BILLION))
    for sent in (fingerprint, "", "0" * 64):
        refused = _file(client, cast, sent)
        assert refused.status_code == 302
        assert refused.headers["Location"].endswith("/reports/check?kind=reserve_report")
        assert _reports() == 0
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "check it again" in page or "다시 확인하세요" in page
    assert _file(client, cast, _fingerprint(page)).status_code == 302
    report = db.session.execute(select(Report)).scalar_one()
    assert report.body["outstanding_issuance_krw"] == str(90 * BILLION)


def test_filing_with_no_draft_files_nothing_and_sends_back_to_the_form(client, cast):
    login(client, cast.issuer)
    answer = _file(client, cast, "0" * 64)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/reports/new?kind=reserve_report")
    assert _reports() == 0


def test_a_discarded_draft_is_gone(client, cast):
    login(client, cast.issuer)
    _draft(client, cast, reserve_report(OCTOBER, 80 * BILLION))
    answer = _draft(client, cast, {}, action="discard")
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ReportDraft)) == 0
    form = client.get(f"/monitoring/registrations/{cast.number}/reports/new?kind=reserve_report")
    assert "Hanbit Bank" not in form.get_data(as_text=True)


@pytest.mark.parametrize("action", ["save", "check", "discard"])
def test_another_issuer_can_neither_draft_nor_read_nor_file_a_registrations_report(
    client, cast, action
):
    login(client, cast.issuer)
    _draft(client, cast, reserve_report(OCTOBER, 80 * BILLION))
    client.post("/logout")
    other = Cast("krw_stablecoin")
    login(client, other.issuer)
    assert _draft(client, cast, reserve_report(OCTOBER, 1), action=action).status_code == 404
    assert _check_page(client, cast).status_code == 404
    assert _file(client, cast, "0" * 64).status_code == 404
    draft = db.session.execute(select(ReportDraft)).scalar_one()
    assert draft.body["outstanding_issuance_krw"] == str(80 * BILLION)
