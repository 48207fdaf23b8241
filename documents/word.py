"""The ministerial briefing (and a pack of them) as a Word document, for private offices that
edit a submission before it goes up. Built from the same plain-data context as the PDF
(documents.services.render_context), in the same order: real heading styles (Title,
Heading 1-2), tables with a repeating header row (`w:tblHeader`), bulleted lists in the List
Bullet style, the protective marking in every page's header and footer, and the document's
title and language in its properties. What the author left empty is left out.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import languages
from documents.pdf import protective_marking


def _header_row(table: Any) -> None:
    """Mark the table's first row as its header, repeated on every page (w:tblHeader)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# The text width of an A4 page with 2 cm margins, which tables fill.
TEXT_WIDTH_MM = 170


def _table(
    document: Any,
    headers: list[str],
    rows: list[list[str]],
    widths: list[float] | None = None,
) -> None:
    """A table with a bold header row that repeats on every page; `widths` are the columns'
    shares of the text width (equal when not given), so long text gets the room."""
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    shares = widths or [1 / len(headers)] * len(headers)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _header_row(table)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text or "")
    for column, share in zip(table.columns, shares, strict=True):
        width = Mm(TEXT_WIDTH_MM * share)
        column.width = width
        for cell in column.cells:
            cell.width = width


def _after_table(document: Any, text: str) -> None:
    """A line of text after a table, with room between them."""
    from docx.shared import Pt

    document.add_paragraph(text).paragraph_format.space_before = Pt(8)


def _section(document: Any, heading: str, text: str) -> None:
    if text:
        document.add_heading(heading, level=2)
        for paragraph in text.splitlines():
            if paragraph.strip():
                document.add_paragraph(paragraph.strip())


def _briefing(
    document: Any, context: dict[str, Any], *, show_decision: bool, new_page: bool = False
) -> None:
    m = context["mission"]
    note = m.get("note") or {}
    caption = _("Ministerial briefing")
    if m.get("challenge"):
        caption = f"{caption} · {m['challenge']}"
    # A pack's briefing starts a page (page break before, not an empty paragraph).
    document.add_paragraph(caption, style="Subtitle").paragraph_format.page_break_before = new_page
    document.add_heading(m["title"], level=1)
    facts = [
        (_("Owner"), m.get("owner") or _("not chosen")),
        (_("Status"), m.get("status_label")),
        (_("Years"), m.get("years")),
        (_("Version"), m.get("version")),
        (_("Prepared"), context.get("prepared_on")),
    ]
    document.add_paragraph(" · ".join(f"{label}: {value}" for label, value in facts if value))

    _section(document, _("Summary"), note.get("summary", ""))
    figures = list(m.get("key_figures") or [])
    if figures:
        document.add_heading(_("Key figures"), level=2)
        for figure in figures:
            document.add_paragraph(figure, style="List Bullet")
    _section(document, _("Recommendation"), note.get("recommendation", ""))
    decision = context.get("decision") or note.get("decision", "")
    if decision or note.get("decision_by"):
        document.add_heading(_("Decision requested"), level=2)
        if decision:
            document.add_paragraph(decision).runs[0].bold = True
        if note.get("decision_by"):
            document.add_paragraph(_("Needed by %(date)s") % {"date": note["decision_by"]})
    elif show_decision:
        document.add_heading(_("Decision requested"), level=2)
        document.add_paragraph(_("None: this briefing is for information."))
    _section(document, _("Timing"), note.get("timing", ""))
    _section(document, _("Background"), note.get("background", ""))
    _section(document, _("Risks and their handling"), note.get("risks", ""))
    _section(document, _("Communications and stakeholder handling"), note.get("communications", ""))

    _section(document, _("Mission statement"), m.get("statement", ""))
    targets = m.get("headline_targets") or []
    if targets:
        document.add_heading(_("Headline targets"), level=2)
        _table(
            document,
            [
                _("Target"),
                _("Baseline"),
                _("Target value"),
                _("Year"),
                _("Latest value"),
                _("Progress"),
            ],
            [
                [
                    t["title"],
                    t["baseline"],
                    t["target"],
                    t["year"],
                    t["latest"],
                    t["progress_label"],
                ]
                for t in targets
            ],
            widths=[0.27, 0.14, 0.16, 0.1, 0.14, 0.19],
        )
    rewards = m.get("rewards")
    if rewards:  # older briefings' contexts have none (as the PDF, left out then)
        document.add_heading(_("Public money at risk and what the public gets back"), level=2)
        for fact in rewards.get("facts") or []:
            document.add_paragraph(fact, style="List Bullet")
        if rewards.get("warning"):
            paragraph = document.add_paragraph()
            paragraph.add_run(_("Warning") + ": ").bold = True
            paragraph.add_run(rewards["warning"])
        for line in (rewards.get("note"), rewards.get("none")):
            if line:
                document.add_paragraph(line)
    if m.get("participation"):
        paragraph = document.add_paragraph()
        paragraph.add_run(_("What the public said:") + " ").bold = True
        paragraph.add_run(m["participation"])
    criteria = m.get("criteria") or []
    if criteria:
        document.add_heading(_("Assessment against the five mission criteria"), level=2)
        _table(
            document,
            [_("Criterion"), _("Automatic checks"), _("Status"), _("Reviewer's rationale")],
            [
                [
                    f"{c['code']} {c['name']}",
                    c.get("automatic") or "",
                    c["status_label"],
                    c.get("rationale") or "",
                ]
                for c in criteria
            ],
            # The second column fits its longest header word ("Comprobaciones", Spanish)
            # without breaking it.
            widths=[0.24, 0.26, 0.16, 0.34],
        )
        _after_table(
            document,
            _(
                "A reviewer's rating decides each status; the automatic checks inform it and "
                "are never a verdict on their own."
            ),
        )
    warnings = m.get("warnings") or []
    if warnings:
        document.add_heading(_("Top open warnings"), level=2)
        _table(
            document,
            [_("Severity"), _("Warning")],
            [[w["severity_label"], w["label"]] for w in warnings],
            widths=[0.2, 0.8],
        )
    changes = m.get("changes") or []
    if changes:
        document.add_heading(_("What changed since the previous briefing"), level=2)
        for change in changes[:8]:
            document.add_paragraph(change, style="List Bullet")
    people = []
    if note.get("contact_officer"):
        people.append(_("Contact officer: %(name)s") % {"name": note["contact_officer"]})
    if note.get("cleared_by"):
        people.append(_("Cleared by: %(name)s") % {"name": note["cleared_by"]})
    if people:
        _after_table(document, " · ".join(people))


