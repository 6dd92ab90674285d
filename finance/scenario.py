"""Scenario files: parse and validate a scenario (dict or JSON) into engine inputs, and back.

Pure (no Django). Whatever breaks the rules of ``docs/funding-model.md`` raises `ScenarioError`
with a German message naming the entry and the field, e.g.
``Kostenposition "tablets": Feld "amount" darf nicht negativ sein.``
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from os import PathLike
from typing import Any, Literal, TypeVar, overload

from .engine import ANNUAL, ONCE, CostItem, FundingSource, Scenario

CATEGORIES: dict[str, str] = {
    "network": "Netz/WLAN",
    "presentation": "Präsentationstechnik",
    "devices": "Endgeräte",
    "server": "Server/Infrastruktur",
    "licences": "Lizenzen/Software",
    "support": "Support/Wartung/Administration",
    "connectivity": "Anbindung/Breitband",
    "training": "Fortbildung",
    "staff": "Personal",
    "other": "Sonstiges",
}
RECURRENCES: dict[str, str] = {ONCE: "einmalig", ANNUAL: "jährlich"}

# Guards against absurd input (a typo of a few zeros, a hostile upload) that would make the
# plan meaningless or slow: no municipal item costs a trillion euros, no plan runs a century.
MAX_AMOUNT = Decimal(10) ** 12
MAX_PLAN_YEARS = 100
YEAR_RANGE = (1900, 2200)

_ITEM_FIELDS = {
    "id",
    "title",
    "category",
    "amount",
    "start_year",
    "recurrence",
    "end_year",
    "useful_life",
    "replace",
    "escalation_pct",
}
_SOURCE_FIELDS = {
    "id",
    "title",
    "rate_pct",
    "eligible_categories",
    "item_ids",
    "from_year",
    "to_year",
    "cap",
    "category_caps",
    "priority",
}
_SCENARIO_FIELDS = {"years", "cost_items", "funding_sources", "budget"}
# Years, lives and priorities; nine digits at most, so no string is too long to convert.
# Numbers are ASCII digits only: Python's int() and Decimal() also take "60_000", Arabic-Indic
# (٦٠) and full-width (６０) digits, which no spreadsheet or export of ours writes.
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
_DECIMAL = re.compile(
    r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})(?:[eE][+-]?[0-9]{1,3})?"
)
# Scenario files larger than this are refused before they are read (docs/funding-model.md: a real
# scenario of a municipality is a few hundred kilobytes).
MAX_FILE_BYTES = 10 * 1024 * 1024


class ScenarioError(ValueError):
    """A scenario that breaks the rules. `entry` and `field` say where, for forms."""

    def __init__(self, message: str, *, entry: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.entry = entry
        self.field = field


class _Entry:
    """One entry of the scenario (an item, a source, the budget) for naming it in messages."""

    def __init__(self, label: str, data: Mapping[str, Any]):
        self.label = label
        self.data = data

    def error(self, field: str, problem: str) -> ScenarioError:
        return ScenarioError(
            f'{self.label}: Feld "{field}" {problem}.', entry=self.label, field=field
        )

    def has(self, field: str) -> bool:
        return self.data.get(field) is not None

    def required(self, field: str) -> Any:
        if not self.has(field):
            raise self.error(field, "fehlt")
        return self.data[field]

    # The overloads tell the type checker what the code guarantees: a required field, or one
    # with a default, is never None.
    @overload
    def decimal(self, field: str, *, required: Literal[True] = ...) -> Decimal: ...
    @overload
    def decimal(self, field: str, *, required: bool = ..., default: Decimal) -> Decimal: ...
    @overload
    def decimal(
        self, field: str, *, required: bool = ..., default: None = ...
    ) -> Decimal | None: ...
    def decimal(
        self, field: str, *, required: bool = True, default: Decimal | None = None
    ) -> Decimal | None:
        if not self.has(field):
            if required:
                raise self.error(field, "fehlt")
            return default
        return _decimal(self, field, self.data[field])

    @overload
    def integer(self, field: str, *, required: Literal[True] = ...) -> int: ...
    @overload
    def integer(self, field: str, *, required: bool = ..., default: int) -> int: ...
    @overload
    def integer(self, field: str, *, required: bool = ..., default: None = ...) -> int | None: ...
    def integer(
        self, field: str, *, required: bool = True, default: int | None = None
    ) -> int | None:
        if not self.has(field):
            if required:
                raise self.error(field, "fehlt")
            return default
        return _integer(self, field, self.data[field])

    @overload
    def year(self, field: str, *, required: Literal[True] = ...) -> int: ...
    @overload
    def year(self, field: str, *, required: bool) -> int | None: ...
    def year(self, field: str, *, required: bool = True) -> int | None:
        if not self.has(field):
            if required:
                raise self.error(field, "fehlt")
            return None
        return _year(self, field, self.data[field])

    def text(self, field: str, *, required: bool = True) -> str:
        if not self.has(field):
            if required:
                raise self.error(field, "fehlt")
            return ""
        value = self.data[field]
        if not isinstance(value, str):
            raise self.error(field, "muss ein Text sein")
        return value.strip()

    def reject_unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(str(key), "ist unbekannt")


def _decimal(entry: _Entry, field: str, value: Any) -> Decimal:
    """A money or percent value: a number or a numeric string, never a boolean or NaN."""
    if isinstance(value, bool):
        raise entry.error(field, "muss eine Zahl sein, kein Wahrheitswert")
    if isinstance(value, int | float | Decimal):
        text = str(value)  # str() first: 0.1 becomes 0.1, not 0.1000000000000000055…
    elif isinstance(value, str):
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            raise entry.error(field, f'muss eine Zahl sein, nicht "{value}"')
    else:
        raise entry.error(field, "muss eine Zahl sein")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise entry.error(field, f'muss eine Zahl sein, nicht "{value}"') from None
    if not number.is_finite():
        raise entry.error(field, "muss eine endliche Zahl sein")
    if number.copy_abs() > MAX_AMOUNT:
        raise entry.error(field, "ist unplausibel groß")
    return number


def _integer(entry: _Entry, field: str, value: Any) -> int:
    """A year, a useful life or a priority: an int or a string of digits."""
    if isinstance(value, bool):
        raise entry.error(field, "muss eine ganze Zahl sein, kein Wahrheitswert")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    raise entry.error(field, "muss eine ganze Zahl sein")


def _year(entry: _Entry, field: str, value: Any) -> int:
    """A calendar year within `YEAR_RANGE` (escalation is counted year by year from it); a JSON
    number, never a string ("2025" is a typing slip of a hand-edited file, not a year)."""
    if isinstance(value, str):
        raise entry.error(field, "muss eine Jahreszahl ohne Anführungszeichen sein")
    year = _integer(entry, field, value)
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise entry.error(field, f"muss eine Jahreszahl zwischen {low} und {high} sein")
    return year


def _identifier(value: Any) -> str | None:
    """An entry's id: a non-empty string (or an int, as database keys are)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _entries(scenario: _Entry, field: str, noun: str) -> list[tuple[_Entry, str]]:
    """The list under `field`, each entry labelled by its id; ids must be present and unique."""
    raw = scenario.data.get(field, [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise scenario.error(field, "muss eine Liste sein")
    entries = []
    seen: set[str] = set()
    for number, data in enumerate(raw, start=1):
        if not isinstance(data, Mapping):
            raise ScenarioError(
                f"{noun} Nr. {number}: muss ein Objekt sein.", entry=f"{noun} Nr. {number}"
            )
        ident = _identifier(data.get("id"))
        if ident is None:
            problem = "fehlt" if data.get("id") is None else "muss ein nicht leerer Text sein"
            raise _Entry(f"{noun} Nr. {number}", data).error("id", problem)
        entry = _Entry(f'{noun} "{ident}"', data)
        if ident in seen:
            raise entry.error("id", "ist doppelt vergeben")
        seen.add(ident)
        entries.append((entry, ident))
    return entries


def _choice(entry: _Entry, field: str, choices: Mapping[str, str]) -> str:
    value = entry.required(field)
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(choices)
        raise entry.error(field, f'hat den unbekannten Wert "{value}" (erlaubt: {allowed})')
    return value


_OptionalDecimal = TypeVar("_OptionalDecimal", Decimal, Decimal | None)


def _non_negative(entry: _Entry, field: str, value: _OptionalDecimal) -> _OptionalDecimal:
    if value is not None and value < 0:
        raise entry.error(field, "darf nicht negativ sein")
    return value


def _parse_item(entry: _Entry, ident: str) -> CostItem:
    entry.reject_unknown(_ITEM_FIELDS)
    category = _choice(entry, "category", CATEGORIES)
    amount = _non_negative(entry, "amount", entry.decimal("amount"))
    start_year = entry.year("start_year")
    recurrence = _choice(entry, "recurrence", RECURRENCES)
    end_year = entry.year("end_year", required=False)
    if end_year is not None and end_year < start_year:
        raise entry.error("end_year", f"({end_year}) liegt vor start_year ({start_year})")
    useful_life = entry.integer("useful_life", required=False)
    if useful_life is not None and useful_life < 1:
        raise entry.error("useful_life", "muss mindestens 1 Jahr sein")
    replace = entry.data.get("replace", False)
    if replace is None:
        replace = False
    if not isinstance(replace, bool):
        raise entry.error("replace", "muss true oder false sein")
    escalation = entry.decimal("escalation_pct", required=False, default=Decimal(0))
    if not -100 <= escalation <= 100:
        raise entry.error("escalation_pct", "muss zwischen -100 und 100 liegen")
    return CostItem(
        id=ident,
        title=entry.text("title", required=False),
        category=category,
        amount=amount,
        start_year=start_year,
        recurrence=recurrence,
        end_year=end_year,
        useful_life=useful_life,
        replace=replace,
        escalation_pct=escalation,
    )


def _parse_source(entry: _Entry, ident: str, item_ids: set[str]) -> FundingSource:
    entry.reject_unknown(_SOURCE_FIELDS)
    rate = entry.decimal("rate_pct")
    if not 0 <= rate <= 100:
        raise entry.error("rate_pct", "muss zwischen 0 und 100 liegen")
    from_year = entry.year("from_year")
    to_year = entry.year("to_year")
    if to_year < from_year:
        raise entry.error("to_year", f"({to_year}) liegt vor from_year ({from_year})")

    categories = entry.data.get("eligible_categories") or []
    if not isinstance(categories, list):
        raise entry.error("eligible_categories", "muss eine Liste von Kategorien sein")
    for category in categories:
        if not isinstance(category, str) or category not in CATEGORIES:
            raise entry.error(
                "eligible_categories", f'enthält die unbekannte Kategorie "{category}"'
            )

    scope = entry.data.get("item_ids")
    if scope is not None:
        if not isinstance(scope, list):
            raise entry.error("item_ids", "muss eine Liste von Kostenpositionen sein")
        scope = [_identifier(value) for value in scope]
        for value, item_id in zip(entry.data["item_ids"], scope, strict=True):
            if item_id is None or item_id not in item_ids:
                raise entry.error("item_ids", f'nennt die unbekannte Kostenposition "{value}"')

    caps = entry.data.get("category_caps") or {}
    if not isinstance(caps, Mapping):
        raise entry.error("category_caps", "muss ein Objekt {Kategorie: Betrag} sein")
    category_caps = {}
    for category, value in caps.items():
        if category not in CATEGORIES:
            raise entry.error("category_caps", f'enthält die unbekannte Kategorie "{category}"')
        field = f"category_caps.{category}"
        category_caps[category] = _non_negative(entry, field, _decimal(entry, field, value))

    return FundingSource(
        id=ident,
        title=entry.text("title", required=False),
        rate_pct=rate,
        # The file format reads a missing or empty list as "all" (the database is explicit).
        eligible_categories=frozenset(categories) if categories else None,
        item_ids=frozenset(scope) if scope else None,
        from_year=from_year,
        to_year=to_year,
        cap=_non_negative(entry, "cap", entry.decimal("cap", required=False)),
        category_caps=category_caps,
        priority=entry.integer("priority", required=False, default=0),
    )


def _parse_budget(scenario: _Entry) -> dict[int, Decimal]:
    raw = scenario.data.get("budget") or {}
    if not isinstance(raw, Mapping):
        raise scenario.error("budget", "muss ein Objekt {Jahr: Betrag} sein")
    budget: dict[int, Decimal] = {}
    for key, value in raw.items():
        entry = _Entry(f'Haushaltsansatz "{key}"', raw)
        if isinstance(key, bool) or not (
            isinstance(key, int) or (isinstance(key, str) and _INTEGER.fullmatch(key.strip()))
        ):
            raise entry.error("budget", "braucht eine ganze Jahreszahl als Schlüssel")
        year = int(key)
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise entry.error("budget", "braucht eine ganze Jahreszahl als Schlüssel")
        if year in budget:
            raise entry.error("budget", "ist doppelt vergeben")
        budget[year] = _non_negative(entry, "budget", _decimal(entry, "budget", value))
    return budget


def _parse_years(scenario: _Entry) -> tuple[int, int]:
    years = scenario.required("years")
    if not isinstance(years, list | tuple) or len(years) != 2:
        raise scenario.error(
            "years", "muss eine Liste aus zwei Jahreszahlen [erstes, letztes] sein"
        )
    first = _year(scenario, "years", years[0])
    last = _year(scenario, "years", years[1])
    if last < first:
        raise scenario.error("years", f"hat das letzte Jahr ({last}) vor dem ersten ({first})")
    if last - first >= MAX_PLAN_YEARS:
        raise scenario.error("years", f"umfasst mehr als {MAX_PLAN_YEARS} Jahre")
    return first, last


def parse_scenario(data: Any) -> Scenario:
    """Validate a scenario dict (the JSON shape of ``docs/funding-model.md``) into a `Scenario`."""
    if not isinstance(data, Mapping):
        raise ScenarioError("Das Szenario muss ein JSON-Objekt sein.", entry="Szenario")
    scenario = _Entry("Szenario", data)
    scenario.reject_unknown(_SCENARIO_FIELDS)
    years = _parse_years(scenario)
    items = tuple(
        _parse_item(entry, ident)
        for entry, ident in _entries(scenario, "cost_items", "Kostenposition")
    )
    item_ids = {item.id for item in items}
    sources = tuple(
        _parse_source(entry, ident, item_ids)
        for entry, ident in _entries(scenario, "funding_sources", "Förderung")
    )
    return Scenario(
        years=years, cost_items=items, funding_sources=sources, budget=_parse_budget(scenario)
    )


def _json_integer(text: str) -> int:
    """json's parse_int hook: at most 15 digits (no amount or year is longer), so no
    conversion of a 5 000-digit literal is ever started."""
    if len(text.lstrip("-")) > 15:
        raise ScenarioError(
            "Das Szenario ist kein gültiges JSON: eine Zahl hat mehr als 15 Ziffern."
        )
    return int(text)


def _json_constant(name: str) -> Any:
    raise ScenarioError(f"Das Szenario enthält den Wert {name}; erlaubt sind nur endliche Zahlen.")


def parse_scenario_json(text: str | bytes) -> Scenario:
    """Parse JSON text into a `Scenario`; text that is not JSON is refused like any other error.

    Numbers are read exactly (decimals as Decimal, integers of at most 15 digits); NaN and
    Infinity, which Python's json accepts, are refused."""
    try:
        data = json.loads(
            text,
            parse_int=_json_integer,
            parse_float=Decimal,
            parse_constant=_json_constant,
        )
    except ScenarioError:
        raise
    # ValueError covers UnicodeDecodeError and over-long integer literals too.
    except (ValueError, RecursionError) as error:
        where = (
            f" (Zeile {error.lineno}, Spalte {error.colno})"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise ScenarioError(f"Das Szenario ist kein gültiges JSON{where}.") from None
    return parse_scenario(data)


# What the operating system says, in German (its own text would be English).
_OS_REASONS: dict[int | None, str] = {
    errno.ENOENT: "Sie existiert nicht",
    errno.EACCES: "Es fehlt die Berechtigung",
    errno.EPERM: "Es fehlt die Berechtigung",
    errno.EISDIR: "Es ist ein Verzeichnis",
    errno.ENOTDIR: "Ein Teil des Pfades ist kein Verzeichnis",
    errno.ENOSPC: "Der Datenträger ist voll",
    errno.EROFS: "Der Datenträger ist schreibgeschützt",
    errno.ENAMETOOLONG: "Der Dateiname ist zu lang",
    errno.EMFILE: "Zu viele Dateien sind geöffnet",
    errno.EIO: "Ein Ein-/Ausgabefehler ist aufgetreten",
}


def os_reason(error: OSError) -> str:
    """A German sentence for an OSError (never the English text of the operating system)."""
    return _OS_REASONS.get(error.errno, "Das Betriebssystem meldet einen Fehler")


def load_scenario_file(path: str | PathLike[str]) -> Scenario:
    """Read and parse a scenario file; unreadable files are refused with a `ScenarioError`.

    Files over `MAX_FILE_BYTES` are refused before they are read (the size is checked first,
    and the read never takes more than one byte beyond the limit)."""
    limit_mb = MAX_FILE_BYTES // (1024 * 1024)
    too_big = f'Die Datei "{path}" ist größer als {limit_mb} MB und wird nicht gelesen.'
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                raise ScenarioError(too_big)
            text = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ScenarioError(
            f'Die Datei "{path}" kann nicht gelesen werden: {os_reason(error)}.'
        ) from None
    if len(text) > MAX_FILE_BYTES:  # a pipe or a file that grew while being read
        raise ScenarioError(too_big)
    return parse_scenario_json(text)


def _number(value: Decimal) -> str:
    """Amounts are written as strings, so no JSON reader turns them into floats."""
    return str(value)


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The reverse of `parse_scenario`: a JSON-ready dict; optional fields only when set."""
    items = []
    for item in scenario.cost_items:
        data: dict[str, Any] = {"id": item.id}
        if item.title:
            data["title"] = item.title
        data.update(
            category=item.category,
            amount=_number(item.amount),
            start_year=item.start_year,
            recurrence=item.recurrence,
        )
        if item.end_year is not None:
            data["end_year"] = item.end_year
        if item.useful_life is not None:
            data["useful_life"] = item.useful_life
        if item.replace:
            data["replace"] = True
        if item.escalation_pct:
            data["escalation_pct"] = _number(item.escalation_pct)
        items.append(data)

    sources = []
    for source in scenario.funding_sources:
        if funds_nothing(source):
            # The file format reads an empty list as "all": a programme whose selection is
            # empty is left out (it contributes nothing) rather than written as funding all.
            continue
        data = {"id": source.id}
        if source.title:
            data["title"] = source.title
        data["rate_pct"] = _number(source.rate_pct)
        if source.eligible_categories:
            data["eligible_categories"] = [
                code for code in CATEGORIES if code in source.eligible_categories
            ]
        if source.item_ids:
            data["item_ids"] = sorted(source.item_ids)
        data.update(from_year=source.from_year, to_year=source.to_year)
        if source.cap is not None:
            data["cap"] = _number(source.cap)
        if source.category_caps:
            data["category_caps"] = {
                code: _number(cap) for code, cap in source.category_caps.items()
            }
        if source.priority:
            data["priority"] = source.priority
        sources.append(data)

    return {
        "years": list(scenario.years),
        "cost_items": items,
        "funding_sources": sources,
        "budget": {str(year): _number(amount) for year, amount in sorted(scenario.budget.items())},
    }


def funds_nothing(source) -> bool:
    """A source limited to an empty selection of items or categories."""
    return source.item_ids == frozenset() or source.eligible_categories == frozenset()


def scenario_to_json(scenario: Scenario) -> str:
    """The scenario as a JSON document (UTF-8 text, German umlauts kept)."""
    return json.dumps(scenario_to_dict(scenario), ensure_ascii=False, indent=2) + "\n"
