"""The SVG charts: points where the figures put them, nothing a strict CSP would block."""

import re
from decimal import Decimal

from service.monitoring import charts


def _cy(svg: str) -> list[float]:
    return [float(y) for y in re.findall(r'class="chart-point" cx="[\d.]+" cy="([\d.]+)"', svg)]


def test_a_shortfall_is_drawn_below_the_reference_line_on_a_narrowed_axis():
    values = [Decimal("100.00"), Decimal("98.84"), Decimal("101.50")]
    svg = charts.line_chart(
        "Coverage",
        ["2026-07", "2026-08", "2026-09"],
        [charts.Series("Coverage", values)],
        fmt=charts.percent_axis,
        reference=(100.0, "Minimum 100%"),
        bounds=charts.percent_bounds([float(v) for v in values], 100.0),
    )
    reference = float(re.search(r'class="chart-reference" x1="\d+" y1="([\d.]+)"', svg).group(1))
    at, short, over = _cy(svg)
    assert at == reference and short > reference > over  # SVG y grows downwards
    assert ">95%<" in svg and ">105%<" in svg
    assert 'data-value="98.84"' in svg


def test_months_without_a_figure_are_skipped_and_labels_are_escaped():
    svg = charts.line_chart(
        "<b>Outstanding</b>", ["a", "b", "c"], [charts.Series("x&y", [1, None, 3])]
    )
    assert len(_cy(svg)) == 2
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "x&amp;y" in svg
    assert "style=" not in svg and "<script" not in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


def test_a_bar_chart_draws_one_bar_per_series_and_month():
    svg = charts.bar_chart(
        "Flows",
        ["2026-08", "2026-09"],
        [charts.Series("In", [1, 2]), charts.Series("Out", [3, 4])],
        fmt=charts.won_axis,
    )
    assert svg.count('class="chart-bar"') == 4
    bar = r'class="chart-bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"'
    heights = [float(h) for h in re.findall(bar, svg)]
    assert heights == sorted(heights)  # 1 < 2 < 3 < 4


def test_axis_figures_read_in_eok_and_jo():
    assert charts.won_axis(150_000_000_000) == "₩1,500억"
    assert charts.won_axis(2_500_000_000_000) == "₩2.5조"
