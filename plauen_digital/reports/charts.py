"""Geometry of the report's bar charts; templates/reports/print/_bar_chart.svg draws them."""

from decimal import Decimal

WIDTH = 480
HEIGHT = 200
LEFT = 60  # room for the value axis labels
BOTTOM = 20  # room for the category labels
TOP = 8
GRIDLINES = 4
# Bar colours by series key (the legend and the table carry the meaning, not the colour).
COLOURS = {"cost": "#0b3b8c", "grants": "#6fa0e0", "gap": "#a3000b", "progress": "#0b3b8c"}


def _nice_max(value: float) -> float:
    """A round upper end for the axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    exponent = len(str(int(value))) - 1
    base = 10**exponent
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base:
            return float(step * base)
    return float(10 * base)


def grouped_bars(categories: list[str], series: list[dict], max_value=None) -> dict:
    """Bars per category for each series ({"key", "label", "values"}), scaled to the chart.

    Returns the SVG's width/height, the gridlines with their values, and per category the bars
    with x, y, width, height, so the template only places rectangles and labels.
    """
    values = [float(v or 0) for s in series for v in s["values"]]
    top_value = float(max_value) if max_value else _nice_max(max(values, default=0))
    plot_width = WIDTH - LEFT - 4
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(categories), 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    groups = []
    for index, category in enumerate(categories):
        bars = []
        for offset, s in enumerate(series):
            value = float(s["values"][index] or 0)
            height = plot_height * max(value, 0) / top_value
            bars.append(
                {
                    "key": s["key"],
                    "colour": COLOURS.get(s["key"], "#3b404d"),
                    "label": s["label"],
                    "value": s["values"][index],
                    "x": round(LEFT + index * slot + slot * 0.1 + offset * bar_width, 2),
                    "y": round(TOP + plot_height - height, 2),
                    "width": round(bar_width, 2),
                    "height": round(height, 2),
                }
            )
        groups.append(
            {
                "label": category,
                "label_x": round(LEFT + index * slot + slot / 2, 2),
                "bars": bars,
            }
        )
    gridlines = [
        {
            "value": Decimal(str(top_value * step / GRIDLINES)),
            "y": round(TOP + plot_height - plot_height * step / GRIDLINES, 2),
        }
        for step in range(GRIDLINES + 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - 4,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - 6,
        "gridlines": gridlines,
        "groups": groups,
        "series": series,
    }
