"""Reads for the innovation facets page: the portfolio's mix of facets by count and budget,
the (directionality, certainty) grid of the scatter, and the projects and initiatives listed.
The facet rules themselves are plain functions in portfolios/facets.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from missions.models import MissionProject
from portfolios.facets import Facet, Prompt, balance_prompts
from portfolios.models import Initiative, Portfolio
from portfolios.selectors.filters import PAGE_SIZE
from portfolios.selectors.scope import missions_in_scope


@dataclass
class FacetMix:
    counts: dict[str, int]
    budgets: dict[str, Decimal]
    unclassified: int
    unclassified_budget: Decimal
    cells: dict[tuple[int, int], tuple[int, Decimal]]  # (d, c) → (count, budget)
    change_types: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budgets.values(), Decimal(0))

    @property
    def rows(self) -> list[dict[str, Any]]:
        total, money = self.total, self.budget_total
        return [
            {
                "facet": facet,
                "label": label,
                "count": self.counts.get(facet, 0),
                "count_share": round(self.counts.get(facet, 0) / total * 100) if total else 0,
                "budget": self.budgets.get(facet, Decimal(0)),
                "budget_share": round(self.budgets.get(facet, 0) / money * 100) if money else 0,
            }
            for facet, label in Facet.choices
        ]

    @property
    def prompts(self) -> list[Prompt]:
        return balance_prompts(self.counts, self.budgets)


def _initiatives_in_scope(
    *, user: User, organisation: Organisation, portfolio: Portfolio | None
) -> QuerySet[Initiative]:
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    initiatives = Initiative.objects.visible_to(user).filter(organisation=organisation)
    in_missions = Q(project__mission__in=missions.values("pk"))
    if portfolio is None:
        return initiatives.filter(in_missions | Q(project__isnull=True))
    return initiatives.filter(in_missions)


def facet_mix(*, user: User, organisation: Organisation, portfolio: Portfolio | None) -> FacetMix:
    """The portfolio's mix of facets by count and by budget, the (d, c) grid for the scatter,
    and the projects not yet classified. Four queries."""
    initiatives = _initiatives_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    effective = Case(When(facet_override="", then=F("facet_auto")), default=F("facet_override"))
    money = Coalesce(F("project__budget"), F("budget"), Value(Decimal(0)))
    by_facet = (
        initiatives.annotate(f=effective, m=money).values("f").annotate(n=Count("pk"), b=Sum("m"))
    )
    counts = {row["f"]: row["n"] for row in by_facet}
    budgets = {row["f"]: row["b"] or Decimal(0) for row in by_facet}
    cells = {
        (row["directionality"], row["certainty"]): (row["n"], row["b"] or Decimal(0))
        for row in initiatives.annotate(m=money)
        .values("directionality", "certainty")
        .annotate(n=Count("pk"), b=Sum("m"))
    }
    change_types = {
        row["change_type"]: row["n"]
        for row in initiatives.exclude(change_type="").values("change_type").annotate(n=Count("pk"))
    }
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    pending = MissionProject.objects.filter(
        mission__in=missions.values("pk"), initiative__isnull=True
    ).aggregate(n=Count("pk"), b=Sum("budget"))
    return FacetMix(
        counts=counts,
        budgets=budgets,
        unclassified=pending["n"] or 0,
        unclassified_budget=pending["b"] or Decimal(0),
        cells=cells,
        change_types=change_types,
    )


def initiative_list(
    *, user: User, organisation: Organisation, portfolio: Portfolio | None, page: Any = 1
) -> Page:
    """Mission projects in scope with their facet (if classified), and, for the whole
    organisation, the initiatives outside missions; 50 a page."""
    missions = missions_in_scope(user=user, organisation=organisation, portfolio=portfolio)
    projects = (
        MissionProject.objects.filter(mission__in=missions.values("pk"))
        .select_related("mission", "initiative")
        .only(
            "key",
            "title",
            "budget",
            "mission__key",
            "mission__title",
            "mission__currency",
            "initiative__directionality",
            "initiative__certainty",
            "initiative__facet_auto",
            "initiative__facet_override",
            "initiative__override_reason",
            "initiative__change_type",
        )
        .order_by("mission__title", "title", "pk")
    )
    return Paginator(projects, PAGE_SIZE).get_page(page)


def standalone_initiatives(*, user: User, organisation: Organisation) -> QuerySet[Initiative]:
    return (
        Initiative.objects.visible_to(user)
        .filter(organisation=organisation, project__isnull=True)
        .order_by("title")
    )


def project_for(
    *, user: User, organisation: Organisation, mission_key: str, project_key: str
) -> MissionProject:
    return get_object_or_404(
        MissionProject.objects.visible_to(user).select_related("mission__organisation"),
        mission__organisation=organisation,
        mission__key=mission_key,
        key=project_key,
    )
