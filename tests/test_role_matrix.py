"""Another organisation's objects answer 404 — to every method, on every scoped URL."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from canvas.models import CanvasComment
from documents.models import GeneratedDocument
from evaluation.indicators import services as indicator_services
from evaluation.models import Finding, Measurement, ReadinessCheck
from missions.models import Milestone, Mission
from missions.tests.factories import (
    MilestoneFactory,
    MissionFactory,
    MissionProjectFactory,
    TargetFactory,
)
from portfolios.models import Initiative, Portfolio
from stakeholders.models import EngagementActivity, Stakeholder
from tests.urls_scoped import organisation_scoped_urls


def _first_organisation_objects(organisation):
    """A mission of the first organisation with a target, a milestone and a project, so every
    URL parameter has a real value to try."""
    mission = MissionFactory(organisation=organisation, key="secret-mission")
    target = TargetFactory(mission=mission, key="secret-target")
    milestone = MilestoneFactory(target=target, year=2030)
    MissionProjectFactory(mission=mission, key="secret-project")
    Portfolio.objects.create(organisation=organisation, slug="secret-portfolio", name="Secret")
    Initiative.objects.create(
        organisation=organisation,
        title="Secret foresight lab",
        directionality=-2,
        certainty=-2,
        facet_auto="anticipatory",
    )
    now = timezone.now()
    Finding.objects.create(
        mission=mission, code="MANDATE_MISSING", severity="high", first_seen=now, last_seen=now
    )
    ReadinessCheck.objects.create(organisation=organisation, answers={}, advice="programme")
    stakeholder = Stakeholder.objects.create(
        mission=mission,
        key="secret-stakeholder",
        person_name="A. Secret",
        helix="civil_society",
        roles=["critic"],
        power=2,
        interest=4,
    )
    activity = EngagementActivity.objects.create(
        mission=mission,
        key="secret-activity",
        date=now.date(),
        type="workshop",
        level="consult",
        summary="A secret workshop.",
    )
    activity.stakeholders.add(stakeholder)
    CanvasComment.objects.create(mission=mission, box_key="challenge", text="A secret comment.")
    indicator = indicator_services.indicator_create(
        actor=None, mission=mission, key="secret-indicator", name="Secret", level="impact"
    )
    indicator_services.measurement_add(
        actor=None, indicator=indicator, period_end=now.date().replace(month=1, day=1), value=1
    )
    return milestone


def _measurement_id(organisation):
    measurement = Measurement.objects.filter(indicator__mission__organisation=organisation).first()
    return measurement.pk if measurement else 0


def _activity_id(organisation):
    activity = EngagementActivity.objects.filter(mission__organisation=organisation).first()
    return activity.pk if activity else 0


def _comment_id(organisation):
    comment = CanvasComment.objects.filter(mission__organisation=organisation).first()
    return comment.pk if comment else 0


def _kwargs_for(params, organisation):
    """Real identifiers from the first organisation for each URL parameter."""
    membership = Membership.objects.filter(organisation=organisation).first()
    milestone = Milestone.objects.filter(target__mission__organisation=organisation).first()
    document = GeneratedDocument.objects.filter(organisation=organisation).first()
    values = {
        "org_slug": organisation.slug,
        "membership_id": membership.pk,
        "mission_key": "secret-mission",
        "target_key": "secret-target",
        "project_key": "secret-project",
        "milestone_id": milestone.pk if milestone else 0,
        "group": "basics",
        "transition": "propose",
        "document_id": document.pk if document else 0,
        "box_key": "challenge",
        "criterion": "c1",
        "finding_id": Finding.objects.filter(mission__organisation=organisation).first().pk,
        "portfolio_slug": "secret-portfolio",
        "initiative_id": Initiative.objects.filter(organisation=organisation).first().pk,
        "check_id": ReadinessCheck.objects.filter(organisation=organisation).first().pk,
        "stakeholder_key": "secret-stakeholder",
        "activity_id": _activity_id(organisation),
        "comment_id": _comment_id(organisation),
        "indicator_key": "secret-indicator",
        "measurement_id": _measurement_id(organisation),
    }
    missing = [p for p in params if p not in values]
    assert not missing, (
        f"add a value for {missing} to tests/test_role_matrix.py so the new URL is covered"
    )
    return {p: values[p] for p in params}


def test_the_matrix_covers_the_organisation_pages():
    names = {name for name, _params in organisation_scoped_urls()}
    assert {
        "accounts:organisation",
        "accounts:members",
        "accounts:member_role",
        "accounts:member_remove",
    } <= names


@pytest.mark.django_db
def test_a_member_of_another_organisation_gets_404_everywhere(
    client, member, organisation, outsider
):
    member("admin")
    _first_organisation_objects(organisation)
    client.force_login(outsider)
    checked = []
    for name, params in organisation_scoped_urls():
        url = reverse(name, kwargs=_kwargs_for(params, organisation))
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"role": "admin", "email": "x@example.gov"})
            assert response.status_code == 404, (
                f"{method.upper()} {url} gave {response.status_code}"
            )
            checked.append(url)
    assert len(checked) >= 40
    assert Membership.objects.filter(organisation=organisation, user=outsider).count() == 0
    mission = Mission.objects.get(key="secret-mission")
    assert (mission.status, mission.title, mission.archived_at) == ("draft", mission.title, None)
    assert mission.targets.count() == 1
    stakeholder = Stakeholder.objects.get(key="secret-stakeholder")
    assert (stakeholder.power, stakeholder.interest, stakeholder.version) == (2, 4, 1)
    assert EngagementActivity.objects.filter(mission=mission).count() == 1
    comment = CanvasComment.objects.get(mission=mission)
    assert (comment.text, comment.resolved_at) == ("A secret comment.", None)
    assert [
        (m.value, m.is_current) for m in Measurement.objects.filter(indicator__mission=mission)
    ] == [(1, True)]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, member, organisation):
    member("admin")
    _first_organisation_objects(organisation)
    for name, params in organisation_scoped_urls():
        url = reverse(name, kwargs=_kwargs_for(params, organisation))
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))
