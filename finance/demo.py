"""Demo cost items, funding sources and budget lines for Plauen (runs after the strategy and
schools_wg seeds). Idempotent: everything is found by its key and saved only when it differs.

Figures follow funding-model.md: running IT costs of schools ≈ 260 € per primary and ≈ 400 €
per secondary pupil and year, IT support alone ≈ 180 € per pupil (secondary), DigitalPakt Schule
≈ 151 000 € per school at 90 % until 2024 with mobile devices capped at 25 000 € eligible per
school, ITAdminFöVO 90 % of administration/support until 2024. The engine knows no per-school
caps, so the DigitalPakt is one source whose cap and device cap are the per-school amounts × 19.
DigitalPakt and ITAdminFöVO are school programmes: their scope is the schools' cost items of
their categories, so they never pay for the council's tablets or the inner-city hotspots.
The plan runs 2021–2032, so it shows the cliff after 2024: running costs the grants helped
create go on without funding, and the devices bought in 2022 are due again in 2027.

Cost items are attached to the demo measures by code; a missing measure falls back to any
measure of the "Digitale Schule" field, and without such a field the items are skipped.
"""

from datetime import date
from decimal import Decimal

from core.demo import ensure
from schools_wg.models import School
from strategy.models import Measure

from .models import BudgetLine, CostItem, FundingSource, PlanPeriod

FIRST_YEAR, LAST_YEAR = 2021, 2032
SCHOOL_FIELD_TITLE = "Digitale Schule"

GS = "GS"
# Per pupil and year: IT support, licences, network maintenance (support category).
RUNNING_PER_PUPIL = {
    "primary": {"support": 150, "licences": 70, "maintenance": 0},
    "secondary": {"support": 180, "licences": 120, "maintenance": 80},
}
CONNECTIVITY = {"primary": 3600, "secondary": 7200}
NETWORK = {"primary": 60000, "secondary": 90000}
DISPLAY_PER_ROOM = 4500
DEVICE_PRICE = 450
DEVICE_SHARE = Decimal("0.3")  # devices for 30 % of the pupils

SCHOOL_COUNT = 19
DIGITALPAKT_PER_SCHOOL = 151000
DEVICES_CAP_PER_SCHOOL = 25000

# key, measure code, title, category, kind, amount, start, recurrence, end, life, replace, esc
CITY_ITEMS = [
    (
        "eakte-einfuehrung",
        "M 1.1.1",
        "E-Akte: Einführung und Migration",
        "other",
        "investiv",
        120000,
        2023,
        "once",
        None,
        None,
        False,
        0,
    ),
    (
        "eakte-lizenzen",
        "M 1.1.1",
        "E-Akte: Lizenzen und Betrieb",
        "licences",
        "konsumtiv",
        48000,
        2023,
        "annual",
        None,
        None,
        False,
        3,
    ),
    (
        "tablets-mandatstraeger",
        "M 1.2.2",
        "Tablets für Mandatsträger (60 Stück)",
        "devices",
        "investiv",
        36000,
        2022,
        "once",
        None,
        4,
        True,
        0,
    ),
    (
        "hotspots-innenstadt",
        "M 3.3.1",
        "Innenstadt-WLAN: 24 Hotspots",
        "network",
        "investiv",
        85000,
        2023,
        "once",
        None,
        8,
        True,
        0,
    ),
    (
        "hotspots-betrieb",
        "M 3.3.1",
        "Innenstadt-WLAN: Betrieb und Anbindung",
        "connectivity",
        "konsumtiv",
        14000,
        2023,
        "annual",
        None,
        None,
        False,
        2,
    ),
    (
        "stadtteilplattform",
        "M 5.3.2",
        "Stadtteilplattform Plauener Süden: Aufbau",
        "other",
        "investiv",
        90000,
        2024,
        "once",
        None,
        None,
        False,
        0,
    ),
    (
        "stadtteilplattform-betrieb",
        "M 5.3.2",
        "Stadtteilplattform: Hosting und Pflege",
        "licences",
        "konsumtiv",
        18000,
        2025,
        "annual",
        None,
        None,
        False,
        3,
    ),
    (
        "koordinator-digitalisierung",
        "M 6.3.1",
        "Stelle Koordinator Digitalisierung",
        "staff",
        "konsumtiv",
        72000,
        2022,
        "annual",
        None,
        None,
        False,
        Decimal("2.5"),
    ),
    (
        "schul-it-stellen",
        "M 2.3.1",
        "Zwei Stellen Schul-IT-Support",
        "staff",
        "konsumtiv",
        130000,
        2025,
        "annual",
        None,
        None,
        False,
        Decimal("2.5"),
    ),
    (
        "fortbildung-sternenlabor",
        "M 2.4.1",
        "Fortbildungsreihe mit dem Sternenlabor e.V.",
        "training",
        "konsumtiv",
        15000,
        2022,
        "annual",
        None,
        None,
        False,
        0,
    ),
]

