"""What a document prints, from the plain data stored with it: print templates, titles, the
contexts the templates get, what changed since the previous briefing, a briefing's length
check, and the pack's own pages laid out around its pieces.

Nothing here writes to the database or queues work: documents.queueing asks for documents,
documents.rendering and documents.packs make them, and both lay them out through this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from documents import canvas_print, retention, selectors, stamps
from documents.models import BriefingPiece, DocumentKind, GeneratedDocument
from documents.pdf import (
    LaidOut,
    PagesMoved,
    anchor_pages,
    html_to_pdf,
    html_to_pdf_with_outline,
    page_count,
    render_html,
)

# Bump when a print template or its CSS changes what a document looks like: every document
# is then rendered afresh the next time it is asked for.
TEMPLATE_VERSION = "2026-12-08.1"  # bump when a print template changes what is printed
logger = logging.getLogger(__name__)

TEMPLATES: dict[str, str] = {
    DocumentKind.CANVAS: "documents/print/canvas.html",
    DocumentKind.BRIEFING: "documents/print/briefing.html",
    DocumentKind.PACK: "documents/print/pack.html",
}
PIECE_TEMPLATE = "documents/print/pack_piece.html"
STAMPS_TEMPLATE = "documents/print/pack_stamps.html"
PIECE_KIND = "piece"
BRIEFING_MAX_PAGES = 2
SUMMARY_FIELDS = ("id", "key", "title", "owner", "status_label", "open_warning_total")

NOTE_LABELS = {
    "summary": gettext_lazy("Summary"),
    "recommendation": gettext_lazy("Recommendation"),
    "decision": gettext_lazy("Decision requested"),
    "timing": gettext_lazy("Timing"),
    "background": gettext_lazy("Background"),
    "risks": gettext_lazy("Risks and their handling"),
    "communications": gettext_lazy("Communications and stakeholder handling"),
}


def title(kind: str, context: dict[str, Any]) -> str:
    if kind == DocumentKind.PACK:
        count = len(context["missions"])
        return ngettext(
            "Briefing pack: %(count)s mission", "Briefing pack: %(count)s missions", count
        ) % {"count": count}
    label = DocumentKind(kind).label
    return f"{label}: {context['mission']['title']}"[:250]


def describe_changes(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What changed in a mission between two briefing contexts, in sentences."""
    changes: list[str] = []

    def moved(label: str, before: Any, after: Any) -> None:
        if before != after:
            changes.append(
                _("%(what)s: %(before)s → %(after)s")
                % {"what": label, "before": before or "—", "after": after or "—"}
            )

    moved(_("Status"), previous.get("status_label"), current.get("status_label"))
    if previous.get("statement") != current.get("statement"):
        changes.append(_("The mission statement was reworded."))
    moved(_("Owner"), previous.get("owner"), current.get("owner"))
    before_budget, after_budget = previous.get("budget", {}), current.get("budget", {})
    moved(_("Committed budget"), before_budget.get("committed"), after_budget.get("committed"))
    moved(_("Estimated need"), before_budget.get("need"), after_budget.get("need"))
    before_targets = {t["title"]: t for t in previous.get("targets", [])}
    after_targets = {t["title"]: t for t in current.get("targets", [])}
    for name in after_targets.keys() - before_targets.keys():
        changes.append(_("New target: %(title)s") % {"title": name})
    for name in before_targets.keys() - after_targets.keys():
        changes.append(_("Target removed: %(title)s") % {"title": name})
    for name in sorted(after_targets.keys() & before_targets.keys()):
        old, new = before_targets[name], after_targets[name]
        for field, label in (("target", _("target")), ("latest", _("latest value"))):
            if old.get(field) != new.get(field):
                changes.append(
                    _("%(title)s, %(what)s: %(before)s → %(after)s")
                    % {
                        "title": name,
                        "what": label,
                        "before": old.get(field),
                        "after": new.get(field),
                    }
                )
    before_criteria = {c["code"]: c for c in previous.get("criteria", [])}
    for item in current.get("criteria", []):
        old = before_criteria.get(item["code"])
        if old and old["status_label"] != item["status_label"]:
            changes.append(
                _("%(code)s %(name)s: %(before)s → %(after)s")
                % {
                    "code": item["code"],
                    "name": item["name"],
                    "before": old["status_label"],
                    "after": item["status_label"],
                }
            )
    # Public money and rewards: each new sentence (a condition checked and breached, more
    # public money at risk). A briefing made before the section existed has nothing to compare.
    if "rewards" in previous and "rewards" in current:
        before_facts = set(previous["rewards"].get("facts", []))
        for fact in current["rewards"].get("facts", []):
            if fact not in before_facts:
                changes.append(_("Public money and rewards, now: %(fact)s") % {"fact": fact})
    before_warnings = {w["code"]: w for w in previous.get("warnings", [])}
    after_warnings = {w["code"]: w for w in current.get("warnings", [])}
    for code in sorted(after_warnings.keys() - before_warnings.keys()):
        changes.append(_("New warning: %(label)s") % {"label": after_warnings[code]["label"]})
    for code in sorted(before_warnings.keys() - after_warnings.keys()):
        changes.append(
            _("No longer among the top warnings: %(label)s")
            % {"label": before_warnings[code]["label"]}
        )
    return changes


