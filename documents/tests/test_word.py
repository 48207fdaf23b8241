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
        actor=editor,
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
