"""The register bench on a small generated database: it tops the register up to the size
asked, only once, and prints its figures against the queue page."""

from sqlalchemy import func, select

from bench import register
from bench.common import make_app
from bench.generate import generate
from service.extensions import db
from service.models import Registration


def test_the_register_bench_fills_the_register_to_its_size_and_prints_both_figures(tmp_path):
    url = f"sqlite:///{tmp_path}/bench.sqlite"
    generate(url, size=500)
    figures = register.run(url=url, size=600, repeat=1)
    assert [f["name"] for f in figures] == [
        "register page (HTML) at 600 registrations",
        "register page (JSON) at 600 registrations",
    ]
    assert all(f["ratio"] > 0 and f["target"] == "<= 2x queue" for f in figures)

    assert register.top_up(make_app(url), 600) == 600  # a rerun adds nothing
    with make_app(url).app_context():
        count = db.session.execute(select(func.count()).select_from(Registration)).scalar_one()
        assert count == 600
        db.session.remove()
