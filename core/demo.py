"""Helpers for idempotent demo data: a second seed_demo run must change nothing, history included.

The demo data itself lives in YAML files, `<app>/demo_data/<name>.yaml` (records with named keys,
mostly the model's field names; a record names another by its natural key, e.g. a measure's
`lead_unit` by the unit's name). Each app's `demo.py` reads them with `load` and writes them with
`ensure`. Dates in the files are either fixed (`2024-03-01`) or relative to the moment of loading,
in the notation `when` reads.
"""

import datetime
import re
from importlib.resources import files

import yaml
from django.utils import timezone


def ensure(model, defaults=None, **lookup):
    """Like `update_or_create`, but saves only when a value differs, so no history row is added.

    Returns (instance, created).
    """
    defaults = defaults or {}
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance.save()
    return instance, False


def load(package, name):
    """The parsed `<package>/demo_data/<name>.yaml`, e.g. `load(__package__, "strategy")`."""
    return yaml.safe_load((files(package) / "demo_data" / f"{name}.yaml").read_text("utf-8"))


_RELATIVE = re.compile(
    r"(?:(?P<base>today|now)(?P<days>[+-]\d+)?|(?P<year>this|next)-year-(?P<month>\d\d)-(?P<day>\d\d))"
    r"(?: (?P<hour>\d\d):(?P<minute>\d\d))?"
)


def when(value, now):
    """A date or time of the demo data, relative to `now` (the aware moment of loading):

    - `None` or a fixed `datetime.date` (YAML `2024-03-01`): unchanged;
    - `today`, `today+N`, `today-N`: the date N days after/before the local date of `now`;
    - `this-year-MM-DD`, `next-year-MM-DD`: that day in the year of `now` or the year after;
    - either followed by ` HH:MM`: that local wall-clock time on that day (an aware datetime);
    - `now`, `now+N`, `now-N`: the moment `now` plus/minus N days (an aware datetime);
    - `now+N HH:MM`: that local wall-clock time on the local day of the moment `now+N` (differs
      from `today+N HH:MM` only when a daylight saving change falls in the N days near midnight).
    """
    if value is None or isinstance(value, datetime.date):
        return value
    match = _RELATIVE.fullmatch(value)
    if match is None:
        raise ValueError(f"Not a demo date: {value!r}")
    shift = datetime.timedelta(days=int(match["days"] or 0))
    if match["base"] == "now":
        if not match["hour"]:
            return now + shift
        return timezone.localtime(now + shift).replace(
            hour=int(match["hour"]), minute=int(match["minute"]), second=0, microsecond=0
        )
    today = timezone.localdate(now)
    if match["base"] == "today":
        day = today + shift
    else:
        year = today.year + (match["year"] == "next")
        day = datetime.date(year, int(match["month"]), int(match["day"]))
    if not match["hour"]:
        return day
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(int(match["hour"]), int(match["minute"])))
    )