# Budget per year: (Haushaltsstelle/Produkt, description, {year: amount}); flat after 2026.
BUDGET = [
    (
        "Produkt 21.10.01",
        "Schulträgeraufgaben: IT-Ausstattung und Betrieb",
        {2021: 900000, 2022: 1200000, 2023: 1500000, 2024: 1100000, 2025: 1100000},
    ),
    (
        "Produkt 11.14.03",
        "Digitalisierung der Verwaltung",
        {2021: 150000, 2022: 250000, 2023: 300000, 2024: 300000, 2025: 300000},
    ),
]


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
    defaults["amount"] = Decimal(defaults["amount"])
    defaults["escalation_pct"] = Decimal(defaults.get("escalation_pct", 0))
    return ensure(CostItem, key=key, defaults=defaults)[0]


def seed_school_items(measures):
    items = []
    for school in School.objects.all():
        stage = _stage(school)
        slug = _slug(school.name)
        per_pupil = RUNNING_PER_PUPIL[stage]
        rows = [
            # key suffix, measure, title, category, kind, amount, start, recurrence, life, esc
            (
                "netz",
                "M 2.1.2" if stage == "primary" else "M 2.1.1",
                "WLAN und Verkabelung",
                "network",
                "investiv",
                NETWORK[stage],
                2022,
                "once",
                10,
                0,
            ),
            (
                "displays",
                "M 2.2.2",
                f"{school.classrooms} interaktive Displays",
                "presentation",
                "investiv",
                school.classrooms * DISPLAY_PER_ROOM,
                2023,
                "once",
                8,
                0,
            ),
            (
                "geraete",
                "M 2.2.3",
                f"{int(school.pupils * DEVICE_SHARE)} Tablets und Notebooks",
                "devices",
                "investiv",
                int(school.pupils * DEVICE_SHARE) * DEVICE_PRICE,
                2022,
                "once",
                5,
                0,
            ),
            (
                "lizenzen",
                "M 2.2.1",
                "Lizenzen (MDM, Lernplattform, Office)",
                "licences",
                "konsumtiv",
                school.pupils * per_pupil["licences"],
                2022,
                "annual",
                None,
                3,
            ),
            (
                "it-support",
                "M 2.3.2",
                "IT-Support (Rahmenvertrag KISA)",
                "support",
                "konsumtiv",
                school.pupils * per_pupil["support"],
                2021,
                "annual",
                None,
                3,
            ),
            (
                "anbindung",
                "M 2.1.3",
                "Breitbandanbindung",
                "connectivity",
                "konsumtiv",
                CONNECTIVITY[stage],
                2023,
                "annual",
                None,
                0,
            ),
        ]
        if per_pupil["maintenance"]:
            rows.append(
                (
                    "netz-wartung",
                    "M 2.3.2",
                    "Wartung Netz und Server",
                    "support",
                    "konsumtiv",
                    school.pupils * per_pupil["maintenance"],
                    2023,
                    "annual",
                    None,
                    3,
                )
            )
        for suffix, code, title, category, kind, amount, start, recurrence, life, esc in rows:
            item = _item(
                measures,
                f"{slug}-{suffix}",
                code,
                school=school,
                title=f"{school.name}: {title}",
                category=category,
                kind=kind,
                amount=amount,
                start_year=start,
                recurrence=recurrence,
                end_year=None,
                useful_life=life,
                replace=life is not None,
                escalation_pct=esc,
            )
            if item is not None:
                items.append(item)
    return items


def seed_city_items(measures):
    items = {}
    for key, code, title, category, kind, amount, start, rec, end, life, replace, esc in CITY_ITEMS:
        item = _item(
            measures,
            key,
            code,
            title=title,
            category=category,
            kind=kind,
            amount=amount,
            start_year=start,
            recurrence=rec,
            end_year=end,
            useful_life=life,
            replace=replace,
            escalation_pct=esc,
        )
        if item is not None:
            items[key] = item
    return items


