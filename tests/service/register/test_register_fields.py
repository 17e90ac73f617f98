"""The register as complete as ESMA's interim MiCA register (issue 18; docs/domain.md
section 6): the competent authority, the issuer's LEI, registered address, website and
commercial names, the white paper's version, date and last update, the end date and every
status date, in the HTML, the JSON and the CSV alike."""

import csv
import io

import pytest

from forms.sections.samples import SAMPLE_ISSUERS
from service.applications import operations
from service.extensions import db
from service.models import AuditEvent, Document
from service.timezone import in_korea
from tests.service.factories import Cast


@pytest.fixture
def revoked(ctx):
    """Nuri Labs' token registered, suspended, reinstated, suspended again, then revoked."""
    cast = Cast()
    case = cast.case_in("suspended")
    operations.transition(case.id, "reinstate", cast.approver, {"reason": "Reserve restored."})
    cast.hear(case, "suspend", cast.supervisor)
    operations.transition(case.id, "suspend", cast.supervisor, {"reason": "Shortfall again."})
    cast.hear(case, "revoke")
    operations.transition(
        case.id,
        "revoke",
        cast.approver,
        {"grounds": ["serious_infringement"], "reasons": "Repeated shortfalls."},
    )
    db.session.refresh(case)
    return case


def _days(case, action: str) -> list[str]:
    moments = db.session.execute(
        AuditEvent.__table__.select()
        .with_only_columns(AuditEvent.occurred_at)
        .where(AuditEvent.application_id == case.id, AuditEvent.action == action)
        .order_by(AuditEvent.seq)
    ).scalars()
    return [in_korea(moment).date().isoformat() for moment in moments]


def test_the_json_register_publishes_esmas_fields_from_the_application_and_its_events(
    client, revoked
):
    """MiCA Art 109-110 (ESMA's register) as the model: each value is read where the case
    keeps it: the applicant and white-paper sections, the white paper's upload, the
    registration row and the status-changing audit events."""
    (entry,) = client.get("/api/v1/register").json["items"]
    applicant = revoked.sections["applicant"]
    white_paper = revoked.sections["white_paper"]
    assert entry["competent_authority_en"] == "Financial Services Commission"
    assert entry["competent_authority_ko"] == "금융위원회"
    assert entry["lei"] == SAMPLE_ISSUERS["other_virtual_asset"]["lei"] == applicant["lei"]
    assert entry["registered_address"] == applicant["registered_office"]
    assert entry["website"] == applicant["website"]
    assert entry["commercial_names"] == ["누리플레이", "Nuri Play"]
    assert entry["white_paper_version"] == white_paper["white_paper_version"] == "1.0"
    assert entry["white_paper_date"] == white_paper["white_paper_date"]
    uploaded = db.session.execute(
        Document.__table__.select()
        .with_only_columns(Document.uploaded_at)
        .where(Document.application_id == revoked.id, Document.document_type == "white_paper")
    ).scalar_one()
    assert entry["white_paper_updated_on"] == in_korea(uploaded).date().isoformat()

    assert entry["status"] == "revoked"
    # The end date is the registration's own (the day the operation ran, as its status_since).
    assert entry["ended_on"] == entry["status_since"]
    history = [(change["status"], change["on"]) for change in entry["history"]]
    assert [status for status, _ in history] == [
        "registered",
        "suspended",
        "reinstated",
        "suspended",
        "revoked",
    ]
    assert [on for status, on in history if status == "suspended"] == _days(revoked, "suspend")


def test_a_registration_in_force_has_no_end_date(client, ctx):
    Cast().case_in("registered")
    (entry,) = client.get("/api/v1/register").json["items"]
    assert entry["ended_on"] is None and entry["valid_until"]
    assert [change["status"] for change in entry["history"]] == ["registered"]


def test_the_csv_has_a_column_per_field_and_every_date_of_each_status(client, revoked):
    text = client.get("/register.csv").text
    (row,) = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    entry = client.get("/api/v1/register").json["items"][0]
    for key in ("competent_authority_en", "lei", "registered_address", "website"):
        assert row[key] == entry[key]
    assert row["commercial_names"] == "누리플레이; Nuri Play"
    assert row["white_paper_version"] == "1.0"
    assert row["white_paper_updated_on"] == entry["white_paper_updated_on"]
    assert row["ended_on"] == entry["ended_on"]
    # Both suspensions, not only the latest.
    assert row["suspended_dates"] == "; ".join(_days(revoked, "suspend"))
    assert row["reinstated_dates"] == _days(revoked, "reinstate")[0]
    assert row["revoked_dates"] == _days(revoked, "revoke")[0]
    assert row["registered_on"] == entry["registered_on"]
    assert row["registered_dates"] == _days(revoked, "approve")[0]
    assert row["lapsed_dates"] == row["surrendered_dates"] == row["renewed_dates"] == ""


def test_the_html_disclosure_shows_the_same_fields(client, revoked):
    (entry,) = client.get("/api/v1/register").json["items"]
    html = client.get(
        f"/register/{entry['registration_number']}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    for value in (
        "Financial Services Commission",
        entry["lei"],
        entry["registered_address"],
        entry["website"],
        "누리플레이; Nuri Play",
        entry["ended_on"],
        f"Version 1.0 of {entry['white_paper_date']}, last updated "
        f"{entry['white_paper_updated_on']}",
    ):
        assert value in html, value
    assert html.count("<td>Suspended</td>") == 2  # the status history: both suspensions
