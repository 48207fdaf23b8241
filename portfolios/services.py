"""Writes for portfolio review: portfolios, facet classifications and review decisions.
Keyword-only, typed, atomic; each checks the permission again (leads and administrators)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from missions import services as mission_services
from missions import snapshots
from missions.models import Mission, MissionProject, MissionStatus
from portfolios import search, signals
from portfolios.facets import SCALE, Facet, derive_change_type, derive_facet
from portfolios.models import (
    DECISION_PAST,
    Decision,
    Initiative,
    Portfolio,
    PortfolioStamp,
    ReviewDecision,
)
from portfolios.selectors.decisions import approval_needs


def _require(by: User, permission: str, obj: Model) -> None:
    if not by.has_perm(permission, obj):
        raise PermissionDenied(_("Only leads and administrators of this organisation can do this."))


def stamp_bump(*, organisation_id: int) -> None:
    """Something the dashboard's totals read has changed: cached totals become stale."""
    updated = PortfolioStamp.objects.filter(organisation_id=organisation_id).update(
        version=F("version") + 1
    )
    if not updated:
        PortfolioStamp.objects.get_or_create(
            organisation_id=organisation_id, defaults={"version": 1}
        )


def on_mission_changed(mission_id: int) -> None:
    """missions.hooks listener (runs after commit): refresh search text, expire totals."""
    organisation_id = (
        Mission.objects.filter(pk=mission_id).values_list("organisation_id", flat=True).first()
    )
    if organisation_id is None:
        return
    search.refresh(mission_ids=[mission_id])
    stamp_bump(organisation_id=organisation_id)


def on_missions_changed(mission_ids: list[int]) -> None:
    """`on_mission_changed` for many missions at once (a bulk import): one refresh of their
    search text, one expiry of each organisation's totals."""
    organisation_ids = set(
        Mission.objects.filter(pk__in=mission_ids).values_list("organisation_id", flat=True)
    )
    if not organisation_ids:
        return
    search.refresh(mission_ids=mission_ids)
    for organisation_id in sorted(organisation_ids):
        stamp_bump(organisation_id=organisation_id)


# --- Portfolios --------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the portfolio a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("Keep the name under 120 characters.")})
    return name


def _missions_of(organisation: Organisation, missions: Iterable[Mission]) -> list[Mission]:
    chosen = list(missions)
    if any(m.organisation_id != organisation.pk for m in chosen):
        raise ValidationError({"missions": _("Choose missions of this organisation.")})
    return chosen


