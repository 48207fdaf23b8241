"""Assemble a briefing pack from its own pages and the missions' briefing pieces (pypdf).

The pack's own document (cover, contents, summary) is rendered by WeasyPrint knowing every
piece's page count; a document of stamps (documents.layout.pack_stamps_pdf, kept, as every pack
of the same length has the same) has one blank page per briefing page that carries only
"Page N of M" in the pack's footer style. Here the pieces are appended after the pack's own
pages and each stamp is laid over its briefing page as a Form XObject, so:

Page numbers. We stamp pack-wide numbers on merge rather than print piece-local ones, because
it keeps the pack looking exactly as the single-document pack did ("Page 17 of 43" on every
page, agreeing with the contents page), while the pieces stay independent of where they land
in a pack and so are reusable by any pack that holds the mission unchanged.

Links. The contents and summary link to briefings as `lodestar-page:N`; those URI links are
turned into GoTo links to page N here.

Outline. One top-level bookmark per mission (its title, at its first page) with the piece's
own section bookmarks under it, after "Briefing pack", "Contents" and "Summary".

Metadata. Title, author and language are set on the merged file, in the document
information and in XMP; the viewer shows the title (/DisplayDocTitle true). Links on the
pack's own pages are described by the briefing they lead to.

Pages. Each stamp is added to the page's /Contents array as a reference: a stream written
inline in that array (as `page["/Contents"]`, which resolves the reference, made it) is not
valid PDF, and qpdf and pikepdf stopped reading the pack at the first such page.

Fonts. The parts embed whole fonts (documents.pdf), the same bytes in every part, and the
merged file keeps one copy of each (`compress_identical_objects`).

Tagging. Each piece is a tagged PDF (PDF/UA-1) and so is the pack's own document. pypdf has no
structure-tree merge, so the merged file gets a new StructTreeRoot whose Document element
holds each part's top-level elements, one ParentTree with the parts' keys shifted, and one
IDTree of the parts' table header IDs (made unique per part by documents.pdf.Finisher); the
pages' /StructParents and annotations' /StructParent are shifted to match. The stamps are
marked as artifacts (not read out twice), and the stamp pages' own elements are dropped. The
PDF/UA identification is written when the caller asks (`pdf_ua`), which it does because
documents/tests/test_structure.py checks the merged tree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

LINK_SCHEME = "lodestar-page:"


@dataclass
class Piece:
    title: str
    pdf: bytes
    pages: int
    outline: list[list[Any]]


def merge(
    *,
    front: bytes,
    front_pages: int,
    pieces: list[Piece],
    title: str,
    language: str,
    front_outline: list[list[Any]],
    pdf_ua: bool = False,
    stamps: bytes | None = None,
) -> tuple[bytes, int]:
    """The pack's own pages (the first `front_pages` of `front`) and the pieces, merged into
    one PDF, with the stamp pages (`stamps`, one per briefing page; else the pages of `front`
    after its own) laid over the briefing pages. Returns `(pdf_bytes, page_count)`."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    front_reader = PdfReader(io.BytesIO(front))
    total = front_pages + sum(p.pages for p in pieces)
    if stamps is None:
        stamp_pages = list(front_reader.pages)[front_pages:]
        own = len(front_reader.pages)
    else:
        stamp_pages = list(PdfReader(io.BytesIO(stamps)).pages)
        own = len(front_reader.pages) + len(stamp_pages)
    if own != total or len(stamp_pages) != total - front_pages:
        raise ValueError(f"the pack's own documents have {own} pages, expected {total}")
    writer = PdfWriter()
    parts: list[tuple[Any, int, int]] = []  # (reader, first page in the pack, page count)
    writer.append(front_reader, pages=(0, front_pages), import_outline=False)
    parts.append((front_reader, 0, front_pages))
    start = front_pages
    readers = []
    for piece in pieces:
        reader = PdfReader(io.BytesIO(piece.pdf))
        readers.append(reader)
        writer.append(reader, import_outline=False)
        parts.append((reader, start, piece.pages))
        start += piece.pages

    _stamp(writer, stamp_pages, front_pages)
    targets: dict[int, str] = {}
    start = front_pages
    for piece in pieces:
        targets.setdefault(start, piece.title)
        start += piece.pages
    _links(writer, front_pages, targets)
    _merge_structure(writer, parts)

    # Outline: the pack's own sections, then one entry per mission with its sections.
    for label, page, children in front_outline or []:
        if page < front_pages:
            item = writer.add_outline_item(title=label, page_number=page)
            for child_label, child_page, _grand in children:
                writer.add_outline_item(title=child_label, page_number=child_page, parent=item)
    start = front_pages
    for piece in pieces:
        item = writer.add_outline_item(title=piece.title, page_number=start)
        for _label, _page, children in piece.outline[:1]:
            for child_label, child_page, _grand in children:
                writer.add_outline_item(
                    title=child_label, page_number=start + child_page, parent=item
                )
        start += piece.pages
    writer.page_mode = "/UseOutlines"

    writer.add_metadata(
        {"/Title": title, "/Author": "Lodestar", "/Creator": "Lodestar", "/Producer": "pypdf"}
    )
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(language)
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    root[NameObject("/Metadata")] = writer._add_object(
        _xmp(writer, title=title, language=language, pdf_ua=pdf_ua)
    )
    # The parts embed the same whole fonts (documents.pdf): keep one copy of each, and drop
    # what nothing refers to any more (the stamp pages' own objects).
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total


