"""The lifecycle drawn from the machine's own table, as SVG (no graphviz, no new dependency).

Layout: one column block per phase, left to right in the order of `PHASES`;
inside a phase, states stand in sub-columns by their distance from the
initial state, so the flow reads left to right. Phases in `BAND_PHASES`
(states reached from many places, like withdrawn) lie as a band under the
others. Every transition of every source is one labelled arrow, so the
picture cannot leave a step out; each arrow and box carries data attributes
a test reads back.
"""

from collections import deque
from dataclasses import dataclass

# Escaping text we write into SVG; nothing here parses XML.
from xml.sax.saxutils import escape, quoteattr  # nosec B406

from workflows.bilingual import t
from workflows.lifecycle import INITIAL_STATE, PHASES, STATE_LABELS, TRANSITIONS

BAND_PHASES = ("closed",)

BOX_W, BOX_H = 200, 62
COL_W, ROW_H = 262, 112
MARGIN, PHASE_TITLE_H = 24, 40
PHASE_FILL = {
    "application": "#eef2f7",
    "review": "#e8f1fd",
    "approval": "#fdf3e7",
    "monitoring": "#eaf6ec",
    "closed": "#f2f2f2",
}
PHASE_TITLES = {
    "application": t("Application", "신청"),
    "review": t("Review", "심사"),
    "approval": t("Approval", "결정"),
    "monitoring": t("Monitoring", "감독"),
    "closed": t("Closed", "종료"),
}
INK, ARROW, LABEL = "#1d1d1d", "#5a6b82", "#0b3a75"
FONT = "'Pretendard GOV', 'Noto Sans KR', sans-serif"


@dataclass(frozen=True)
class Box:
    state: str
    phase: str
    x: float
    y: float

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2

    @property
    def cy(self) -> float:
        return self.y + BOX_H / 2


def edges() -> list[tuple[str, str, str]]:
    """Every (transition, source, destination) of the table: one arrow each."""
    return [(t.name, source, t.dest) for t in TRANSITIONS for source in t.sources]


def _depths() -> dict[str, int]:
    depth = {INITIAL_STATE: 0}
    queue = deque([INITIAL_STATE])
    while queue:
        state = queue.popleft()
        for _name, source, dest in edges():
            if source == state and dest not in depth:
                depth[dest] = depth[state] + 1
                queue.append(dest)
    return depth


def _forward_reach(depth: dict[str, int]) -> dict[str, int]:
    """How many states lie ahead of each state (edges to deeper states only)."""
    ahead: dict[str, set[str]] = {}

    def visit(state: str) -> set[str]:
        if state not in ahead:
            ahead[state] = set()
            for _n, source, dest in edges():
                if source == state and depth.get(dest, 0) > depth.get(state, 0):
                    ahead[state] |= {dest} | visit(dest)
        return ahead[state]

    return {state: len(visit(state)) for state in depth}


def layout() -> tuple[dict[str, Box], list[tuple[str, float, float, float, float]], float, float]:
    """Boxes by state, phase rectangles (phase, x, y, w, h), and the picture's size."""
    depth = _depths()
    reach = _forward_reach(depth)
    banded = {s for phase in BAND_PHASES for s in PHASES.get(phase, ())}
    columns: list[tuple[str, list[str | None]]] = []
    for phase, states in PHASES.items():
        if phase in BAND_PHASES:
            continue
        for d in sorted({depth.get(s, 0) for s in states}):
            in_column = [s for s in states if depth.get(s, 0) == d]
            in_column.sort(key=lambda s: (-reach.get(s, 0), states.index(s)))
            columns.append((phase, in_column))
    # States that lead on (an arrow to a deeper state) keep the main row; detours and ends
    # go below it, so the main path runs straight through every column.
    leads_on = {s for _n, s, d in edges() if depth.get(d, 0) > depth.get(s, 0) and d not in banded}
    placed = []
    for phase, states in columns:
        first = 0 if any(s in leads_on for s in states) else 1
        states.sort(key=lambda s: s not in leads_on)
        placed.append((phase, [None] * first + states))
    columns = placed
    rows = max(len(states) for _phase, states in columns)
    top = MARGIN + PHASE_TITLE_H
    boxes: dict[str, Box] = {}
    for index, (phase, states) in enumerate(columns):
        x = MARGIN + index * COL_W + (COL_W - BOX_W) / 2
        for row, state in enumerate(states):
            if state is None:
                continue
            boxes[state] = Box(state, phase, x, top + row * ROW_H + (ROW_H - BOX_H) / 2)
    width = MARGIN * 2 + len(columns) * COL_W
    phase_rects = []
    for phase in PHASES:
        if phase in BAND_PHASES:
            continue
        indexes = [i for i, (p, _s) in enumerate(columns) if p == phase]
        x = MARGIN + indexes[0] * COL_W + 4
        phase_rects.append(
            (phase, x, MARGIN, len(indexes) * COL_W - 8, PHASE_TITLE_H + rows * ROW_H)
        )
    band_y = MARGIN + PHASE_TITLE_H + rows * ROW_H + 56
    for phase in BAND_PHASES:
        states = PHASES.get(phase, ())
        sources = [boxes[s].cx for _n, s, d in edges() if d in states and s in boxes] or [width / 2]
        centre = sum(sources) / len(sources)
        for i, state in enumerate(states):
            x = centre - BOX_W / 2 + (i - (len(states) - 1) / 2) * COL_W
            boxes[state] = Box(state, phase, x, band_y + PHASE_TITLE_H)
        span = max(len(states), 1) * COL_W
        phase_rects.append((phase, centre - span / 2, band_y, span, PHASE_TITLE_H + BOX_H + 28))
        band_y += PHASE_TITLE_H + BOX_H + 28 + 24
    height = band_y + MARGIN
    return boxes, phase_rects, width, height


