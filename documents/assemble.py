"""Assemble a briefing pack from its own pages and the missions' briefing pieces (pikepdf, qpdf).

The pack's own pages are three documents rendered by WeasyPrint (documents.layout.pack_front):
the cover and the summary, which print no page numbers and so are laid out while the pieces are
made, and the contents, which knows every piece's page count. A document of stamps
(documents.layout.pack_stamps_pdf, kept, as every pack of the same length has the same) has one
blank page per page but the first that carries only "Page N of M" in the pack's footer style.
Here the pieces are appended after the pack's own pages and each stamp is laid over its page as
a Form XObject, so:

Page numbers. We stamp pack-wide numbers on merge rather than print piece-local ones, because
it keeps the pack looking exactly as the single-document pack did ("Page 17 of 43" on every
page, agreeing with the contents page), while the pieces stay independent of where they land
in a pack and so are reusable by any pack that holds the mission unchanged.

Links. The contents links to the summary and the briefings as `lodestar-page:N`, the summary
to each briefing as `lodestar-mission:N` (the Nth mission's first page); those URI links are
turned into GoTo links here.

Outline. One top-level bookmark per mission (its title, at its first page) with the piece's
own section bookmarks under it, after "Briefing pack", "Contents" and "Summary".

Metadata. Title, author and language are set on the merged file, in the document
information and in XMP; the viewer shows the title (/DisplayDocTitle true). Links on the
pack's own pages are described by the briefing they lead to.

Why pikepdf: qpdf copies and writes the objects in C++; the pure-Python merge (pypdf) of a
20-mission pack took about three seconds, most of the time a pack changed in one mission.
Each stamp is drawn from its own content stream added to the page's /Contents
(`contents_add`), after the page's own content, which is wrapped in q … Q.

Fonts. The parts embed whole fonts (documents.pdf), the same bytes in every part, and the
merged file keeps one copy of each font file (`_share_fonts`).

Tagging. Each piece is a tagged PDF (PDF/UA-1) and so is each of the pack's own documents. qpdf has no
structure-tree merge, so the merged file gets a new StructTreeRoot whose Document element
holds each part's top-level elements, one ParentTree with the parts' keys shifted, and one
IDTree of the parts' table header IDs (made unique per part by documents.pdf.Finisher); the
pages' /StructParents and annotations' /StructParent are shifted to match. The stamps are
marked as artifacts (not read out twice), and the stamp document's tree is not merged. The
PDF/UA identification is written when the caller asks (`pdf_ua`), which it does because
documents/tests/test_structure.py checks the merged tree.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

LINK_SCHEME = "lodestar-page:"
MISSION_SCHEME = "lodestar-mission:"


@dataclass
class Piece:
    title: str
    pdf: bytes
    pages: int
    outline: list[list[Any]]


@dataclass
class Part:
    """One of the pack's own documents (cover, contents, summary)."""

    pdf: bytes
    pages: int


