"""German number filters round half up (away from zero), like the report, and never truncate."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.templatetags.pd_format import euro, number, percent

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1234.99"), 0, "1.235"),
        (Decimal("1234.49"), 0, "1.234"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("2.5"), 0, "3"),  # not banker's rounding
        (Decimal("-0.5"), 0, "-1"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-1234.99"), 0, "-1.235"),
        (Decimal("-0.4"), 0, "0"),  # no "-0"
        (Decimal("1.005"), 2, "1,01"),
        (Decimal("-1.005"), 2, "-1,01"),
        (Decimal("1234567.45"), 1, "1.234.567,5"),
        (12.25, 1, "12,3"),
        ("7", 2, "7,00"),
    ],
)
def test_number_rounds_half_up(value, decimals, expected):
    assert number(value, decimals) == expected


def test_euro_rounds_half_up():
    assert euro(Decimal("1234.99")) == f"1.235{NBSP}€"
    assert euro(Decimal("1234.50")) == f"1.235{NBSP}€"
    assert euro(Decimal("-1234.50")) == f"-1.235{NBSP}€"
    assert euro(Decimal("1234.565"), 2) == f"1.234,57{NBSP}€"
    assert euro(Decimal("0.004"), 2) == f"0,00{NBSP}€"


def test_percent_rounds_half_up():
    assert percent(Decimal(18) / Decimal(19) * 100) == f"95{NBSP}%"  # 94,74 %
    assert percent(18 / 19 * 100, 1) == f"94,7{NBSP}%"
    assert percent(Decimal("12.45"), 1) == f"12,5{NBSP}%"
    assert percent(Decimal("-12.45"), 1) == f"-12,5{NBSP}%"
    assert percent(Decimal("99.5")) == f"100{NBSP}%"


@pytest.mark.parametrize("value", [None, "", "abc", "nan", float("inf")])
def test_no_value_is_a_dash(value):
    assert euro(value) == number(value) == percent(value) == "–"


def test_filters_in_a_template():
    html = Template("{{ a|euro }} {{ b|percent:1 }} {{ c|number }}").render(
        Context({"a": Decimal("999.5"), "b": Decimal("33.35"), "c": Decimal("-0.5")})
    )
    assert html == f"1.000{NBSP}€ 33,4{NBSP}% -1"
