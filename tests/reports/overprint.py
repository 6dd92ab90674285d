"""Glyphs that overprint each other in a PDF, read from the glyph positions (pdfplumber)."""

import io
from collections import defaultdict

import pdfplumber

# Two glyphs "overprint" when their boxes share more than this many points in both directions.
TOLERANCE = 0.5
# Neighbours in the text stream (the next letter of the same word) may overlap by kerning
# (".1" in 01.12.2026): up to this share of the narrower glyph's advance box.
KERNING_SHARE = 0.65
CELL = 20.0  # grid cell (points) for finding neighbours without comparing every pair


def _overlap(a, b) -> tuple[float, float]:
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width, height


def _same_glyph(a, b) -> bool:
    """The same glyph drawn twice at the same place (e.g. a fallback redraw): not an overprint."""
    return (
        a["text"] == b["text"]
        and abs(a["x0"] - b["x0"]) < 0.01
        and abs(a["top"] - b["top"]) < 0.01
        and abs(a["size"] - b["size"]) < 0.01
    )


def _kerned(a, b, width) -> bool:
    """Consecutive glyphs of one line, overlapping no more than kerning does."""
    neighbours = abs(a["order"] - b["order"]) <= 2  # a space may lie between them
    same_line = abs(a["top"] - b["top"]) < 0.5 and abs(a["size"] - b["size"]) < 0.01
    narrower = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
    return neighbours and same_line and width <= KERNING_SHARE * narrower


def overprints(pdf: bytes, tolerance: float = TOLERANCE) -> list[str]:
    """One line per pair of overprinting glyphs: page, the two characters and their words."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            chars = [
                {**c, "order": order}
                for order, c in enumerate(page.chars)
                if c["text"].strip() and c["x1"] > c["x0"]
            ]
            grid = defaultdict(list)
            for index, char in enumerate(chars):
                for gx in range(int(char["x0"] // CELL), int(char["x1"] // CELL) + 1):
                    for gy in range(int(char["top"] // CELL), int(char["bottom"] // CELL) + 1):
                        grid[gx, gy].append(index)
            seen = set()
            for members in grid.values():
                for i_pos, i in enumerate(members):
                    for j in members[i_pos + 1 :]:
                        if (i, j) in seen:
                            continue
                        seen.add((i, j))
                        a, b = chars[i], chars[j]
                        width, height = _overlap(a, b)
                        if width <= tolerance or height <= tolerance or _same_glyph(a, b):
                            continue
                        if _kerned(a, b, width):
                            continue
                        if True:
                            found.append(
                                f"page {number}: {a['text']!r} at ({a['x0']:.1f}, {a['top']:.1f})"
                                f" and {b['text']!r} at ({b['x0']:.1f}, {b['top']:.1f})"
                                f" in {_context(chars, i)!r} / {_context(chars, j)!r}"
                            )
    return found


def _context(chars, index, radius=8) -> str:
    line = [c for c in chars if abs(c["top"] - chars[index]["top"]) < 1]
    line.sort(key=lambda c: c["x0"])
    at = line.index(chars[index])
    return "".join(c["text"] for c in line[max(at - radius, 0) : at + radius])