def _with_changes(mission: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    """A briefing's mission with what changed since the previous one (printed, never hashed)."""
    return {
        **mission,
        "previous_date": extras.get("previous_date", ""),
        "changes": extras.get("changes", []),
    }


def render_context(document: GeneratedDocument) -> dict[str, Any]:
    """What the print template gets: the stored inputs plus the printed-only details."""
    context = {**document.context, **document.extras}
    context["kind"] = document.kind
    context["title"] = document.title
    context["document_id"] = document.pk
    if document.kind == DocumentKind.CANVAS:
        mission = document.context["mission"]
        context["boxes"], context["continued"] = canvas_print.layout(mission["boxes"])
        # The mission map and the stakeholder grid: the same drawings as their pages, in the
        # document's font, with the map's titles wrapped and the map given in words too.
        context.update(canvas_print.figures(mission))
    if document.kind == DocumentKind.PACK:
        context["decisions_line"] = decisions_line(document.context.get("missions", []))
    if document.kind == DocumentKind.BRIEFING:
        context["mission"] = _with_changes(document.context["mission"], document.extras)
    return context


def document_pdf(document: GeneratedDocument) -> tuple[bytes, int]:
    """A canvas or briefing as `(pdf_bytes, page_count)`.

    A canvas whose boxes continue after the grid prints, in each such box, the page its text
    continues on. Left to CSS (`target-counter`), that number is a forward reference, and
    WeasyPrint lays out the grid's page a second time once it knows it: half the time of a
    full canvas. So the continuation is laid out first on its own (the grid is always the
    first page, and the continuation starts on the second), its pages are printed as plain
    numbers, and the layout checks them; should one ever move, CSS gives the number after all.
    """
    template = TEMPLATES[document.kind]
    context = render_context(document)
    if document.kind == DocumentKind.CANVAS and context["continued"]:
        probe = anchor_pages(render_html(template, {**context, "continued_only": True}))
        found = {anchor: page for anchor, page in probe.items() if anchor.startswith("cont-")}
        # The first box continued opens page 2, whatever page it opened alone.
        shift = 2 - min(found.values(), default=2)
        pages = {anchor: page + shift for anchor, page in found.items()}
        for box in context["boxes"]:
            box["continued_page"] = pages.get(f"cont-{box['key']}")
        try:
            return html_to_pdf(render_html(template, context), pages_given=pages)
        except PagesMoved as exc:
            logger.warning(
                "canvas %s: continued text moved (%s); page numbers left to CSS", document.pk, exc
            )
            for box in context["boxes"]:
                box["continued_page"] = None
    return html_to_pdf(render_html(template, context))


def piece_render_context(piece: BriefingPiece) -> dict[str, Any]:
    """What a pack piece's template gets: its mission's briefing, as in a briefing."""
    mission = piece.context["mission"]
    return {
        **piece.context,
        "prepared_on": piece.extras.get("prepared_on", ""),
        "title": mission["title"],
        "mission": _with_changes(mission, piece.extras),
    }


def pack_summary(mission: dict[str, Any]) -> dict[str, Any]:
    """What the pack's own pages print of a mission (cover, contents, summary table)."""
    note = mission.get("note") or {}
    return {
        **{field: mission.get(field) for field in SUMMARY_FIELDS},
        "criteria": [
            {k: c.get(k) for k in ("code", "name", "status", "status_short")}
            for c in mission.get("criteria", [])
        ],
        "budget": {k: mission.get("budget", {}).get(k) for k in ("committed", "need")},
        # The covering note lists the decision each mission asks for, and by when.
        "decision": note.get("decision", ""),
        "decision_by": note.get("decision_by", ""),
    }


def decisions_line(missions: list[dict[str, Any]]) -> str:
    """The covering note's count of what the pack asks the minister: how many of its missions
    ask for a decision, or that all are for information."""
    asking = sum(1 for m in missions if m.get("decision"))
    if not asking:
        return _("Every briefing in this pack is for information: none asks for a decision.")
    return ngettext(
        "%(asking)s of the %(count)s missions asks for a decision.",
        "%(asking)s of the %(count)s missions ask for a decision.",
        asking,
    ) % {"asking": asking, "count": len(missions)}


def briefing_pages(context: dict[str, Any], extras: dict[str, Any] | None = None) -> int:
    """How many pages the briefing of this context takes, laid out but not written."""
    document = GeneratedDocument(
        kind=DocumentKind.BRIEFING,
        context=context,
        title=title(DocumentKind.BRIEFING, context),
        extras={
            "prepared_on": selectors.today_text(timezone.localdate()),
            "previous_date": "",
            "changes": [],
            **(extras or {}),
        },
    )
    return page_count(render_html(TEMPLATES[DocumentKind.BRIEFING], render_context(document)))


def too_long_message(pages: int, note: dict[str, Any]) -> str:
    """What to shorten when a briefing takes more than two pages: the longest parts the
    author wrote, longest first, or the mission's own text when they wrote little."""
    written = sorted(
        ((len(note.get(name) or ""), label) for name, label in NOTE_LABELS.items()),
        key=lambda item: -item[0],
    )
    longest = [
        _("%(part)s (%(length)s characters)") % {"part": label, "length": length}
        for length, label in written[:3]
        if length >= 200
    ]
    head = _("The briefing takes %(pages)s pages; it must fit on %(limit)s.") % {
        "pages": pages,
        "limit": BRIEFING_MAX_PAGES,
    }
    if longest:
        return " ".join(
            [head, _("Shorten the longest parts: %(parts)s.") % {"parts": ", ".join(longest)}]
        )
    return " ".join(
        [
            head,
            _(
                "Shorten the mission statement, the headline targets or the reviewers' "
                "rationales, which the briefing prints in full."
            ),
        ]
    )


def check_briefing_length(context: dict[str, Any], extras: dict[str, Any] | None = None) -> None:
    """Refuse a briefing longer than two pages before it is queued, saying what to shorten."""
    pages = briefing_pages(context, extras)
    if pages > BRIEFING_MAX_PAGES:
        note = {**context["mission"].get("note", {})}
        if context.get("decision"):
            note["decision"] = context["decision"]
        raise ValidationError(too_long_message(pages, note))


@dataclass(frozen=True)
class FrontPart:
    """One of a pack's own documents (cover, contents, summary), laid out and written."""

    pdf: bytes
    pages: int
    outline: list[list[Any]]


@dataclass(frozen=True)
class Front:
    """A pack's own pages: its cover, contents and summary, in that order."""

    parts: list[FrontPart]

    @property
    def pages(self) -> int:
        return sum(part.pages for part in self.parts)

    def outline(self) -> list[list[Any]]:
        """The parts' bookmarks, their pages counted from the pack's first page."""
        entries: list[list[Any]] = []
        first = 0
        for part in self.parts:
            entries.extend(_shifted(part.outline, first))
            first += part.pages
        return entries


def _shifted(outline: list[list[Any]], by: int) -> list[list[Any]]:
    return [[label, page + by, _shifted(children, by)] for label, page, children in outline]


def _part_html(pack: GeneratedDocument, part: str, **numbers: Any) -> str:
    return render_html(
        TEMPLATES[DocumentKind.PACK], {**render_context(pack), "part": part, **numbers}
    )


def front_part(html: str, *, keep: bool = True) -> FrontPart:
    """One of a pack's own documents, laid out and written once: kept (under MEDIA_ROOT, keyed
    by its HTML and the stylesheet's version) for every pack that prints it the same — the
    cover of the same missions' decisions, the contents with the same page numbers, the summary
    of missions unchanged — and for the pack's assembly, when its own task laid it out ahead
    (documents.packs). `keep=False`: laid out, nothing stored (export_briefing)."""
    import hashlib
    import json

    from django.core.files.storage import default_storage

    key = hashlib.sha256(json.dumps([TEMPLATE_VERSION, html]).encode()).hexdigest()[:32]
    name = f"documents/pack-parts/{key}"
    if keep and default_storage.exists(f"{name}.json"):
        try:
            with default_storage.open(f"{name}.json", "rb") as handle:
                facts = json.load(handle)
            with default_storage.open(f"{name}.pdf", "rb") as handle:
                part = FrontPart(handle.read(), int(facts["pages"]), list(facts["outline"]))
            retention.touch(f"{name}.json")
            retention.touch(f"{name}.pdf")
            return part
        except (OSError, ValueError, KeyError, TypeError):
            # Removed or damaged since (a cleared media folder): laid out again below.
            logger.warning("pack part %s could not be read; laying it out again", name)
    laid_out = LaidOut(html)
    part = FrontPart(laid_out.pdf(), laid_out.page_count, laid_out.outline())
    if keep:
        from documents.rendering import write_file

        # The PDF first: its facts, written last, say it is whole.
        write_file(f"{name}.pdf", part.pdf)
        write_file(
            f"{name}.json", json.dumps({"pages": part.pages, "outline": part.outline}).encode()
        )
    return part


def pack_parts_ahead(pack: GeneratedDocument, pieces: list[BriefingPiece] | None) -> None:
    """Lay out (and keep) the pack's own documents that do not wait for its pieces: the cover
    and the summary, which print no page numbers, and, when every piece's length is known or
    guessed (`pieces`), the contents. Its assembly then finds them made."""
    if pieces is not None:
        pack_front(pack, pieces)
    else:
        front_part(_part_html(pack, "cover"))
        front_part(_part_html(pack, "summary"))


def pack_front(pack: GeneratedDocument, pieces: list[BriefingPiece], *, keep: bool = True) -> Front:
    """The pack's own pages (cover, contents, summary) knowing how long each piece is. Only the
    contents prints page numbers: where the summary and each briefing start, which depends on
    how long the cover, the contents itself and the summary are. The contents' own length is
    guessed, checked on its layout, and laid out again if the guess was wrong. The page
    numbers in the footers are stamped on every page but the first when the pack is assembled
    (documents.assemble), so the cover and the summary do not depend on the pack's length."""
    cover = front_part(_part_html(pack, "cover"), keep=keep)
    summary = front_part(_part_html(pack, "summary"), keep=keep)
    contents_pages = contents_pages_guess(len(pieces))
    for _attempt in range(3):
        summary_page = cover.pages + contents_pages + 1
        start = summary_page + summary.pages
        briefings_page = start
        missions = []
        for mission, piece in zip(pack.context["missions"], pieces, strict=True):
            missions.append({**mission, "start_page": start})
            start += piece.page_count or 0
        contents = front_part(
            _part_html(
                pack,
                "contents",
                missions=missions,
                summary_page=summary_page,
                briefings_page=briefings_page,
            ),
            keep=keep,
        )
        if contents.pages == contents_pages:
            return Front([cover, contents, summary])
        contents_pages = contents.pages
    raise RuntimeError("the pack's contents did not settle on a page count")


# How many lines the contents holds on a page (missions with titles of one or two lines).
CONTENTS_ROWS = 40


def contents_pages_guess(missions: int) -> int:
    """The contents' pages, estimated before laying it out (then checked): its two section
    lines and one per mission."""
    return max(1, -(-(missions + 2) // CONTENTS_ROWS))


def pack_stamps_pdf(first: int, total: int) -> bytes:
    """One blank page per briefing page of a pack, numbered `first` to `total` where the
    pack's footer puts "Page N of M", for documents.assemble to lay over them: drawn from the
    model stamp (documents.stamps), or laid out when it cannot be copied. The same for every
    pack of the same length, so kept (under MEDIA_ROOT) and made once."""
    import hashlib
    import json

    from django.core.files.storage import default_storage

    from documents.pdf import protective_marking

    labels = [stamps.label(page, total) for page in range(first, total + 1)]
    key = hashlib.sha256(
        json.dumps([TEMPLATE_VERSION, protective_marking(), labels]).encode()
    ).hexdigest()
    name = f"documents/stamps/{key[:32]}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            kept = handle.read()
        retention.touch(name)
        return kept
    pdf = stamps.drawn(labels)
    if pdf is None:
        html = render_html(STAMPS_TEMPLATE, {"labels": labels})
        pdf, pages, _outline = html_to_pdf_with_outline(html)
        if pages != len(labels):
            raise RuntimeError(f"{pages} stamp pages laid out for {len(labels)} labels")
    from documents.rendering import write_file

    write_file(name, pdf)
    return pdf
