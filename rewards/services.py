"""Writes for the public-value terms of a mission's projects, through the mission-part kernel
(`missions.parts`): permission, version check, validation, history and the criteria's
re-assessment are the kernel's, as for every other part of a mission."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from missions import parts
from missions.models import MissionProject
from rewards.models import ProjectTerms, RewardCondition

TERMS_FIELDS = frozenset(
    {
        "private_money",
        "philanthropic_money",
        "in_kind_value",
        "public_risk",
        "expected_return",
        "source",
        "source_unverified",
    }
)
CONDITION_FIELDS = frozenset(
    {"kind", "description", "reference", "status", "checked_on", "status_note"}
)

TERMS = parts.PartKind("public-value terms", TERMS_FIELDS, key_of=lambda t: t.project.key)
CONDITION = parts.PartKind("reward condition", CONDITION_FIELDS, named_by="description")


def terms_save(
    *, by: User, project: MissionProject, expected_version: int = 0, **fields: Any
) -> ProjectTerms:
    """Record the project's terms (`expected_version` 0: the page showed none), or change
    them (the version the page showed). Terms someone else recorded or changed since the page
    was shown raise `ConflictError`."""
    # Who may change them comes before whether they changed meanwhile.
    parts.require_kind_editable(TERMS, by, project.mission)
    existing = ProjectTerms.objects.filter(project=project).first()
    if existing is None:
        parts.check_fields(fields, TERMS_FIELDS)
        return parts.create_part(
            TERMS,
            ProjectTerms(mission=project.mission, project=project, **fields),
            by=by,
            mission=project.mission,
            recorded=sorted(fields),
        )
    if not expected_version:
        # The page showed no terms, yet someone recorded them since: theirs are not replaced
        # unseen.
        raise parts.ConflictError(
            obj=existing, expected_version=0, current_version=existing.version
        )
    existing.project = project
    return parts.update_part(
        TERMS,
        existing,
        by=by,
        mission=project.mission,
        expected_version=expected_version,
        fields=fields,
    )


def terms_delete(*, by: User, terms: ProjectTerms) -> None:
    parts.delete_part(TERMS, terms, by=by, mission=terms.mission)


def condition_create(
    *, by: User, project: MissionProject, description: str, key: str | None = None, **fields: Any
) -> RewardCondition:
    """Attach a condition to the project's public money. Other fields as in
    `CONDITION_FIELDS`."""
    parts.check_fields(fields, CONDITION_FIELDS)
    mission = project.mission
    condition = RewardCondition(
        mission=mission,
        project=project,
        key=key
        or parts.unique_key(
            mission.reward_conditions.all(),
            f"{project.key}-{fields.get('kind', '')}",
            fallback="condition",
        ),
        description=description.strip(),
        **fields,
    )
    return parts.create_part(
        CONDITION,
        condition,
        by=by,
        mission=mission,
        recorded=["description", *fields],
        also_recorded={"project": project.key},
    )


def condition_update(
    *, by: User, condition: RewardCondition, expected_version: int, **fields: Any
) -> RewardCondition:
    """Change a condition, for instance to record that it was checked and met or breached;
    each change stays in the mission's history."""
    return parts.update_part(
        CONDITION,
        condition,
        by=by,
        mission=condition.mission,
        expected_version=expected_version,
        fields=fields,
    )


def condition_delete(*, by: User, condition: RewardCondition) -> None:
    parts.delete_part(CONDITION, condition, by=by, mission=condition.mission)
