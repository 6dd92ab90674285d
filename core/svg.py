"""Numbers for SVG, CSS and data attributes: always "66.93", never localised.

SVG and CSS read only a plain decimal point and no digit grouping. Django localises every int,
float and Decimal a template prints (under German "66,93", with grouping on "1.032"), so every
chart writes its numbers through `svg_number` (the template filter `svgnum` in
`core/templatetags/pd_chart.py`); the result is a string, which templates never
localise.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def svg_number(value, decimals: int = 2) -> str:
    """`value` rounded half up to at most `decimals` places, with a dot and no trailing zeros.

    None (a chart value that is not there) is drawn as 0; anything that is not a finite number
    is an error, so a localised string such as "66,93" never reaches the SVG.
    """
    if value is None or value == "":
        return "0"
    if isinstance(value, bool):
        raise ValueError(f"not a chart number: {value!r}")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not a chart number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"not a chart number: {value!r}")
    text = format(number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def svg_points(points) -> str:
    """An SVG `points` list from (x, y) pairs: "10,20 30.5,40"."""
    return " ".join(f"{svg_number(x)},{svg_number(y)}" for x, y in points)
