"""A case with a long history shows its latest events and links to earlier ones (keyset on seq)."""

from service.applications.queries import HISTORY_PAGE
from service.audit import chain
from service.extensions import db
from service.models import AuditEvent
from tests.service.factories import PASSWORD, Cast
from workflows.lifecycle import Actor


def _history_rows(page: str) -> int:
    history = page.split('id="history-title"', 1)[1].split("</tbody>", 1)[0]
    return history.count("<tr>") - 1  # less the header row


def test_a_long_history_is_paged_latest_first_with_a_link_to_earlier_events(client, ctx):
    cast = Cast()
    case = cast.case_in("assessment")
    actor = Actor(cast.reviewer.id, "reviewer", cast.reviewer.organization_id, cast.reviewer.email)
    for n in range(HISTORY_PAGE + 5):
        chain.append(
            db.session, actor=actor, action="note", application_id=case.id, detail={"n": n}
        )
    db.session.commit()
    seqs = sorted(e.seq for e in db.session.query(AuditEvent).filter_by(application_id=case.id))
    client.post("/login", data={"email": cast.reviewer.email, "password": PASSWORD})

    latest = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert _history_rows(latest) == HISTORY_PAGE
    assert f"<td>{seqs[-1]}</td>" in latest
    first_shown = seqs[-HISTORY_PAGE]
    assert f"?before={first_shown}" in latest

    earlier = client.get(f"/review/cases/{case.id}?before={first_shown}").get_data(as_text=True)
    assert _history_rows(earlier) == len(seqs) - HISTORY_PAGE
    assert f"<td>{seqs[0]}</td>" in earlier and f"<td>{seqs[-1]}</td>" not in earlier
    assert "?before=" not in earlier
