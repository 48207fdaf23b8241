"""The one place that turns a Django template into a PDF (WeasyPrint).

`render_pdf(template_name, context)` renders the template to HTML, then lays it out with
WeasyPrint and returns `(pdf_bytes, page_count)`. It never touches the database: callers build
plain-data contexts through selectors. Every URL the document refers to goes through
`StaticOnlyFetcher`, which serves files found by the staticfiles finders under STATIC_URL and
`data:` URLs, and refuses everything else (network, file://, media), so a text typed by a user
can never make a worker fetch a URL or read a local file.

The output is a tagged PDF (PDF/UA-1) with its title and language from the HTML `<title>` and
`lang`, author "Lodestar", and the fonts shipped in static/fonts/ embedded as subsets.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import posixpath
import re
import zlib
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Relative URLs in the HTML resolve against this origin; it is never contacted: the fetcher
# maps its /static/ paths to files and refuses everything else.
BASE_URL = "https://lodestar.invalid/"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# Raised when a template uses a URL we refuse; WeasyPrint logs it and renders without it.
MAX_STATIC_BYTES = 5 * 1024 * 1024


class RefusedURL(ValueError):
    """The document referred to a URL that is not one of our static files."""


def static_prefix() -> str:
    """The URL path print templates put before a static file's name (STATIC_URL)."""
    return settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"


def static_file(url: str, *, base_url: str = BASE_URL) -> Path:
    """The file a URL of ours names, or `RefusedURL`. Only `<base_url>/static/<path>`, with no
    `..`, and only files the staticfiles finders (or the collected STATIC_ROOT) know."""
    base = urlsplit(base_url)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise RefusedURL(f"refused {url[:200]!r}: not one of our static files")
    path = unquote(parts.path)
    prefix = static_prefix()
    if not path.startswith(prefix):
        raise RefusedURL(f"refused {url[:200]!r}: not under {prefix}")
    name = path.removeprefix(prefix)
    normal = posixpath.normpath(name)
    if not name or normal.startswith(("../", "/")) or normal == ".." or "\\" in name:
        raise RefusedURL(f"refused {url[:200]!r}: not a static file name")
    found = finders.find(normal)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / normal
    root = Path(settings.STATIC_ROOT).resolve()
    if collected.is_file() and collected.resolve().is_relative_to(root):
        return collected
    raise RefusedURL(f"refused {url[:200]!r}: no such static file")


_fetchers: dict[str, Any] = {}


def _fetcher(base_url: str) -> Any:
    """This process's fetcher for `base_url`, kept: making one builds an SSL context (for
    URLs it refuses anyway), a tenth of a second per document."""
    fetcher = _fetchers.get(base_url)
    if fetcher is None:
        fetcher = _fetchers[base_url] = _fetcher_class()(base_url)
    return fetcher


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves our static files and data: URLs; refuses every other URL."""

        def __init__(self, base_url: str = BASE_URL) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.base_url = base_url

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = static_file(url, base_url=self.base_url)
            except RefusedURL as exc:
                logger.warning("pdf: %s", exc)
                raise
            if path.stat().st_size > MAX_STATIC_BYTES:
                raise RefusedURL(f"refused {url[:200]!r}: larger than {MAX_STATIC_BYTES} bytes")
            import mimetypes

            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".woff2":
                content_type = "font/woff2"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The template rendered to HTML, with `static_prefix`, the protective marking and the
    words of the footer's page numbers in the document's language added."""
    return render_to_string(
        template_name,
        {
            "static_prefix": static_prefix(),
            "protective_marking": protective_marking(),
            "page_words": page_words(),
            **context,
        },
    )


def page_words() -> dict[str, str]:
    """ "Page 3 of 7" in the active language, cut around its two numbers: CSS counts the pages
    (print.css puts counter(page) and counter(pages) between these words)."""
    text = _("Page %(page)s of %(pages)s")
    page, pages = text.find("%(page)s"), text.find("%(pages)s")
    if page < 0 or pages < page:  # a language that names the total first: "3 / 7"
        return {"before": "", "between": " / ", "after": ""}
    return {
        "before": text[:page],
        "between": text[page + len("%(page)s") : pages],
        "after": text[pages + len("%(pages)s") :],
    }


def protective_marking() -> str:
    """The marking printed at the top and foot of every page (setting, default OFFICIAL)."""
    return str(getattr(settings, "LODESTAR_PROTECTIVE_MARKING", "OFFICIAL"))


# The print stylesheet every template links (documents/print/_base.html).
STYLESHEET = "documents/print.css"
# Parsed once per process and kept: the stylesheet, with the fonts its @font-face rules load.
# Parsing it and loading the fonts again cost about a sixth of a canvas's render.
_stylesheets: dict[tuple[str, str, float], tuple[Any, Any]] = {}
# Let go of them before the interpreter tears its modules down (their finaliser needs them).
atexit.register(_stylesheets.clear)


