from django.conf import settings

from .models import Municipality

# The name last read from the database, for pages that must not touch it (the 500 and 400 pages:
# the error may be the database itself). Per process; the fallback until a page has been shown.
_known = {"name": None}


def remember_name(name: str) -> str:
    _known["name"] = name
    return name


def known_municipality_name() -> str:
    return _known["name"] or settings.MUNICIPALITY_FALLBACK_NAME


def municipality(request):
    """The municipality's name for the header, read once per request when a template asks."""

    def name():
        current = Municipality.current()
        return remember_name(current.name if current else settings.MUNICIPALITY_FALLBACK_NAME)

    # A callable is evaluated lazily by the template engine and only once per render.
    return {"municipality_name": _Lazy(name)}


class _Lazy:
    def __init__(self, func):
        self._func = func
        self._value = None

    def __str__(self):
        if self._value is None:
            self._value = self._func()
        return self._value
