"""Writes for missions. Every function is keyword-only, atomic, takes the person acting as `by`
(a signed-in user; an `Actor` is an outside organisation in the register, another thing), checks
the permission again (the view may have checked already; this is the last line)
and records what it changed in the mission's history.

Conventions for callers (views, the importer, tests):
- Validation problems raise `ValidationError` keyed by field, with messages for the user.
- A missing permission raises `PermissionDenied`.
- `*_update` functions take the `expected_version` the page showed and raise `ConflictError` if
  someone saved in between, so concurrent edits never silently overwrite each other. They return
  the saved object; use it instead of the instance passed in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from config.wording import in_sentence
from missions import hooks, parts, signals, workflow
from missions.models import (
    Actor,
    ActorKind,
    ChangeAction,
    GrandChallenge,
    Milestone,
    MilestoneStatus,
    Mission,
    MissionProject,
    MissionStatus,
    ProjectContribution,
    Target,
)
from missions.parts import ConflictError, plain, record_change, unique_key

# ConflictError is raised by every *_update (views catch it from here); the rest is the kernel's
# (missions.parts), imported here by code that predates it.
__all__ = ["ConflictError", "plain", "record_change", "unique_key"]

MISSION_FIELDS = frozenset(
    {
        "title",
        "statement",
        "language",
        "challenge",
        "parent",
        "mandate_source",
        "mandate_reference",
        "mandate_date",
        "owner",
        "coordinator",
        "start_year",
        "deadline_year",
        "committed_budget",
        "estimated_need",
        "currency",
        "team_fte",
        "sdgs",
        "policy_domain",
        "geography",
        "affected_population",
        "source_url",
        "notes",
    }
)
# What the target form changes, in its order; the importer sets a position and notes too.
TARGET_FORM_FIELDS = (
    "title",
    "is_headline",
    "direction",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "unit",
    "success_condition",
    "geography",
)
TARGET_FIELDS = frozenset({*TARGET_FORM_FIELDS, "position", "notes"})
MILESTONE_FIELDS = frozenset({"year", "value", "description", "status", "actual_value"})
PROJECT_FIELDS = frozenset(
    {
        "title",
        "description",
        "lead",
        "sectors",
        "disciplines",
        "instrument",
        "stage",
        "origin",
        "start_date",
        "end_date",
        "budget",
        "public_funding",
        "status",
        "notes",
    }
)
ACTOR_FIELDS = frozenset({"name", "helix", "kind", "government_level", "country"})


# --- Helpers ---------------------------------------------------------------------------------


def _require(by: User, permission: str, obj: Any, message: str) -> None:
    if not by.has_perm(permission, obj):
        raise PermissionDenied(message)


def _same_organisation(
    mission: Mission, **objects: GrandChallenge | Actor | Mission | None
) -> None:
    errors = {
        name: _("Choose one from this organisation.")
        for name, obj in objects.items()
        if obj is not None and obj.organisation_id != mission.organisation_id
    }
    if errors:
        raise ValidationError(errors)


# --- Grand challenges and actors -------------------------------------------------------------


@transaction.atomic
def challenge_create(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    description: str = "",
    sdgs: list[int] | None = None,
    key: str | None = None,
) -> GrandChallenge:
    """Create a grand challenge in the organisation."""
    _require(by, "missions.add_mission", organisation, _("Only editors can add grand challenges."))
    challenge = GrandChallenge(
        organisation=organisation,
        key=key or unique_key(organisation.challenges.all(), title, fallback="challenge"),
        title=title.strip(),
        description=description,
        sdgs=sdgs or [],
        created_by=by,
        updated_by=by,
    )
    challenge.full_clean()
    challenge.save()
    return challenge


def _normalised_name(name: str) -> str:
    return " ".join(name.split())


@transaction.atomic
def actor_get_or_create(
    *,
    by: User,
    organisation: Organisation,
    name: str,
    helix: str = "",
    kind: str = ActorKind.ORGANISATION,
    government_level: str = "",
    country: str = "",
    key: str | None = None,
) -> tuple[Actor, bool]:
    """The organisation's actor with this name (ignoring case and extra spaces), or a new one.
    Returns `(outside_actor, created)`. A new actor needs a helix."""
    _require(by, "missions.change_actor", organisation, _("Only editors can add actors."))
    name = _normalised_name(name)
    existing = Actor.objects.filter(organisation=organisation, name__iexact=name).first()
    if existing is not None:
        return existing, False
    if not helix:
        raise ValidationError(
            {
                "helix": _(
                    "Say whether %(name)s is government, industry, academia or civil society."
                )
                % {"name": name}
            }
        )
    outside = Actor(
        organisation=organisation,
        key=key or unique_key(organisation.actors.all(), name, fallback="actor"),
        name=name,
        helix=helix,
        kind=kind,
        government_level=government_level,
        country=country.upper(),
        created_by=by,
        updated_by=by,
    )
    outside.full_clean()
    outside.save()
    return outside, True


@transaction.atomic
def actor_update(*, by: User, outside_actor: Actor, **fields: Any) -> tuple[Actor, bool]:
    """Change an actor's details; (the actor, whether anything changed). Renaming to another
    actor's name (ignoring case) is refused."""
    parts.check_fields(fields, ACTOR_FIELDS)
    _require(by, "missions.change_actor", outside_actor, _("Only editors can change actors."))
    if "name" in fields:
        fields["name"] = _normalised_name(fields["name"])
        clash = (
            Actor.objects.filter(
                organisation=outside_actor.organisation_id, name__iexact=fields["name"]
            )
            .exclude(pk=outside_actor.pk)
            .first()
        )
        if clash:
            raise ValidationError(
                {"name": _("%(name)s is already in the actor register.") % {"name": clash.name}}
            )
    before = parts.field_values(outside_actor, fields)
    parts.apply(outside_actor, fields)
    outside_actor.full_clean()
    if not parts.field_changes(before, outside_actor):
        return outside_actor, False  # the form came back as it was shown: nothing written
    outside_actor.updated_by = by
    outside_actor.save()
    return outside_actor, True


