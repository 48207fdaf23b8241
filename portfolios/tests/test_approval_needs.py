"""A lead is offered "Approve" only when approving can succeed; otherwise the decision page lists
what is missing, each linked to where it is done, in the same words the service refuses with.
And the decision panel's "Compare it with the mission now" opens that comparison."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from missions.models import MandateSource, Mission
from missions.tests.factories import TargetFactory
from portfolios import selectors, services
from portfolios.models import ReviewDecision

pytestmark = pytest.mark.django_db


def _decide_url(organisation, key: str) -> str:
    return reverse("portfolios:decide", args=[organisation.slug, key])


def _offered(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="decision" value="(\w+)"', page)


def _task_links(page: str) -> list[tuple[str, str]]:
    return [
        (unescape(href), unescape(text))
        for href, text in re.findall(
            r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"[^>]*>([^<]+)</a>', page
        )
    ]


def test_approve_is_not_offered_while_it_would_be_refused_and_the_gaps_link_to_their_fix(
    client, lead, organisation, scene
):
    steel = scene["steel"]  # proposed, without a headline target or a mandate
    client.force_login(lead)

    page = client.get(_decide_url(organisation, steel.key)).content.decode()

    assert _offered(page) == ["request_changes", "pause", "stop"]
    needs = selectors.approval_needs(mission=steel)
    overview = f"/organisations/{organisation.slug}/missions/{steel.key}/"
    assert _task_links(page) == [
        (f"{overview}targets/#add-target", needs[0].message),
        (f"{overview}change/governance/#id_mandate_source", needs[1].message),
        (f"{overview}change/governance/#id_mandate_reference", needs[2].message),
        (f"{overview}change/governance/#id_mandate_date", needs[3].message),
    ]
    assert "Add at least one headline target" in needs[0].message
    # Each link opens a page that has the field it points at.
    governance = client.get(f"{overview}change/governance/").content.decode()
    assert 'id="id_mandate_source"' in governance
    targets = client.get(f"{overview}targets/").content.decode()
    assert 'id="add-target"' in targets


def test_an_approval_sent_anyway_is_refused_with_the_same_list(client, lead, organisation, scene):
    steel = scene["steel"]
    client.force_login(lead)
    messages = [need.message for need in selectors.approval_needs(mission=steel)]

    response = client.post(_decide_url(organisation, steel.key), {"decision": "approve"})

    assert response.status_code == 422
    body = unescape(response.content.decode())
    for message in messages:
        assert body.count(message) == 2  # in the error summary and in the task list
    with pytest.raises(ValidationError) as refused:
        services.decision_record(by=lead, mission=steel, decision="approve")
    assert refused.value.messages == messages
    assert not ReviewDecision.objects.exists()
    assert Mission.objects.get(pk=steel.pk).status == "proposed"


def test_once_the_gaps_are_closed_approve_is_offered_and_succeeds(
    client, lead, organisation, scene
):
    steel = scene["steel"]
    TargetFactory(mission=steel, key="h2", title="Hydrogen steel share", unit="percent")
    Mission.objects.filter(pk=steel.pk).update(
        mandate_source=MandateSource.GOVERNMENT_DECISION,
        mandate_reference="Cabinet decision 2026/3",
        mandate_date=timezone.localdate(),
    )
    client.force_login(lead)
    decide = _decide_url(organisation, steel.key)

    page = client.get(decide).content.decode()
    assert "approve" in _offered(page) and not _task_links(page)
    assert selectors.approval_needs(mission=Mission.objects.get(pk=steel.pk)) == []

    client.post(decide, {"decision": "approve"})
    assert Mission.objects.get(pk=steel.pk).status == "approved"


def test_a_mission_that_is_not_proposed_lists_nothing(scene):
    # Approving an active mission takes no workflow step, so nothing can stop it.
    assert selectors.approval_needs(mission=scene["rivers"]) == []


def test_compare_it_with_the_mission_now_opens_that_comparison(
    client, lead, member, organisation, scene
):
    decision = services.decision_record(
        by=lead, mission=scene["ageing"], decision="approve", comments="Go."
    )
    Mission.objects.filter(pk=scene["ageing"].pk).update(title="Healthy ageing for all")
    client.force_login(member("editor"))
    overview = client.get(reverse("missions:overview", args=[organisation.slug, "healthy-ageing"]))

    href = re.search(
        r'<a class="govuk-link" href="([^"]+)">Compare it with the mission now</a>',
        overview.content.decode(),
    ).group(1)
    comparison = client.get(unescape(href))

    assert comparison.status_code == 200
    body = comparison.content.decode()
    assert f'<option value="{decision.snapshot_id}" selected>' in body
    assert f"From “{decision.snapshot.name}” to now" in body
    assert "Healthy ageing for all" in body
