"""render_pdf: our static files only, tagged, with metadata and embedded fonts."""

import urllib.request

import pytest

from documents import pdf
from documents.tests import pdftools

HTML = """<!doctype html><html lang="en-gb"><head><meta charset="utf-8"><title>Fetch test</title>
<meta name="author" content="Lodestar">
<link rel="stylesheet" href="/static/documents/print.css">
<link rel="stylesheet" href="http://example.com/evil.css">
<link rel="stylesheet" href="file:///etc/passwd">
</head><body><h1>Mission brief</h1>
<img src="http://example.com/x.png" alt="remote">
<img src="https://lodestar.invalid/static/../../config/settings.py" alt="escape">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="inline"><p>Plain text.</p></body></html>"""


def test_external_and_local_urls_are_refused_without_fetching(monkeypatch):
    opened = []

    def no_network(self, url, *args, **kwargs):
        opened.append(getattr(url, "full_url", url))
        raise AssertionError("render_pdf tried to open a URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    data, pages = pdf.html_to_pdf(HTML)
    assert data.startswith(b"%PDF")
    assert pages == 1
    # data: goes through the opener's DataHandler; nothing else reached it.
    assert all(url.startswith("data:") for url in opened)
    assert "Mission brief" in pdftools.text(data)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/static/documents/print.css",
        "file:///etc/passwd",
        "https://lodestar.invalid/media/documents/1/x.pdf",
        "https://lodestar.invalid/static/../config/settings.py",
        "https://lodestar.invalid/static/%2e%2e/config/settings.py",
        "https://lodestar.invalid/static/no-such-file.css",
    ],
)
def test_only_static_files_resolve(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.static_file(url)


def test_static_files_resolve_through_the_finders():
    path = pdf.static_file("https://lodestar.invalid/static/fonts/source-sans-3/OFL.txt")
    assert "SIL Open Font License" in path.read_text()


def test_tagged_pdf_with_metadata_and_our_embedded_font():
    data, _pages = pdf.html_to_pdf(HTML)
    info = pdftools.info(data)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Fetch test"
    assert info["Author"] == "Lodestar"
    fonts = pdftools.fonts(data)
    assert any("Source-Sans-3" in name and embedded for name, embedded in fonts), fonts
    assert all(embedded for _name, embedded in fonts)


def test_parts_written_one_after_another_embed_every_whole_font_intact():
    """A part of a pack embeds whole fonts, whose parsed glyphs and compressed bytes a process
    keeps after the first write (documents.pdf): every later part still embeds each font byte
    for byte as shipped, with every glyph's width, and the same as the first part did."""
    import io
    from pathlib import Path

    import pikepdf
    from django.conf import settings

    shipped = {
        path.read_bytes() for path in (Path(settings.BASE_DIR) / "static" / "fonts").rglob("*.ttf")
    }

    def fonts_of(html: str) -> dict[str, tuple[bytes, int]]:
        data, _pages, _outline = pdf.html_to_pdf_with_outline(html)
        found = {}
        with pikepdf.open(io.BytesIO(data)) as document:
            for page in document.pages:
                for font in page.Resources.Font.values():
                    descendant = font.DescendantFonts[0]
                    embedded = descendant.FontDescriptor.FontFile2.read_bytes()
                    found[str(font.BaseFont).split("+")[-1]] = (embedded, len(descendant.W))
        return found

    first = fonts_of(HTML)
    again = fonts_of(HTML.replace("Fetch test", "Fetch test, again"))
    assert first and first == again
    assert all(embedded in shipped for embedded, _widths in again.values())
    assert all(widths > 0 for _embedded, widths in again.values())