# --- Missions --------------------------------------------------------------------------------

MISSION_HISTORY_FIELDS = sorted(MISSION_FIELDS)


@transaction.atomic
def mission_create(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    challenge: GrandChallenge | None = None,
    challenge_title: str = "",
    statement: str = "",
    language: str = "",
    deadline_year: int | None = None,
    parent: Mission | None = None,
    key: str | None = None,
) -> Mission:
    """Start a draft mission. Give an existing `challenge`, or a `challenge_title`: a challenge
    of that title (ignoring case) is reused, or created."""
    _require(
        by,
        "missions.add_mission",
        organisation,
        _("Only editors can start missions in %(organisation)s.") % {"organisation": organisation},
    )
    if challenge is None:
        if not challenge_title.strip():
            raise ValidationError(
                {"challenge": _("Name the grand challenge this mission answers.")}
            )
        challenge = GrandChallenge.objects.filter(
            organisation=organisation, title__iexact=challenge_title.strip()
        ).first() or challenge_create(by=by, organisation=organisation, title=challenge_title)
    mission = Mission(
        organisation=organisation,
        key=key or unique_key(organisation.missions.all(), title, fallback="mission"),
        title=title.strip(),
        statement=statement.strip(),
        language=language,
        currency=organisation.currency,
        challenge=challenge,
        parent=parent,
        deadline_year=deadline_year,
        created_by=by,
        updated_by=by,
    )
    if not mission.title:
        raise ValidationError({"title": _("Give the mission a title.")})
    mission.full_clean()
    mission.save()
    record_change(
        mission=mission,
        user=by,
        action=ChangeAction.CREATED,
        object_type="mission",
        object_key=mission.key,
        changes=parts.changes_between(
            {}, parts.snapshot(mission, ["title", "statement", "challenge", "deadline_year"])
        ),
    )
    return mission


