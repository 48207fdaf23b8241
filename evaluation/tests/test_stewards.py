"""Indicator stewards: people of another organisation (a statistics office) invited to add values
to one indicator, and shut out of everything else of the mission. Also the overdue-indicator
panel owners see at the top of mission pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluation.indicators import overdue, services, stewards
from evaluation.indicators.models import IndicatorSteward, Measurement
from missions.models import Target
from missions.tests.factories import MissionFactory

D = Decimal


@pytest.fixture
def stats_office():
    from accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Statistics Office", slug="statistics")


@pytest.fixture
def indicator(mission, editor):
    return services.indicator_create(
        by=editor,
        mission=mission,
        name="Healthy life years",
        level="impact",
        target=Target.objects.get(mission=mission, key="t1"),
        definition="Years lived in good health at birth",
        unit="years",
        data_source="CBS StatLine",
    )


@pytest.fixture
def sibling(mission, editor):
    """Another indicator of the same mission, which the steward must not reach."""
    return services.indicator_create(
        by=editor, mission=mission, name="Smoking rate", level="outcome", unit="%"
    )


@pytest.fixture
def steward(member, stats_office, indicator, editor):
    user = member("editor", org=stats_office, full_name="Stella Statistician")
    IndicatorSteward.objects.create(indicator=indicator, user=user, invited_by=editor)
    return user


@pytest.fixture
def foreign_indicator(other_organisation, member):
    """An indicator of another organisation's mission."""
    mission = MissionFactory(organisation=other_organisation, key="clean-air")
    return services.indicator_create(
        by=member("editor", org=other_organisation),
        mission=mission,
        name="Particulate matter",
        level="outcome",
    )


def entry_url(indicator) -> str:
    return reverse("evaluation:steward_indicator", args=[indicator.pk])


def mission_url(name: str, mission, *args) -> str:
    return reverse(name, args=[mission.organisation.slug, mission.key, *args])


VALUE = {
    "period_end": "2024-12-31",
    "value": "63.1",
    "source_ref": "StatLine",
    "quality": "official",
}


def test_a_steward_adds_a_value_and_it_records_who_entered_it(client, steward, indicator):
    client.force_login(steward)

    response = client.post(entry_url(indicator), VALUE)
    page = client.get(entry_url(indicator)).content.decode()

    assert response.status_code == 302
    value = Measurement.objects.get(indicator=indicator)
    assert value.value == D("63.1") and value.entered_by == steward
    assert "Healthy life years" in page and "Years lived in good health at birth" in page
    assert "63.1" in page and "Stella Statistician" in page


def test_a_steward_sees_only_their_indicators(client, steward, indicator, sibling):
    client.force_login(steward)

    page = client.get(reverse("evaluation:stewarding")).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert "Healthy life years" in page and "Smoking rate" not in page
    assert "Ministry of Health and Care" in page  # whose indicator it is
    assert list(stewards.indicators_stewarded_by(steward)) == [indicator]
    # A member elsewhere finds their organisation and, beside their work, what they steward.
    assert "Your organisations" in home and "Indicators you keep up to date" in home


def test_a_steward_without_an_organisation_finds_their_indicators_on_home(
    client, indicator, editor
):
    from accounts.tests.factories import UserFactory

    user = UserFactory(email="analyst@stats.example")
    IndicatorSteward.objects.create(indicator=indicator, user=user)
    client.force_login(user)

    home = client.get(reverse("home")).content.decode()

    assert "Indicators you keep up to date" in home and "Healthy life years" in home
    assert entry_url(indicator) in home