def _print_stylesheet(base_url: str) -> tuple[Any, Any]:
    """The print stylesheet, parsed, and the font configuration holding its fonts, for this
    process; parsed again if the file changed (development)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    url = base_url.rstrip("/") + static_prefix() + STYLESHEET
    path = static_file(url, base_url=base_url)
    key = (url, str(path), path.stat().st_mtime)
    cached = _stylesheets.get(key)
    if cached is None:
        font_config = FontConfiguration()
        cached = (
            CSS(url=url, url_fetcher=_fetcher(base_url), font_config=font_config),
            font_config,
        )
        _stylesheets.clear()
        _stylesheets[key] = cached
    return cached


# pydyf, which writes WeasyPrint's PDFs, compresses every stream at zlib's level 9. On the whole
# fonts every document embeds, that is nearly three times level 6 for the same size (the eight
# faces in static/fonts: 40 against 14.5 ms, 248 against 249 kB): a twentieth of a pack piece's
# render, and of each of the pack's own pages.
FLATE_LEVEL = 6


class _Flate:
    """zlib as pydyf sees it: the same, but for the level its streams are compressed at, and
    the large streams every part of a pack holds alike (its whole fonts) compressed once."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = FLATE_LEVEL, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return zlib.compressobj(FLATE_LEVEL, *args, **kwargs)
        return _KeptCompression()


# Large streams met a second time (the whole fonts, 35 to 85 kB each and the same bytes in
# every part of a pack) are kept compressed, up to KEPT_STREAMS of them; a page's own content,
# met once, is only remembered by its hash.
KEPT_STREAM_BYTES = 16 * 1024
KEPT_STREAMS = 32
_compressed: dict[bytes, bytes] = {}
_seen: dict[int, None] = {}


class _KeptCompression:
    """pydyf's use of a compression object (compress the whole stream, then flush), giving a
    large stream compressed before back without compressing it again."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self._chunks.append(bytes(data))
        return b""

    def flush(self, *_mode: int) -> bytes:
        data = b"".join(self._chunks)
        self._chunks = []
        if len(data) < KEPT_STREAM_BYTES:
            return zlib.compress(data, FLATE_LEVEL)
        kept = _compressed.get(data)
        if kept is not None:
            return kept
        compressed = zlib.compress(data, FLATE_LEVEL)
        if hash(data) in _seen and len(_compressed) < KEPT_STREAMS:
            _compressed[data] = compressed
        else:
            _seen[hash(data)] = None
            if len(_seen) > 8 * KEPT_STREAMS:
                del _seen[next(iter(_seen))]
        return compressed


def _compress_at_flate_level() -> None:
    """Have pydyf compress at FLATE_LEVEL (a pydyf that no longer reaches zlib through its
    module is left as it is)."""
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Flate()


# Once per process, as this module is imported: not on every render.
_compress_at_flate_level()


# A document that embeds whole fonts (a part of a pack) lists every glyph's width, which
# WeasyPrint reads by parsing each font's glyph table with fontTools at every write: about a
# fifth of a pack piece's write. Parsed once per process instead, for whole fonts only, and only
# static text fonts, which that code reads and never changes (it edits colour and emoji fonts).
_parsed_fonts: dict[tuple[bytes, int], Any] = {}
_EDITED_TABLES = ("fvar", "CBDT", "CBLC", "SVG ", "COLR", "sbix")


def _keep_parsed_whole_fonts() -> None:
    import io

    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
    from weasyprint import pdf as weasyprint_pdf
    from weasyprint.pdf import fonts

    build = fonts.build_fonts_dictionary
    if getattr(build, "keeps_parsed_fonts", False):
        return

    def parsed(file: Any, *args: Any, fontNumber: int = 0, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(file, io.BytesIO):
            return TTFont(file, *args, fontNumber=fontNumber, **kwargs)
        key = (file.getvalue(), fontNumber)
        font = _parsed_fonts.get(key)
        if font is None:
            font = TTFont(file, fontNumber=fontNumber)
            if any(table in font for table in _EDITED_TABLES):
                return font
            _parsed_fonts[key] = font
        return font

    def build_keeping_parsed_fonts(
        pdf: Any, pdf_fonts: Any, compress: Any, subset: Any, options: Any
    ) -> Any:
        if subset:
            return build(pdf, pdf_fonts, compress, subset, options)
        fonts.TTFont = parsed
        try:
            return build(pdf, pdf_fonts, compress, subset, options)
        finally:
            fonts.TTFont = TTFont

    build_keeping_parsed_fonts.keeps_parsed_fonts = True  # type: ignore[attr-defined]
    fonts.build_fonts_dictionary = build_keeping_parsed_fonts
    weasyprint_pdf.build_fonts_dictionary = build_keeping_parsed_fonts


def _layout(html: str, base_url: str, options: dict[str, Any]) -> Any:
    """The HTML laid out by WeasyPrint. The print stylesheet's link is served from the parsed
    copy this process keeps (the same rules, in the same place in the cascade)."""
    from weasyprint import HTML

    fetcher = _fetcher(base_url)
    link = f'<link rel="stylesheet" href="{static_prefix()}{STYLESHEET}">'
    if link not in html:
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**options)
    stylesheet, font_config = _print_stylesheet(base_url)
    return HTML(string=html.replace(link, "", 1), base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=font_config, **options
    )


class PagesMoved(RuntimeError):
    """An anchor did not land on the page the document's text gives for it."""


