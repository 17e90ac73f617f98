"""Server-rendered SVG charts: no JavaScript, no inline style, readable by screen readers.

Each chart is an `<svg role="img">` with a <title> and <desc>; every point or bar
carries its own <title> (shown on hover) and `data-value`, and the page shows the
same figures as a table beside it. Colours are SVG presentation attributes, which
a `style-src 'self'` policy allows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 40
# KRDS palette: primary, secondary, danger, success.
COLOURS = ("#256ef4", "#8a3ee6", "#de3412", "#228738")
GRID = "#cdd1d5"
TEXT = "#464c53"

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | int | None]  # one per label; None: no figure that month


def _nice_top(value: float) -> float:
    """A round upper bound for the axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _frame(title: str, description: str, body: list[str], css: str) -> Markup:
    ident = f"chart-{next(_ids)}"
    # Our own SVG: every text and attribute value in it passes through escape().
    return Markup(  # nosec B704
        f'<svg class="app-chart {escape(css)}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _axes(
    labels: Sequence[str], top: float, fmt: Callable[[float], str], bottom: float = 0.0
) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = bottom + (top - bottom) * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{escape(fmt(value))}</text>'
        )
    step = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = _x(i, len(labels))
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
    return parts


def _x(index: int, total: int) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    return LEFT + plot_w * (index + 0.5) / max(total, 1)


def _y(value: float, top: float, bottom: float = 0.0) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    span = top - bottom
    return TOP + plot_h - plot_h * ((value - bottom) / span if span else 0)


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    for i, line in enumerate(series):
        x = LEFT + 150 * i
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{COLOURS[i % 4]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="11" fill="{TEXT}">'
            f"{escape(line.name)}</text>"
        )
    return parts


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    reference: tuple[float, str] | None = None,
    bounds: tuple[float, float] | None = None,
    description: str = "",
) -> Markup:
    """Lines over months; `reference` draws a dashed line such as the 100% coverage floor;
    `bounds` fixes the axis (bottom, top) where a zero base would flatten what matters."""
    values = [float(v) for s in series for v in s.values if v is not None]
    peak = max(values + ([reference[0]] if reference else []), default=0.0)
    bottom, top = bounds or (0.0, _nice_top(peak * 1.05))
    body = _axes(labels, top, fmt, bottom)
    if reference:
        y = _y(reference[0], top, bottom)
        body.append(
            f'<line class="chart-reference" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}" stroke="{COLOURS[2]}" stroke-width="1.5" stroke-dasharray="6 4">'
            f"<title>{escape(reference[1])}</title></line>"
        )
    for i, line in enumerate(series):
        colour = COLOURS[i % 4]
        points = [
            (_x(j, len(labels)), _y(float(v), top, bottom), label, v)
            for j, (label, v) in enumerate(zip(labels, line.values, strict=True))
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _l, _v in points)
            # Later series dashed, so a line lying on another stays visible.
            dash = ' stroke-dasharray="6 3"' if i else ""
            body.append(
                f'<polyline class="chart-line" points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
        for x, y, label, value in points:
            body.append(
                f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" '
                f'data-series="{escape(line.name)}" data-label="{escape(label)}" '
                f'data-value="{escape(str(value))}"><title>{escape(line.name)} {escape(label)}: '
                f"{escape(fmt(float(value)))}</title></circle>"
            )
    body += _legend(series)
    return _frame(title, description or title, body, "app-chart-line")


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    description: str = "",
) -> Markup:
    """Grouped bars, one group per month (for example inbound and outbound flows)."""
    values = [float(v) for s in series for v in s.values if v is not None]
    top = _nice_top(max(values, default=0.0) * 1.05)
    body = _axes(labels, top, fmt)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = slot * 0.7 / max(len(series), 1)
    for i, bars in enumerate(series):
        colour = COLOURS[i % 4]
        for j, (label, value) in enumerate(zip(labels, bars.values, strict=True)):
            if value is None:
                continue
            x = _x(j, len(labels)) - slot * 0.35 + width * i
            y = _y(float(value), top)
            body.append(
                f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{colour}" '
                f'data-series="{escape(bars.name)}" data-label="{escape(label)}" '
                f'data-value="{escape(str(value))}"><title>{escape(bars.name)} {escape(label)}: '
                f"{escape(fmt(float(value)))}</title></rect>"
            )
    body += _legend(series)
    return _frame(title, description or title, body, "app-chart-bar")


def won_axis(value: float) -> str:
    """Axis figures in 억 (100 million won) / 조 (trillion), the units Korean reports use."""
    if value >= 1e12:
        return f"₩{value / 1e12:,.1f}조"
    if value >= 1e8:
        return f"₩{value / 1e8:,.0f}억"
    return f"₩{value:,.0f}"


def percent_axis(value: float) -> str:
    return f"{value:.1f}%" if value % 1 else f"{value:.0f}%"


def percent_bounds(values: Sequence[float], reference: float) -> tuple[float, float]:
    """An axis around the reference line, wide enough for every value, in steps of 5 points."""
    low = min([reference, *values])
    high = max([reference, *values])
    return (5 * ((low - 1) // 5), 5 * -((-(high + 1)) // 5))
