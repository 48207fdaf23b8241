"""A pack's page-number stamps ("Page 17 of 43"), drawn from one stamp WeasyPrint laid out.

Every page of a pack but the first gets a stamp (documents.assemble), so a pack of 40 pages
needs 39, each a page of its own. Laying them out with WeasyPrint took about as long as merging
the pack, after the last briefing was made, when only one process is left working. The stamps differ only in their digits, so WeasyPrint lays out one model stamp per
process and language, holding every digit, and each stamp copies it: the same page, font,
colour, marked content and baseline, its glyphs (with the model's kerning between the same two
characters) and its start moved so that it ends where the model ends (the footer's right edge).

Anything the model shows that this copying does not handle (a glyph that is not one character,
spacing operators, more than one run of text) makes `drawn` answer None, and the stamps are laid
out by WeasyPrint as before.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DIGITS = "0123456789"
# Text-state operators that would change a glyph's advance: the model must not use them.
_SPACING_OPERATORS = {"Tc", "Tw", "Tz", "TL", "Ts", "'", '"'}


@dataclass(frozen=True)
class Model:
    """The model stamp: its page and what drawing another label needs."""

    pdf: bytes
    glyphs: dict[str, int]  # character → glyph id
    kerning: dict[tuple[str, str], Any]  # (character, next character) → TJ adjustment
    widths: dict[int, Any]  # glyph id → advance, thousandths of the font size
    default_width: Any
    font_size: Any
    right_edge: Any  # where the model's text ends, in the page's text space


def label(page: int | str, pages: int | str) -> str:
    """What the stamp on a page says, in the active language."""
    return _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}


_models: dict[tuple[str, str, str], Model | None] = {}


def model() -> Model | None:
    """The model stamp of the active language, laid out once per process (None: it cannot be
    copied, see the module's docstring)."""
    from documents.layout import STAMPS_TEMPLATE, TEMPLATE_VERSION
    from documents.pdf import html_to_pdf_with_outline, protective_marking, render_html

    key = (get_language() or "", protective_marking(), TEMPLATE_VERSION)
    if key not in _models:
        text = label(DIGITS, DIGITS)
        pdf, _pages, _outline = html_to_pdf_with_outline(
            render_html(STAMPS_TEMPLATE, {"labels": [text]})
        )
        _models[key] = _read_model(pdf, text)
    return _models[key]


def _operations(pdf: Any) -> list[tuple[list[Any], str]]:
    import pikepdf

    instructions: list[Any] = pikepdf.parse_content_stream(pdf.pages[0])
    return [(list(operands), str(operator)) for operands, operator in instructions]


def _glyph_run(array: Any) -> list[tuple[int, Any]]:
    """A TJ array as (glyph id, adjustment after it): two-byte glyph ids (Identity-H)."""
    import pikepdf

    run: list[tuple[int, Any]] = []
    for item in array:
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            if len(data) % 2:
                raise ValueError("not two-byte glyph ids")
            run.extend(
                (int.from_bytes(data[i : i + 2], "big"), Decimal(0)) for i in range(0, len(data), 2)
            )
        elif run:
            gid, adjustment = run[-1]
            run[-1] = (gid, adjustment + Decimal(str(item)))
        else:
            raise ValueError("an adjustment before the first glyph")
    return run


def _widths(font: Any) -> tuple[dict[int, Any], Any]:
    """A Type 0 font's glyph advances (its descendant's /W), thousandths of the font size."""
    import pikepdf

    descendant = font.DescendantFonts[0]
    default = Decimal(str(descendant.get("/DW", 1000)))
    widths: dict[int, Any] = {}
    array = list(descendant.get("/W", []))
    index = 0
    while index < len(array):
        first = int(array[index])
        following = array[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, advance in enumerate(following):
                widths[first + offset] = Decimal(str(advance))
            index += 2
        else:
            last, same = int(following), Decimal(str(array[index + 2]))
            for gid in range(first, last + 1):
                widths[gid] = same
            index += 3
    return widths, default


def _read_model(pdf: bytes, text: str) -> Model | None:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        if len(document.pages) != 1:
            return None
        operations = _operations(document)
        names = [op for _ops, op in operations]
        if names.count("TJ") != 1 or names.count("Tm") != 1 or names.count("Tf") != 1:
            return None
        if _SPACING_OPERATORS & set(names) or "Tj" in names:
            return None
        (tm,) = [ops for ops, op in operations if op == "Tm"]
        (tf,) = [ops for ops, op in operations if op == "Tf"]
        (tj,) = [ops for ops, op in operations if op == "TJ"]
        try:
            run = _glyph_run(tj[0])
            font = document.pages[0].Resources.Font[tf[0]]
            widths, default = _widths(font)
        except (ValueError, KeyError, AttributeError, TypeError):
            return None
    if len(run) != len(text):
        return None  # a ligature or a decomposed character: not one glyph per character
    glyphs: dict[str, int] = {}
    for character, (gid, _adjustment) in zip(text, run, strict=True):
        if glyphs.setdefault(character, gid) != gid:
            return None
    kerning = {(text[i], text[i + 1]): run[i][1] for i in range(len(text) - 1) if run[i][1] != 0}
    font_size = Decimal(str(tf[1]))
    advance = _advance(text, glyphs, kerning, widths, default) * font_size / 1000
    return Model(pdf, glyphs, kerning, widths, default, font_size, Decimal(str(tm[4])) + advance)


def _advance(
    text: str,
    glyphs: dict[str, int],
    kerning: dict[tuple[str, str], Any],
    widths: dict[int, Any],
    default: Any,
) -> Any:
    """How far the text moves the pen, in thousandths of the font size."""
    total = Decimal(0)
    for i, character in enumerate(text):
        total += widths.get(glyphs[character], default)
        if i + 1 < len(text):
            total -= kerning.get((character, text[i + 1]), 0)
    return total


def drawn(labels: list[str]) -> bytes | None:
    """One page per label, each drawn as the model stamp is, ending where it ends; None when
    there is no model to copy or a label has a character the model does not hold."""
    import pikepdf

    stamp = model()
    if stamp is None or any(set(text) - stamp.glyphs.keys() for text in labels):
        return None
    with pikepdf.open(io.BytesIO(stamp.pdf)) as document:
        original = document.pages[0]
        operations = _operations(document)
        for text in labels:
            array = pikepdf.Array()
            for i, character in enumerate(text):
                array.append(pikepdf.String(stamp.glyphs[character].to_bytes(2, "big")))
                if i + 1 < len(text) and (character, text[i + 1]) in stamp.kerning:
                    array.append(stamp.kerning[(character, text[i + 1])])
            advance = _advance(text, stamp.glyphs, stamp.kerning, stamp.widths, stamp.default_width)
            start = stamp.right_edge - advance * stamp.font_size / 1000
            content = []
            for ops, op in operations:
                if op == "Tm":
                    ops = [*ops[:4], start, ops[5]]
                elif op == "TJ":
                    ops = [array]
                content.append((ops, pikepdf.Operator(op)))
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=original.obj.MediaBox,
                Resources=original.obj.Resources,
                Contents=document.make_stream(pikepdf.unparse_content_stream(content)),
            )
            document.pages.append(pikepdf.Page(page))
        del document.pages[0]
        buffer = io.BytesIO()
        document.save(buffer, compress_streams=True)
        return buffer.getvalue()