def _xmp(writer: Any, *, title: str, language: str, pdf_ua: bool) -> Any:
    """The XMP metadata stream: title, language, creator, and the PDF/UA-1 identification
    when the caller vouches for the structure (documents/tests/test_structure.py)."""
    from xml.sax.saxutils import escape

    from pypdf.generic import DecodedStreamObject, NameObject

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
        '<rdf:Description rdf:about="" pdf:Producer="pypdf" xmp:CreatorTool="Lodestar"/>\n'
        '<rdf:Description rdf:about="">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        "</dc:title>"
        "<dc:creator><rdf:Seq><rdf:li>Lodestar</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    stream = DecodedStreamObject()
    stream.set_data(packet.encode("utf-8"))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream


def _stamp(writer: Any, stamp_pages: list[Any], front_pages: int) -> None:
    """Lay stamp page i over pack page `front_pages` + i, as a Form XObject drawn after the
    page's own content, inside /Artifact marked content."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    for index, stamp in enumerate(stamp_pages, start=front_pages):
        page = writer.pages[index]
        form = DecodedStreamObject()
        form.set_data(stamp.get_contents().get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [NumberObject(0), NumberObject(0), *stamp.mediabox[2:]]
                ),
                NameObject("/Resources"): stamp["/Resources"].clone(writer),
            }
        )
        form_ref = writer._add_object(form)
        resources = page["/Resources"].get_object()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            xobjects = DictionaryObject()
            resources[NameObject("/XObject")] = xobjects
        xobjects = xobjects.get_object()
        # A name per page: a piece's pages share one /Resources dictionary.
        name = f"/LodestarPage{index + 1}"
        xobjects[NameObject(name)] = form_ref
        before = DecodedStreamObject()
        before.set_data(b"q\n")
        after = DecodedStreamObject()
        after.set_data(f"\nQ\n/Artifact BMC q {name} Do Q EMC\n".encode())
        # The raw entry: `page["/Contents"]` resolves the reference, and a stream written
        # inside an array (instead of referred to) makes the file unreadable after this page.
        raw = page.raw_get("/Contents")
        contents = raw.get_object()
        if isinstance(contents, ArrayObject):
            existing = [
                item if hasattr(item, "idnum") else writer._add_object(item) for item in contents
            ]
        elif hasattr(raw, "idnum"):
            existing = [raw]
        else:
            existing = [writer._add_object(contents)]
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(before), *existing, writer._add_object(after)]
        )


def _links(writer: Any, front_pages: int, targets: dict[int, str]) -> None:
    """`lodestar-page:N` URI links on the pack's own pages → GoTo page N, each described by
    what it leads to (the mission's title), which is what a screen reader announces."""
    from django.utils.translation import gettext as _
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NullObject,
        TextStringObject,
    )

    for index in range(front_pages):
        page = writer.pages[index]
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(LINK_SCHEME):
                continue
            target = int(uri.removeprefix(LINK_SCHEME)) - 1
            if not 0 <= target < len(writer.pages):
                continue
            mission = targets.get(target)
            description = (
                _("Briefing on %(title)s, page %(page)s") % {"title": mission, "page": target + 1}
                if mission
                else _("Page %(page)s") % {"page": target + 1}
            )
            annotation[NameObject("/Contents")] = TextStringObject(description)
            annotation[NameObject("/A")] = DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject(
                        [
                            writer.pages[target].indirect_reference,
                            NameObject("/XYZ"),
                            NullObject(),
                            NullObject(),
                            NullObject(),
                        ]
                    ),
                }
            )