@transaction.atomic
def mission_update(*, by: User, mission: Mission, expected_version: int, **fields: Any) -> Mission:
    """Change a mission's fields (see `MISSION_FIELDS`; status changes go through
    `mission_transition`). Refuses with `ConflictError` if the mission's version is no longer
    `expected_version`. A new deadline must not fall before any target's year."""
    _same_organisation(
        mission,
        challenge=fields.get("challenge"),
        owner=fields.get("owner"),
        coordinator=fields.get("coordinator"),
        parent=fields.get("parent"),
    )
    # Saved unchanged: no new version, no history, no assessment (the caller sees the version it
    # sent back).
    return parts.update_part(
        MISSION,
        mission,
        by=by,
        mission=mission,
        expected_version=expected_version,
        fields=fields,
        validate=_deadline_after_targets,
        touch_mission=False,
    )


def _deadline_after_targets(mission: Mission, changes: Mapping[str, list[Any]]) -> None:
    """A new deadline must not fall before any target's year."""
    if "deadline_year" not in changes or not mission.deadline_year:
        return
    late = mission.targets.filter(target_year__gt=mission.deadline_year).order_by("target_year")
    if late:
        raise ValidationError(
            {
                "deadline_year": [
                    _("Target “%(title)s” is due in %(year)s, after the deadline %(deadline)s.")
                    % {"title": t.title, "year": t.target_year, "deadline": mission.deadline_year}
                    for t in late
                ]
            }
        )


@transaction.atomic
def mission_transition(
    *, by: User, mission: Mission, transition: str, expected_version: int | None = None
) -> Mission:
    """Move the mission along the workflow (`missions.workflow.TRANSITIONS`: propose, withdraw,
    approve, activate, start_review, end_review, pause, resume, complete, retire). Raises
    `ValidationError` listing every unmet requirement, `PermissionDenied` if the user may not
    take this step, and `ConflictError` if `expected_version` is given and stale."""
    step = workflow.TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError(_("There is no step called “%(name)s”.") % {"name": transition})
    if mission.archived_at is not None:
        raise PermissionDenied(
            _("This mission is archived. Restore it before changing its status.")
        )
    _require(
        by,
        step.permission,
        mission,
        _("You may not %(step)s this mission.") % {"step": in_sentence(step.label)},
    )
    locked = Mission.objects.select_for_update().get(pk=mission.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            obj=locked, expected_version=expected_version, current_version=locked.version
        )
    mission = locked
    if mission.status not in step.sources:
        raise ValidationError(
            _("A mission that is %(status)s cannot take the step “%(step)s”.")
            % {"status": in_sentence(mission.get_status_display()), "step": step.label}
        )
    unmet = step.unmet(mission)
    if unmet:
        raise ValidationError(unmet)
    before = {"status": mission.status}
    new_status = step.target_for(mission)
    mission.paused_from = mission.status if new_status == MissionStatus.PAUSED else ""
    mission.status = new_status
    if new_status == MissionStatus.APPROVED and mission.approved_on is None:
        mission.approved_on = timezone.localdate()
    mission.updated_by = by
    mission.save()
    record_change(
        mission=mission,
        user=by,
        action=ChangeAction.TRANSITIONED,
        object_type="mission",
        object_key=mission.key,
        changes={"status": [before["status"], mission.status], "transition": [None, step.name]},
    )
    signals.mission_transitioned.send(
        sender=Mission,
        mission=mission,
        actor=by,
        transition=step.name,
        status_before=before["status"],
    )
    return mission


def mission_transitions(*, mission: Mission, user: User) -> list[workflow.TransitionOption]:
    """For the mission page: the steps available from the current status, whether `user` may
    take each, and each one's unmet requirements in plain words (a task list)."""
    return workflow.transitions_for(mission=mission, user=user)


def mission_archive(*, by: User, mission: Mission) -> Mission:
    """Archive a mission: it leaves the lists and becomes read-only, but nothing is lost."""
    _require(
        by,
        "missions.archive_mission",
        mission,
        _("Only leads and administrators can archive missions."),
    )
    return _set_archived(by, mission, timezone.now(), ChangeAction.ARCHIVED)