@transaction.atomic
def portfolio_create(
    *,
    by: User,
    organisation: Organisation,
    name: str,
    description: str = "",
    missions: Iterable[Mission] = (),
) -> Portfolio:
    """A new named selection of the organisation's missions."""
    _require(by, "portfolios.change_portfolio", organisation)
    name = _clean_name(name)
    if Portfolio.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("There is already a portfolio called “%(name)s”.") % {"name": name}}
        )
    base = slugify(name)[:70].strip("-") or "portfolio"
    taken = set(
        Portfolio.objects.filter(organisation=organisation, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, counter = base, 2
    while slug in taken or slug == "all":
        slug, counter = f"{base}-{counter}", counter + 1
    portfolio = Portfolio.objects.create(
        organisation=organisation,
        name=name,
        slug=slug,
        description=description.strip(),
        created_by=by,
    )
    portfolio.missions.set(_missions_of(organisation, missions))
    stamp_bump(organisation_id=organisation.pk)
    return portfolio


@transaction.atomic
def portfolio_update(
    *,
    by: User,
    portfolio: Portfolio,
    name: str,
    description: str = "",
    missions: Iterable[Mission] | None = None,
) -> Portfolio:
    """Rename a portfolio, and (when given) set which missions it holds."""
    _require(by, "portfolios.change_portfolio", portfolio.organisation)
    name = _clean_name(name)
    if (
        Portfolio.objects.filter(organisation=portfolio.organisation, name__iexact=name)
        .exclude(pk=portfolio.pk)
        .exists()
    ):
        raise ValidationError(
            {"name": _("There is already a portfolio called “%(name)s”.") % {"name": name}}
        )
    chosen = _missions_of(portfolio.organisation, missions) if missions is not None else None
    unchanged = (
        portfolio.name == name
        and portfolio.description == description.strip()
        and (chosen is None or set(chosen) == set(portfolio.missions.all()))
    )
    if unchanged:
        return portfolio  # saved unchanged: nothing written, cached dashboards stay valid
    portfolio.name, portfolio.description = name, description.strip()
    portfolio.save(update_fields=["name", "description", "updated_at"])
    if chosen is not None:
        portfolio.missions.set(chosen)
    stamp_bump(organisation_id=portfolio.organisation_id)
    return portfolio


@transaction.atomic
def portfolio_missions_add(*, by: User, portfolio: Portfolio, missions: Iterable[Mission]) -> int:
    """Add missions (e.g. those ticked on the dashboard) to a portfolio; returns how many."""
    _require(by, "portfolios.change_portfolio", portfolio.organisation)
    chosen = _missions_of(portfolio.organisation, missions)
    before = portfolio.missions.count()
    portfolio.missions.add(*chosen)
    stamp_bump(organisation_id=portfolio.organisation_id)
    return portfolio.missions.count() - before


@transaction.atomic
def portfolio_delete(*, by: User, portfolio: Portfolio) -> None:
    """Delete the selection; its missions are untouched."""
    _require(by, "portfolios.change_portfolio", portfolio.organisation)
    organisation_id = portfolio.organisation_id
    portfolio.delete()
    stamp_bump(organisation_id=organisation_id)


# --- Facets ------------------------------------------------------------------------------------


def _check_facet_answers(
    directionality: int, certainty: int, facet_override: str, override_reason: str
) -> None:
    problems = {}
    if directionality not in SCALE:
        problems["directionality"] = _("Choose how directed it is, from −2 to +2.")
    if certainty not in SCALE:
        problems["certainty"] = _("Choose how certain it is, from −2 to +2.")
    if facet_override and facet_override not in Facet.values:
        problems["facet_override"] = _("Choose one of the four facets.")
    if facet_override and not override_reason.strip():
        problems["override_reason"] = _(
            "Say why this initiative belongs to another facet than its answers suggest."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def initiative_classify(
    *,
    by: User,
    organisation: Organisation,
    directionality: int,
    certainty: int,
    project: MissionProject | None = None,
    initiative: Initiative | None = None,
    title: str = "",
    budget: Decimal | None = None,
    facet_override: str = "",
    override_reason: str = "",
) -> Initiative:
    """Record the two facet answers for a mission project (or an initiative outside missions,
    by `title` and `budget`); the facet is derived, and may be overridden with a reason."""
    _require(by, "portfolios.classify_initiative", organisation)
    _check_facet_answers(directionality, certainty, facet_override, override_reason)
    if project is not None and project.mission.organisation_id != organisation.pk:
        raise PermissionDenied(_("This project belongs to another organisation."))
    if project is None and initiative is None and not title.strip():
        raise ValidationError({"title": _("Give the initiative a title.")})
    if project is not None:
        initiative = Initiative.objects.filter(project=project).first() or Initiative(
            organisation=organisation, project=project
        )
    elif initiative is None:
        initiative = Initiative(organisation=organisation)
    answers = (
        "title",
        "budget",
        "directionality",
        "certainty",
        "facet_override",
        "override_reason",
    )
    before = {name: getattr(initiative, name) for name in answers}
    if initiative.project_id is None:
        initiative.title = " ".join(title.split())[:150] or initiative.title
        initiative.budget = budget
    initiative.directionality = directionality
    initiative.certainty = certainty
    initiative.facet_auto = derive_facet(directionality, certainty)
    initiative.change_type = derive_change_type(directionality, certainty)
    initiative.facet_override = "" if facet_override == initiative.facet_auto else facet_override
    initiative.override_reason = override_reason.strip() if initiative.facet_override else ""
    if initiative.pk and before == {name: getattr(initiative, name) for name in answers}:
        return initiative  # answered again unchanged: nothing written
    initiative.updated_by = by
    initiative.save()
    stamp_bump(organisation_id=organisation.pk)
    return initiative


# --- Review decisions --------------------------------------------------------------------------

# Which workflow step a decision takes, where the mission's status allows it.
DECISION_STEPS = {
    Decision.APPROVE: ("approve", {MissionStatus.PROPOSED}),
    Decision.REQUEST_CHANGES: ("withdraw", {MissionStatus.PROPOSED}),
    Decision.PAUSE: (
        "pause",
        {MissionStatus.APPROVED, MissionStatus.ACTIVE, MissionStatus.UNDER_REVIEW},
    ),
    Decision.STOP: (
        "retire",
        {
            MissionStatus.PROPOSED,
            MissionStatus.APPROVED,
            MissionStatus.ACTIVE,
            MissionStatus.UNDER_REVIEW,
            MissionStatus.PAUSED,
        },
    ),
}


def _snapshot_name(mission: Mission, decision: str) -> str:
    base = _("%(decision)s decision, %(when)s") % {
        "decision": DECISION_PAST[decision],
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
    }
    taken = set(mission.snapshots.filter(name__startswith=base).values_list("name", flat=True))
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base} ({counter})", counter + 1
    return name


@transaction.atomic
def decision_record(
    *, by: User, mission: Mission, decision: str, comments: str = ""
) -> ReviewDecision:
    """Record a lead's decision on a mission against a snapshot of it as it is now, and take
    the matching workflow step where the mission's status allows (approve a proposed mission,
    return a proposed one to its owners with requested changes, pause, stop = retire).
    Raises ValidationError with the workflow's unmet requirements, e.g. approving a mission
    without a mandate; then nothing is recorded."""
    _require(by, "portfolios.decide_mission", mission)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    comments = comments.strip()
    if decision == Decision.REQUEST_CHANGES and not comments:
        raise ValidationError(
            {"comments": _("Say what should change, so the mission's owners can act on it.")}
        )
    if len(comments) > 4000:
        raise ValidationError({"comments": _("Keep the comments under 4,000 characters.")})
    if mission.archived_at is not None:
        raise ValidationError(_("This mission is archived. Restore it before deciding on it."))
    if decision == Decision.APPROVE and (needs := approval_needs(mission=mission)):
        # Refused before a snapshot is taken, in the words the decision page lists.
        raise ValidationError([need.message for need in needs])
    status_before = mission.status
    snapshot = snapshots.snapshot_take(
        by=by, mission=mission, name=_snapshot_name(mission, decision)
    )
    step, sources = DECISION_STEPS[Decision(decision)]
    if status_before in sources:
        mission = mission_services.mission_transition(by=by, mission=mission, transition=step)
    record = ReviewDecision.objects.create(
        mission=mission,
        decision=decision,
        comments=comments,
        snapshot=snapshot,
        status_before=status_before,
        status_after=mission.status,
        decided_by=by,
    )
    mission_services.record_change(
        mission=mission,
        user=by,
        action="updated",
        object_type="decision",
        object_key=str(record.pk),
        changes={"decision": [None, decision], "snapshot": [None, snapshot.name]},
    )
    stamp_bump(organisation_id=mission.organisation_id)
    signals.decision_recorded.send(sender=ReviewDecision, decision=record, actor=by)
    return record