def merge(
    *,
    front: list[Part],
    pieces: list[Piece],
    stamps: bytes,
    title: str,
    language: str,
    front_outline: list[list[Any]],
    pdf_ua: bool = False,
) -> tuple[bytes, int]:
    """The pack's own documents (`front`, in order) and the pieces, merged into one PDF, with
    the stamp pages (`stamps`, one per page but the first) laid over every page but the first.
    Returns `(pdf_bytes, page_count)`."""
    import pikepdf

    # Every source stays open until the merged file is written: qpdf copies their objects
    # lazily, from their buffers.
    sources: list[Any] = []
    try:
        stamps_pdf = pikepdf.open(io.BytesIO(stamps))
        sources.append(stamps_pdf)
        stamp_pages = list(stamps_pdf.pages)
        out = pikepdf.new()
        parts: list[tuple[Any, int, int]] = []  # (source, first page in the pack, page count)
        start = 0
        # Named destinations are merged below (`_destinations`): copied pages do not carry
        # them, which pikepdf warns about.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
            documents: list[Part | Piece] = [*front, *pieces]
            for part in documents:
                source = pikepdf.open(io.BytesIO(part.pdf))
                sources.append(source)
                if len(source.pages) != part.pages:
                    raise ValueError(
                        f"a part of the pack has {len(source.pages)} pages, not {part.pages}"
                    )
                out.pages.extend(source.pages)
                parts.append((source, start, part.pages))
                start += part.pages
        front_pages, total = sum(part.pages for part in front), start
        if len(stamp_pages) != total - 1:
            raise ValueError(f"{len(stamp_pages)} page-number stamps for a pack of {total} pages")

        _stamp(out, stamp_pages, 1)
        starts: list[int] = []
        targets: dict[int, str] = {}
        start = front_pages
        for piece in pieces:
            starts.append(start)
            targets.setdefault(start, piece.title)
            start += piece.pages
        _links(out, front_pages, targets, starts)
        _destinations(out, parts)
        _merge_structure(out, parts)
        _outline(out, front_pages, front_outline, pieces)
        _metadata(out, title=title, language=language, pdf_ua=pdf_ua)
        # The parts embed the same whole fonts (documents.pdf): keep one copy of each.
        _share_fonts(out)
        buffer = io.BytesIO()
        # Only what the pack's pages, structure and outline refer to is written (the stamp
        # pages' and the parts' own roots are left behind).
        out.save(
            buffer,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return buffer.getvalue(), total
    finally:
        for source in sources:
            source.close()


def _outline(
    out: Any, front_pages: int, front_outline: list[list[Any]], pieces: list[Piece]
) -> None:
    """The pack's own sections, then one entry per mission with its sections."""
    import pikepdf

    with out.open_outline() as outline:
        for label, page, children in front_outline or []:
            if page < front_pages:
                item = pikepdf.OutlineItem(label, page)
                item.children.extend(
                    pikepdf.OutlineItem(child_label, child_page)
                    for child_label, child_page, _grand in children
                )
                outline.root.append(item)
        start = front_pages
        for piece in pieces:
            item = pikepdf.OutlineItem(piece.title, start)
            for _label, _page, children in piece.outline[:1]:
                item.children.extend(
                    pikepdf.OutlineItem(child_label, start + child_page)
                    for child_label, child_page, _grand in children
                )
            outline.root.append(item)
            start += piece.pages
    out.Root.PageMode = pikepdf.Name.UseOutlines


def _metadata(out: Any, *, title: str, language: str, pdf_ua: bool) -> None:
    """Title, author and language, in the document information and in XMP."""
    import pikepdf

    out.docinfo = out.make_indirect(
        pikepdf.Dictionary(
            Title=pikepdf.String(title),
            Author=pikepdf.String("Lodestar"),
            Creator=pikepdf.String("Lodestar"),
            Producer=pikepdf.String("pikepdf"),
        )
    )
    out.Root.Lang = pikepdf.String(language)
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    metadata = pikepdf.Stream(out, _xmp(title=title, language=language, pdf_ua=pdf_ua))
    metadata.Type = pikepdf.Name.Metadata
    metadata.Subtype = pikepdf.Name.XML
    out.Root.Metadata = metadata


def _xmp(*, title: str, language: str, pdf_ua: bool) -> bytes:
    """The XMP metadata packet: title, language, creator, and the PDF/UA-1 identification
    when the caller vouches for the structure (documents/tests/test_structure.py)."""
    from xml.sax.saxutils import escape

    ua = '<rdf:Description rdf:about="" pdfuaid:part="1"/>' if pdf_ua else ""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"{ua}"
        '<rdf:Description rdf:about="" pdf:Producer="pikepdf" xmp:CreatorTool="Lodestar"/>\n'
        '<rdf:Description rdf:about="">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        "</dc:title>"
        "<dc:creator><rdf:Seq><rdf:li>Lodestar</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def _stamp(out: Any, stamp_pages: list[Any], first: int) -> None:
    """Lay stamp page i over pack page `first` + i (counted from 0), as a Form XObject drawn
    after the page's own content, inside /Artifact marked content."""
    import pikepdf

    for index, stamp in enumerate(stamp_pages, start=first):
        page = out.pages[index]
        form = out.copy_foreign(stamp.as_form_xobject())
        # A name per page: a piece's pages share one /Resources dictionary.
        name = pikepdf.Name(f"/LodestarPage{index + 1}")
        resources = page.obj.get("/Resources")
        if resources is None:
            resources = page.obj.Resources = pikepdf.Dictionary()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            resources.XObject = pikepdf.Dictionary()
            xobjects = resources.XObject
        xobjects[name] = form
        page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(out, f"\nQ\n/Artifact BMC q {name} Do Q EMC\n".encode()))


