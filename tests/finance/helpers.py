"""Shared by the finance page tests: the plan table read from a page, euro cells as numbers, the
data of a cost item form."""

import re
from html.parser import HTMLParser


class _TableParser(HTMLParser):
    """{data-row: [cell texts]} of the plan table, and its year header."""

    def __init__(self):
        super().__init__()
        self.rows, self.years = {}, []
        self._row = self._cell = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "thead":
            self._in_head = True
        if tag == "tr" and "data-row" in attrs:
            self._row = attrs["data-row"]
            self.rows[self._row] = []
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._in_head:
                self.years.append(text)
            elif self._row is not None and tag == "td":
                self.rows[self._row].append(text)
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def plan_table(html):
    start = html.index('data-testid="plan-table"')
    parser = _TableParser()
    parser.feed(html[html.rindex("<table", 0, start) : html.index("</table>", start)])
    return parser


def euros(text):
    """ "205.600 €" → 205600; "45,2 %" → "45.2"."""
    if text.endswith("%"):
        return text.replace("\xa0", "").rstrip("%").replace(",", ".")
    return int(re.sub(r"[^\d-]", "", text))


def item_post(measure, **changes):
    data = {
        "measure": measure.pk,
        "key": "tablets-neu",
        "title": "Tablets",
        "category": "devices",
        "kind": "investiv",
        "amount": "45000",
        "recurrence": "once",
        "start_year": "2025",
        "useful_life": "4",
        "replace": "on",
        "escalation_pct": "0",
        "notes": "",
    }
    data.update(changes)
    return data
