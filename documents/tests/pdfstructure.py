"""The PDF/UA (Matterhorn Protocol) checks we can make without veraPDF, with pikepdf.

`problems(pdf)` returns what is wrong, in sentences (an empty list when nothing is):
document language, title shown and in the XMP metadata, marked as tagged, headings in order
(no level skipped), tables with header cells that have a /Scope (or data cells that point at
header IDs through an /IDTree), lists as L → LI → Lbl/LBody, figures with alternative text,
link annotations described, and headings (the bookmarks WeasyPrint makes of h1-h6) whose
text is not glued to a number ("1Challenge").
"""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf

PDF_UA_PART = "pdfuaid:part"
GLUED_NUMBER = re.compile(r"^\d+[A-Z]")


def _attributes(element: pikepdf.Dictionary) -> list[Any]:
    value = element.get("/A")
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [
        kid
        for kid in kids
        if isinstance(kid, pikepdf.Dictionary)
        and kid.get("/Type", "/StructElem") == "/StructElem"
        and "/S" in kid
    ]


def _walk(element: pikepdf.Dictionary, role_map: dict[str, str]):
    for kid in _kids(element):
        tag = str(kid.S)
        yield role_map.get(tag, tag), kid
        yield from _walk(kid, role_map)


def claims_pdf_ua(document: pikepdf.Pdf) -> bool:
    with document.open_metadata() as xmp:
        return bool(xmp.get(PDF_UA_PART))


def outline_titles(document: pikepdf.Pdf) -> list[str]:
    titles: list[str] = []

    def visit(items: Any) -> None:
        for item in items:
            titles.append(item.title)
            visit(item.children)

    with document.open_outline() as outline:
        visit(outline.root)
    return titles


def problems(pdf: bytes) -> list[str]:
    found: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        if not str(root.get("/Lang", "")).strip():
            found.append("no document language (/Lang)")
        preferences = root.get("/ViewerPreferences", {})
        if preferences.get("/DisplayDocTitle") is not True:
            found.append("/DisplayDocTitle is not the boolean true")
        title = str(document.docinfo.get("/Title", "")).strip()
        if not title:
            found.append("no title in the document information")
        with document.open_metadata() as xmp:
            if not str(xmp.get("dc:title", "")).strip():
                found.append("no dc:title in the XMP metadata")
        mark_info = root.get("/MarkInfo", {})
        if mark_info.get("/Marked") is not True:
            found.append("not marked as tagged (/MarkInfo /Marked true)")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return [*found, "no structure tree"]
        role_map = {str(k): str(v) for k, v in tree.get("/RoleMap", {}).items()}
        has_id_tree = "/IDTree" in tree
        previous_level = 0
        headings = 0
        for tag, element in _walk(tree, role_map):
            heading = re.fullmatch(r"/H([1-6])", tag)
            if heading:
                level = int(heading.group(1))
                headings += 1
                if level > previous_level + 1:
                    found.append(f"heading H{level} follows H{previous_level or '(none)'}")
                previous_level = level
            elif tag == "/Table":
                cells = [t for t, _e in _walk(element, role_map)]
                if "/TH" not in cells:
                    found.append("a table without header cells (TH)")
            elif tag == "/TH":
                scoped = any("/Scope" in a for a in _attributes(element))
                if not scoped:
                    found.append("a table header cell (TH) without /Scope")
            elif tag == "/TD":
                pointing = any("/Headers" in a for a in _attributes(element))
                if pointing and not has_id_tree:
                    found.append("a data cell points at header IDs, but there is no /IDTree")
            elif tag == "/L":
                for kid in _kids(element):
                    kid_tag = role_map.get(str(kid.S), str(kid.S))
                    if kid_tag not in ("/LI", "/Caption"):
                        found.append(f"a list (L) holds {kid_tag}, not LI")
            elif tag == "/LI":
                for kid in _kids(element):
                    kid_tag = role_map.get(str(kid.S), str(kid.S))
                    if kid_tag not in ("/Lbl", "/LBody"):
                        found.append(f"a list item (LI) holds {kid_tag}, not Lbl or LBody")
            elif tag == "/Figure" and not str(element.get("/Alt", "")).strip():
                found.append("a figure without alternative text (/Alt)")
        if not headings:
            found.append("no headings")
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                if (
                    annotation.get("/Subtype") == "/Link"
                    and not str(annotation.get("/Contents", "")).strip()
                ):
                    found.append("a link without a description (/Contents)")
        for heading_text in outline_titles(document):
            if GLUED_NUMBER.match(heading_text):
                found.append(f"a heading's number is glued to its text: {heading_text!r}")
    return sorted(set(found), key=found.index)


def summary(pdf: bytes) -> dict[str, Any]:
    """Counts that tests and people can read: tags used, headings in order, outline titles."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.StructTreeRoot
        role_map = {str(k): str(v) for k, v in tree.get("/RoleMap", {}).items()}
        tags = [tag for tag, _e in _walk(tree, role_map)]
        return {
            "tags": {t: tags.count(t) for t in sorted(set(tags))},
            "headings": [t for t in tags if re.fullmatch(r"/H[1-6]", t)],
            "outline": outline_titles(document),
            "pdf_ua": claims_pdf_ua(document),
        }
