"""What depends on an object: each app reports it through settings.DEPENDENTS_PROVIDERS.

A provider is a function `(obj) -> list[Dependent]` registered under a key such as
"strategy.goal" (the key of the object's kind, see `key_of`). The confirmation page of a deletion
or an archiving shows the union, with counts and sums; `permanent` dependents (council records,
costs, working-group links) must survive, so their object is archived instead of deleted.
So strategy learns about votes, costs and agenda items without importing those apps.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Dependent:
    """One kind of record that depends on the object, e.g. "36 votes" or "3 cost items, 12 345 €".

    `text` is the German description with its count (ngettext); `amount` a sum in euros, if any;
    `permanent`: it must be kept, so the object cannot be deleted (it is archived instead);
    `effect`: what a deletion does to it, shown beside it ("is deleted too", "loses the link").
    """

    text: str
    count: int
    permanent: bool
    amount: Decimal | None = None
    effect: str = ""


def key_of(obj) -> str:
    """ "strategy.goal", "finance.costitem": app label and model name."""
    return obj._meta.label_lower.replace("fieldofaction", "field")


def dependents(obj) -> list[Dependent]:
    """Everything the registered providers report for `obj` (those with a count > 0)."""
    found = []
    for path in settings.DEPENDENTS_PROVIDERS.get(key_of(obj), ()):
        found.extend(d for d in import_string(path)(obj) if d.count)
    return found


def has_permanent(found) -> bool:
    return any(d.permanent for d in found)