def anchor_pages(html: str, *, base_url: str = BASE_URL) -> dict[str, int]:
    """The page (counted from 1) each element with an id lands on, once the HTML is laid out;
    no PDF is written."""
    return LaidOut(html, base_url=base_url, whole_fonts=False).anchor_pages()


def html_to_pdf(
    html: str, *, base_url: str = BASE_URL, pages_given: dict[str, int] | None = None
) -> tuple[bytes, int]:
    """HTML (already rendered) → `(pdf_bytes, page_count)`, fetching only our static files.

    `pages_given`: the page numbers the HTML prints for these anchors ("continued on page 3");
    `PagesMoved` if the layout put any of them elsewhere, and nothing is written."""
    laid_out = LaidOut(html, base_url=base_url, whole_fonts=False)
    if pages_given:
        found = laid_out.anchor_pages()
        if any(found.get(anchor) != page for anchor, page in pages_given.items()):
            raise PagesMoved(f"pages given {pages_given}, laid out on {found}")
    return laid_out.pdf(), laid_out.page_count


def page_count(html: str, *, base_url: str = BASE_URL) -> int:
    """How many pages the HTML lays out to, without writing a PDF (a limit checked before
    a document is queued)."""
    return len(_layout(html, base_url, PDF_OPTIONS).pages)


def render_pdf(
    template_name: str, context: dict[str, Any], *, base_url: str = BASE_URL
) -> tuple[bytes, int]:
    """Render a print template with a plain-data context to `(pdf_bytes, page_count)`."""
    return html_to_pdf(render_html(template_name, context), base_url=base_url)


def _bookmarks(tree: list[Any]) -> list[list[Any]]:
    """WeasyPrint's bookmark tree as JSON-ready `[label, page index, children]` lists."""
    return [[label, target[0], _bookmarks(children)] for label, target, children, _s in tree]


# The parts of a pack embed whole fonts, not subsets: each part's subset would differ from the
# others', so a pack of ten parts carried ten copies of every face. Whole fonts are the same
# bytes in every part, and the pack keeps one copy (documents.assemble).
PART_OPTIONS: dict[str, Any] = {**PDF_OPTIONS, "full_fonts": True}


