"""Glyphs that overprint each other in a PDF, read from the glyph positions (PDFium).

PDFium (pypdfium2) reads a 200-page report's glyph boxes in a few seconds where pdfminer
(pdfplumber) needs minutes, which kept the large-report test at over two minutes."""

import ctypes
from collections import defaultdict

import pypdfium2 as pdfium

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


def _ligature(a, b) -> bool:
    """Two letters of one ligature glyph ("fi", "fl"): PDFium gives each the glyph's box."""
    return (
        abs(a["order"] - b["order"]) == 1
        and abs(a["x0"] - b["x0"]) < 0.01
        and abs(a["x1"] - b["x1"]) < 0.01
        and abs(a["top"] - b["top"]) < 0.01
    )


def _kerned(a, b, width) -> bool:
    """Consecutive glyphs of one line, overlapping no more than kerning does."""
    neighbours = abs(a["order"] - b["order"]) <= 2  # a space may lie between them
    same_line = abs(a["top"] - b["top"]) < 0.5 and abs(a["size"] - b["size"]) < 0.01
    narrower = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
    return neighbours and same_line and width <= KERNING_SHARE * narrower


def page_chars(pdf: bytes) -> list[list[dict]]:
    """Per page, the visible glyphs in text order: text, x0/x1 (the advance box), top/bottom
    (from the top of the page; the box is one font size high above the descent) and size (the
    font size in points, text matrix included)."""
    pages = []
    document = pdfium.PdfDocument(pdf)
    try:
        matrix = pdfium.raw.FS_MATRIX()
        for page in document:
            height = page.get_height()
            text = page.get_textpage()
            chars = []
            for order in range(text.count_chars()):
                glyph = text.get_text_range(order, 1)
                if not glyph.strip():
                    continue
                left, bottom, right, _top = text.get_charbox(order, loose=True)
                if right <= left:
                    continue
                pdfium.raw.FPDFText_GetMatrix(text.raw, order, ctypes.byref(matrix))
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                size = pdfium.raw.FPDFText_GetFontSize(text.raw, order) * scale
                chars.append(
                    {
                        "text": glyph,
                        "x0": left,
                        "x1": right,
                        "top": height - bottom - size,
                        "bottom": height - bottom,
                        "size": size,
                        "order": order,
                    }
                )
            pages.append(chars)
    finally:
        document.close()
    return pages


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page, in order (PDFium)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_bounded().replace("\r\n", "\n") for page in document]
    finally:
        document.close()


def overprints(pdf: bytes, tolerance: float = TOLERANCE) -> list[str]:
    """One line per pair of overprinting glyphs: page, the two characters and their words."""
    found = []
    for number, chars in enumerate(page_chars(pdf), start=1):
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
                    if _ligature(a, b):
                        continue
                    if _kerned(a, b, width):
                        continue
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