def _new_document(title: str) -> Any:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = "Lodestar"
    document.core_properties.language = languages.current()
    marking = protective_marking()
    section = document.sections[0]
    # A4 with 2 cm margins, as the PDF (python-docx's own template is US Letter).
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    for part in (section.header, section.footer):
        paragraph = part.paragraphs[0]
        paragraph.text = marking
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.runs[0].bold = True
    return document


def _bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def briefing_docx(context: dict[str, Any]) -> bytes:
    """One mission's briefing (the render context of the PDF's template) as .docx bytes."""
    document = _new_document(context["title"])
    _briefing(document, context, show_decision=True)
    return _bytes(document)


def _covering_note(document: Any, pack: dict[str, Any]) -> None:
    """The pack's first page: what it is for (the requester's covering note), the decision
    each mission asks for and by when, who prepared it and its protective marking."""
    missions = pack.get("missions") or []
    document.add_heading(_("Covering note"), level=1)
    note = (pack.get("covering_note") or "").strip()
    if note:
        for paragraph in note.splitlines():
            if paragraph.strip():
                document.add_paragraph(paragraph.strip())
    else:
        document.add_paragraph(
            ngettext(
                "The briefing on %(count)s mission of %(organisation)s.",
                "The briefings on %(count)s missions of %(organisation)s.",
                len(missions),
            )
            % {"count": len(missions), "organisation": pack.get("organisation", "")}
        )
    if pack.get("decisions_line"):
        document.add_paragraph(pack["decisions_line"])
    document.add_heading(_("Decisions requested"), level=2)
    _table(
        document,
        [_("Mission"), _("Decision requested"), _("Needed by")],
        [
            [
                f"{index}. {m.get('title', '')}",
                m.get("decision") or _("None: for information."),
                m.get("decision_by") or "—",
            ]
            for index, m in enumerate(missions, start=1)
        ],
        widths=[0.32, 0.48, 0.2],
    )
    facts = [
        (_("Prepared by"), pack.get("requested_by") or pack.get("organisation")),
        (_("Prepared"), pack.get("prepared_on")),
        (_("Protective marking"), protective_marking()),
    ]
    _after_table(document, " · ".join(f"{label}: {value}" for label, value in facts if value))


def pack_docx(*, pack: dict[str, Any], briefings: list[dict[str, Any]]) -> bytes:
    """A pack: its covering note and contents, then each mission's briefing on a new page.
    `pack` is the pack's render context (organisation, title, missions' summaries with their
    decisions, covering note, requested_by, prepared_on); `briefings` its pieces' contexts."""
    title = pack["title"]
    document = _new_document(title)
    document.add_paragraph(pack.get("organisation", ""), style="Subtitle")
    document.add_heading(title, level=0)
    _covering_note(document, pack)
    document.add_heading(_("Contents"), level=1)
    for context in briefings:
        # List Number numbers them (1., 2., …) as the PDF's contents and covering note do.
        document.add_paragraph(context["mission"]["title"], style="List Number")
    for context in briefings:
        _briefing(document, context, show_decision=False, new_page=True)
    return _bytes(document)
