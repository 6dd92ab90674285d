from django.conf import settings

from .accounts.models import Municipality


def municipality(request):
    """The municipality's name for the header, read once per request when a template asks."""

    def name():
        current = Municipality.current()
        return current.name if current else settings.MUNICIPALITY_FALLBACK_NAME

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