def _path(a: Box, b: Box, lane: int, stacked: bool) -> tuple[str, float, float]:
    """A cubic curve from box a to box b and the point where its label sits."""
    if a.phase in BAND_PHASES or b.phase in BAND_PHASES:
        # Down into the band, from the bottom of the source to the top of the target;
        # from the left side when another box stands below the source.
        x3, y3 = b.cx + (a.cx - b.cx) * 0.12, b.y
        if stacked:
            x0, y0 = a.x, a.cy
            c1, c2 = (x0 - 80, y0 + 40), (x3, y3 - 120)
        else:
            x0, y0 = a.cx, a.y + BOX_H
            c1, c2 = (x0, y0 + 90), (x3, y3 - 120)
    elif b.x > a.x + 1:
        x0, y0, x3, y3 = a.x + BOX_W, a.cy, b.x, b.cy
        bend = (x3 - x0) / 2
        c1, c2 = (x0 + bend, y0), (x3 - bend, y3)
    elif b.x < a.x - 1:
        # Backwards: an arc over the top of the boxes.
        x0, y0, x3, y3 = a.cx - 20, a.y, b.cx + 20, b.y
        lift = 46 + 14 * lane
        c1, c2 = (x0, y0 - lift), (x3, y3 - lift)
    else:
        # Same column: an arc to the right side, away from the forward arrows.
        down = b.y > a.y
        x0, y0 = a.x + BOX_W, a.cy + (8 if down else -8)
        x3, y3 = b.x + BOX_W, b.cy + (-8 if down else 8)
        bulge = 34 + 26 * (not down)
        c1, c2 = (x0 + bulge, y0), (x3 + bulge, y3)
    mx = (x0 + 3 * c1[0] + 3 * c2[0] + x3) / 8
    my = (y0 + 3 * c1[1] + 3 * c2[1] + y3) / 8
    d = f"M{x0:.1f},{y0:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {x3:.1f},{y3:.1f}"
    return d, mx, my


def render_svg() -> str:
    """The whole lifecycle as a standalone SVG document (presentation attributes only, no CSS)."""
    boxes, phase_rects, width, height = layout()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="lc-title" '
        f"font-family={quoteattr(FONT)}>",
        '<title id="lc-title">The registration lifecycle · 등록 생애주기</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker></defs>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    for phase, x, y, w, h in phase_rects:
        title = PHASE_TITLES.get(phase) or t(phase, phase)
        ko, en = title.ko, title.en
        out.append(
            f'<g class="phase" data-phase="{phase}">'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="10" '
            f'fill="{PHASE_FILL.get(phase, "#f5f5f5")}"/>'
            f'<text x="{x + 12:.1f}" y="{y + 26:.1f}" font-size="15" font-weight="700" '
            f'fill="{INK}">{escape(ko)} · {escape(en)}</text></g>'
        )
    lanes: dict[tuple[str, str], int] = {}
    labels = []
    for name, source, dest in edges():
        a, b = boxes[source], boxes[dest]
        lane = lanes.setdefault((source, dest), len(lanes) % 3)
        stacked = any(o.x == a.x and o.y > a.y for o in boxes.values())
        d, mx, my = _path(a, b, lane, stacked)
        out.append(
            f'<g class="transition" data-transition="{name}" data-source="{source}" '
            f'data-target="{dest}"><title>{name}: {source} → {dest}</title>'
            f'<path d="{d}" fill="none" stroke="{ARROW}" stroke-width="1.6" '
            f'marker-end="url(#arrow)"/></g>'
        )
        labels.append(
            f'<text class="transition-label" data-transition="{name}" data-source="{source}" '
            f'x="{mx:.1f}" y="{my + 4:.1f}" text-anchor="middle" font-size="12" '
            f'fill="{LABEL}" stroke="#ffffff" stroke-width="4" paint-order="stroke" '
            f'stroke-linejoin="round">{escape(name)}</text>'
        )
    for state, box in boxes.items():
        label = STATE_LABELS[state]
        out.append(
            f'<g class="state" data-state="{state}" data-phase="{box.phase}">'
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="8" '
            f'fill="#ffffff" stroke="{INK}" stroke-width="{_stroke(state)}"/>'
            f'<text x="{box.cx:.1f}" y="{box.y + 20:.1f}" text-anchor="middle" font-size="14" '
            f'font-weight="700" fill="{INK}">{escape(label.ko)}</text>'
            f'<text x="{box.cx:.1f}" y="{box.y + 37:.1f}" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{escape(label.en)}</text>'
            f'<text class="state-name" x="{box.cx:.1f}" y="{box.y + 53:.1f}" '
            f'text-anchor="middle" font-size="11" fill="#5f5f5f">{state}</text>'
            "</g>"
        )
    out.extend(labels)  # last, so no arrow or box hides a label
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _stroke(state: str) -> str:
    return "2.4" if state == INITIAL_STATE else "1.2"
