"""Page-number stamps drawn from one model stamp (documents.stamps) look as if laid out."""

import pytest
from django.utils import translation
from PIL import Image, ImageChops, ImageStat

from documents import layout, stamps
from documents.pdf import html_to_pdf_with_outline, render_html
from documents.tests import pdftools


def _ink(pdf: bytes, page: int) -> tuple[Image.Image, tuple[int, int, int, int] | None]:
    """The page at 200 dpi in grey, and the box around everything printed on it."""
    image = Image.open(pdftools.page_png(pdf, page, dpi=200)).convert("L")
    return image, ImageChops.invert(image).getbbox()


@pytest.mark.parametrize("language", ["en-gb", "es", "fr", "de", "nl", "sv"])
def test_a_drawn_stamp_reads_and_sits_exactly_as_a_laid_out_one(language):
    """Each page-number stamp of a pack is drawn from one laid out by WeasyPrint: the reader
    finds the same words, and the number ends on the footer's right edge whatever its width
    (a page number of one, two or three digits)."""
    with translation.override(language):
        labels = [stamps.label(page, total) for page, total in ((2, 9), (10, 43), (143, 143))]
        drawn = stamps.drawn(labels)
        laid_out, _pages, _outline = html_to_pdf_with_outline(
            render_html(layout.STAMPS_TEMPLATE, {"labels": labels})
        )
    assert drawn is not None, "the model stamp could not be copied"
    assert pdftools.text(drawn).split() == pdftools.text(laid_out).split()
    assert labels[1] in pdftools.text(drawn, 2, 2)
    for page in (1, 2, 3):
        drawn_image, drawn_box = _ink(drawn, page)
        laid_image, laid_box = _ink(laid_out, page)
        assert drawn_box is not None and laid_box is not None
        # The same place to the pixel at 200 dpi; the glyphs' own pixels may differ only by
        # the kerning the model has not seen (between a digit and a space: a hair).
        assert all(abs(a - b) <= 1 for a, b in zip(drawn_box, laid_box, strict=True))
        difference = ImageStat.Stat(ImageChops.difference(drawn_image, laid_image)).sum[0]
        assert difference < 255 * 40


def test_a_label_with_a_character_the_model_lacks_is_left_to_weasyprint():
    """A character the model stamp does not hold cannot be copied: no stamps are drawn, and
    the pack's stamps are laid out as before."""
    assert stamps.drawn([stamps.label(2, 9)]) is not None
    assert stamps.drawn(["Page ✓ of 9"]) is None


def test_a_pack_stamps_every_page_but_the_first_with_its_number(tmp_path, settings):
    """The stamps a pack of 12 pages lays over its pages: one per page but the first."""
    settings.MEDIA_ROOT = tmp_path
    with translation.override("es"):
        pdf = layout.pack_stamps_pdf(2, 12)
    assert pdftools.info(pdf)["Pages"] == "11"
    assert "Página 7 de 12" in pdftools.text(pdf, 6, 6)
    assert pdftools.qpdf_check(pdf)[0] == 0
