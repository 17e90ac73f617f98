"""The live lifecycle for staff: SVG and explaining page; the CLI writes the same picture."""

from tests.service.conftest import login
from workflows.diagram import render_svg
from workflows.lifecycle import STATE_EXPLANATIONS


def test_staff_get_the_svg_and_the_page_explaining_each_state(client, cast):
    login(client, cast.reviewer)
    client.set_cookie("lang", "en")
    svg = client.get("/lifecycle.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.get_data(as_text=True) == render_svg()
    page = client.get("/lifecycle").get_data(as_text=True)
    assert 'src="/lifecycle.svg"' in page
    for text in STATE_EXPLANATIONS.values():
        assert text.en.replace("'", "&#39;") in page


def test_the_page_speaks_korean_by_default(client, cast):
    login(client, cast.auditor)
    page = client.get("/lifecycle").get_data(as_text=True)
    assert STATE_EXPLANATIONS["recommended"].ko in page


def test_issuers_and_the_public_do_not_get_the_diagram(client, cast):
    assert client.get("/lifecycle.svg").status_code in (302, 401)
    login(client, cast.issuer)
    assert client.get("/lifecycle.svg").status_code == 403
    assert client.get("/lifecycle").status_code == 403


def test_the_cli_writes_the_diagram(app, tmp_path):
    out = tmp_path / "lifecycle.svg"
    result = app.test_cli_runner().invoke(args=["lifecycle", "diagram", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_svg()


def test_the_closing_steps_for_a_stalled_case_are_drawn_and_listed(client, cast):
    # Both come from the step table (docs/domain.md section 4, stalled cases).
    client.set_cookie("lang", "en")
    login(client, cast.reviewer)
    svg = client.get("/lifecycle.svg").get_data(as_text=True)
    page = client.get("/lifecycle").get_data(as_text=True)
    for name, label in (
        ("close_not_resubmitted", "Close as not resubmitted"),
        ("close_unanswered", "Close for non-response"),
    ):
        assert f">{name}</text>" in svg
        assert f"{label} (<code>{name}</code>) → Closed for non-response" in page
    client.set_cookie("lang", "ko")
    page = client.get("/lifecycle").get_data(as_text=True)
    assert "미보완 종결 (<code>close_not_resubmitted</code>) → 기한 경과 종결" in page
