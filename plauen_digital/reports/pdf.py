"""HTML → PDF with WeasyPrint: static files come from disk, every other URL is refused."""

import io
import logging
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged PDF with the PDF/UA identification (WeasyPrint ≥ 63)


class RefusedURL(ValueError):
    """The report asked for something that is not a static file of the project."""


@cache
def static_roots() -> tuple[Path, ...]:
    """Every directory static files are found in: STATICFILES_DIRS, apps' static/, STATIC_ROOT."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    unique = []
    for root in roots:
        resolved = root.resolve()
        if resolved not in unique:
            unique.append(resolved)
    return tuple(unique)


def static_file_uri(path: str) -> str:
    """The file: URI of a static file (e.g. "reports/print.css"), as the print templates use it."""
    found = finders.find(path)
    if not found:
        raise RefusedURL(f"static file not found: {path}")
    return Path(found).resolve().as_uri()


def static_path_for(url: str) -> Path:
    """The file on disk a file: URL points to, if it lies under a static root; else RefusedURL."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"refused URL (only static files are read): {url}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not any(path.is_relative_to(root) for root in static_roots()):
        raise RefusedURL(f"refused file outside the static files: {url}")
    if not path.is_file():
        raise RefusedURL(f"static file does not exist: {url}")
    return path


class StaticOnlyURLFetcher(URLFetcher):
    """Serves static files from disk and data: URLs; refuses http(s), ftp and other files.

    WeasyPrint reports a refused resource as a warning and leaves it out, so a stray URL in
    content can never make the PDF renderer reach the network or read private files.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = static_path_for(url)
        mime_type, encoding = mimetypes.guess_type(path.name)
        response_headers = {"Content-Type": mime_type or "application/octet-stream"}
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), response_headers)


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML document written for print (tagged, PDF/UA-1, metadata from <head>)."""
    document = HTML(
        string=html, base_url=static_roots()[0].as_uri() + "/", url_fetcher=StaticOnlyURLFetcher()
    )
    return complete_structure(document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True))


def _struct_elements(root):
    """Every structure element below the StructTreeRoot (marked-content ids and references
    to annotations are leaves without /S and are skipped)."""
    stack = [root.get("/K")]
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            key = node.objgen
            if key != (0, 0) and key in seen:
                continue
            seen.add(key)
            yield node
            stack.append(node.get("/K"))


def _scope(header) -> str:
    """/Column for a header cell of the table head, /Row for one beside a row (the print
    templates write scope="col" in <thead> only and scope="row" everywhere else)."""
    row = header.get("/P")
    group = row.get("/P") if row is not None else None
    return "/Column" if group is not None and group.get("/S") == "/THead" else "/Row"


def complete_structure(content: bytes) -> bytes:
    """Add to WeasyPrint's tagged PDF what PDF/UA asks for and it does not write (yet):
    the IDTree for the structure elements that carry an /ID (the header cells the data cells
    point to with /Headers), and /Scope on every header cell (TH)."""
    with pikepdf.open(io.BytesIO(content)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return content
        ids = {}
        for element in _struct_elements(root):
            if element.get("/S") == "/TH":
                attributes = element.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    element.A = attributes
                attributes.Scope = pikepdf.Name(_scope(element))
            if "/ID" in element:
                ids[str(element.ID)] = element
        if ids:
            tree = pikepdf.NameTree.new(document)
            for key in sorted(ids):
                tree[key] = ids[key]
            root.IDTree = tree.obj
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
