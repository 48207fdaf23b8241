"""The canvas as an exchange-format section: the shape the PDF documents rely on, and a round
trip through export and import."""

import pytest

from canvas.boxes import ROW_KEYS
from canvas.models import CanvasBox
from canvas.services import canvas_box_save
from missions import exchange

pytestmark = pytest.mark.django_db


def test_the_section_has_all_eleven_boxes_in_the_agreed_shape(mission, editor):
    canvas_box_save(
        by=editor, mission=mission, box_key="challenge", text="Sick years", expected_version=0
    )
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="challenge",
        text="Sick years\nrising",
        expected_version=1,
    )
    section = exchange.export_mission(mission)["canvas"]
    assert list(section) == ["boxes"]
    assert list(section["boxes"]) == list(ROW_KEYS)
    assert "mission_statement" not in section["boxes"]
    challenge = section["boxes"]["challenge"]
    assert set(challenge) == {"text", "version", "updated_at", "updated_by"}
    assert (challenge["text"], challenge["version"], challenge["updated_by"]) == (
        "Sick years\nrising",
        2,
        editor.email,
    )
    assert challenge["updated_at"].startswith("20") and "T" in challenge["updated_at"]
    assert section["boxes"]["learning"] == {
        "text": "",
        "version": 0,
        "updated_at": None,
        "updated_by": None,
    }


def test_a_round_trip_restores_every_box_into_another_organisation(
    mission, editor, other_organisation
):
    for n, key in enumerate(ROW_KEYS):
        canvas_box_save(
            by=editor, mission=mission, box_key=key, text=f"Box {n} «text»", expected_version=0
        )
    document = exchange.export_document(organisation=mission.organisation)
    summary = exchange.import_document(document=document, organisation=other_organisation)
    assert summary.updated["canvas boxes"] == 11
    copied = {
        b.box_key: b.text
        for b in CanvasBox.objects.filter(mission__organisation=other_organisation)
    }
    assert copied == {key: f"Box {n} «text»" for n, key in enumerate(ROW_KEYS)}
    # Importing the same file again changes nothing.
    again = exchange.import_document(document=document, organisation=other_organisation)
    assert "canvas boxes" not in again.updated


def test_bad_canvas_data_is_refused_with_json_paths(mission, editor):
    document = exchange.export_document(organisation=mission.organisation)
    canvas = document["missions"][0]["canvas"]
    canvas["boxes"]["mission_statement"] = {"text": "x"}
    canvas["boxes"]["whiteboard"] = {"text": "x"}
    canvas["boxes"]["challenge"] = {"text": 42, "colour": "red"}
    canvas["boxes"]["rationale"] = {"text": "x" * 3001}
    canvas["boxes"]["governance"] = "plain text"
    canvas["layout"] = "A3"
    errors = [
        str(e) for e in exchange.validate_document(document, organisation=mission.organisation)
    ]
    assert errors == [
        "missions[0].canvas.layout: is not part of the canvas section.",
        "missions[0].canvas.boxes.challenge.colour: is not a field of a canvas box.",
        "missions[0].canvas.boxes.challenge.text: expected text, got a number.",
        "missions[0].canvas.boxes.rationale.text: is 3001 characters long; the limit is 3000.",
        "missions[0].canvas.boxes.governance: expected an object, got text.",
        "missions[0].canvas.boxes.mission_statement: the mission statement is the mission's “statement” field; put it there.",
        "missions[0].canvas.boxes.whiteboard: is not a canvas box; the boxes are: "
        + ", ".join(ROW_KEYS)
        + ".",
    ]