def _link_target(uri: str, starts: list[int]) -> int | None:
    """The page (counted from 0) a link of ours leads to: `lodestar-page:N`, page N;
    `lodestar-mission:N`, the first page of the Nth mission's briefing."""
    for scheme, pages in ((LINK_SCHEME, None), (MISSION_SCHEME, starts)):
        if uri.startswith(scheme):
            number = uri.removeprefix(scheme)
            if not number.isdigit() or int(number) < 1:
                return None
            if pages is None:
                return int(number) - 1
            return pages[int(number) - 1] if int(number) <= len(pages) else None
    return None


def _links(out: Any, front_pages: int, targets: dict[int, str], starts: list[int]) -> None:
    """Our links on the pack's own pages (`_link_target`) → GoTo their page, each leading to a
    briefing described by it (the mission's title), which is what a screen reader announces."""
    import pikepdf
    from django.utils.translation import gettext as _

    for index in range(front_pages):
        page = out.pages[index]
        for annotation in page.obj.get("/Annots") or []:
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            target = _link_target(uri, starts)
            if target is None or not 0 <= target < len(out.pages):
                continue
            mission = targets.get(target)
            if mission:
                annotation.Contents = pikepdf.String(
                    _("Briefing on %(title)s, page %(page)s")
                    % {"title": mission, "page": target + 1}
                )
            elif "/Contents" not in annotation:
                annotation.Contents = pikepdf.String(_("Page %(page)s") % {"page": target + 1})
            annotation.A = pikepdf.Dictionary(
                S=pikepdf.Name.GoTo,
                D=pikepdf.Array([out.pages[target].obj, pikepdf.Name.XYZ, None, None, None]),
            )


def _destinations(out: Any, parts: list[tuple[Any, int, int]]) -> None:
    """The parts' named destinations (the summary's anchor, each mission's first page), in
    one name tree: copying pages does not carry them, and a link to a name not in the tree
    leads nowhere. The first part to name one keeps it."""
    import pikepdf

    found: dict[str, Any] = {}
    kept = {page.obj.objgen for page in out.pages}
    for source, _first, _count in parts:
        names = source.Root.get("/Names")
        tree = names.get("/Dests") if names is not None else None
        if tree is None:
            continue
        for name, value in _tree_entries(tree, "/Names"):
            # qpdf copies indirect objects only; its page references land on the copies.
            target = out.copy_foreign(source.make_indirect(value))
            view = target.get("/D") if isinstance(target, pikepdf.Dictionary) else target
            page = view[0] if isinstance(view, pikepdf.Array) and len(view) else None
            if isinstance(page, pikepdf.Dictionary) and page.objgen in kept:
                found.setdefault(str(name), target)
    if not found:
        return
    flat: list[Any] = []
    for name in sorted(found):
        flat.extend([pikepdf.String(name), found[name]])
    out.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=pikepdf.Array(flat)))


def _share_fonts(out: Any) -> None:
    """One copy of each embedded font file: every part embeds the same whole fonts."""
    import pikepdf

    kept: dict[str, Any] = {}
    for obj in out.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            stream = obj.get(key)
            if not isinstance(stream, pikepdf.Stream):
                continue
            digest = hashlib.sha256(
                repr(stream.get("/Filter")).encode()
                + repr(stream.get("/Subtype")).encode()
                + stream.read_raw_bytes()
            ).hexdigest()
            first = kept.setdefault(digest, stream)
            if first.objgen != stream.objgen:
                obj[key] = first


