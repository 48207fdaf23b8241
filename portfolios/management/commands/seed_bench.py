"""`python manage.py seed_bench --missions 10000`: a realistic large organisation for the
portfolio benchmarks, written with bulk_create in a few seconds.

Organisation `bench-<N>` ("Benchmark unit, N missions") gets: 200 actors across the helices,
40 grand challenges, N missions over every status and policy domain (owners, budgets against
need), 2 targets and 3 projects per mission (budgets, partners, facet answers for two in
three), an assessment with the five criteria for nine in ten missions, reviewer verdicts for
two in three, open and decided warnings, a decision against a snapshot for one in twenty, the
search documents, and a lead `portfolio-lead@bench.example` (password: DEMO_PASSWORD).

Deterministic (seeded random), and idempotent: if `bench-<N>` already has N missions it is
left alone; `--force` moves an existing one aside (renamed) and builds a fresh one.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organisation, User
from evaluation.models import (
    AssessmentRun,
    AssessmentState,
    CriterionResult,
    CriterionVerdict,
    Finding,
    FindingStatus,
    RunStatus,
)
from missions.exchange.bulk import analyze
from missions.models import (
    Actor,
    GrandChallenge,
    Helix,
    Instrument,
    Mission,
    MissionProject,
    MissionSnapshot,
    MissionStatus,
    Origin,
    PolicyDomain,
    Stage,
    Target,
)
from portfolios import search
from portfolios.facets import derive_change_type, derive_facet
from portfolios.models import Initiative, Portfolio, ReviewDecision

LEAD_EMAIL = "portfolio-lead@bench.example"
BENCH_TOTP_KEY = "6c6f6465737461722d62656e63682d746f74702d6b6579"  # as bench/context.py
BATCH = 2000
WORDS = [
    "health",
    "care",
    "ageing",
    "rivers",
    "water",
    "soil",
    "climate",
    "energy",
    "hydrogen",
    "steel",
    "housing",
    "mobility",
    "cities",
    "food",
    "nutrition",
    "school",
    "skills",
    "loneliness",
    "dementia",
    "flood",
    "heat",
    "biodiversity",
    "circular",
    "plastics",
    "digital",
    "data",
    "farming",
    "coast",
    "forests",
    "air",
    "noise",
    "cycling",
    "rail",
]
WARNINGS = [
    ("MANDATE_SINGLE_SPONSOR", "high"),
    ("OVER_UNDERFUNDED", "warn"),
    ("WASH_ACTIVITY_STATEMENT", "warn"),
    ("WASH_REBADGED", "high"),
    ("LOCKIN_STALE_MAP", "info"),
]
STATUS_WEIGHTS = {
    MissionStatus.DRAFT: 20,
    MissionStatus.PROPOSED: 20,
    MissionStatus.APPROVED: 10,
    MissionStatus.ACTIVE: 35,
    MissionStatus.UNDER_REVIEW: 5,
    MissionStatus.PAUSED: 4,
    MissionStatus.COMPLETED: 4,
    MissionStatus.RETIRED: 2,
}


class Command(BaseCommand):
    help = "Create a large organisation (bench-<N>) for the portfolio benchmarks, quickly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--missions", type=int, default=10_000)
        parser.add_argument("--force", action="store_true", help="rebuild even if present")
        parser.add_argument(
            "--no-analyze",
            action="store_true",
            help="leave the planner without statistics, as right after a large import "
            "(the dashboard's benchmark on an unanalysed database)",
        )

    def handle(
        self, *args: Any, missions: int, force: bool, no_analyze: bool = False, **options: Any
    ) -> None:
        self.analyze = not no_analyze
        slug = f"bench-{missions}"
        existing = Organisation.objects.filter(slug=slug).first()
        if existing and not force and existing.missions.count() == missions:
            self._ensure_lead(existing)
            # One seeded by an earlier version of this command was never analysed.
            self._analyze()
            self.stdout.write(f"{slug} already has {missions} missions; nothing to do.")
            return
        if existing:
            existing.slug = f"{slug}-old-{time.time_ns()}"
            existing.save(update_fields=["slug"])
        started = time.perf_counter()
        with transaction.atomic():
            organisation = Organisation.objects.create(
                slug=slug, name=f"Benchmark unit, {missions} missions"
            )
            self._ensure_lead(organisation)
            self._build(organisation, missions)
        search.refresh(organisation_id=organisation.pk)
        self._analyze()
        self.stdout.write(
            f"{slug}: {missions} missions in {time.perf_counter() - started:.1f} s "
            f"(sign in as {LEAD_EMAIL})."
        )

    def _analyze(self) -> None:
        """Give the planner statistics for the rows just loaded. Right after a bulk load the
        tables have none and autovacuum, which would gather them, is off on the bench
        machines: the planner then misjudges every join (the dashboard's totals took 98 s on
        an unanalysed bench database). The whole database, so that every table filled here
        is covered: accounts, missions, evaluation, portfolios, the search documents and the
        many-to-many tables."""
        if not self.analyze:
            return
        analyze()

    def _ensure_lead(self, organisation: Organisation) -> None:
        user = User.objects.filter(email=LEAD_EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                LEAD_EMAIL, settings.DEMO_PASSWORD, full_name="Portfolio Lead"
            )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": "lead"}
        )
        # Leads must pass two-factor: the bench signs in with this known authenticator key.
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Benchmark authenticator",
            defaults={"key": BENCH_TOTP_KEY, "confirmed": True},
        )

    def _build(self, organisation: Organisation, count: int) -> None:
        rng = random.Random(count)  # noqa: S311 - repeatable fake data, not secrets
        now = timezone.now()
        lead = User.objects.get(email=LEAD_EMAIL)
        helices = [h for h in Helix.values if h != Helix.ENVIRONMENT]
        actors = Actor.objects.bulk_create(
            [
                Actor(
                    organisation=organisation,
                    key=f"actor-{n}",
                    name=f"{rng.choice(['Agency', 'Ministry', 'University', 'Fund', 'Network', 'Company'])} {n}",
                    helix=helices[n % len(helices)],
                )
                for n in range(200)
            ]
        )
        challenges = GrandChallenge.objects.bulk_create(
            [
                GrandChallenge(
                    organisation=organisation,
                    key=f"challenge-{n}",
                    title=f"Grand challenge {n}: {' '.join(rng.sample(WORDS, 3))}",
                    sdgs=[1 + n % 17],
                )
                for n in range(40)
            ]
        )
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        domains = PolicyDomain.values
        owners = actors[:60]  # the owners are a smaller set, so overlap shows
        mission_rows = []
        for n in range(count):
            status = rng.choices(statuses, weights)[0]
            need = Decimal(rng.randrange(1, 200) * 500_000)
            words = rng.sample(WORDS, 4)
            mission_rows.append(
                Mission(
                    organisation=organisation,
                    key=f"mission-{n:05}",
                    title=f"{words[0].capitalize()} and {words[1]} {n}",
                    statement=(
                        f"By {2030 + n % 15} every region has {words[2]} and {words[3]} "
                        f"services for all residents ({n})."
                    ),
                    challenge=challenges[n % len(challenges)],
                    status=status,
                    paused_from="active" if status == MissionStatus.PAUSED else "",
                    owner=owners[rng.randrange(len(owners))],
                    coordinator=actors[rng.randrange(60, 200)] if n % 3 == 0 else None,
                    start_year=2022 + n % 4,
                    deadline_year=2030 + n % 15,
                    committed_budget=(need * Decimal(rng.choice([2, 4, 6, 8, 10, 12])) / 10)
                    if n % 10
                    else None,
                    estimated_need=need,
                    policy_domain=domains[n % len(domains)],
                    created_by=lead,
                )
            )
        missions = Mission.objects.bulk_create(mission_rows, batch_size=BATCH)

        Target.objects.bulk_create(
            [
                Target(
                    mission=m,
                    key=f"t{t}",
                    title=f"Target {t} of {m.title}",
                    is_headline=t == 0,
                    direction="increase",
                    baseline_value=Decimal(10),
                    baseline_year=2020,
                    target_value=Decimal(50),
                    target_year=m.deadline_year,
                    unit="percent",
                    position=t,
                )
                for m in missions
                for t in range(2)
            ],
            batch_size=BATCH,
        )
        stages, instruments, origins = Stage.values, Instrument.values, Origin.values
        projects = MissionProject.objects.bulk_create(
            [
                MissionProject(
                    mission=m,
                    key=f"p{p}",
                    title=f"Project {p} of {m.title}",
                    lead=actors[rng.randrange(200)],
                    instrument=instruments[(i + p) % len(instruments)],
                    stage=stages[(i + p) % len(stages)],
                    origin=origins[(i + 2 * p) % len(origins)],
                    status="active",
                    budget=Decimal(rng.randrange(1, 40) * 100_000),
                    sectors=["health care"],
                )
                for i, m in enumerate(missions)
                for p in range(3)
            ],
            batch_size=BATCH,
        )
        through = MissionProject.partners.through
        through.objects.bulk_create(
            [
                through(missionproject_id=project.pk, actor_id=actors[rng.randrange(200)].pk)
                for project in projects
                if rng.random() < 0.5
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        initiatives = []
        for project in projects:
            if rng.random() < 0.67:
                d, c = rng.randint(-2, 2), rng.randint(-2, 2)
                initiatives.append(
                    Initiative(
                        organisation=organisation,
                        project=project,
                        directionality=d,
                        certainty=c,
                        facet_auto=derive_facet(d, c),
                        change_type=derive_change_type(d, c),
                    )
                )
        Initiative.objects.bulk_create(initiatives, batch_size=BATCH)

        assessed = [m for i, m in enumerate(missions) if i % 10]
        runs = AssessmentRun.objects.bulk_create(
            [
                AssessmentRun(mission=m, status=RunStatus.DONE, started_at=now, finished_at=now)
                for m in assessed
            ],
            batch_size=BATCH,
        )
        AssessmentState.objects.bulk_create(
            [AssessmentState(mission=run.mission, last_run=run, checked_at=now) for run in runs],
            batch_size=BATCH,
        )
        CriterionResult.objects.bulk_create(
            [
                CriterionResult(
                    run=run, criterion=f"c{c}", auto_score=rng.choice([20, 45, 60, 80, 95, None])
                )
                for run in runs
                for c in range(1, 6)
            ],
            batch_size=BATCH,
        )
        CriterionVerdict.objects.bulk_create(
            [
                CriterionVerdict(
                    mission=m,
                    criterion=f"c{c}",
                    reviewer=lead,
                    rating=rng.randint(1, 5),
                    rationale="Reviewed for the benchmark.",
                )
                for i, m in enumerate(assessed)
                if i % 3
                for c in range(1, 6)
            ],
            batch_size=BATCH,
        )
        findings = []
        for m in missions:
            for code, severity in rng.sample(WARNINGS, rng.randint(0, 3)):
                finding_status = rng.choice(
                    [
                        FindingStatus.OPEN,
                        FindingStatus.OPEN,
                        FindingStatus.OPEN,
                        FindingStatus.ACKNOWLEDGED,
                    ]
                )
                findings.append(
                    Finding(
                        mission=m,
                        code=code,
                        severity=severity,
                        first_seen=now,
                        last_seen=now,
                        status=finding_status,
                        reason=(
                            "Known and planned for." if finding_status != FindingStatus.OPEN else ""
                        ),
                    )
                )
        Finding.objects.bulk_create(findings, batch_size=BATCH)

        decided = missions[::20]
        snapshots = MissionSnapshot.objects.bulk_create(
            [
                MissionSnapshot(
                    mission=m,
                    name="Approved decision, benchmark",
                    taken_by=lead,
                    document={"key": m.key, "title": m.title, "status": m.status},
                )
                for m in decided
            ],
            batch_size=BATCH,
        )
        ReviewDecision.objects.bulk_create(
            [
                ReviewDecision(
                    mission=s.mission,
                    decision="approve",
                    snapshot=s,
                    status_before=s.mission.status,
                    status_after=s.mission.status,
                    decided_by=lead,
                )
                for s in snapshots
            ],
            batch_size=BATCH,
        )
        portfolio = Portfolio.objects.create(
            organisation=organisation, slug="health", name="Health missions", created_by=lead
        )
        portfolio.missions.add(*[m for m in missions if m.policy_domain == "07"][:500])
