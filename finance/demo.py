"""Demo cost items, funding sources and budget lines for Plauen (runs after the strategy and
schools_wg seeds). Idempotent: everything is found by its key and saved only when it differs.

Figures follow docs/funding-model.md ("Figures behind the demo data"): running IT costs of schools ≈ 260 € per primary and ≈ 400 €
per secondary pupil and year, IT support alone ≈ 180 € per pupil (secondary), DigitalPakt Schule
≈ 151 000 € per school at 90 % until 2024 with mobile devices capped at 25 000 € eligible per
school, ITAdminFöVO 90 % of administration/support until 2024. The engine knows no per-school
caps, so the DigitalPakt is one source whose cap and device cap are the per-school amounts × 19.
DigitalPakt and ITAdminFöVO are school programmes: their scope is the schools' cost items of
their categories, so they never pay for the council's tablets or the inner-city hotspots.
The plan runs 2021–2032, so it shows the cliff after 2024: running costs the grants helped
create go on without funding, and the devices bought in 2022 are due again in 2027.

The data is in `demo_data/` (school_items, city_items, funding_sources, budget). Cost items
are attached to the demo measures by code; a missing measure falls back to any
measure of the "Digitale Schule" field, and without such a field the items are skipped.
"""

from decimal import Decimal

from core.demo import ensure, load
from schools_wg.models import School
from strategy.models import Measure

from .models import BudgetLine, CostItem, FundingSource, PlanPeriod

SCHOOL_FIELD_TITLE = "Digitale Schule"
GS = "GS"


def _stage(school):
    return "primary" if school.school_type == GS else "secondary"


def _slug(name):
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-", ".": ""})
    return "".join(c for c in name.lower().translate(table) if c.isalnum() or c == "-")[:40]


class _Measures:
    """Measures by code, with the fallback described in the module docstring."""

    def __init__(self):
        self.by_code = {m.code: m for m in Measure.objects.select_related("goal__field")}
        school_measures = [
            m for m in self.by_code.values() if m.goal.field.title == SCHOOL_FIELD_TITLE
        ]
        self.fallback = school_measures[0] if school_measures else None

    def get(self, code):
        return self.by_code.get(code) or self.fallback


def _item(measures, key, code, school=None, **fields):
    measure = measures.get(code)
    if measure is None:
        return None
    defaults = {"measure": measure, "school": school, "notes": "", **fields}
    defaults["amount"] = Decimal(str(defaults["amount"]))
    defaults["escalation_pct"] = Decimal(str(defaults.get("escalation_pct", 0)))
    return ensure(CostItem, key=key, defaults=defaults)[0]


def _staged(value, stage):
    """A value of school_items.yaml: the same for every school, or {primary: …, secondary: …}."""
    return value[stage] if isinstance(value, dict) else value


def seed_school_items(measures):
    data = load(__package__, "school_items")
    device_share = Decimal(str(data["device_share"]))
    items = []
    for school in School.objects.all():
        stage = _stage(school)
        slug = _slug(school.name)
        devices = int(school.pupils * device_share)
        for row in data["items"]:
            if stage not in row.get("stages", [stage]):
                continue
            if "amount_per_pupil" in row:
                amount = school.pupils * _staged(row["amount_per_pupil"], stage)
            elif "amount_per_room" in row:
                amount = school.classrooms * _staged(row["amount_per_room"], stage)
            elif "amount_per_device" in row:
                amount = devices * _staged(row["amount_per_device"], stage)
            else:
                amount = _staged(row["amount"], stage)
            title = row["title"].format(classrooms=school.classrooms, devices=devices)
            item = _item(
                measures,
                f"{slug}-{row['suffix']}",
                _staged(row["measure"], stage),
                school=school,
                title=f"{school.name}: {title}",
                category=row["category"],
                kind=row["kind"],
                amount=amount,
                start_year=row["start_year"],
                recurrence=row["recurrence"],
                end_year=None,
                useful_life=row["useful_life"],
                replace=row["useful_life"] is not None,
                escalation_pct=row["escalation_pct"],
            )
            if item is not None:
                items.append(item)
    return items


def seed_city_items(measures):
    items = {}
    for row in load(__package__, "city_items"):
        fields = {k: v for k, v in row.items() if k not in ("key", "measure")}
        item = _item(measures, row["key"], row["measure"], **fields)
        if item is not None:
            items[row["key"]] = item
    return items


def _set_scope(source, items):
    """Limit a source to these cost items (saved only when the scope differs)."""
    if set(source.items.all()) != set(items):
        source.items.set(items)


def seed_sources(city_items, school_items=()):
    """The funding programmes, then their item scopes (city items first, then school items)."""
    sources, scopes = [], []
    for row in load(__package__, "funding_sources"):
        defaults = {k: v for k, v in row.items() if k not in ("key", "items", "school_items")}
        defaults["rate_pct"] = Decimal(str(defaults["rate_pct"]))
        defaults["cap"] = Decimal(str(defaults["cap"]))
        source, _ = ensure(FundingSource, key=row["key"], defaults=defaults)
        sources.append(source)
        if "items" in row:
            scopes.insert(0, (source, [city_items[k] for k in row["items"] if k in city_items]))
        if row.get("school_items"):
            eligible = [i for i in school_items if i.category in source.eligible_categories]
            scopes.append((source, eligible))
    for source, items in scopes:
        _set_scope(source, items)
    return sources


def seed_budget():
    data = load(__package__, "budget")
    period = data["plan_period"]
    for line in data["lines"]:
        amounts = line["amounts"]
        last = max(amounts)
        for year in range(period["first_year"], period["last_year"] + 1):
            amount = amounts.get(year, amounts[last])
            ensure(
                BudgetLine,
                year=year,
                account=line["account"],
                defaults={"title": line["title"], "amount": Decimal(amount)},
            )
    return period


def seed(stdout=None):
    period = load(__package__, "budget")["plan_period"]
    if not PlanPeriod.objects.exists():
        PlanPeriod.objects.create(**period)
    measures = _Measures()
    school_items = seed_school_items(measures)
    city_items = seed_city_items(measures)
    sources = seed_sources(city_items, school_items)
    seed_budget()
    if stdout is not None:
        stdout.write(
            f"Finanzen: {len(school_items) + len(city_items)} Kostenpositionen, "
            f"{len(sources)} Förderprogramme, Haushaltsansätze "
            f"{period['first_year']}–{period['last_year']}."
        )
