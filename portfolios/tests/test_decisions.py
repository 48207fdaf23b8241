"""Review decisions: tied to a snapshot, moving the mission where the workflow allows, seen by
the mission's owners on the mission page, and exportable."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from missions.models import Mission, MissionSnapshot
from portfolios import services
from portfolios.models import ReviewDecision

pytestmark = pytest.mark.django_db


def test_approving_takes_a_snapshot_and_approves_the_mission(client, member, organisation, scene):
    lead = member("lead", full_name="Lena Lead")
    client.force_login(lead)
    decide = reverse("portfolios:decide", args=[organisation.slug, "healthy-ageing"])
    page = client.get(decide).content.decode()
    assert "Record the decision" in page and "Partly meets the criterion" in page
    response = client.post(decide, {"decision": "approve", "comments": "Go ahead."}, follow=True)
    assert "Approved: “Healthy ageing”. Recorded against snapshot" in response.content.decode()
    decision = ReviewDecision.objects.get()
    assert (decision.status_before, decision.status_after) == ("proposed", "approved")
    assert Mission.objects.get(key="healthy-ageing").status == "approved"
    snapshot = MissionSnapshot.objects.get(pk=decision.snapshot_id)
    assert snapshot.document["title"] == "Healthy ageing"
    assert snapshot.document["status"] == "proposed"  # what the lead decided on


def test_the_mission_team_sees_the_decision_on_the_mission_page(
    client, member, organisation, scene
):
    services.decision_record(
        by=member("lead", full_name="Lena Lead"),
        mission=scene["ageing"],
        decision="request_changes",
        comments="Add a second government owner.",
    )
    editor = member("editor")
    client.force_login(editor)
    page = client.get(reverse("missions:overview", args=[organisation.slug, "healthy-ageing"]))
    body = page.content.decode()
    assert "Portfolio decision: Changes requested" in body
    assert "by Lena Lead" in body
    assert "Add a second government owner." in body
    # Requesting changes hands a proposed mission back to its team as a draft.
    assert Mission.objects.get(key="healthy-ageing").status == "draft"


def test_requesting_changes_needs_comments_and_nothing_is_recorded_without(
    client, member, organisation, scene
):
    client.force_login(member("lead"))
    decide = reverse("portfolios:decide", args=[organisation.slug, "healthy-ageing"])
    response = client.post(decide, {"decision": "request_changes", "comments": " "})
    assert response.status_code == 422
    assert "Say what should change" in response.content.decode()
    assert not ReviewDecision.objects.exists() and not MissionSnapshot.objects.exists()


def test_an_unmet_requirement_stops_an_approval(member, scene):
    with pytest.raises(ValidationError) as error:
        services.decision_record(by=member("lead"), mission=scene["steel"], decision="approve")
    assert any("mandate" in message for message in error.value.messages)
    assert not ReviewDecision.objects.exists() and not MissionSnapshot.objects.exists()


def test_pausing_and_stopping_an_active_mission(member, scene):
    lead = member("lead")
    paused = services.decision_record(by=lead, mission=scene["rivers"], decision="pause")
    assert paused.status_after == "paused"
    stopped = services.decision_record(
        by=lead,
        mission=Mission.objects.get(pk=scene["rivers"].pk),
        decision="stop",
        comments="Done elsewhere.",
    )
    assert stopped.status_after == "retired"
    assert stopped.snapshot_id != paused.snapshot_id


def test_only_leads_decide(member, scene):
    with pytest.raises(PermissionDenied):
        services.decision_record(by=member("reviewer"), mission=scene["ageing"], decision="approve")


def test_the_decision_log_downloads_as_csv(client, member, organisation, scene):
    lead = member("lead", full_name="Lena Lead")
    services.decision_record(by=lead, mission=scene["rivers"], decision="pause", comments="=cmd")
    client.force_login(lead)
    log = client.get(reverse("portfolios:decisions", args=[organisation.slug]))
    assert "Clean rivers" in log.content.decode() and "Paused" in log.content.decode()
    response = client.get(reverse("portfolios:decisions", args=[organisation.slug]) + "?format=csv")
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Decided on", "Mission", "Key", "Decision"]
    assert rows[1][1:8] == [
        "Clean rivers",
        "clean-rivers",
        "Pause",
        "'=cmd",
        "Active",
        "Paused",
        "Lena Lead",
    ]
