"""Supervision over HTTP: the dashboard and issuer pages, the report form, finding actions,
the reports and findings API, the `monitoring run` command."""

from datetime import date

import pytest
from sqlalchemy import select

from forms.report_samples import cross_border_flows, reserve_report
from forms.reports import REPORT_SCHEMAS
from service.extensions import db
from service.models import Finding, Report
from service.monitoring.reports import submit_report
from service.monitoring.run import run_monitoring
from tests.forms.test_reports import walk
from tests.service.conftest import login, token
from tests.service.factories import Cast
from tests.service.test_monitoring import BILLION, ON_TIME, SEPTEMBER, registered


@pytest.fixture
def krw(ctx):
    cast = registered()
    # July to September, each filed on its due date.
    for month, outstanding, on in (
        (7, 40, date(2026, 8, 14)),
        (8, 50, date(2026, 9, 14)),
        (9, 60, ON_TIME),
    ):
        start = date(2026, month, 1)
        body = reserve_report(start, outstanding * BILLION)
        submit_report(cast.number, cast.issuer, "reserve_report", body, today=on)
        flows = cross_border_flows(start, outstanding * BILLION, {"US": (BILLION, 2 * BILLION)})
        submit_report(cast.number, cast.issuer, "cross_border_flows", flows, today=on)
    return cast


def test_the_dashboard_charts_outstanding_and_flows_from_the_filed_reports(client, krw):
    page = login(client, krw.supervisor).get("/monitoring").get_data(as_text=True)
    assert krw.number in page
    for value in ("40000000000", "50000000000", "60000000000"):
        assert f'data-value="{value}"' in page
    assert page.count('class="chart-bar"') == 6  # inbound and outbound, three months
    assert page.count("<td>₩1,000,000,000</td>") == 6  # inbound and net outflow, each month


