"""Reviews: recorded as history, travel in the exchange format, and feed EVAL_NO_REVIEW and
LOCKIN_NO_PRUNING."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation.criteria.inputs import _review_flags, build_input
from evaluation.reviews import services
from evaluation.reviews.models import Review
from evaluation.tests.helpers import status
from missions import exchange
from missions.tests.factories import MissionProjectFactory


@pytest.fixture
def project(mission):
    return MissionProjectFactory(mission=mission, key="p1")


def record(actor, mission, days_ago=10, **fields):
    values = {
        "date": timezone.localdate() - datetime.timedelta(days=days_ago),
        "type": "formative",
        "independence": "internal",
        **fields,
    }
    return services.review_record(by=actor, mission=mission, **values)


def test_eval_no_review_fires_and_clears(mission, editor):
    # No review recorded yet: to complete, not a warning.
    assert status(build_input(mission), "EVAL_NO_REVIEW") == "not_assessed"
    record(editor, mission, days_ago=400)
    assert status(build_input(mission), "EVAL_NO_REVIEW") == "not_passed"  # too old
    record(editor, mission, days_ago=30)
    assert status(build_input(mission), "EVAL_NO_REVIEW") == "passed"


def test_past_the_midpoint_an_external_review_is_needed():
    internal = [{"date": "2025-06-01", "independence": "internal"}]
    flags = _review_flags(
        {"start_year": 2020, "deadline_year": 2030}, internal, datetime.date(2025, 12, 1)
    )
    assert flags == {"reviews": internal, "recent_review": True, "past_midpoint": True}
    from evaluation.tests.builders import assessment_input

    assert status(assessment_input(reviews=flags), "EVAL_NO_REVIEW") == "not_passed"
    external = [{**internal[0], "independence": "external"}]
    flags = _review_flags(
        {"start_year": 2020, "deadline_year": 2030}, external, datetime.date(2025, 12, 1)
    )
    assert status(assessment_input(reviews=flags), "EVAL_NO_REVIEW") == "passed"


def test_no_pruning_fires_and_clears(mission, editor, project):
    assert status(build_input(mission), "LOCKIN_NO_PRUNING") == "not_applicable"
    record(editor, mission, decisions=[{"project": "p1", "action": "continue", "reason": ""}])
    record(editor, mission, days_ago=5)
    assert status(build_input(mission), "LOCKIN_NO_PRUNING") == "not_passed"
    record(
        editor, mission, days_ago=1, decisions=[{"project": "p1", "action": "stop", "reason": ""}]
    )
    assert status(build_input(mission), "LOCKIN_NO_PRUNING") == "passed"


def test_reviews_are_checked_and_permissioned(mission, editor, viewer, reviewer):
    with pytest.raises(PermissionDenied):
        record(viewer, mission)
    with pytest.raises(ValidationError):
        record(editor, mission, decisions=[{"project": "nope", "action": "stop"}])
    with pytest.raises(ValidationError):
        record(editor, mission, target_changes=[{"target": "t1", "change": "2035", "reason": ""}])
    record(reviewer, mission, type="mid_term", independence="external")
    assert Review.objects.filter(mission=mission).count() == 1


def test_the_reviews_page(client, mission, editor, viewer, project):
    url = reverse("evaluation:reviews", args=[mission.organisation.slug, mission.key])
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    client.force_login(editor)
    response = client.post(
        url,
        {
            "date": "2025-01-15",
            "type": "mid_term",
            "independence": "external",
            "findings": "Good <progress>.",
            "decision_p1": "rescope",
            "change_target": "t1",
            "change": "Target year 2035",
            "change_reason": "Data arrive later",
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Good &lt;progress&gt;." in html and "Rescope" in html and "Data arrive later" in html


def test_reviews_travel_in_the_exchange_format(mission, editor, organisation, project):
    record(editor, mission, decisions=[{"project": "p1", "action": "scale", "reason": "works"}])
    document = exchange.export_document(organisation=organisation, mission_keys=[mission.key])
    section = document["missions"][0]["reviews"]
    from accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(slug="elsewhere")
    exchange.import_document(document=document, organisation=other)
    exchange.import_document(document=document, organisation=other)  # twice: no duplicate
    copy = other.missions.get(key=mission.key)
    from evaluation.reviews.exchange import export_reviews

    assert export_reviews(copy) == section and len(section) == 1