def _merge_structure(writer: Any, parts: list[tuple[Any, int, int]]) -> None:
    """One structure tree for the merged pages: each part's structure tree is cloned (its
    page references land on the pages already appended), its top-level elements put under
    a new Document element, and its ParentTree keys shifted past the previous parts' — with
    the pages' /StructParents (which pypdf drops on append) and annotations' /StructParent."""
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    kids = ArrayObject()  # the Document element's children, gathered from every part
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root_ref,
            NameObject("/K"): kids,
        }
    )
    document_ref = writer._add_object(document)
    nums = ArrayObject()
    ids: dict[str, Any] = {}
    role_map = DictionaryObject()
    offset = 0
    kept = {page.indirect_reference.idnum for page in writer.pages}
    for reader, first, count in parts:
        source = reader.trailer["/Root"].get("/StructTreeRoot")
        if source is None:
            continue
        cloned = source.get_object().clone(writer).get_object()
        # The part's own root and Document element, replaced by the pack's.
        replaced = {cloned.indirect_reference.idnum}
        for element in _as_list(cloned.get("/K", ArrayObject()).get_object()):
            element = element.get_object()
            if element.get("/S") == "/Document":
                replaced.add(element.indirect_reference.idnum)
            children = (
                _as_list(element["/K"].get_object())
                if element.get("/S") == "/Document" and "/K" in element
                else [element.indirect_reference]
            )
            for child in children:
                element = child.get_object()
                if not isinstance(element, DictionaryObject):
                    continue
                page = element.get("/Pg")
                if page is not None and page.idnum not in kept:
                    continue  # the pack document's stamp pages: laid over others, not kept
                element[NameObject("/P")] = document_ref
                kids.append(child)
        for key, value in (cloned.get("/RoleMap") or DictionaryObject()).items():
            role_map[NameObject(key)] = value
        # Header cell IDs: unique across parts already (documents.pdf.Finisher prefixes them).
        for name, element in _name_tree(cloned.get("/IDTree")):
            target = element.get_object()
            page = target.get("/Pg") if isinstance(target, DictionaryObject) else None
            if page is None or page.idnum in kept:
                ids[str(name)] = element
        largest = -1
        for key, value in _number_tree(cloned.get("/ParentTree")):
            largest = max(largest, key)
            if _on_kept_pages(value, kept):  # not the stamp pages', laid over others
                nums.extend([NumberObject(key + offset), value])
                _reparent(value, replaced, document_ref)
        for index in range(count):
            source_page = reader.pages[index]
            page = writer.pages[first + index]
            if "/StructParents" in source_page:
                page[NameObject("/StructParents")] = NumberObject(
                    source_page["/StructParents"] + offset
                )
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        annotation["/StructParent"] + offset
                    )
        offset += largest + 1
    root[NameObject("/K")] = document_ref
    root[NameObject("/ParentTree")] = DictionaryObject({NameObject("/Nums"): nums})
    root[NameObject("/ParentTreeNextKey")] = NumberObject(offset)
    if role_map:
        root[NameObject("/RoleMap")] = role_map
    if ids:
        names = ArrayObject()
        for name in sorted(ids):
            names.extend([TextStringObject(name), ids[name]])
        root[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): names})
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )


def _reparent(value: Any, replaced: set[int], document_ref: Any) -> None:
    """Elements WeasyPrint keeps out of the tree on purpose (the page margins' running
    headers and footers) still name the part's Document as parent: point them at the pack's,
    so the part's own tree (and its stamp pages) is not kept alive through them."""
    from pypdf.generic import DictionaryObject, NameObject

    for element in _as_list(value.get_object()):
        seen = 0
        while element is not None and seen < 64:
            seen += 1
            element = element.get_object()
            if not isinstance(element, DictionaryObject):
                break
            parent = element.get("/P")
            if parent is None:
                break
            if getattr(parent, "idnum", None) in replaced:
                element[NameObject("/P")] = document_ref
                break
            element = parent


def _on_kept_pages(value: Any, kept: set[int]) -> bool:
    """Whether a ParentTree value (a page's array of elements, or an annotation's element)
    belongs to a page of the merged file."""
    from pypdf.generic import DictionaryObject

    for element in _as_list(value.get_object()):
        element = element.get_object() if element is not None else None
        if not isinstance(element, DictionaryObject):
            continue
        page = element.get("/Pg")
        return page is None or page.idnum in kept
    return False


def _as_list(value: Any) -> list[Any]:
    from pypdf.generic import ArrayObject

    return list(value) if isinstance(value, ArrayObject) else [value]


def _tree_entries(node: Any, leaf_array: str) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a PDF name tree (`leaf_array` "/Names") or number tree
    ("/Nums"), in order: both keep them as alternating keys and values in their leaves and
    nest through "/Kids"."""
    if node is None:
        return []
    node = node.get_object()
    items: list[tuple[Any, Any]] = []
    leaves = node.get(leaf_array)
    if leaves is not None:
        leaves = leaves.get_object()
        items += [(leaves[i], leaves[i + 1]) for i in range(0, len(leaves), 2)]
    for kid in node.get("/Kids") or []:
        items += _tree_entries(kid, leaf_array)
    return items


def _name_tree(node: Any) -> list[tuple[str, Any]]:
    return [(str(name), value) for name, value in _tree_entries(node, "/Names")]


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    return [(int(number), value) for number, value in _tree_entries(node, "/Nums")]
