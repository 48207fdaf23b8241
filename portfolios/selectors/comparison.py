"""Two to four missions side by side: each one's dashboard row, headline targets, projects and
their budget, warnings (open and decided) and stakeholders per sector."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum

from accounts.models import Organisation, User
from evaluation.criteria import thresholds as threshold_settings
from evaluation.criteria.rules import Rule, warning_rules
from evaluation.models import Finding
from missions.models import Target
from portfolios.selectors.rows import Row, row_from, with_row_values
from portfolios.selectors.scope import missions_in_scope
from stakeholders.models import Stakeholder

MAX_COMPARE = 4
SEVERITY_ORDER = {"high": 0, "warn": 1, "info": 2}


@dataclass
class Compared:
    row: Row
    headline_targets: list[Target]
    project_count: int
    project_budget: Decimal
    warnings: list[tuple[Finding, Rule | None]]
    stakeholders: dict[str, int]  # helix → count


def stakeholder_coverage(mission_ids: list[int]) -> dict[int, dict[str, int]]:
    """Stakeholders per helix (sector) for each mission, in one query."""
    coverage: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Stakeholder.objects.filter(mission_id__in=mission_ids)
        .order_by()
        .values("mission_id", "helix")
        .annotate(n=Count("pk"))
    ):
        coverage[row["mission_id"]][row["helix"]] = row["n"]
    return coverage


def compare_missions(*, user: User, organisation: Organisation, keys: list[str]) -> list[Compared]:
    """Two to four missions side by side, in the order asked; a constant number of queries."""
    keys = list(dict.fromkeys(keys))[:MAX_COMPARE]
    missions = (
        with_row_values(
            missions_in_scope(user=user, organisation=organisation).filter(key__in=keys)
        )
        .annotate(
            project_count=Count("projects", distinct=True), project_budget=Sum("projects__budget")
        )
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(is_headline=True).order_by("position", "key"),
                to_attr="headline_list",
            )
        )
    )
    by_key = {m.key: m for m in missions}
    findings: dict[int, list[tuple[Finding, Rule | None]]] = defaultdict(list)
    rules = {r.code: r for r in warning_rules()}
    for finding in (
        Finding.objects.current()
        .filter(mission_id__in=[m.pk for m in by_key.values()])
        .order_by("code")
    ):
        findings[finding.mission_id].append((finding, rules.get(finding.code)))
    coverage = stakeholder_coverage([m.pk for m in by_key.values()])
    t = threshold_settings.current()
    result = []
    for key in keys:
        mission = by_key.get(key)
        if mission is None:
            continue
        result.append(
            Compared(
                row=row_from(mission, t),
                headline_targets=mission.headline_list,
                project_count=mission.project_count,
                project_budget=mission.project_budget or Decimal(0),
                warnings=sorted(
                    findings[mission.pk],
                    key=lambda fw: (SEVERITY_ORDER.get(fw[0].severity, 9), fw[0].code),
                ),
                stakeholders=coverage.get(mission.pk, {}),
            )
        )
    return result