def _set_scope(source, items):
    """Limit a source to these cost items (saved only when the scope differs)."""
    if set(source.items.all()) != set(items):
        source.items.set(items)


def _school_scope(source, school_items):
    """The schools' cost items a school programme may fund (its eligible categories)."""
    return [item for item in school_items if item.category in source.eligible_categories]


def seed_sources(city_items, school_items=()):
    digitalpakt, _ = ensure(
        FundingSource,
        key="digitalpakt",
        defaults={
            "title": "DigitalPakt Schule (RL Digitale Schulen)",
            "programme": "DigitalPakt Schule 2019–2024, Förderrichtlinie Digitale Schulen",
            "provider": FundingSource.Provider.FEDERAL,
            "status": FundingSource.Status.APPROVED,
            "file_number": "SAB-DP-2020-0417",
            "application_deadline": date(2021, 12, 31),
            "proof_of_use_deadline": date(2025, 6, 30),
            "rate_pct": Decimal("90"),
            "category_scope": FundingSource.Scope.SELECTED,
            "eligible_categories": ["network", "presentation", "devices", "server"],
            "item_scope": FundingSource.Scope.SELECTED,
            "from_year": 2019,
            "to_year": 2024,
            "cap": Decimal(DIGITALPAKT_PER_SCHOOL * SCHOOL_COUNT),
            "category_caps": {"devices": str(DEVICES_CAP_PER_SCHOOL * SCHOOL_COUNT)},
            "priority": 1,
        },
    )
    itadmin, _ = ensure(
        FundingSource,
        key="itadminfoevo",
        defaults={
            "title": "ITAdminFöVO (IT-Administration an Schulen)",
            "programme": "Sächsische Förderverordnung IT-Administration",
            "provider": FundingSource.Provider.STATE,
            "status": FundingSource.Status.APPROVED,
            "file_number": "SAB-ITA-2021-0093",
            "application_deadline": date(2021, 10, 31),
            "proof_of_use_deadline": date(2025, 6, 30),
            "rate_pct": Decimal("90"),
            "category_scope": FundingSource.Scope.SELECTED,
            "eligible_categories": ["support"],
            "item_scope": FundingSource.Scope.SELECTED,
            "from_year": 2021,
            "to_year": 2024,
            "cap": Decimal("3500000"),
            "category_caps": {},
            "priority": 2,
        },
    )
    smart_city, _ = ensure(
        FundingSource,
        key="smart-city",
        defaults={
            "title": "Modellprojekt Smart City Plauen",
            "programme": "Modellprojekte Smart Cities (Bund, KfW)",
            "provider": FundingSource.Provider.FEDERAL,
            "status": FundingSource.Status.APPLIED,
            "file_number": "",
            "application_deadline": date(2022, 3, 15),
            "proof_of_use_deadline": date(2027, 6, 30),
            "rate_pct": Decimal("65"),
            "category_scope": FundingSource.Scope.ALL,
            "eligible_categories": [],
            "item_scope": FundingSource.Scope.SELECTED,
            "from_year": 2022,
            "to_year": 2026,
            "cap": Decimal("300000"),
            "category_caps": {},
            "priority": 3,
        },
    )
    scope = [
        city_items[key]
        for key in (
            "hotspots-innenstadt",
            "hotspots-betrieb",
            "stadtteilplattform",
            "stadtteilplattform-betrieb",
        )
        if key in city_items
    ]
    _set_scope(smart_city, scope)
    for school_programme in (digitalpakt, itadmin):
        _set_scope(school_programme, _school_scope(school_programme, school_items))
    return [digitalpakt, itadmin, smart_city]


def seed_budget():
    for account, title, amounts in BUDGET:
        last = max(amounts)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            amount = amounts.get(year, amounts[last])
            ensure(
                BudgetLine,
                year=year,
                account=account,
                defaults={"title": title, "amount": Decimal(amount)},
            )


def seed(stdout=None):
    if not PlanPeriod.objects.exists():
        PlanPeriod.objects.create(first_year=FIRST_YEAR, last_year=LAST_YEAR)
    measures = _Measures()
    school_items = seed_school_items(measures)
    city_items = seed_city_items(measures)
    sources = seed_sources(city_items, school_items)
    seed_budget()
    if stdout is not None:
        stdout.write(
            f"Finanzen: {len(school_items) + len(city_items)} Kostenpositionen, "
            f"{len(sources)} Förderprogramme, Haushaltsansätze {FIRST_YEAR}–{LAST_YEAR}."
        )
