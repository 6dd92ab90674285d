"""The permission table every URL of the project is checked against (docs/permissions.md).

Each app lists its URLs in tests/<app>/url_table.py as `CASES`; tests/test_url_permissions.py
walks the URL configuration and fails for any named URL without a case.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = frozenset({"verwaltung", "stadtrat", "ag_schule", "ratsbuero"})
READERS = ALL_ROLES
VERWALTUNG = frozenset({"verwaltung"})


@dataclass(frozen=True)
class UrlCase:
    """One request and who may make it.

    name: the namespaced URL name; setup(user) returns the URL kwargs (and may create objects
    the user needs); allowed roles get a status in `ok`, other roles 403, anonymous a redirect to
    the login page. `expect` overrides the status per role ("anonymous" included) where needed.
    """

    name: str
    allowed: frozenset = READERS
    method: str = "get"
    setup: Callable | None = None
    data: Callable | dict | None = None
    htmx: bool = False
    ok: tuple = (200,)
    expect: dict = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}:{self.method}"
