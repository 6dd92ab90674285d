"""Every chart, web and PDF, writes its numbers so that SVG and CSS can read them, in any locale.

Each chart template is rendered under German, English and German with digit grouping switched
on; every numeric attribute (coordinates, sizes, viewBox, points, path data, data-value, CSS
widths) must parse with float(), and the three renderings must agree number for number.
"""

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.svg import svg_number, svg_points
from plauen_digital.reports import services
from schools_wg.models import Indicator, School

from ..finance import factories as finance_factories
from ..schools_wg import factories as wg
from .conftest import REPORTING_DATE

# Every template that draws a chart, and the page (below) that renders it.
CHART_TEMPLATES = {
    "finance/partials/chart.html": "finance",
    "participation/partials/discussion.html": "participation",
    "reports/print/_bar_chart.html": "report",
    "schools_wg/parity.html": "parity",
    "strategy/timeline.html": "timeline",
}
# Attributes that hold a single number (width="100%" included: a number and a unit).
NUMBER_ATTRIBUTES = {
    *("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy"),
    *("width", "height", "font-size", "stroke-width", "data-value", "data-year"),
}
NUMBER = re.compile(r"-?\d+(\.\d+)?")
VARIANTS = ("de", "en", "de-grouped")


class NumericAttributes(HTMLParser):
    """(tag, attribute, number) of every number inside <svg> and in every inline style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.numbers = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.depth += 1
        for name, value in attrs:
            if name == "style" and value:
                self._style(tag, value)
            elif self.depth:
                self._attribute(tag, name, value or "")

    def handle_endtag(self, tag):
        if tag == "svg":
            self.depth -= 1

    def _add(self, tag, name, text):
        float(text)  # raises on "66,93" or "1.032,5"
        assert NUMBER.fullmatch(text), f'<{tag} {name}="{text}">: not a plain number'
        self.numbers.append((tag, name, text))

    def _attribute(self, tag, name, value):
        if name in NUMBER_ATTRIBUTES:
            self._add(tag, name, value.removesuffix("%").removesuffix("px"))
        elif name == "viewbox":  # HTMLParser lower-cases attribute names
            parts = value.split()
            assert len(parts) == 4, value
            for part in parts:
                self._add(tag, name, part)
        elif name == "points":
            for pair in value.split():
                x, y = pair.split(",")
                self._add(tag, name, x)
                self._add(tag, name, y)
        elif name == "d":
            for token in re.findall(r"[A-Za-z]|[^A-Za-z\s]+", value):
                if not token.isalpha():
                    self._add(tag, name, token)

    def _style(self, tag, value):
        for declaration in filter(None, (d.strip() for d in value.split(";"))):
            prop, _, css = declaration.partition(":")
            if prop.strip() in ("width", "max-width", "height", "left", "top"):
                number = re.fullmatch(r"\s*(\S+?)(%|px)?\s*", css).group(1)
                self._add(tag, f"style {prop.strip()}", number)


def numbers_in(html: str) -> list:
    parser = NumericAttributes()
    parser.feed(html)
    return parser.numbers


@pytest.fixture
def chart_data(council, make_user):
    """Data for every chart: the strategy and consultation of the report tests, the worked
    funding example, parity values over two school years; and a reader of every page."""
    from participation.models import Consultation
    from strategy.models import Measure

    finance_factories.example_in_db(measure=Measure.objects.get(code="M 1.1.1"))
    # A progress with a decimal: the goal's mean of 100 and 33 is 66.5.
    Measure.objects.filter(code="M 2.1.2").update(progress=33)
    lower, higher = Indicator.Direction.LOWER, Indicator.Direction.HIGHER
    devices = wg.indicator("pupils_per_device", lower, position=1)
    wlan = wg.indicator("wlan_share", higher, position=2)
    for indicator, threshold in ((devices, 3), (wlan, 90)):
        wg.standard(School.SchoolType.GS, indicator, threshold)
    for i in range(3):
        school = wg.school(f"Schule {i}", School.SchoolType.GS)
        for year in ("2024/25", "2025/26"):
            wg.measure_value(school, devices, year, Decimal("2.5") + i)
            wg.measure_value(school, wlan, year, 80 + 7 * i)
    consultation = Consultation.objects.get()
    return {
        "reader": make_user("verwaltung", "ag_schule"),
        "consultation": consultation,
        "goal": consultation.goals.get(),
    }


def _pages(data):
    c, goal = data["consultation"], data["goal"]
    return {
        "strategy": reverse("strategy:index"),  # progress bars: style="width: …%"
        "timeline": reverse("strategy:timeline"),
        "finance": reverse("finance:index"),
        "parity": reverse("schools_wg:parity"),
        "participation": reverse("participation:goal", kwargs={"pk": c.pk, "goal_pk": goal.pk}),
    }


def _render_all(client, data, variant, settings) -> dict:
    language = variant.split("-")[0]
    settings.USE_THOUSAND_SEPARATOR = variant.endswith("grouped")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rendered = {}
    for key, url in _pages(data).items():
        response = client.get(url)
        assert response.status_code == 200, url
        rendered[key] = response.content.decode()
    job = services.report_request(reporting_date=REPORTING_DATE, enqueue=False)
    with translation.override(language):
        rendered["report"] = services.render_html(job, services.build_report_data(job))
    return rendered


@pytest.mark.django_db
def test_every_chart_writes_plain_numbers_in_every_locale(client, chart_data, settings):
    client.force_login(chart_data["reader"])
    results = {variant: _render_all(client, chart_data, variant, settings) for variant in VARIANTS}
    for page in results["de"]:
        found = {variant: numbers_in(results[variant][page]) for variant in VARIANTS}
        assert found["de"], f"{page}: no chart numbers found"
        if page != "parity":  # schools_wg/svg.py lays the trend out in whole pixels
            # Coordinates with decimals are there (so a decimal comma would have shown up).
            assert any("." in number for _, _, number in found["de"]), page
        assert found["de"] == found["en"] == found["de-grouped"], page
    assert any(name == "style width" for _, name, _ in numbers_in(results["de"]["strategy"]))
    report_svg = results["de"]["report"]
    assert report_svg.count("<rect") >= 2 + 3 * 5  # progress bars and the funding bars


def test_the_test_covers_every_chart_template():
    """A new chart template must be added above (and use |svgnum)."""
    root = Path(settings.BASE_DIR) / "templates"
    with_charts = {
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "<svg" in path.read_text(encoding="utf-8")
    }
    assert with_charts == set(CHART_TEMPLATES)
    for name in with_charts:
        source = (root / name).read_text(encoding="utf-8")
        assert "pd_chart" in source and "|svgnum" in source, name
        assert "{% localize" not in source, f"{name}: use |svgnum, not localize blocks"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (66.93, "66.93"),
        (Decimal("1032.505"), "1032.51"),  # half up, no grouping
        (Decimal("2.5"), "2.5"),
        (100, "100"),
        (Decimal("10.00"), "10"),
        (-0.001, "0"),
        (None, "0"),
        (1e-7, "0"),
    ],
)
def test_svg_number(value, expected):
    with translation.override("de"):
        assert svg_number(value) == expected


@pytest.mark.parametrize("bad", ["66,93", "abc", float("nan"), float("inf"), True])
def test_svg_number_refuses_what_is_not_a_number(bad):
    with pytest.raises(ValueError):
        svg_number(bad)


def test_svg_points():
    assert svg_points([(1.25, 2), (Decimal("3.456"), 4.0)]) == "1.25,2 3.46,4"


def test_svgnum_filter_in_german():
    from django.template import Context, Template

    template = Template("{% load pd_chart %}{{ v }} {{ v|svgnum }} {{ v|svgnum:0 }}")
    with translation.override("de"):
        assert template.render(Context({"v": 66.925})) == "66,925 66.93 67"
