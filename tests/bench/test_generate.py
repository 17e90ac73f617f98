"""The bench's generator: the real schema, every state and category, a chain that verifies."""

from sqlalchemy import func, select

from bench.generate import generate
from service.audit import chain
from service.extensions import db
from service.models import Application, AuditEvent, Filing
from workflows.lifecycle import STATES
from workflows.regime import CATEGORIES


def test_a_small_generated_database_has_every_state_and_a_chain_that_verifies(tmp_path):
    url = f"sqlite:///{tmp_path}/bench.sqlite"
    facts = generate(url, size=500)
    assert facts["applications"] == 500
    assert facts["long_case_events"] == 2000
    assert facts["audit_events"] >= 4900

    from bench.common import make_app

    app = make_app(url)
    with app.app_context():
        states = set(db.session.execute(select(Application.state).distinct()).scalars())
        categories = set(db.session.execute(select(Application.category).distinct()).scalars())
        assert states == set(STATES)
        assert categories == set(CATEGORIES)
        assert db.session.execute(select(func.count()).select_from(Filing)).scalar_one() > 400
        assert (
            db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
            == (facts["audit_events"])
        )
        result = chain.verify(db.session)
        assert result.ok, result.problem
        assert result.checked == facts["audit_events"]
        db.session.remove()

    again = generate(url, size=500)  # reused, not regenerated
    assert again == facts
