"""The dashboard's state: what it filters and sorts on, read from the query string, and the
names of the criteria results it shows (worst first)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from config.inputs import whole_number
from evaluation.criteria.engine import (
    AMBER,
    AUTO_FAILS,
    AUTO_MEETS,
    AUTO_PARTLY,
    AWAITING_REVIEW,
    GREEN,
    RED,
)
from evaluation.criteria.rules import CRITERIA, warning_rules
from missions.models import Actor, Mission, MissionStatus, PolicyDomain
from portfolios.facets import Facet
from portfolios.models import Portfolio
from portfolios.selectors.scope import portfolios_of

PAGE_SIZE = 50
# Totals, the computed columns' orders and the filter choices are cached this long at most.
TOTALS_SECONDS = 60
CRITERION_CODES = list(CRITERIA)
# Worst first, as sorted. Until a reviewer rates a criterion, the portfolio shows the automatic
# result marked as automatic (engine.portfolio_status); "awaiting review" only when nothing could
# be judged.
STATUS_KEYS = [
    "red",
    "amber",
    "auto_fails",
    "auto_partly",
    "awaiting_review",
    "auto_meets",
    "green",
]
STATUS_RANK = {key: rank for rank, key in enumerate(STATUS_KEYS)}
DISPLAY = {
    "red": RED,
    "amber": AMBER,
    "auto_fails": AUTO_FAILS,
    "auto_partly": AUTO_PARTLY,
    "awaiting_review": AWAITING_REVIEW,
    "auto_meets": AUTO_MEETS,
    "green": GREEN,
}
SHORT_STATUS = {
    "green": _("Meets"),
    "amber": _("Partly"),
    "red": _("Does not meet"),
    "auto_meets": _("Automatic: met"),
    "auto_partly": _("Automatic: partly"),
    "auto_fails": _("Automatic: not met"),
    "awaiting_review": _("Awaiting review"),
}
WORKFLOW_ORDER = [s.value for s in MissionStatus]
SEVERITIES = ["high", "warn", "info"]

SORTS = [
    "title",
    "status",
    "owner",
    *CRITERION_CODES,
    "warnings",
    "progress",
    "budget",
    "decision",
]
# Sorting on these columns needs a value computed from other tables for every matching mission:
# pages are cut from the order computed with the totals (see totals.py).
COMPUTED_SORTS = [*CRITERION_CODES, "warnings", "progress", "budget", "decision"]


@dataclass
class Filters:
    """The dashboard's state, all of it in the query string so a view can be bookmarked."""

    portfolio: Portfolio | None = None
    q: str = ""
    status: str = ""
    criterion: str = ""
    criterion_status: str = ""
    warning: str = ""
    domain: str = ""
    facet: str = ""
    owner: str = ""  # actor key
    drafts: bool = False
    sort: str = "title"
    after: int | None = None
    before: int | None = None

    @property
    def sort_field(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.status
            or (self.criterion and self.criterion_status)
            or self.warning
            or self.domain
            or self.facet
            or self.owner
        )

    def query(self, **changes: Any) -> dict[str, str]:
        """The query-string parameters of this state (without the page cursor), with changes."""
        values = {
            "portfolio": self.portfolio.slug if self.portfolio else "",
            "q": self.q,
            "status": self.status,
            "criterion": self.criterion,
            "criterion_status": self.criterion_status,
            "warning": self.warning,
            "domain": self.domain,
            "facet": self.facet,
            "owner": self.owner,
            "drafts": "1" if self.drafts else "",
            "sort": "" if self.sort == "title" else self.sort,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    def cache_key(self) -> str:
        parts = sorted(self.query(sort="").items())
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def parse_filters(
    params: Any, *, user: User, organisation: Organisation, portfolio: Portfolio | None = None
) -> Filters:
    """Read the dashboard's query string; anything unknown is ignored, never an error."""

    def pick(name: str, allowed: list[str] | set[str]) -> str:
        value = params.get(name, "")
        return value if value in allowed else ""

    def number(name: str) -> int | None:
        return whole_number(params.get(name))

    if portfolio is None and params.get("portfolio"):
        portfolio = (
            portfolios_of(user=user, organisation=organisation)
            .filter(slug=params["portfolio"])
            .first()
        )
    sort = params.get("sort", "") or "title"
    if sort.removeprefix("-") not in SORTS:
        sort = "title"
    return Filters(
        portfolio=portfolio,
        q=" ".join(params.get("q", "").split())[:200],
        status=pick("status", MissionStatus.values),
        criterion=pick("criterion", CRITERION_CODES),
        criterion_status=pick("criterion_status", STATUS_KEYS),
        warning=pick("warning", {rule.code for rule in warning_rules()}),
        domain=pick("domain", PolicyDomain.values),
        facet=pick("facet", Facet.values),
        owner=params.get("owner", "")[:80],
        drafts=params.get("drafts") == "1",
        sort=sort,
        after=number("after"),
        before=number("before"),
    )


def owner_choices(*, user: User, organisation: Organisation) -> list[tuple[str, str]]:
    """Actors that own at least one of the organisation's missions, for the owner filter."""
    owners = (
        Actor.objects.visible_to(user)
        .filter(organisation=organisation)
        .filter(Exists(Mission.objects.filter(owner_id=OuterRef("pk"), archived_at__isnull=True)))
        .order_by("name")
        .values_list("key", "name")
    )
    return list(owners)


def filter_options(*, user: User, organisation: Organisation, version: int) -> dict[str, Any]:
    """The choices of the filter form (cached with the totals' data version)."""
    key = f"portfolios:options:{organisation.pk}:{version}"
    options = cache.get(key)
    if options is None:
        options = {"owners": owner_choices(user=user, organisation=organisation)}
        cache.set(key, options, TOTALS_SECONDS)
    return {
        **options,
        "statuses": MissionStatus.choices,
        "criteria": [(code, c.name) for code, c in CRITERIA.items()],
        "criterion_statuses": [(key, DISPLAY[key].label) for key in STATUS_KEYS],
        "warnings": sorted(((r.code, r.label) for r in warning_rules()), key=lambda w: str(w[1])),
        "domains": PolicyDomain.choices,
        "facets": Facet.choices,
    }