def _merge_structure(out: Any, parts: list[tuple[Any, int, int]]) -> None:
    """One structure tree for the merged pages: each part's structure tree is copied (its
    page references land on the pages already copied, as qpdf maps a source's objects once),
    its top-level elements put under a new Document element, and its ParentTree keys shifted
    past the previous parts' — with the pages' /StructParents and annotations' /StructParent."""
    import pikepdf

    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = out.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array()
        )
    )
    kids: list[Any] = []  # the Document element's children, gathered from every part
    nums: list[Any] = []
    ids: dict[str, Any] = {}
    role_map: dict[str, Any] = {}
    offset = 0
    kept = {page.obj.objgen for page in out.pages}
    walked: set[tuple[int, int]] = set()
    for source, first, count in parts:
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        cloned = out.copy_foreign(tree)
        # The part's own root and Document element, replaced by the pack's.
        replaced = {cloned.objgen}
        for element in _as_list(cloned.get("/K")):
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if element.get("/S") == "/Document":
                replaced.add(element.objgen)
                children = _as_list(element.get("/K"))
            else:
                children = [element]
            for child in children:
                if not isinstance(child, pikepdf.Dictionary):
                    continue
                page = child.get("/Pg")
                if page is not None and page.objgen not in kept:
                    continue  # the pack document's stamp pages: laid over others, not kept
                child.P = document
                kids.append(child)
        for key, value in (cloned.get("/RoleMap") or {}).items():
            role_map[key] = value
        # Header cell IDs: unique across parts already (documents.pdf.Finisher prefixes them).
        for name, element in _tree_entries(cloned.get("/IDTree"), "/Names"):
            page = element.get("/Pg") if isinstance(element, pikepdf.Dictionary) else None
            if page is None or page.objgen in kept:
                ids[str(name)] = element
        largest = -1
        for key, value in _tree_entries(cloned.get("/ParentTree"), "/Nums"):
            largest = max(largest, int(key))
            if _on_kept_pages(value, kept):  # not the stamp pages', laid over others
                nums.extend([int(key) + offset, value])
                _reparent(value, replaced, document, walked)
        for index in range(count):
            page = out.pages[first + index].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annotation in page.get("/Annots") or []:
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        offset += largest + 1
    document.K = pikepdf.Array(kids)
    root.K = document
    root.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
    root.ParentTreeNextKey = offset
    if role_map:
        root.RoleMap = pikepdf.Dictionary(role_map)
    if ids:
        names: list[Any] = []
        for name in sorted(ids):
            names.extend([pikepdf.String(name), ids[name]])
        root.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(names))
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _reparent(
    value: Any, replaced: set[tuple[int, int]], document: Any, walked: set[tuple[int, int]]
) -> None:
    """Elements WeasyPrint keeps out of the tree on purpose (the page margins' running
    headers and footers) still name the part's Document as parent: point them at the pack's,
    so the part's own tree is not kept alive through them. `walked`: the elements whose
    ancestors were already followed (most share them), so each chain is walked once."""
    import pikepdf

    for element in _as_list(value):
        seen = 0
        while isinstance(element, pikepdf.Dictionary) and seen < 64:
            seen += 1
            if element.is_indirect:
                if element.objgen in walked:
                    break
                walked.add(element.objgen)
            parent = element.get("/P")
            if parent is None:
                break
            if parent.objgen in replaced:
                element.P = document
                break
            element = parent


def _on_kept_pages(value: Any, kept: set[tuple[int, int]]) -> bool:
    """Whether a ParentTree value (a page's array of elements, or an annotation's element)
    belongs to a page of the merged file."""
    import pikepdf

    for element in _as_list(value):
        if not isinstance(element, pikepdf.Dictionary):
            continue
        page = element.get("/Pg")
        return page is None or page.objgen in kept
    return False


def _as_list(value: Any) -> list[Any]:
    import pikepdf

    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _tree_entries(node: Any, leaf_array: str) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a PDF name tree (`leaf_array` "/Names") or number tree
    ("/Nums"), in order: both keep them as alternating keys and values in their leaves and
    nest through "/Kids"."""
    if node is None:
        return []
    items: list[tuple[Any, Any]] = []
    leaves = node.get(leaf_array)
    if leaves is not None:
        items += [(leaves[i], leaves[i + 1]) for i in range(0, len(leaves), 2)]
    for kid in node.get("/Kids") or []:
        items += _tree_entries(kid, leaf_array)
    return items