def test_a_steward_gets_404_on_everything_else_of_the_mission(
    client, steward, mission, indicator, sibling, foreign_indicator
):
    client.force_login(steward)
    org = mission.organisation.slug
    refused = [
        mission_url("missions:overview", mission),
        mission_url("missions:targets", mission),
        mission_url("canvas:canvas", mission),
        mission_url("stakeholders:map", mission),
        mission_url("evaluation:indicators", mission),
        mission_url("evaluation:indicator", mission, indicator.key),  # the mission's page of it
        mission_url("evaluation:indicator", mission, sibling.key),
        mission_url("evaluation:criteria", mission),
        reverse("missions:list", args=[org]),
        reverse("documents:list", args=[org]),
        reverse("portfolios:dashboard", args=[org]),
        reverse("accounts:organisation", args=[org]),
        entry_url(sibling),  # another indicator of the same mission
        entry_url(foreign_indicator),  # another organisation's indicator
        reverse("evaluation:steward_import", args=[sibling.pk]),
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url
    assert client.post(entry_url(sibling), VALUE).status_code == 404
    assert client.post(mission_url("evaluation:indicator", mission, indicator.key), VALUE).status_code == 404  # fmt: skip
    assert not Measurement.objects.exists()


def test_a_revoked_steward_gets_404_at_once(client, steward, indicator, mission, editor):
    client.force_login(steward)
    assert client.get(entry_url(indicator)).status_code == 200
    stewardship = IndicatorSteward.objects.get(user=steward)

    client.force_login(editor)
    response = client.post(
        mission_url("evaluation:steward_revoke", mission, indicator.key, stewardship.pk)
    )
    client.force_login(steward)

    assert response.status_code == 302
    assert client.get(entry_url(indicator)).status_code == 404
    assert client.post(entry_url(indicator), VALUE).status_code == 404
    assert "Healthy life years" not in client.get(reverse("evaluation:stewarding")).content.decode()
    assert not Measurement.objects.exists()
    stewardship.refresh_from_db()
    assert stewardship.revoked_at is not None and stewardship.revoked_by == editor


def test_archiving_the_mission_takes_the_indicator_out_of_scope(client, steward, indicator):
    indicator.mission.archived_at = timezone.now()
    indicator.mission.save(update_fields=["archived_at"])
    client.force_login(steward)

    assert client.get(entry_url(indicator)).status_code == 404


def test_an_editor_invites_a_new_steward_by_email(
    client, editor, mission, indicator, django_capture_on_commit_callbacks, worker_mail
):
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            mission_url("evaluation:steward_invite", mission, indicator.key),
            {"email": "Analyst@Stats.example", "full_name": "Ana Lyst"},
        )

    assert response.status_code == 302
    stewardship = IndicatorSteward.objects.get(indicator=indicator)
    assert stewardship.user.email == "analyst@stats.example"
    assert stewardship.invited_by == editor
    assert not stewardship.user.has_usable_password()
    [sent] = worker_mail()  # sent by the Celery worker, after the commit
    assert sent["To"] == "analyst@stats.example"
    assert "Healthy life years" in sent["Subject"]
    assert "Healthy life years" in sent.get_content() and "/password/reset/" in sent.get_content()
    page = client.get(mission_url("evaluation:indicator", mission, indicator.key)).content.decode()
    assert "Ana Lyst" in page and "Revoke" in page


def test_an_existing_user_is_invited_with_a_link_to_their_indicators(
    client,
    editor,
    mission,
    indicator,
    member,
    stats_office,
    django_capture_on_commit_callbacks,
    worker_mail,
):
    existing = member("viewer", org=stats_office)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            mission_url("evaluation:steward_invite", mission, indicator.key),
            {"email": existing.email},
        )

    assert IndicatorSteward.objects.get(indicator=indicator).user == existing
    [sent] = worker_mail()
    assert "/stewarding/" in sent.get_content()


def test_an_indicator_name_with_a_line_break_still_sends_a_one_line_subject(
    client, editor, mission, django_capture_on_commit_callbacks, worker_mail
):
    # Stored before the input boundary refused line breaks in a name (it was a 500 after the
    # steward was saved, and no mail went out).
    indicator = services.indicator_create(
        by=editor, mission=mission, name="Healthy\r\nBcc: all@example.gov", level="impact"
    )
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            mission_url("evaluation:steward_invite", mission, indicator.key),
            {"email": "analyst@stats.example", "full_name": "Ana Lyst"},
        )

    assert response.status_code == 302
    [sent] = worker_mail()
    assert sent["Subject"] == (
        "You can now add values for “Healthy Bcc: all@example.gov” in Lodestar"
    )
    assert sent["Bcc"] is None and sent["To"] == "analyst@stats.example"


def test_viewers_cannot_invite_or_revoke_and_outsiders_get_404(
    client, viewer, outsider, steward, mission, indicator
):
    invite = mission_url("evaluation:steward_invite", mission, indicator.key)
    stewardship = IndicatorSteward.objects.get(user=steward)
    revoke = mission_url("evaluation:steward_revoke", mission, indicator.key, stewardship.pk)

    client.force_login(viewer)
    page = client.get(mission_url("evaluation:indicator", mission, indicator.key)).content.decode()
    viewer_invite = client.post(invite, {"email": "someone@stats.example"})
    viewer_revoke = client.post(revoke)
    client.force_login(outsider)
    outsider_invite = client.post(invite, {"email": "someone@stats.example"})
    outsider_revoke = client.post(revoke)

    assert "Stella Statistician" in page and "Invite steward" not in page
    assert viewer_invite.status_code == 403 and viewer_revoke.status_code == 403
    assert outsider_invite.status_code == 404 and outsider_revoke.status_code == 404
    assert IndicatorSteward.objects.filter(revoked_at__isnull=True).count() == 1
    assert not mail.outbox


