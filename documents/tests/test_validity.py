"""Every kind of document is a well-formed PDF for the strict readers as well as the lenient
one: pikepdf opens it, `qpdf --check` finds nothing to warn about, and pikepdf, qpdf and
poppler agree on its page count. A pack (pages of separately rendered parts, assembled by
documents.assemble) also carries XMP metadata with its title and language, shows its title,
describes its links by the mission they lead to, and embeds each font program once."""

import hashlib
import io
import re

import pikepdf
import pytest

from documents import services
from documents.models import DocumentKind, DocumentStatus
from documents.tests import pdfstructure, pdftools
from documents.tests.test_documents import DEMO_KEYS
from missions.models import Mission

pytestmark = pytest.mark.django_db


def make(user, organisation, kind, keys, render_now):
    document = services.document_request(
        by=user, organisation=organisation, kind=kind, missions=keys
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    return document, document.file.read()


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_every_demo_missions_canvas_and_briefing_are_valid_and_structured(
    demo_missions, member, render_now, key
):
    for kind in (DocumentKind.CANVAS, DocumentKind.BRIEFING):
        document, pdf = make(member("viewer"), demo_missions, kind, [key], render_now)
        assert pdftools.assert_valid(pdf) == document.page_count
        # The tagged structure holds for what each mission really has, not only for one.
        assert pdfstructure.problems(pdf) == [], f"{kind} of {key}"
        assert pdfstructure.summary(pdf)["pdf_ua"]


def test_a_pack_of_the_demo_missions_is_valid_on_every_page(demo_missions, member, render_now):
    document, pdf = make(member("viewer"), demo_missions, DocumentKind.PACK, DEMO_KEYS, render_now)
    pages = pdftools.assert_valid(pdf)
    assert pages == document.page_count >= 3 + len(DEMO_KEYS)
    with pikepdf.open(io.BytesIO(pdf)) as pack:
        # Every page's content can be read: a stream written inline where a reference is
        # required (the old stamp) made the readers stop at the first such page.
        for page in pack.pages:
            for stream in (
                page.obj.Contents
                if isinstance(page.obj.Contents, pikepdf.Array)
                else [page.obj.Contents]
            ):
                assert stream.is_indirect
                stream.read_bytes()
        # Title and language, in the document information, the XMP metadata and the catalog.
        assert pack.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pack.Root.Lang) == "en-gb"
        with pack.open_metadata() as xmp:
            assert xmp["dc:title"] == document.title
            assert "en-gb" in xmp["dc:language"]
        assert str(pack.docinfo["/Title"]) == document.title
        # Links on the contents and summary say where they lead.
        titles = set(
            Mission.objects.filter(organisation=demo_missions, key__in=DEMO_KEYS).values_list(
                "title", flat=True
            )
        )
        described = []
        for page in pack.pages[:3]:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                label = str(annotation.get("/Contents", ""))
                assert "lodestar-page" not in label
                if "/A" in annotation and annotation.A.get("/S") == "/GoTo":
                    described.append(label)
        assert described
        named = {t for t in titles if any(t in label for label in described)}
        assert named == titles
        # One copy of each font program, however many parts use it.
        programs = [
            hashlib.sha256(obj.read_raw_bytes()).hexdigest()
            for obj in pack.objects
            if isinstance(obj, pikepdf.Stream) and ("/Length1" in obj or "/Length2" in obj)
        ]
        assert programs and len(programs) == len(set(programs)) <= 6
        # No page other than the pack's own is kept alive (the stamps are laid over others).
        page_objects = {page.obj.objgen for page in pack.pages}
        for obj in _reachable(pack):
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Page":
                assert obj.objgen in page_objects
    assert len(pdf) < 700_000


def test_the_exported_pack_is_valid(demo_missions, member, tmp_path):
    from django.core.management import call_command

    member("admin")
    out = tmp_path / "pack.pdf"
    args = [arg for key in DEMO_KEYS[:4] for arg in ("--mission", key)]
    call_command("export_briefing", "--org", demo_missions.slug, *args, "--out", str(out))
    pdf = out.read_bytes()
    pages = pdftools.assert_valid(pdf)
    assert re.search(rf"Page {pages} of {pages}", pdftools.text(pdf, pages, pages))


def _reachable(pdf: pikepdf.Pdf):
    """Every indirect object reachable from the trailer."""
    seen: set[tuple[int, int]] = set()
    stack = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            yield obj
        if isinstance(obj, pikepdf.Array):
            items = list(obj)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            items = list(obj.values())
        else:
            continue
        stack.extend(
            v for v in items if isinstance(v, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream)
        )
