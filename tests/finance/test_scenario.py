"""Scenario parsing and validation (no Django needed)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from finance.engine import CostItem, FundingSource, compute_plan, plan_rows
from finance.scenario import (
    CATEGORIES,
    RECURRENCES,
    ScenarioError,
    load_scenario_file,
    parse_scenario,
    parse_scenario_json,
    scenario_to_dict,
    scenario_to_json,
)

SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "funding-example.json"
LOCAL_EXAMPLE = Path(__file__).resolve().parent / "data" / "funding-example.json"


def example_path() -> Path:
    return SHARED_EXAMPLE if SHARED_EXAMPLE.exists() else LOCAL_EXAMPLE


@pytest.fixture
def data() -> dict:
    """A fresh copy of the worked example, for a test to break."""
    return json.loads(example_path().read_text(encoding="utf-8"))


def minimal() -> dict:
    return {
        "years": [2023, 2024],
        "cost_items": [
            {
                "id": "tablets",
                "category": "devices",
                "amount": "45000",
                "start_year": 2023,
                "recurrence": "once",
            }
        ],
        "funding_sources": [{"id": "F1", "rate_pct": 90, "from_year": 2023, "to_year": 2024}],
    }


# --- What is accepted ---------------------------------------------------------------------------


def test_categories_are_ordered_with_german_labels():
    assert list(CATEGORIES) == [
        "network",
        "presentation",
        "devices",
        "server",
        "licences",
        "support",
        "connectivity",
        "training",
        "staff",
        "other",
    ]
    assert CATEGORIES["network"] == "Netz/WLAN"
    assert CATEGORIES["support"] == "Support/Wartung/Administration"
    assert CATEGORIES["other"] == "Sonstiges"
    assert set(RECURRENCES) == {"once", "annual"}


def test_the_example_file_parses_into_engine_inputs():
    scenario = load_scenario_file(example_path())
    assert scenario.years == (2023, 2027)
    assert [item.id for item in scenario.cost_items] == [
        "wlan",
        "displays",
        "tablets",
        "mdm",
        "wlan-wartung",
        "it-support",
        "glasfaser",
    ]
    assert scenario.cost_items[2] == CostItem(
        id="tablets",
        title="100 Tablets",
        category="devices",
        amount=Decimal("45000"),
        start_year=2023,
        recurrence="once",
        useful_life=4,
        replace=True,
    )
    f1, f2 = scenario.funding_sources
    assert f1 == FundingSource(
        id="F1",
        title="RL Digitale Schulen (DigitalPakt)",
        rate_pct=Decimal(90),
        eligible_categories=frozenset({"network", "presentation", "devices"}),
        from_year=2019,
        to_year=2024,
        cap=Decimal(150000),
        category_caps={"devices": Decimal(25000)},
        priority=1,
    )
    assert f2.item_ids == frozenset({"it-support"})
    assert scenario.budget == {year: Decimal(15000) for year in range(2024, 2028)} | {
        2023: Decimal(45000)
    }


def test_defaults_of_optional_fields():
    scenario = parse_scenario(minimal())
    (tablets,) = scenario.cost_items
    assert (tablets.title, tablets.end_year, tablets.useful_life) == ("", None, None)
    assert (tablets.replace, tablets.escalation_pct) == (False, Decimal(0))
    (f1,) = scenario.funding_sources
    assert (f1.title, f1.eligible_categories, f1.item_ids) == ("", None, None)
    assert (f1.cap, f1.category_caps, f1.priority) == (None, {}, 0)
    assert scenario.budget == {}


def test_amounts_may_be_strings_or_numbers_without_float_artefacts():
    data = minimal()
    data["cost_items"][0].update(amount=0.1, escalation_pct=2.5)
    data["funding_sources"][0].update(rate_pct="66.6", cap=1000)
    data["budget"] = {"2023": 1234.56, 2024: " 99 "}
    scenario = parse_scenario(data)
    assert str(scenario.cost_items[0].amount) == "0.1"
    assert scenario.cost_items[0].escalation_pct == Decimal("2.5")
    assert scenario.funding_sources[0].rate_pct == Decimal("66.6")
    assert scenario.funding_sources[0].cap == Decimal(1000)
    assert scenario.budget == {2023: Decimal("1234.56"), 2024: Decimal(99)}


def test_empty_lists_mean_no_restriction_and_null_means_missing():
    data = minimal()
    data["funding_sources"][0].update(
        eligible_categories=[], item_ids=[], category_caps={}, cap=None, title=None
    )
    (source,) = parse_scenario(data).funding_sources
    # The file format: an empty list means no restriction (None in the engine: "all").
    assert (source.eligible_categories, source.item_ids, source.cap) == (None, None, None)


def test_integer_ids_are_accepted_but_year_strings_are_not():
    data = minimal()
    data["cost_items"][0].update(id=7, start_year=2023)
    data["funding_sources"][0]["item_ids"] = [7]
    scenario = parse_scenario(data)
    assert scenario.cost_items[0].id == "7"
    assert scenario.cost_items[0].start_year == 2023
    assert scenario.funding_sources[0].item_ids == frozenset({"7"})
    data["cost_items"][0]["start_year"] = "2023"
    with pytest.raises(ScenarioError, match="start_year.*ohne Anführungszeichen"):
        parse_scenario(data)


def test_empty_scenario_lists_are_allowed():
    scenario = parse_scenario({"years": [2025, 2025]})
    assert (scenario.cost_items, scenario.funding_sources, scenario.budget) == ((), (), {})
    assert plan_rows(compute_plan(scenario))[0]["coverage_pct"] == 100.0


# --- Round trip ---------------------------------------------------------------------------------


def test_round_trip_of_the_example(data):
    scenario = parse_scenario(data)
    again = parse_scenario(scenario_to_dict(scenario))
    assert again == scenario
    assert plan_rows(compute_plan(again)) == plan_rows(compute_plan(scenario))
    # The JSON text keeps umlauts and amounts as strings.
    text = scenario_to_json(scenario)
    assert "ITAdminFöVO" in text
    assert parse_scenario_json(text) == scenario
    assert json.loads(text)["cost_items"][0]["amount"] == "60000"


def test_scenario_to_dict_writes_only_what_is_set():
    written = scenario_to_dict(parse_scenario(minimal()))
    assert written == {
        "years": [2023, 2024],
        "cost_items": [
            {
                "id": "tablets",
                "category": "devices",
                "amount": "45000",
                "start_year": 2023,
                "recurrence": "once",
            }
        ],
        "funding_sources": [{"id": "F1", "rate_pct": "90", "from_year": 2023, "to_year": 2024}],
        "budget": {},
    }


# --- What is refused ----------------------------------------------------------------------------


def item_of(data: dict, item_id: str = "tablets") -> dict:
    return next(entry for entry in data["cost_items"] if entry["id"] == item_id)


def source_of(data: dict, source_id: str = "F1") -> dict:
    return next(entry for entry in data["funding_sources"] if entry["id"] == source_id)


def duplicate_item(data):
    data["cost_items"].append(copy.deepcopy(item_of(data, "mdm")))


def duplicate_source(data):
    data["funding_sources"].append(copy.deepcopy(source_of(data, "F2")))


# (name, how to break the example, entry named, field named)
BAD = [
    ("missing years", lambda d: d.pop("years"), "Szenario", "years"),
    ("years not a pair", lambda d: d.update(years=[2023]), "Szenario", "years"),
    ("years reversed", lambda d: d.update(years=[2027, 2023]), "Szenario", "years"),
    ("years boolean", lambda d: d.update(years=[True, 2027]), "Szenario", "years"),
    ("years too many", lambda d: d.update(years=[2000, 2200]), "Szenario", "years"),
    ("unknown top-level key", lambda d: d.update(jahre=[2023]), "Szenario", "jahre"),
    ("items not a list", lambda d: d.update(cost_items={}), "Szenario", "cost_items"),
    ("item without id", lambda d: item_of(d).pop("id"), "Kostenposition Nr. 3", "id"),
    ("item with empty id", lambda d: item_of(d).update(id=" "), "Kostenposition Nr. 3", "id"),
    ("duplicate item id", duplicate_item, 'Kostenposition "mdm"', "id"),
    (
        "missing category",
        lambda d: item_of(d).pop("category"),
        'Kostenposition "tablets"',
        "category",
    ),
    ("missing amount", lambda d: item_of(d).pop("amount"), 'Kostenposition "tablets"', "amount"),
    (
        "missing start year",
        lambda d: item_of(d).pop("start_year"),
        'Kostenposition "tablets"',
        "start_year",
    ),
    (
        "missing recurrence",
        lambda d: item_of(d).pop("recurrence"),
        'Kostenposition "tablets"',
        "recurrence",
    ),
    (
        "unknown category",
        lambda d: item_of(d).update(category="furniture"),
        'Kostenposition "tablets"',
        "category",
    ),
    (
        "category not a string",
        lambda d: item_of(d).update(category=["devices"]),
        'Kostenposition "tablets"',
        "category",
    ),
    (
        "unknown recurrence",
        lambda d: item_of(d).update(recurrence="monthly"),
        'Kostenposition "tablets"',
        "recurrence",
    ),
    (
        "negative amount",
        lambda d: item_of(d).update(amount="-1"),
        'Kostenposition "tablets"',
        "amount",
    ),
    (
        "non-numeric amount",
        lambda d: item_of(d).update(amount="45.000,00 €"),
        'Kostenposition "tablets"',
        "amount",
    ),
    (
        "boolean amount",
        lambda d: item_of(d).update(amount=True),
        'Kostenposition "tablets"',
        "amount",
    ),
    ("NaN amount", lambda d: item_of(d).update(amount="NaN"), 'Kostenposition "tablets"', "amount"),
    (
        "infinite amount",
        lambda d: item_of(d).update(amount="Infinity"),
        'Kostenposition "tablets"',
        "amount",
    ),
    (
        "huge amount",
        lambda d: item_of(d).update(amount="1e20"),
        'Kostenposition "tablets"',
        "amount",
    ),
    ("list amount", lambda d: item_of(d).update(amount=[1]), 'Kostenposition "tablets"', "amount"),
    (
        "implausible year",
        lambda d: item_of(d).update(start_year=20230),
        'Kostenposition "tablets"',
        "start_year",
    ),
    (
        "fractional year",
        lambda d: item_of(d).update(start_year=2023.5),
        'Kostenposition "tablets"',
        "start_year",
    ),
    (
        "boolean year",
        lambda d: item_of(d).update(start_year=False),
        'Kostenposition "tablets"',
        "start_year",
    ),
    (
        "end before start",
        lambda d: item_of(d).update(end_year=2022),
        'Kostenposition "tablets"',
        "end_year",
    ),
    (
        "useful life zero",
        lambda d: item_of(d).update(useful_life=0),
        'Kostenposition "tablets"',
        "useful_life",
    ),
    (
        "replace not a boolean",
        lambda d: item_of(d).update(replace="ja"),
        'Kostenposition "tablets"',
        "replace",
    ),
    (
        "non-numeric escalation",
        lambda d: item_of(d).update(escalation_pct="drei"),
        'Kostenposition "tablets"',
        "escalation_pct",
    ),
    (
        "boolean escalation",
        lambda d: item_of(d).update(escalation_pct=True),
        'Kostenposition "tablets"',
        "escalation_pct",
    ),
    (
        "unknown item field",
        lambda d: item_of(d).update(escalation="3"),
        'Kostenposition "tablets"',
        "escalation",
    ),
    ("title not text", lambda d: item_of(d).update(title=5), 'Kostenposition "tablets"', "title"),
    ("sources not a list", lambda d: d.update(funding_sources="F1"), "Szenario", "funding_sources"),
    ("duplicate source id", duplicate_source, 'Förderung "F2"', "id"),
    ("missing rate", lambda d: source_of(d).pop("rate_pct"), 'Förderung "F1"', "rate_pct"),
    ("missing from year", lambda d: source_of(d).pop("from_year"), 'Förderung "F1"', "from_year"),
    ("missing to year", lambda d: source_of(d).pop("to_year"), 'Förderung "F1"', "to_year"),
    (
        "rate above 100",
        lambda d: source_of(d).update(rate_pct="100.5"),
        'Förderung "F1"',
        "rate_pct",
    ),
    ("rate below 0", lambda d: source_of(d).update(rate_pct=-1), 'Förderung "F1"', "rate_pct"),
    ("boolean rate", lambda d: source_of(d).update(rate_pct=True), 'Förderung "F1"', "rate_pct"),
    ("to before from", lambda d: source_of(d).update(to_year=2018), 'Förderung "F1"', "to_year"),
    ("negative cap", lambda d: source_of(d).update(cap="-5"), 'Förderung "F1"', "cap"),
    ("non-numeric cap", lambda d: source_of(d).update(cap="viel"), 'Förderung "F1"', "cap"),
    (
        "unknown eligible category",
        lambda d: source_of(d).update(eligible_categories=["devices", "furniture"]),
        'Förderung "F1"',
        "eligible_categories",
    ),
    (
        "eligible categories not a list",
        lambda d: source_of(d).update(eligible_categories="devices"),
        'Förderung "F1"',
        "eligible_categories",
    ),
    (
        "unknown category cap",
        lambda d: source_of(d).update(category_caps={"furniture": "100"}),
        'Förderung "F1"',
        "category_caps",
    ),
    (
        "negative category cap",
        lambda d: source_of(d).update(category_caps={"devices": "-100"}),
        'Förderung "F1"',
        "category_caps.devices",
    ),
    (
        "non-numeric category cap",
        lambda d: source_of(d).update(category_caps={"devices": "viel"}),
        'Förderung "F1"',
        "category_caps.devices",
    ),
    (
        "category caps not an object",
        lambda d: source_of(d).update(category_caps=["devices"]),
        'Förderung "F1"',
        "category_caps",
    ),
    (
        "unknown item in scope",
        lambda d: source_of(d, "F2").update(item_ids=["it-suport"]),
        'Förderung "F2"',
        "item_ids",
    ),
    (
        "scope not a list",
        lambda d: source_of(d, "F2").update(item_ids="it-support"),
        'Förderung "F2"',
        "item_ids",
    ),
    (
        "non-integer priority",
        lambda d: source_of(d).update(priority="hoch"),
        'Förderung "F1"',
        "priority",
    ),
    ("unknown source field", lambda d: source_of(d).update(quote="90"), 'Förderung "F1"', "quote"),
    ("budget not an object", lambda d: d.update(budget=[1, 2]), "Szenario", "budget"),
    (
        "budget year not an integer",
        lambda d: d["budget"].update({"2025/26": "100"}),
        'Haushaltsansatz "2025/26"',
        "budget",
    ),
    (
        "implausible budget year",
        lambda d: d["budget"].update({"99999": "100"}),
        'Haushaltsansatz "99999"',
        "budget",
    ),
    (
        "negative budget",
        lambda d: d["budget"].update({"2025": "-100"}),
        'Haushaltsansatz "2025"',
        "budget",
    ),
    (
        "non-numeric budget",
        lambda d: d["budget"].update({"2025": "offen"}),
        'Haushaltsansatz "2025"',
        "budget",
    ),
    (
        "boolean budget",
        lambda d: d["budget"].update({"2025": False}),
        'Haushaltsansatz "2025"',
        "budget",
    ),
]


@pytest.mark.parametrize(("name", "breaks", "entry", "field"), BAD, ids=[case[0] for case in BAD])
def test_bad_scenarios_are_refused_naming_entry_and_field(data, name, breaks, entry, field):
    breaks(data)
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(data)
    message = str(refused.value)
    assert message.startswith(f"{entry}: "), message
    assert f'Feld "{field}"' in message, message
    assert message.endswith("."), message
    assert (refused.value.entry, refused.value.field) == (entry, field)
    # The same through JSON text.
    with pytest.raises(ScenarioError):
        parse_scenario_json(json.dumps(data))


def test_messages_read_as_german_sentences(data):
    item_of(data)["amount"] = "-45000"
    with pytest.raises(ScenarioError, match=r"^Kostenposition \"tablets\": Feld \"amount\" darf"):
        parse_scenario(data)
    refused = {
        "rate": (
            lambda d: source_of(d).update(rate_pct=120),
            'Förderung "F1": Feld "rate_pct" muss zwischen 0 und 100 liegen.',
        ),
        "negative": (
            lambda d: item_of(d).update(amount=-1),
            'Kostenposition "tablets": Feld "amount" darf nicht negativ sein.',
        ),
        "duplicate": (
            duplicate_item,
            'Kostenposition "mdm": Feld "id" ist doppelt vergeben.',
        ),
        "years": (
            lambda d: d.update(years=[2027, 2023]),
            'Szenario: Feld "years" hat das letzte Jahr (2023) vor dem ersten (2027).',
        ),
    }
    for breaks, expected in refused.values():
        broken = json.loads(example_path().read_text(encoding="utf-8"))
        breaks(broken)
        with pytest.raises(ScenarioError) as error:
            parse_scenario(broken)
        assert str(error.value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "years: [2023, 2027]",
        b"\xff\xfe{",
        "{'years': 1}",
        '{"years": [' + "9" * 5000 + ", 2027]}",  # longer than Python converts
        "[" * 100_000,  # deeper than the parser recurses
    ],
    ids=["empty", "unclosed", "yaml", "bytes", "quotes", "huge number", "deep"],
)
def test_text_that_is_not_json_is_refused(text):
    with pytest.raises(ScenarioError, match="kein gültiges JSON"):
        parse_scenario_json(text)


@pytest.mark.parametrize("value", [[], "text", 42, None])
def test_a_scenario_must_be_an_object(value):
    with pytest.raises(ScenarioError, match="JSON-Objekt"):
        parse_scenario(value)


def test_entries_must_be_objects():
    data = minimal()
    data["cost_items"].append("tablets")
    with pytest.raises(ScenarioError, match=r"^Kostenposition Nr\. 2: muss ein Objekt sein\.$"):
        parse_scenario(data)


def test_load_scenario_file(tmp_path):
    good = tmp_path / "szenario.json"
    good.write_text(json.dumps(minimal()), encoding="utf-8")
    assert load_scenario_file(good).years == (2023, 2024)
    assert load_scenario_file(str(good)).years == (2023, 2024)

    broken = tmp_path / "kaputt.json"
    broken.write_text('{"years": [2023, 2024],', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"kein gültiges JSON \(Zeile 1"):
        load_scenario_file(broken)

    with pytest.raises(ScenarioError, match="kann nicht gelesen werden"):
        load_scenario_file(tmp_path / "fehlt.json")
