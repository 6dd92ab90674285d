"""Geometry of the server-rendered trend chart (the template draws it as SVG).

All coordinates are integers, so German number formatting never puts a comma into the SVG.

One horizontal bar per indicator and school year: the share of schools at the minimum standard.
Every bar carries its text label (school year and percentage), so nothing depends on colour.
"""

from decimal import Decimal

LABEL_WIDTH = 260
BAR_AREA = 360
ROW_HEIGHT = 22
GROUP_GAP = 14
TOP = 30


def trend_chart(result) -> dict | None:
    """{"width", "height", "groups": [{"name", "y", "bars": [{"year", "share", "y", "width",
    "x_text"}]}], "ticks": [{"x", "label"}]} or None without data."""
    if not result.trend:
        return None
    groups = []
    y = TOP
    for index, indicator in enumerate(result.indicators):
        bars = []
        for year in result.trend:
            share = year.summaries[index].share
            width = int(round((share or Decimal(0)) / 100 * BAR_AREA))
            bars.append(
                {
                    "year": year.school_year,
                    "share": share,
                    "y": y,
                    "width": width,
                    "x_text": LABEL_WIDTH + width + 6,
                    "shade": ("#0b3b8c", "#4a6fb5", "#8fa6d1")[
                        (len(result.trend) - 1 - result.trend.index(year)) % 3
                    ],
                }
            )
            y += ROW_HEIGHT
        groups.append({"name": indicator.name, "y": bars[0]["y"], "bars": bars})
        y += GROUP_GAP
    ticks = [
        {"x": LABEL_WIDTH + BAR_AREA * pct // 100, "label": f"{pct} %"} for pct in (0, 50, 100)
    ]
    return {
        "width": LABEL_WIDTH + BAR_AREA + 70,
        "height": y + 10,
        "groups": groups,
        "ticks": ticks,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "axis_bottom": y,
    }