def test_an_invitation_refuses_members_and_duplicates_with_a_reason(
    client, editor, viewer, steward, mission, indicator
):
    client.force_login(editor)
    invite = mission_url("evaluation:steward_invite", mission, indicator.key)

    member_answer = client.post(invite, {"email": viewer.email})
    again = client.post(invite, {"email": steward.email})
    bad = client.post(invite, {"email": "not an address"})

    assert member_answer.status_code == 422
    assert "already a member of Ministry of Health and Care" in member_answer.content.decode()
    assert again.status_code == 422
    assert "already a steward of this indicator" in again.content.decode()
    assert bad.status_code == 422 and "Enter a valid email address" in bad.content.decode()
    assert IndicatorSteward.objects.count() == 1


def test_a_steward_corrects_a_value_and_the_old_one_stays(client, steward, indicator):
    client.force_login(steward)
    client.post(entry_url(indicator), VALUE)
    old = Measurement.objects.get()

    response = client.post(
        reverse("evaluation:steward_correct", args=[indicator.pk, old.pk]),
        {"value": "63.4", "source_ref": "StatLine revised", "quality": "official"},
    )

    assert response.status_code == 302
    assert [(m.value, m.is_current) for m in Measurement.objects.order_by("pk")] == [
        (D("63.1"), False),
        (D("63.4"), True),
    ]
    assert "Replaced" in client.get(entry_url(indicator)).content.decode()


def test_a_steward_imports_csv_all_or_nothing(client, steward, indicator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(steward)
    url = reverse("evaluation:steward_import", args=[indicator.pk])
    bad = b"period_end,value\n2022-12-31,62.0\n2023-12-31,lots\n"
    good = b"period_end,value,quality\n2022-12-31,62.0,official\n2023-12-31,62.4,estimate\n"

    rejected = client.post(url, {"file": SimpleUploadedFile("v.csv", bad, "text/csv")})
    written_after_bad = Measurement.objects.count()
    accepted = client.post(url, {"file": SimpleUploadedFile("v.csv", good, "text/csv")})

    assert rejected.status_code == 422
    assert "“lots” is not a number" in rejected.content.decode()
    assert written_after_bad == 0
    assert accepted.status_code == 302
    assert set(Measurement.objects.values_list("entered_by", flat=True)) == {steward.pk}
    assert Measurement.objects.count() == 2


def test_the_steward_service_refuses_a_revoked_steward(steward, indicator):
    from django.core.exceptions import PermissionDenied

    IndicatorSteward.objects.filter(user=steward).update(
        revoked_at=datetime.datetime.now(tz=datetime.UTC)
    )

    with pytest.raises(PermissionDenied):
        stewards.steward_measurement_add(
            by=steward, indicator=indicator, period_end=datetime.date(2024, 12, 31), value=D(1)
        )
    assert not Measurement.objects.exists()


def test_a_steward_page_costs_the_same_queries_with_more_values(client, steward, indicator):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(steward)
    version = indicator.versions.get()
    first, delta = datetime.date(1950, 1, 1), datetime.timedelta(days=1)
    Measurement.objects.create(indicator=indicator, version=version, period_end=datetime.date(2000, 12, 31), value=1)  # fmt: skip
    client.get(entry_url(indicator))
    cache.clear()  # the page keeps its series between views: both counts below read it
    with CaptureQueriesContext(connection) as few:
        client.get(entry_url(indicator))
    Measurement.objects.bulk_create(
        Measurement(indicator=indicator, version=version, period_end=first + delta * n, value=n)
        for n in range(1, 41)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(entry_url(indicator))
    assert len(many) == len(few)


# --- Overdue indicators on the mission pages -------------------------------------------------


def test_the_owner_sees_overdue_indicators_on_the_mission_page(
    client, mission, indicator, editor, member
):
    owner = member("editor", full_name="Olga Owner")
    services.indicator_update(by=editor, indicator=indicator, owner=owner)
    overdue.mark_overdue(today=timezone.localdate() + datetime.timedelta(days=3 * 366))

    client.force_login(owner)
    owner_page = client.get(mission_url("missions:overview", mission)).content.decode()
    client.force_login(editor)
    other_page = client.get(mission_url("missions:overview", mission)).content.decode()

    assert "A new value is overdue for an indicator you own" in owner_page
    assert mission_url("evaluation:indicator", mission, indicator.key) in owner_page
    assert "indicator you own" not in other_page  # only owners are nudged here
    client.force_login(owner)
    indicator_page = client.get(mission_url("evaluation:indicator", mission, indicator.key))
    assert "You own this indicator" in indicator_page.content.decode()