def mission_restore(*, by: User, mission: Mission) -> Mission:
    """Bring an archived mission back, in the status it had."""
    _require(
        by,
        "missions.restore_mission",
        mission,
        _("Only leads and administrators can restore archived missions."),
    )
    return _set_archived(by, mission, None, ChangeAction.RESTORED)


@transaction.atomic
def _set_archived(
    by: User, mission: Mission, archived_at: datetime.datetime | None, action: str
) -> Mission:
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    mission.archived_at = archived_at
    mission.updated_by = by
    mission.save()
    record_change(
        mission=mission, user=by, action=action, object_type="mission", object_key=mission.key
    )
    return mission


@transaction.atomic
def mission_delete_draft(*, by: User, mission: Mission) -> None:
    """Delete a draft with everything in it. Missions past draft are archived instead, so the
    record of what was decided survives."""
    if mission.status != MissionStatus.DRAFT:
        raise PermissionDenied(
            _("Only drafts can be deleted. Archive this mission instead; it can be restored.")
        )
    _require(by, "missions.delete_mission", mission, _("Only editors can delete draft missions."))
    if mission.children.exists():
        raise ValidationError(_("This mission has sub-missions. Delete or move them first."))
    # Higher apps clear what would stop the cascade (indicator values: evaluation/apps.py).
    hooks.before_mission_delete(mission)
    try:
        mission.delete()
    except models.ProtectedError:
        raise ValidationError(
            _("This draft has records that must be kept. Archive it instead; it can be restored.")
        ) from None


# --- Targets and milestones ------------------------------------------------------------------

MISSION = parts.PartKind("mission", MISSION_FIELDS)
TARGET = parts.PartKind("target", TARGET_FIELDS, named_by="title")
MILESTONE = parts.PartKind(
    "milestone", MILESTONE_FIELDS, key_of=lambda m: f"{m.target.key}@{m.year}"
)
PROJECT = parts.PartKind("project", PROJECT_FIELDS, named_by="title")


def target_create(
    *,
    by: User,
    mission: Mission,
    title: str,
    direction: str,
    key: str | None = None,
    **fields: Any,
) -> Target:
    """Add a target to a mission. Other fields as in `TARGET_FIELDS`."""
    parts.check_fields(fields, TARGET_FIELDS)
    fields.setdefault("position", mission.targets.count())
    target = Target(
        mission=mission,
        key=key or parts.unique_key(mission.targets.all(), title, fallback="target"),
        title=title.strip(),
        direction=direction,
        **fields,
    )
    return parts.create_part(
        TARGET, target, by=by, mission=mission, recorded=["title", "direction", *fields]
    )


def target_update(*, by: User, target: Target, expected_version: int, **fields: Any) -> Target:
    """Change a target; `ConflictError` if it changed since `expected_version`."""
    return parts.update_part(
        TARGET,
        target,
        by=by,
        mission=target.mission,
        expected_version=expected_version,
        fields=fields,
    )


def target_delete(*, by: User, target: Target) -> None:
    """Remove a target, its milestones and the contributions pointing at it."""
    parts.delete_part(TARGET, target, by=by, mission=target.mission)


def milestone_create(
    *,
    by: User,
    target: Target,
    year: int,
    value: Decimal | None = None,
    description: str = "",
    status: str = MilestoneStatus.PENDING,
) -> Milestone:
    """Add an interim milestone to a target (one per year)."""
    if target.milestones.filter(year=year).exists():
        raise ValidationError(
            {"year": _("This target already has a milestone in %(year)s.") % {"year": year}}
        )
    milestone = Milestone(
        target=target, year=year, value=value, description=description.strip(), status=status
    )
    return parts.create_part(
        MILESTONE,
        milestone,
        by=by,
        mission=target.mission,
        recorded=["year", "value", "description", "status"],
    )


def milestone_update(
    *, by: User, milestone: Milestone, expected_version: int, **fields: Any
) -> Milestone:
    """Change a milestone (e.g. mark it met with its actual value)."""
    return parts.update_part(
        MILESTONE,
        milestone,
        by=by,
        mission=milestone.target.mission,
        expected_version=expected_version,
        fields=fields,
    )


