"""Every catalogue is complete (no untranslated or fuzzy German entry) and agrees with the others."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/de/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_are_catalogues():
    assert ROOT / "locale/de/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_catalogue_is_fully_translated(path):
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="de")
    assert not catalog.fuzzy, f"{path}: header marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not problems, "\n".join(problems)


def _translations(path):
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="de")
    return {
        (
            message.context,
            message.id if isinstance(message.id, str) else message.id[0],
        ): message.string
        for message in catalog
        if message.id
    }


def test_no_msgid_is_translated_differently_in_two_catalogues():
    """Django merges all catalogues into one namespace: where two translate the same msgid (and
    msgctxt) differently, the first app in INSTALLED_APPS wins everywhere and one page shows
    another app's word. Give a msgid a context where the meaning differs."""
    seen = {}
    for path in CATALOGUES:
        for key, string in _translations(path).items():
            seen.setdefault(key, {})[str(path.relative_to(ROOT))] = string
    conflicts = [
        f"msgctxt={context!r} msgid={msgid!r}: {by_catalogue}"
        for (context, msgid), by_catalogue in seen.items()
        if len({str(s) for s in by_catalogue.values()}) > 1
    ]
    assert not conflicts, "\n".join(conflicts)
