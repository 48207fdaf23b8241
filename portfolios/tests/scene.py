"""A small portfolio scene (shared by the unit and browser tests): missions with criteria results, reviewer verdicts, warnings,
owners, projects with facets, so the dashboard has something to show."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from evaluation.models import (
    AssessmentRun,
    AssessmentState,
    CriterionResult,
    CriterionVerdict,
    Finding,
    RunStatus,
)
from missions.models import MandateSource
from missions.tests.factories import (
    ActorFactory,
    MissionFactory,
    MissionProjectFactory,
    TargetFactory,
)
from portfolios import search
from portfolios.facets import derive_change_type, derive_facet
from portfolios.models import Initiative


def assess(
    mission, scores: dict[str, int | None], ratings: dict[str, int] | None = None, reviewer=None
):
    """Store an assessment run with these automatic scores and (optionally) verdicts."""
    run = AssessmentRun.objects.create(mission=mission, status=RunStatus.DONE)
    for code, score in scores.items():
        CriterionResult.objects.create(run=run, criterion=code, auto_score=score, signals=[])
    AssessmentState.objects.update_or_create(mission=mission, defaults={"last_run": run})
    for code, rating in (ratings or {}).items():
        CriterionVerdict.objects.create(
            mission=mission,
            criterion=code,
            rating=rating,
            rationale="Looked at it.",
            reviewer=reviewer,
        )


def warn(mission, code: str, severity: str, status: str = "open"):
    now = timezone.now()
    return Finding.objects.create(
        mission=mission,
        code=code,
        severity=severity,
        first_seen=now,
        last_seen=now,
        status=status,
        reason="" if status in ("open", "resolved") else "Known.",
    )


def classify(project, d: int, c: int, **extra):
    return Initiative.objects.create(
        organisation=project.mission.organisation,
        project=project,
        directionality=d,
        certainty=c,
        facet_auto=derive_facet(d, c),
        change_type=derive_change_type(d, c),
        **extra,
    )


def build_scene(organisation):
    """Four missions of the organisation, one a draft:

    - “Healthy ageing” (proposed, health, owner Ministry of Health): C2 red (score 30, rating 3),
      one open high warning, committed 2m of 4m, mandate recorded (so it can be approved);
    - “Clean rivers” (active, environment, owner Water Agency): C2 green (90, 5), one
      acknowledged warning (not open);
    - “Green steel” (proposed, economic affairs, owner Water Agency): no assessment yet, an
      anticipatory project; canvas-free but its statement mentions hydrogen;
    - “Draft idea” (draft).
    """
    health = ActorFactory(organisation=organisation, key="moh", name="Ministry of Health")
    water = ActorFactory(organisation=organisation, key="water", name="Water Agency")
    ageing = MissionFactory(
        organisation=organisation,
        key="healthy-ageing",
        title="Healthy ageing",
        status="proposed",
        policy_domain="07",
        owner=health,
        committed_budget=Decimal("2000000"),
        estimated_need=Decimal("4000000"),
        mandate_source=MandateSource.GOVERNMENT_DECISION,
        mandate_reference="Cabinet decision 2025/17",
        mandate_date=timezone.localdate(),
    )
    TargetFactory(mission=ageing, key="hly", title="Healthy life years")
    rivers = MissionFactory(
        organisation=organisation,
        key="clean-rivers",
        title="Clean rivers",
        status="active",
        policy_domain="05",
        owner=water,
        committed_budget=Decimal("5000000"),
        estimated_need=Decimal("5000000"),
    )
    steel = MissionFactory(
        organisation=organisation,
        key="green-steel",
        title="Green steel",
        status="proposed",
        policy_domain="04",
        owner=water,
        statement="By 2035 all steel made in the region uses hydrogen instead of coal.",
    )
    draft = MissionFactory(organisation=organisation, key="draft-idea", title="Draft idea")
    assess(ageing, {"c1": 80, "c2": 30}, {"c1": 4, "c2": 3})
    assess(rivers, {"c1": 80, "c2": 90}, {"c2": 5})
    warn(ageing, "MANDATE_SINGLE_SPONSOR", "high")
    warn(rivers, "OVER_UNDERFUNDED", "warn", status="acknowledged")
    lab = MissionProjectFactory(
        mission=steel,
        key="h2-lab",
        title="Hydrogen lab",
        budget=Decimal("900000"),
        public_funding=None,
    )
    grid = MissionProjectFactory(
        mission=rivers,
        key="sensors",
        title="River sensors",
        budget=Decimal("100000"),
        public_funding=None,
    )
    classify(lab, -1, -2)  # anticipatory
    classify(grid, 2, 1)  # mission-oriented
    search.refresh(organisation_id=organisation.pk)
    return {"ageing": ageing, "rivers": rivers, "steel": steel, "draft": draft}
