"""The small markup of texts the Verwaltung writes for a report: paragraphs and lists, no HTML.

    An empty line starts a new paragraph.
    - a line beginning with "- " (or "* ") is a list item,
      and an indented line after it continues the item.

`blocks(text)` returns plain data ({"kind": "p", "text": …} / {"kind": "ul", "items": […]}) that
the templates render with autoescaping, so whatever is typed (tags included) prints as text.
"""

from __future__ import annotations

import re

BULLET = re.compile(r"^\s*[-*]\s+")
# Control characters other than tab and newline would print as boxes; they are dropped.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def blocks(text: str) -> list[dict]:
    text = CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    result: list[dict] = []
    for chunk in re.split(r"\n\s*\n", text):
        current: dict | None = None  # the block being filled
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if BULLET.match(raw):
                if current is None or current["kind"] != "ul":
                    current = {"kind": "ul", "items": []}
                    result.append(current)
                current["items"].append(BULLET.sub("", raw).strip())
            elif current is not None and current["kind"] == "ul" and raw[:1].isspace():
                current["items"][-1] = f"{current['items'][-1]} {line}"
            elif current is not None and current["kind"] == "p":
                current["text"] = f"{current['text']} {line}"
            else:
                current = {"kind": "p", "text": line}
                result.append(current)
    return result
