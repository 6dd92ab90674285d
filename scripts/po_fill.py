"""Fill German translations into a .po file from a JSON object {msgid: msgstr}.

Usage: .venv/bin/python scripts/po_fill.py PATH/django.po translations.json
Only entries with an empty msgstr are filled; fuzzy flags are cleared for filled entries.
"""

import json
import sys

from babel.messages.pofile import read_po, write_po


def main(po_path: str, json_path: str) -> None:
    with open(json_path, encoding="utf-8") as fh:
        translations = json.load(fh)
    with open(po_path, "rb") as fh:
        catalog = read_po(fh, locale="de")
    catalog.fuzzy = False  # makemessages marks a new header fuzzy; a reviewed file is not
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
        elif not (message.string if isinstance(message.string, str) else all(message.string)):
            missing.append(key)
    with open(po_path, "wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False)
    for key in missing:
        print(f"untranslated: {key!r}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
