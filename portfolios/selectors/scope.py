"""What every portfolio read starts from: the organisation's portfolios and its missions that
the user may see (`visible_to(user)`), not archived, optionally those of one portfolio."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from missions.models import Mission
from portfolios.models import Portfolio


def portfolios_of(*, user: User, organisation: Organisation) -> QuerySet[Portfolio]:
    return Portfolio.objects.visible_to(user).filter(organisation=organisation).order_by("name")


def portfolio_for(*, user: User, organisation: Organisation, slug: str) -> Portfolio:
    return get_object_or_404(portfolios_of(user=user, organisation=organisation), slug=slug)


def missions_in_scope(
    *, user: User, organisation: Organisation, portfolio: Portfolio | None = None
) -> QuerySet[Mission]:
    """The organisation's missions that are not archived, or those of one portfolio."""
    missions = Mission.objects.visible_to(user).filter(
        organisation=organisation, archived_at__isnull=True
    )
    if portfolio is not None:
        missions = missions.filter(portfolios=portfolio)
    return missions
