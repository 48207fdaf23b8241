"""Factories for missions. They write rows directly (no permission checks, no history), for
setting up a scene; tests of behaviour call the services."""

from decimal import Decimal

import factory

from accounts.tests.factories import OrganisationFactory
from missions.models import (
    Actor,
    Direction,
    GrandChallenge,
    Helix,
    Milestone,
    Mission,
    MissionProject,
    ProjectContribution,
    Target,
)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.Sequence(lambda n: f"Agency number {n}")
    helix = Helix.GOVERNMENT


class GrandChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrandChallenge

    organisation = factory.SubFactory(OrganisationFactory)
    key = factory.Sequence(lambda n: f"challenge-{n}")
    title = factory.Sequence(lambda n: f"Grand challenge {n}")
    sdgs = factory.LazyFunction(lambda: [3])


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    organisation = factory.SubFactory(OrganisationFactory)
    challenge = factory.SubFactory(
        GrandChallengeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    key = factory.Sequence(lambda n: f"mission-{n}")
    title = factory.Sequence(lambda n: f"Mission {n}")
    statement = "By 2040 everyone lives five more years in good health."
    start_year = 2020
    deadline_year = 2040


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    mission = factory.SubFactory(MissionFactory)
    key = factory.Sequence(lambda n: f"target-{n}")
    title = factory.Sequence(lambda n: f"Healthy life years {n}")
    is_headline = True
    direction = Direction.INCREASE
    baseline_value = Decimal("62.0")
    baseline_year = 2018
    target_value = Decimal("67.0")
    target_year = 2040
    unit = "years"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    target = factory.SubFactory(TargetFactory)
    year = factory.Sequence(lambda n: 2021 + n % 19)
    value = Decimal("63.0")


class MissionProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionProject

    mission = factory.SubFactory(MissionFactory)
    key = factory.Sequence(lambda n: f"project-{n}")
    title = factory.Sequence(lambda n: f"Field lab {n}")
    sectors = factory.LazyFunction(lambda: ["Health care"])
    budget = Decimal("1000000.00")
    public_funding = Decimal("500000.00")


class ProjectContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectContribution

    project = factory.SubFactory(MissionProjectFactory)
    target = factory.SubFactory(TargetFactory, mission=factory.SelfAttribute("..project.mission"))
    rationale = "Moves people's daily habits."
