"""The worked examples as a starting canvas: empty boxes get their example and its source,
marked as an example until someone writes in the box; an example counts as nothing written."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from canvas.models import CanvasBox, CanvasBoxRevision
from canvas.selectors import box_views
from canvas.services import canvas_box_save, canvas_fill_examples
from missions.exchange import export_mission

pytestmark = pytest.mark.django_db


def test_empty_boxes_get_their_example_and_its_source_marked_as_an_example(mission, editor):
    canvas_box_save(
        by=editor, mission=mission, box_key="challenge", text="Our own words.", expected_version=0
    )
    filled = canvas_fill_examples(by=editor, mission=mission)
    assert filled == 10  # eleven text boxes, one already written; the statement is the mission's
    challenge = CanvasBox.objects.get(mission=mission, box_key="challenge")
    assert (challenge.text, challenge.is_example) == ("Our own words.", False)
    rationale = CanvasBox.objects.get(mission=mission, box_key="rationale")
    assert rationale.is_example
    assert "SEK 5 to 10 billion" in rationale.text
    assert "(Example from a real mission. Source: Vinnova" in rationale.text
    assert CanvasBoxRevision.objects.filter(mission=mission, box_key="rationale").count() == 1
    # Examples do not count as written, and the exchange format says which boxes are examples.
    views = {view.key: view for view in box_views(mission, summaries=False)}
    assert views["challenge"].filled and not views["rationale"].filled
    assert export_mission(mission)["canvas"]["boxes"]["rationale"]["example"] is True
    assert canvas_fill_examples(by=editor, mission=mission) == 0  # nothing left empty


def test_writing_in_an_example_box_makes_it_the_teams_own(mission, editor):
    canvas_fill_examples(by=editor, mission=mission)
    row = CanvasBox.objects.get(mission=mission, box_key="governance")
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="governance",
        text=row.text + " Our ministry owns it.",
        expected_version=row.version,
    )
    row.refresh_from_db()
    assert not row.is_example


def test_viewers_cannot_fill_examples_and_the_page_needs_a_post(client, mission, viewer, editor):
    with pytest.raises(PermissionDenied):
        canvas_fill_examples(by=viewer, mission=mission)
    url = reverse("canvas:examples", args=[mission.organisation.slug, mission.key])
    client.force_login(editor)
    assert client.get(url).status_code == 405
    answer = client.post(url, follow=True)
    assert "11 empty boxes now hold a worked example" in answer.text
    assert "Example: replace it" in answer.text
    assert not CanvasBox.objects.filter(mission=mission, box_key="mission_statement").exists()
