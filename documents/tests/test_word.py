"""The briefing and the pack as editable Word documents (export_briefing --out *.docx): real
heading styles, table header rows that repeat, the protective marking in every header and
footer, A4 pages, and what the author left empty left out."""

import docx
import pytest
from django.core.management import call_command

from documents import services
from missions.models import Mission

pytestmark = pytest.mark.django_db


def export(organisation, keys, out, *more):
    args = [arg for key in keys for arg in ("--mission", key)]
    call_command("export_briefing", "--org", organisation.slug, *args, "--out", str(out), *more)
    return docx.Document(str(out))


def headings(document):
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]


def test_a_briefing_as_word(demo_missions, member, tmp_path):
    editor = member("editor")
    member("admin")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-cities")
    services.briefing_note_save(
        by=editor,
        mission=mission,
        fields={
            "summary": "The bottom line.",
            "decision": "Agree the window.",
            "cleared_by": "The Director",
        },
    )
    document = export(demo_missions, ["eu-cities"], tmp_path / "b.docx")
    found = headings(document)
    assert ("Heading 1", mission.title) in found
    names = [text for _style, text in found]
    assert (
        names.index("Summary")
        < names.index("Decision requested")
        < names.index("Mission statement")
    )
    for left_out in ("Recommendation", "Timing", "Background", "Risks and their handling"):
        assert left_out not in names
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Agree the window." in text and "Cleared by: The Director" in text
    assert "Contact officer" not in text
    # Every table's first row is a header row, repeated on each page.
    assert document.tables
    for table in document.tables:
        assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL"
    assert section.footer.paragraphs[0].text == "OFFICIAL"
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.core_properties.title.startswith("Ministerial briefing")
    assert document.core_properties.language == "en-gb"


def test_a_pack_as_word(demo_missions, member, tmp_path):
    member("admin")
    keys = ["eu-cities", "eu-soil", "se-school-food"]
    document = export(demo_missions, keys, tmp_path / "p.docx")
    titles = [text for style, text in headings(document) if style == "Heading 1"]
    for key in keys:
        assert Mission.objects.get(organisation=demo_missions, key=key).title in titles
    assert headings(document)[0] == ("Title", "Briefing pack: 3 missions")


def test_every_member_downloads_the_word_briefing_from_the_documents_page(
    client, demo_missions, member
):
    from django.urls import reverse

    client.force_login(member("viewer"))
    page = client.get(reverse("documents:list", args=["health"]) + "?mission=eu-cities")
    url = reverse("documents:briefing_word", args=["health", "eu-cities"])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="health-briefing-eu-cities.docx"'
    )
    import io

    document = docx.Document(io.BytesIO(response.content))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert client.post(url).status_code == 405


def test_a_pack_as_word_opens_with_its_covering_note(demo_missions, member, tmp_path):
    import datetime

    editor = member("editor")
    member("admin")
    mission = Mission.objects.get(organisation=demo_missions, key="eu-soil")
    services.briefing_note_save(
        by=editor,
        mission=mission,
        fields={"decision": "Agree the soil budget.", "decision_by": datetime.date(2027, 1, 15)},
    )
    document = export(
        demo_missions,
        ["eu-soil", "eu-cities"],
        tmp_path / "p.docx",
        "--covering-note",
        "For the bilateral on 12 January.",
    )
    found = headings(document)
    names = [text for _style, text in found]
    assert names[:4] == [
        "Briefing pack: 2 missions",
        "Covering note",
        "Decisions requested",
        "Contents",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "For the bilateral on 12 January." in text
    assert "Protective marking: OFFICIAL" in text
    decisions = document.tables[0]
    assert [c.text for c in decisions.rows[0].cells] == [
        "Mission",
        "Decision requested",
        "Needed by",
    ]
    assert [c.text for c in decisions.rows[1].cells] == [
        "1. A Soil Deal for Europe",
        "Agree the soil budget.",
        "15 January 2027",
    ]
    assert decisions.rows[2].cells[1].text == "None: for information."
    # The briefing of the mission in the pack carries its decision and date too.
    assert "Agree the soil budget.\nNeeded by 15 January 2027" in text


def _figures_without_alt_text(document) -> int:
    from docx.oxml.ns import qn

    shapes = document.element.body.iter(qn("wp:docPr"))
    return sum(1 for shape in shapes if not (shape.get("descr") or "").strip())


def test_every_member_downloads_the_word_pack_from_the_documents_page(
    client, demo_missions, member, outsider
):
    import io

    from django.urls import reverse

    from documents.models import GeneratedDocument

    client.force_login(member("viewer"))
    client.post(
        reverse("documents:pack", args=["health"]),
        {"missions": ["eu-soil", "eu-cities"], "covering_note": "For the bilateral."},
    )
    pack = GeneratedDocument.objects.get()
    url = reverse("documents:word", args=["health", pack.pk])
    # Offered on the documents page and on the pack's page, whatever the PDF's state.
    assert url in client.get(reverse("documents:list", args=["health"])).content.decode()
    assert url in client.get(reverse("documents:detail", args=["health", pack.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{pack.filename().removesuffix(".pdf")}.docx"'
    )
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "For the bilateral." in text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert document.sections[0].footer.paragraphs[0].text == "OFFICIAL"
    for table in document.tables:
        assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert _figures_without_alt_text(document) == 0
    assert client.post(url).status_code == 405
    # Another organisation's member gets 404, as for the PDF.
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_canvas_has_no_word_copy(client, demo_missions, member):
    from django.urls import reverse

    from documents.models import GeneratedDocument

    client.force_login(member("viewer"))
    client.post(reverse("documents:canvas", args=["health", "eu-soil"]))
    canvas = GeneratedDocument.objects.get()
    assert client.get(reverse("documents:word", args=["health", canvas.pk])).status_code == 404
