"""Parity of the schools' equipment: each school's values against the minimum standard of its type.

`evaluate()` is pure (no database): it takes plain rows and returns the matrix, the spread per
indicator, the schools furthest behind and the trend over school years. `load()` is its adapter:
four queries whatever the number of schools, indicators and years.

Definitions (also shown on the dashboard):
- A value meets the standard if it is >= the threshold (higher is better) or <= it (lower is
  better). Date indicators (media concept) compare the concept's age in whole months at the end
  of the school year (31 July) with the maximum age given as the standard.
- Share at standard = schools meeting it / schools of a type that has a standard for it; a school
  without a value counts as not at standard ("no data" is not good news).
- Distance of an unmet value = |value − threshold| / threshold (the gap relative to the standard,
  so indicators of different units add up); schools furthest behind are ordered by the number of
  unmet standards, then by the sum of these distances.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import median

from core import caching

from .models import (
    Indicator,
    ParityStandard,
    School,
    SchoolMeasurement,
    school_year_end,
)

MET, UNMET, NO_DATA, NO_STANDARD = "met", "unmet", "no_data", "no_standard"


def stamp() -> str:
    """Changes whenever a school, indicator, value or standard is written (one query); the
    models `load()` reads are the registry part "schools_wg.parity" (core.caching)."""
    return caching.stamp("schools_wg.parity")


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    code: str
    name: str
    unit: str
    direction: str  # "higher" | "lower"
    is_date: bool = False
    decimals: int = 1


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    school_type: str


@dataclass
class Cell:
    status: str
    indicator: "IndicatorRow | None" = None
    value: Decimal | None = None
    date_value: date | None = None
    threshold: Decimal | None = None
    gap: Decimal | None = None

    @property
    def symbol(self):
        return {MET: "✓", UNMET: "✗"}.get(self.status, "–")


@dataclass
class SchoolResult:
    school: SchoolRow
    cells: list[Cell]
    unmet: int = 0
    distance: Decimal = Decimal(0)


@dataclass
class IndicatorSummary:
    indicator: IndicatorRow
    minimum: Decimal | None
    median: Decimal | None
    maximum: Decimal | None
    met: int
    with_standard: int
    with_data: int

    @property
    def share(self) -> Decimal | None:
        if not self.with_standard:
            return None
        return (Decimal(100) * self.met / self.with_standard).quantize(Decimal("0.1"))


@dataclass
class YearResult:
    school_year: str
    rows: list[SchoolResult]
    summaries: list[IndicatorSummary]

    def furthest_behind(self, limit=5) -> list[SchoolResult]:
        behind = [row for row in self.rows if row.unmet]
        behind.sort(key=lambda r: (-r.unmet, -r.distance, r.school.name))
        return behind[:limit]


@dataclass
class Parity:
    indicators: list[IndicatorRow]
    school_years: list[str]
    current: YearResult | None
    trend: list[YearResult] = field(default_factory=list)

    def trend_rows(self):
        """[(indicator, [IndicatorSummary per school year])] for the trend table."""
        return [
            (indicator, [year.summaries[index] for year in self.trend])
            for index, indicator in enumerate(self.indicators)
        ]


def months_old(day: date, school_year: str) -> Decimal:
    """Age of a document dated `day` in whole months at the end of the school year."""
    end = school_year_end(school_year)
    months = (end.year - day.year) * 12 + (end.month - day.month)
    if end.day < day.day:
        months -= 1
    return Decimal(max(months, 0))


def comparable(indicator: IndicatorRow, value, date_value, school_year) -> Decimal | None:
    if indicator.is_date:
        return months_old(date_value, school_year) if date_value else None
    return value


def judge(indicator: IndicatorRow, value: Decimal | None, threshold: Decimal | None) -> Cell:
    if threshold is None:
        return Cell(NO_STANDARD, value=value)
    if value is None:
        return Cell(NO_DATA, threshold=threshold)
    if indicator.direction == Indicator.Direction.HIGHER:
        met = value >= threshold
    else:
        met = value <= threshold
    if met:
        return Cell(MET, value=value, threshold=threshold, gap=Decimal(0))
    base = abs(threshold) or Decimal(1)
    gap = (abs(value - threshold) / base).quantize(Decimal("0.0001"))
    return Cell(UNMET, value=value, threshold=threshold, gap=gap)


def evaluate_year(school_year, schools, indicators, standards, values) -> YearResult:
    """standards: {(school_type, indicator_id): threshold};
    values: {(school_id, indicator_id): (value, date_value)} for this school year."""
    rows = []
    per_indicator = defaultdict(list)
    for school in schools:
        cells = []
        result = SchoolResult(school=school, cells=cells)
        for indicator in indicators:
            raw, date_value = values.get((school.id, indicator.id), (None, None))
            value = comparable(indicator, raw, date_value, school_year)
            cell = judge(indicator, value, standards.get((school.school_type, indicator.id)))
            cell.date_value = date_value
            cell.indicator = indicator
            cells.append(cell)
            per_indicator[indicator.id].append(cell)
            if cell.status == UNMET:
                result.unmet += 1
                result.distance += cell.gap
        rows.append(result)
    summaries = []
    for indicator in indicators:
        cells = per_indicator[indicator.id]
        numbers = sorted(c.value for c in cells if c.value is not None)
        summaries.append(
            IndicatorSummary(
                indicator=indicator,
                minimum=numbers[0] if numbers else None,
                median=Decimal(median(numbers)) if numbers else None,
                maximum=numbers[-1] if numbers else None,
                met=sum(1 for c in cells if c.status == MET),
                with_standard=sum(1 for c in cells if c.status != NO_STANDARD),
                with_data=len(numbers),
            )
        )
    return YearResult(school_year=school_year, rows=rows, summaries=summaries)


def evaluate(school_year, schools, indicators, standards, measurements) -> Parity:
    """measurements: iterable of (school_id, indicator_id, school_year, value, date_value)."""
    by_year = defaultdict(dict)
    for school_id, indicator_id, year, value, date_value in measurements:
        by_year[year][(school_id, indicator_id)] = (value, date_value)
    years = sorted(by_year)
    if school_year is None and years:
        school_year = years[-1]
    trend = [evaluate_year(year, schools, indicators, standards, by_year[year]) for year in years]
    current = next((result for result in trend if result.school_year == school_year), None)
    if current is None and school_year:
        current = evaluate_year(school_year, schools, indicators, standards, {})
    return Parity(indicators=indicators, school_years=years, current=current, trend=trend)


def load(school_year=None, schools=None) -> Parity:
    """The parity of all (or the given) schools; a constant number of queries."""
    if schools is None:
        schools = School.objects.all()
    school_rows = [SchoolRow(s.id, s.name, s.school_type) for s in schools]
    indicators = [
        IndicatorRow(i.id, i.code, i.name, i.unit, i.direction, i.value_type == "date", i.decimals)
        for i in Indicator.objects.all()
    ]
    standards = {
        (school_type, indicator_id): threshold
        for school_type, indicator_id, threshold in ParityStandard.objects.values_list(
            "school_type", "indicator_id", "threshold"
        )
    }
    measurements = SchoolMeasurement.objects.filter(school__in=[s.id for s in school_rows])
    rows = measurements.values_list(
        "school_id", "indicator_id", "school_year", "value", "date_value"
    )
    return evaluate(school_year, school_rows, indicators, standards, rows)
