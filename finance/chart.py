"""Geometry of the plan chart (server-rendered SVG, templates/finance/partials/chart.html).

Per year one stacked bar: grants at the bottom, the own share covered by the budget above, the
gap on top (together: the year's cost); the running (annual) cost of the year as a line.
"""

from dataclasses import dataclass

from core.svg import svg_points

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 40


@dataclass(frozen=True)
class Bar:
    year: int
    x: float
    width: float
    segments: list  # (css class, y, height, value)
    label_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list
    ticks: list  # (y, value)
    line_points: str
    markers: list  # (x, y, value)
    plot_left: int
    plot_right: int
    plot_bottom: int


def _nice_max(value: int) -> int:
    """The next "round" number at or above value: 1, 2, 2.5, 5 × 10^n."""
    if value <= 0:
        return 1000
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude


def build_chart(rows) -> Chart:
    """The chart of plan rows (engine YearResult objects)."""
    top_value = _nice_max(max((max(r.cost, r.cost_annual) for r in rows), default=0))
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / max(len(rows), 1)
    bar_w = slot * 0.6

    def y_of(value):
        return TOP + plot_h - plot_h * value / top_value

    bars, points, markers = [], [], []
    for index, row in enumerate(rows):
        x = LEFT + index * slot + (slot - bar_w) / 2
        covered = min(row.own_required, row.budgeted)
        segments = []
        base = 0
        for css, value in (
            ("chart-grants", row.grants_total),
            ("chart-budgeted", covered),
            ("chart-gap", row.gap),
        ):
            if value > 0:
                y = y_of(base + value)
                segments.append((css, round(y, 1), round(y_of(base) - y, 1), value))
                base += value
        bars.append(
            Bar(
                year=row.year,
                x=round(x, 1),
                width=round(bar_w, 1),
                segments=segments,
                label_x=round(x + bar_w / 2, 1),
            )
        )
        cx, cy = round(x + bar_w / 2, 1), round(y_of(row.cost_annual), 1)
        points.append((cx, cy))
        markers.append((cx, cy, row.cost_annual))
    ticks = [(round(y_of(top_value * i / 4), 1), int(top_value * i / 4)) for i in range(5)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=ticks,
        line_points=svg_points(points),
        markers=markers,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=TOP + plot_h,
    )
