"""Assemble a briefing pack from its own pages and the missions' briefing pieces (pypdf).

The pack's own document (cover, contents, summary) is rendered by WeasyPrint knowing every
piece's page count, and ends with one blank "stamp" page per briefing page that carries only
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

Metadata. Title, author and language are set on the merged file; the viewer shows the title.

Tagging. Each piece is a tagged PDF (PDF/UA-1) and so is the pack's own document. pypdf has no
structure-tree merge, so the merged file gets a new StructTreeRoot whose Document element
holds each part's top-level elements, and one ParentTree with the parts' keys shifted; the
pages' /StructParents and annotations' /StructParent are shifted to match. What is lost: the
PDF/UA identification (XMP metadata) is not carried over, since we cannot check conformance
of the merged tree here, and the stamps are marked as artifacts (not read out twice).
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
) -> tuple[bytes, int]:
    """The pack's own pages (the first `front_pages` of `front`, followed by its stamp pages)
    and the pieces, merged into one PDF. Returns `(pdf_bytes, page_count)`."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    front_reader = PdfReader(io.BytesIO(front))
    total = front_pages + sum(p.pages for p in pieces)
    if len(front_reader.pages) != total:
        raise ValueError(
            f"the pack's own document has {len(front_reader.pages)} pages, expected {total}"
        )
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

    _stamp(writer, front_reader, front_pages, total)
    _links(writer, front_pages)
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
        {NameObject("/DisplayDocTitle"): NameObject("/true")}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total


def _stamp(writer: Any, front_reader: Any, front_pages: int, total: int) -> None:
    """Lay stamp page i (of the pack's own document) over pack page i, as a Form XObject
    drawn after the page's own content, inside /Artifact marked content."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    for index in range(front_pages, total):
        stamp = front_reader.pages[index]
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
        contents = page["/Contents"]
        contents = contents.get_object()
        existing = list(contents) if isinstance(contents, ArrayObject) else [page["/Contents"]]
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(before), *existing, writer._add_object(after)]
        )


def _links(writer: Any, front_pages: int) -> None:
    """`lodestar-page:N` URI links on the pack's own pages → GoTo page N."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NullObject

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
    )

    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root_ref,
            NameObject("/K"): ArrayObject(),
        }
    )
    document_ref = writer._add_object(document)
    nums = ArrayObject()
    role_map = DictionaryObject()
    offset = 0
    kept = {page.indirect_reference.idnum for page in writer.pages}
    for reader, first, count in parts:
        source = reader.trailer["/Root"].get("/StructTreeRoot")
        if source is None:
            continue
        cloned = source.get_object().clone(writer).get_object()
        for element in _as_list(cloned.get("/K", ArrayObject()).get_object()):
            element = element.get_object()
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
                document["/K"].append(child)
        for key, value in (cloned.get("/RoleMap") or DictionaryObject()).items():
            role_map[NameObject(key)] = value
        largest = -1
        for key, value in _number_tree(cloned.get("/ParentTree")):
            nums.extend([NumberObject(key + offset), value])
            largest = max(largest, key)
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
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )


def _as_list(value: Any) -> list[Any]:
    from pypdf.generic import ArrayObject

    return list(value) if isinstance(value, ArrayObject) else [value]


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    if node is None:
        return []
    node = node.get_object()
    items: list[tuple[int, Any]] = []
    nums = node.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        items += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids") or []:
        items += _number_tree(kid)
    return items