def milestone_delete(*, by: User, milestone: Milestone) -> None:
    """Remove a milestone."""
    parts.delete_part(MILESTONE, milestone, by=by, mission=milestone.target.mission)


# --- Projects and contributions --------------------------------------------------------------


def _check_actors(mission: Mission, lead: Actor | None, partners: Iterable[Actor] | None) -> None:
    errors: dict[str, str] = {}
    if lead is not None and lead.organisation_id != mission.organisation_id:
        errors["lead"] = _("Choose the lead from this organisation's actor register.")
    if partners is not None and any(p.organisation_id != mission.organisation_id for p in partners):
        errors["partners"] = _("Choose partners from this organisation's actor register.")
    if errors:
        raise ValidationError(errors)


def project_create(
    *,
    by: User,
    mission: Mission,
    title: str,
    key: str | None = None,
    partners: Iterable[Actor] = (),
    **fields: Any,
) -> MissionProject:
    """Add a project to the mission's portfolio. Other fields as in `PROJECT_FIELDS`."""
    parts.check_fields(fields, PROJECT_FIELDS)
    partners = list(partners)
    _check_actors(mission, fields.get("lead"), partners)
    project = MissionProject(
        mission=mission,
        key=key or parts.unique_key(mission.projects.all(), title, fallback="project"),
        title=title.strip(),
        **fields,
    )
    return parts.create_part(
        PROJECT,
        project,
        by=by,
        mission=mission,
        recorded=["title", *fields],
        also_recorded={"partners": sorted(p.key for p in partners)},
        after_save=lambda saved: saved.partners.set(partners),
    )


def project_update(
    *,
    by: User,
    project: MissionProject,
    expected_version: int,
    partners: Iterable[Actor] | None = None,
    **fields: Any,
) -> MissionProject:
    """Change a project; `partners`, when given, replaces the partner list."""
    mission = project.mission
    linked = parts.KeyedList("partners", list(partners) if partners is not None else None)
    _check_actors(mission, fields.get("lead"), linked.chosen)
    return parts.update_part(
        PROJECT,
        project,
        by=by,
        mission=mission,
        expected_version=expected_version,
        fields=fields,
        more_changes=linked.changes,
        after_save=linked.save,
    )


def project_delete(*, by: User, project: MissionProject) -> None:
    """Remove a project from the portfolio. (To record that it ended, set its status instead.)"""
    parts.delete_part(PROJECT, project, by=by, mission=project.mission)


@transaction.atomic
def project_contributions_set(
    *, by: User, project: MissionProject, contributions: Mapping[Target, str]
) -> bool:
    """Say which targets the project contributes to, each with a rationale; replaces the
    project's previous contributions. Returns whether anything changed."""
    mission = project.mission
    parts.require_editable(by, mission)
    errors = []
    for target, rationale in contributions.items():
        if target.mission_id != mission.pk:
            errors.append(
                _("“%(target)s” is a target of another mission.") % {"target": target.title}
            )
        elif not rationale.strip():
            errors.append(
                _("Explain how the project contributes to “%(target)s”.") % {"target": target.title}
            )
        elif len(rationale) > 500:
            errors.append(
                _("Keep the rationale for “%(target)s” under 500 characters.")
                % {"target": target.title}
            )
    if errors:
        raise ValidationError({"contributions": errors})
    existing = list(project.contributions.select_related("target"))
    before = {c.target.key: c.rationale for c in existing}
    if before == {target.key: rationale.strip() for target, rationale in contributions.items()}:
        return False  # the same contributions again: keep the rows as they are
    project.contributions.all().delete()
    ProjectContribution.objects.bulk_create(
        ProjectContribution(project=project, target=target, rationale=rationale.strip())
        for target, rationale in contributions.items()
    )
    after = {target.key: rationale.strip() for target, rationale in contributions.items()}
    changes = {
        key: [before.get(key), after.get(key)]
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    }
    if changes:
        record_change(
            mission=mission,
            user=by,
            action=ChangeAction.UPDATED,
            object_type="contributions",
            object_key=project.key,
            changes=changes,
        )
        parts.touch(mission, by)
    return True
