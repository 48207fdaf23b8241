"""PDF/UA is claimed only where the structure holds up: every document kind passes the
Matterhorn checks we can make without veraPDF (documents/tests/pdfstructure.py), and says
that it conforms to PDF/UA-1 in its XMP metadata only then."""

import io

import pikepdf
import pytest

from documents import services
from documents.models import DocumentKind, DocumentStatus
from documents.tests import pdfstructure
from documents.tests.test_documents import DEMO_KEYS

pytestmark = pytest.mark.django_db


def make(user, organisation, kind, keys, render_now, **kwargs):
    document = services.document_request(
        by=user, organisation=organisation, kind=kind, missions=keys, **kwargs
    )
    document = render_now(document)
    assert document.status == DocumentStatus.DONE, document.error
    return document.file.read()


def assert_accessible(pdf: bytes) -> dict:
    assert pdfstructure.problems(pdf) == []
    summary = pdfstructure.summary(pdf)
    assert summary["pdf_ua"], "passes the checks but does not say it conforms to PDF/UA-1"
    return summary


def test_the_canvas_is_structured(demo_missions, member, render_now):
    pdf = make(member("viewer"), demo_missions, DocumentKind.CANVAS, ["eu-cities"], render_now)
    summary = assert_accessible(pdf)
    outline = summary["outline"]
    # The bands are headings, read before their boxes; box numbers are apart from the titles.
    for band in ("Strategic orientation", "Policy coordination", "Policy implementation"):
        assert band in outline
    assert outline.index("Strategic orientation") < outline.index("1 Challenge")
    assert outline.index("Policy coordination") < outline.index("6 Stakeholders and citizens")
    assert summary["tags"]["/Figure"] >= 1


def test_the_briefing_is_structured(demo_missions, member, render_now):
    pdf = make(
        member("editor"),
        demo_missions,
        DocumentKind.BRIEFING,
        ["eu-cities"],
        render_now,
        decision="Agree the next phase.",
    )
    summary = assert_accessible(pdf)
    assert "Decision requested" in summary["outline"]
    assert summary["headings"][0] == "/H1"


def test_the_pack_is_structured(demo_missions, member, render_now):
    pdf = make(member("viewer"), demo_missions, DocumentKind.PACK, DEMO_KEYS[:4], render_now)
    assert_accessible(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as pack:
        # Header IDs are unique across the pack's parts and all listed.
        names = list(pack.Root.StructTreeRoot.IDTree.Names)[::2]
        assert len(names) == len(set(map(str, names))) > 0


def test_problems_are_found():
    """The checker itself: a document that fails is reported, not passed."""
    from weasyprint import HTML

    html = (
        "<html><head><title>t</title></head><body><h1>A</h1><h3>C</h3>"
        "<table><tr><td>x</td></tr></table>"
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="9" height="9"/>'
        "</svg><h2>1Challenge</h2></body></html>"
    )
    pdf = HTML(string=html).write_pdf(pdf_tags=True)
    found = pdfstructure.problems(pdf)
    assert "no document language (/Lang)" in found
    assert "heading H3 follows H1" in found
    assert "a table without header cells (TH)" in found
    assert "a figure without alternative text (/Alt)" in found
    assert "a heading's number is glued to its text: '1Challenge'" in found