class LaidOut:
    """HTML laid out and not yet written: its pages can be counted and its anchors found
    first, and only a layout that is kept is written. `whole_fonts` for a part of a pack."""

    def __init__(self, html: str, *, base_url: str = BASE_URL, whole_fonts: bool = True) -> None:
        self.html = html
        self.options = PART_OPTIONS if whole_fonts else PDF_OPTIONS
        self.document = _layout(html, base_url, self.options)

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def anchor_pages(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for number, page in enumerate(self.document.pages, start=1):
            for name in page.anchors:
                found.setdefault(name, number)
        return found

    def outline(self) -> list[list[Any]]:
        """The bookmarks (its h1-h6 headings), which a pack keeps when it assembles parts."""
        return _bookmarks(self.document.make_bookmark_tree())

    def pdf(self) -> bytes:
        # On the first write, not as this module is imported: importing WeasyPrint's writer
        # is for the processes that write PDFs.
        _keep_parsed_whole_fonts()
        return bytes(self.document.write_pdf(finisher=Finisher(self.html), **self.options))


def html_to_pdf_with_outline(
    html: str, *, base_url: str = BASE_URL
) -> tuple[bytes, int, list[list[Any]]]:
    """Like `html_to_pdf`, with whole fonts, plus the document's bookmarks: a part of a pack."""
    laid_out = LaidOut(html, base_url=base_url)
    return laid_out.pdf(), laid_out.page_count, laid_out.outline()


WARM_UP_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warm-up</title>
<link rel="stylesheet" href="{prefix}documents/print.css"></head><body class="pack-piece">
<h1>Lodestar</h1><p>Regular <em>italic</em> <strong>bold</strong> <span class="caption">semi-bold</span>
ĀāŒœ €1,234</p><table><tr><th scope="col">A</th><td><span class="tag tag--green">Met</span></td></tr></table>
</body></html>"""


def warm_up() -> None:
    """Lay out and write a small document with the print stylesheet, its fonts in every weight
    and the print templates compiled: a worker process's first render otherwise pays for all
    of it (about a second, against a tenth for a warm one), and that render is somebody's click
    or a pack's piece that the others wait for. Run once per pdf worker process as it starts."""
    from django.template.loader import get_template

    for name in (
        "documents/print/canvas.html",
        "documents/print/briefing.html",
        "documents/print/pack.html",
        "documents/print/pack_piece.html",
        "documents/print/pack_stamps.html",
    ):
        get_template(name)
    html_to_pdf_with_outline(WARM_UP_HTML.format(prefix=static_prefix()))
    html_to_pdf(WARM_UP_HTML.format(prefix=static_prefix()))
    # The model every page-number stamp is copied from, in the default language.
    from documents import stamps

    stamps.model()


LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
ATTRIBUTE = re.compile(r'\b(href|title|aria-label)="([^"]*)"', re.I)
TAG = re.compile(r"<[^>]+>")


def link_descriptions(html: str) -> dict[str, str]:
    """What each link of ours says, by its target: its title (or aria-label), else its
    text. WeasyPrint describes a link by its target alone ("summary", "cont-targets")."""
    found: dict[str, str] = {}
    for attributes, text in LINK.findall(html):
        values = {k.lower(): unescape(v) for k, v in ATTRIBUTE.findall(attributes)}
        href = values.get("href", "")
        target = href[1:] if href.startswith("#") else href
        label = values.get("title") or values.get("aria-label") or unescape(TAG.sub("", text))
        label = " ".join(label.split())
        if target and label:
            found.setdefault(target, label)
    return found


class Finisher:
    """Structure WeasyPrint leaves short of PDF/UA, completed before the file is written:

    - table header cells get a /Scope (Row when a data cell of the same row points at them,
      else Column), and the header IDs data cells point at are listed in an /IDTree. The IDs
      are prefixed with a digest of the document, so a pack assembled from several documents
      keeps them unique (documents.assemble merges the trees);
    - link annotations are described by what the link says, not by its target's name.
    """

    def __init__(self, html: str) -> None:
        self.prefix = hashlib.sha256(html.encode()).hexdigest()[:10]
        self.links = link_descriptions(html)

    def __call__(self, document: Any, pdf: Any) -> None:
        import pydyf

        elements = [
            o
            for o in pdf.objects
            if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/StructElem"
        ]
        renamed: dict[str, str] = {}
        for element in elements:
            if isinstance(element.get("ID"), pydyf.String):
                old = str(element["ID"].string)
                renamed[old] = f"{self.prefix}-{old}"
                element["ID"] = pydyf.String(renamed[old])
        row_headers: set[str] = set()
        parent_of: dict[str, Any] = {}
        for element in elements:
            if element.get("S") == "/TH" and "ID" in element:
                parent_of[element["ID"].string] = element.get("P")
        for element in elements:
            attributes = element.get("A")
            if element.get("S") != "/TD" or not isinstance(attributes, pydyf.Dictionary):
                continue
            headers = attributes.get("Headers")
            if not isinstance(headers, pydyf.Array):
                continue
            names = [renamed.get(str(h.string), str(h.string)) for h in headers]
            attributes["Headers"] = pydyf.Array([pydyf.String(n) for n in names])
            row_headers.update(n for n in names if parent_of.get(n) == element.get("P"))
        for element in elements:
            if element.get("S") != "/TH":
                continue
            attributes = element.get("A")
            if not isinstance(attributes, pydyf.Dictionary):
                attributes = pydyf.Dictionary({"O": "/Table"})
                element["A"] = attributes
            identifier = element["ID"].string if "ID" in element else ""
            attributes["Scope"] = "/Row" if identifier in row_headers else "/Column"
        tree = next(
            (
                o
                for o in pdf.objects
                if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/StructTreeRoot"
            ),
            None,
        )
        if tree is not None:
            named = sorted((str(e["ID"].string), e.reference) for e in elements if "ID" in e)
            if named:
                tree["IDTree"] = pydyf.Dictionary(
                    {"Names": pydyf.Array([x for n, r in named for x in (pydyf.String(n), r)])}
                )
        for o in pdf.objects:
            if (
                isinstance(o, pydyf.Dictionary)
                and o.get("Subtype") == "/Link"
                and isinstance(o.get("Contents"), pydyf.String)
            ):
                label = self.links.get(str(o["Contents"].string))
                if label:
                    o["Contents"] = pydyf.String(label)