def test_the_issuer_page_charts_coverage_and_lists_calendar_and_findings(client, krw):
    page = login(client, krw.approver).get(f"/monitoring/registrations/{krw.number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count('class="chart-point"') == 3 + 6  # coverage; outstanding and reserve
    assert 'data-status="overdue"' in text  # January to June were never filed


def test_the_auditor_reads_everything_and_acts_on_nothing(client, krw):
    run_monitoring(today=ON_TIME)
    login(client, krw.auditor)
    assert client.get("/monitoring").status_code == 200
    page = client.get(f"/monitoring/registrations/{krw.number}").get_data(as_text=True)
    assert "app-finding-move" not in page and "warning-letter" not in page
    finding = db.session.execute(select(Finding)).scalars().first()
    assert (
        client.post(f"/monitoring/findings/{finding.id}", data={"move": "close"}).status_code == 403
    )


def test_reviewers_read_supervision_like_the_api_and_issuers_see_only_their_own(client, krw):
    run_monitoring(today=ON_TIME)
    login(client, krw.reviewer)
    assert client.get("/monitoring").status_code == 200
    page = client.get(f"/monitoring/registrations/{krw.number}").get_data(as_text=True)
    assert "app-finding-move" not in page and "warning-letter" not in page
    api = token(client, krw.reviewer)
    findings = client.get(f"/api/v1/registrations/{krw.number}/findings", headers=api)
    assert findings.status_code == 200 and findings.json
    assert findings.json[0]["rule"] in page
    client.post("/logout")
    other = Cast("krw_stablecoin")
    login(client, other.issuer)
    assert krw.number not in client.get("/monitoring").get_data(as_text=True)
    assert client.get(f"/monitoring/registrations/{krw.number}").status_code == 404


def test_an_issuer_files_a_report_through_the_html_form_with_table_rows(client, krw):
    login(client, krw.issuer)
    form = {
        "kind": "cross_border_flows",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "outstanding_issuance_krw": "70,000,000,000",
        "rows-0-country": "US",
        "rows-0-counterparty_type": "foreign_exchange",
        "rows-0-inbound_krw": "0",
        "rows-0-outbound_krw": "8000000000",
        "rows-1-country": "",
        "rows-1-counterparty_type": "",
    }
    base = f"/monitoring/registrations/{krw.number}/reports"
    answer = client.post(f"{base}/draft", data={**form, "action": "check"})
    assert answer.status_code == 302
    check = client.get(answer.headers["Location"]).get_data(as_text=True)
    fingerprint = check.split('name="fingerprint" value="', 1)[1].split('"', 1)[0]
    filed = client.post(base, data={"kind": form["kind"], "fingerprint": fingerprint})
    assert filed.status_code == 302
    report = db.session.execute(select(Report).order_by(Report.id.desc())).scalars().first()
    assert report.body["rows"][0]["outbound_krw"] == "8000000000"
    assert len(report.body["rows"]) == 1
    rules = db.session.execute(select(Finding.rule).where(Finding.report_id == report.id))
    assert "cross_border_net_outflow" in list(rules.scalars())


def test_an_invalid_report_form_comes_back_with_its_errors(client, krw):
    login(client, krw.issuer)
    form = {"kind": "redemption_statistics", "period_start": "2026-10-01", "action": "check"}
    answer = client.post(f"/monitoring/registrations/{krw.number}/reports/draft", data=form)
    assert answer.status_code == 422
    assert 'id="error-summary"' in answer.get_data(as_text=True)
    form_page = client.get(
        f"/monitoring/registrations/{krw.number}/reports/new?kind=reserve_report"
        "&period_start=2026-10-01&period_end=2026-10-31"
    )
    assert 'value="2026-10-01"' in form_page.get_data(as_text=True)


def test_every_choice_of_a_report_form_is_offered_with_its_code_and_korean_label(client, krw):
    login(client, krw.issuer)
    for kind in ("reserve_report", "cross_border_flows"):
        page = client.get(f"/monitoring/registrations/{krw.number}/reports/new?kind={kind}")
        html = page.get_data(as_text=True)
        choices = [
            field.metadata["choices"]
            for _, field in walk(REPORT_SCHEMAS[kind]())
            if field.metadata.get("widget") == "select"
        ]
        assert choices, kind
        for value, label in (choice for found in choices for choice in found):
            assert f'<option value="{value}"' in html, (kind, value)
            assert f">{label.ko}</option>" in html, (kind, value)


def test_a_supervisor_moves_a_finding_and_sends_a_warning_letter_from_the_page(client, krw):
    short = reserve_report(SEPTEMBER, 10 * BILLION, deposits={"A": 4 * BILLION}, bonds=BILLION)
    submit_report(krw.number, krw.issuer, "reserve_report", short, today=ON_TIME)
    finding = db.session.execute(
        select(Finding).where(Finding.rule == "reserve_coverage_below_minimum")
    ).scalar_one()
    login(client, krw.supervisor)
    page = client.get(f"/monitoring/registrations/{krw.number}").get_data(as_text=True)
    assert "Grounds for suspension" in page or "정지 사유" in page
    answer = client.post(
        f"/monitoring/findings/{finding.id}", data={"move": "request_remedy", "comment": "Fix."}
    )
    assert answer.status_code == 302
    assert finding.status == "remedy_requested" and finding.last_comment == "Fix."
    answer = client.post(
        f"/monitoring/registrations/{krw.number}/warning-letter",
        data={"reasons": "Restore the reserve.", "finding": [str(finding.id)]},
    )
    assert answer.status_code == 302


# -- the API -----------------------------------------------------------------------


def test_the_api_files_lists_and_refuses_reports(client, krw):
    headers = token(client, krw.issuer)
    url = f"/api/v1/registrations/{krw.number}/reports"
    body = reserve_report(date(2026, 10, 1), 70 * BILLION)
    answer = client.post(
        url, json={"kind": "reserve_report", "period": "2026-10", "report": body}, headers=headers
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["accession_number"].startswith("VAR-")
    # Fully covered; only lateness can be found, and that depends on the day the test runs.
    assert set(answer.json["findings"]) <= {"report_filed_late"}
    assert answer.json["resubmission"] is False
    again = client.post(url, json={"kind": "reserve_report", "report": body}, headers=headers)
    assert again.json["supersedes"] == answer.json["accession_number"]
    listed = client.get(url, headers=headers).json
    assert [r["accession_number"] for r in listed[:2]] == [
        again.json["accession_number"],
        answer.json["accession_number"],
    ]
    wrong = client.post(
        url, json={"kind": "reserve_report", "period": "2026-09", "report": body}, headers=headers
    )
    assert wrong.status_code == 422 and "period" in wrong.json["errors"]
    bad = client.post(url, json={"kind": "reserve_report", "report": {}}, headers=headers)
    assert bad.status_code == 422
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    outsider = token(client, Cast("krw_stablecoin").issuer)
    assert client.get(url, headers=outsider).status_code == 404


def test_the_api_lists_findings_and_moves_them_for_supervisors_only(client, krw):
    run_monitoring(today=ON_TIME)
    supervisor = token(client, krw.supervisor)
    findings = client.get(f"/api/v1/registrations/{krw.number}/findings", headers=supervisor).json
    assert {f["rule"] for f in findings} == {"report_missing"}
    first = findings[0]["id"]
    issuer = token(client, krw.issuer)
    assert (
        client.post(f"/api/v1/findings/{first}/moves/close", json={}, headers=issuer).status_code
        == 404
    )
    moved = client.post(
        f"/api/v1/findings/{first}/moves/close", json={"comment": "Filed."}, headers=supervisor
    )
    assert moved.status_code == 200 and moved.json["status"] == "closed"
    again = client.post(f"/api/v1/findings/{first}/moves/close", json={}, headers=supervisor)
    assert again.status_code == 409


def test_the_monitoring_run_command_reports_what_it_did_and_is_idempotent(app, krw):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["monitoring", "run", "--today", "2026-10-19"])
    assert first.exit_code == 0, first.output
    assert "report_missing reserve_report:2026-01-15" in first.output
    second = runner.invoke(args=["monitoring", "run", "--today", "2026-10-19"])
    assert second.output.strip() == "0 new finding(s), 0 lapse(s)"


# -- who may do what: every route, every role, another organization ----------------

READERS = {"supervisor", "approver", "admin", "auditor", "reviewer", "issuer"}


@pytest.mark.parametrize(
    "role", ["issuer", "other_issuer", "reviewer", "approver", "supervisor", "auditor", "admin"]
)
def test_every_monitoring_route_answers_each_role_as_the_policy_says(client, krw, role):
    from tests.service.factories import user

    who = {
        "issuer": krw.issuer,
        "other_issuer": Cast("krw_stablecoin").issuer,
        "reviewer": krw.reviewer,
        "approver": krw.approver,
        "supervisor": krw.supervisor,
        "auditor": krw.auditor,
        "admin": None,
    }[role] or user("admin")
    run_monitoring(today=ON_TIME)
    finding = db.session.execute(select(Finding)).scalars().first()
    login(client, who)
    base = f"/monitoring/registrations/{krw.number}"
    pages = {
        "dashboard": client.get("/monitoring").status_code,
        "registration": client.get(base).status_code,
        "form": client.get(f"{base}/reports/new?kind=reserve_report").status_code,
        "move": client.post(
            f"/monitoring/findings/{finding.id}", data={"move": "acknowledge"}
        ).status_code,
        "warning": client.post(f"{base}/warning-letter", data={"reasons": "x"}).status_code,
    }
    expected = {
        "issuer": {"dashboard": 200, "registration": 200, "form": 200, "move": 404, "warning": 403},
        "other_issuer": {
            "dashboard": 200,
            "registration": 404,
            "form": 404,
            "move": 404,
            "warning": 404,
        },
        "reviewer": {
            "dashboard": 200,
            "registration": 200,
            "form": 404,
            "move": 403,
            "warning": 403,
        },
        "approver": {
            "dashboard": 200,
            "registration": 200,
            "form": 404,
            "move": 403,
            "warning": 302,
        },
        "supervisor": {
            "dashboard": 200,
            "registration": 200,
            "form": 404,
            "move": 302,
            "warning": 302,
        },
        "auditor": {
            "dashboard": 200,
            "registration": 200,
            "form": 404,
            "move": 403,
            "warning": 403,
        },
        "admin": {"dashboard": 200, "registration": 200, "form": 404, "move": 403, "warning": 403},
    }[role]
    assert pages == expected


def test_the_dashboard_shows_months_over_the_outflow_limit_and_bok_flags(client, krw):
    login(client, krw.supervisor)
    page = client.get("/monitoring", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Over the outflow limit" not in page and 'id="central-bank-flags">0<' in page
    october = cross_border_flows(date(2026, 10, 1), 60 * BILLION, {"US": (0, 6 * BILLION + 1)})
    submit_report(krw.number, krw.issuer, "cross_border_flows", october, today=date(2026, 11, 13))
    page = client.get("/monitoring", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count("Over the outflow limit") == 1 and 'id="central-bank-flags">1<' in page
