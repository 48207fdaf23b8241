"""The "rewards" section of the exchange format (and so of snapshots, of the criteria engine's
assessment input and of the canvas's box facts):

    "rewards": {
      "terms": [{
          "project": project key, "private_money", "philanthropic_money", "in_kind_value",
          "public_risk", "expected_return", "source", "source_unverified",
          "project_title", "public_money"          # derived from the project; ignored on import
      }],
      "conditions": [{
          "key", "project": project key, "kind", "description", "reference", "status",
          "checked_on": date | null, "status_note",
          "family"                                   # derived from the kind; ignored on import
      }],
      "summary": {                                   # derived; ignored on import
          "public_money", "other_money", "public_percent", "reward_conditions",
          "public_carries_most", "no_reward_conditions"
      }
    }

Money is text, as elsewhere in the format ("1250000", "62.5"). A project named here must be
one of the mission's projects (in the document, or already stored).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from missions import exchange
from missions.exchange import (
    ExchangeError,
    FieldSpec,
    SectionContext,
    number_text,
    read_items,
    read_object,
)
from missions.exchange.reading import MONEY
from missions.models import Mission, MissionProject
from rewards import figures
from rewards.models import (
    FAMILY_OF,
    ConditionKind,
    ConditionStatus,
    ProjectTerms,
    PublicRisk,
    RewardCondition,
)

SECTION = "rewards"

TERMS_SPECS = [
    FieldSpec("project", "key", required=True),
    FieldSpec("private_money", "decimal", digits=MONEY),
    FieldSpec("philanthropic_money", "decimal", digits=MONEY),
    FieldSpec("in_kind_value", "decimal", digits=MONEY),
    FieldSpec("public_risk", "str", choices=PublicRisk, default=PublicRisk.GRANT),
    FieldSpec("expected_return", "str", max_length=500, default=""),
    FieldSpec("source", "str", max_length=300, default=""),
    FieldSpec("source_unverified", "bool", default=False),
]
CONDITION_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("project", "key", required=True),
    FieldSpec("kind", "str", required=True, choices=ConditionKind),
    FieldSpec("description", "str", required=True, max_length=500),
    FieldSpec("reference", "str", max_length=200, default=""),
    FieldSpec("status", "str", choices=ConditionStatus, default=ConditionStatus.AGREED),
    FieldSpec("checked_on", "date"),
    FieldSpec("status_note", "str", max_length=300, default=""),
]


# --- Export ---------------------------------------------------------------------------------


def export_rewards(mission: Mission) -> dict[str, Any]:
    terms = [
        {
            "project": t.project.key,
            "private_money": number_text(t.private_money),
            "philanthropic_money": number_text(t.philanthropic_money),
            "in_kind_value": number_text(t.in_kind_value),
            "public_risk": t.public_risk,
            "expected_return": t.expected_return,
            "source": t.source,
            "source_unverified": t.source_unverified,
            "project_title": t.project.title,
            "public_money": number_text(t.project.public_funding),
        }
        for t in ProjectTerms.objects.filter(mission=mission)
        .select_related("project")
        .order_by("project__key")
    ]
    conditions = [
        {
            "key": c.key,
            "project": c.project.key,
            "kind": c.kind,
            "family": FAMILY_OF[c.kind],
            "description": c.description,
            "reference": c.reference,
            "status": c.status,
            "checked_on": c.checked_on.isoformat() if c.checked_on else None,
            "status_note": c.status_note,
        }
        for c in RewardCondition.objects.filter(mission=mission)
        .select_related("project")
        .order_by("project__key", "key")
    ]
    section = {"terms": terms, "conditions": conditions}
    return {**section, "summary": summarise(section)}


def summarise(section: dict[str, Any]) -> dict[str, Any]:
    """Derived figures for readers of the file (rewards.figures computes the same)."""
    picture = figures.from_export(section)
    return {
        "public_money": number_text(picture.public),
        "other_money": number_text(picture.others),
        "public_percent": picture.public_percent,
        "reward_conditions": picture.reward_conditions,
        "public_carries_most": picture.public_carries_most,
        "no_reward_conditions": picture.flagged,
    }


# --- Validate -------------------------------------------------------------------------------


def _unknown_project(path: str, key: Any, context: SectionContext) -> ExchangeError | None:
    if isinstance(key, str) and key not in context.project_keys:
        return ExchangeError(
            path,
            _("refers to project %(key)r, which this mission does not have.") % {"key": key},
        )
    return None


def validate_rewards(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    if not isinstance(data, dict):
        return [ExchangeError(path, _("expected an object with terms and conditions."))]
    projects: list[tuple[str, Any]] = []
    for item_path, _item, values in read_items(
        data.get("terms"), f"{path}.terms", TERMS_SPECS, errors
    ):
        projects.append((f"{item_path}.project", values.get("project")))
        problem = _unknown_project(f"{item_path}.project", values.get("project"), context)
        if problem:
            errors.append(problem)
    exchange.report_duplicates(projects, _("Terms for project"), errors)
    keys: list[tuple[str, Any]] = []
    for item_path, _item, values in read_items(
        data.get("conditions"), f"{path}.conditions", CONDITION_SPECS, errors
    ):
        keys.append((f"{item_path}.key", values.get("key")))
        problem = _unknown_project(f"{item_path}.project", values.get("project"), context)
        if problem:
            errors.append(problem)
        if values.get("status") in (
            ConditionStatus.MET,
            ConditionStatus.BREACHED,
        ) and not values.get("checked_on"):
            errors.append(
                ExchangeError(
                    f"{item_path}.checked_on", _("give the date the condition was checked.")
                )
            )
    exchange.report_duplicates(keys, _("Condition key"), errors)
    return errors


# --- Load -----------------------------------------------------------------------------------


def load_rewards(mission: Mission, data: dict[str, Any], context: SectionContext) -> None:
    projects = {p.key: p for p in MissionProject.objects.filter(mission=mission)}
    stored_terms = {
        t.project.key: t
        for t in ProjectTerms.objects.filter(mission=mission).select_related("project")
    }
    wanted_terms = []
    for item in data.get("terms") or []:
        values = read_object(item, "", TERMS_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        key = values.pop("project")
        wanted_terms.append(key)
        terms = stored_terms.get(key) or ProjectTerms(
            mission=mission, project=projects[key], created_by=context.user
        )
        terms.updated_by = context.user
        exchange.save_if_changed(terms, values, "public-value terms", context.summary)
    exchange.delete_missing(stored_terms, wanted_terms, "public-value terms", context.summary)
    stored_conditions = {
        c.key: c for c in RewardCondition.objects.filter(mission=mission).select_related("project")
    }
    wanted_conditions = []
    for item in data.get("conditions") or []:
        values = read_object(item, "", CONDITION_SPECS, [])
        assert values is not None  # noqa: S101
        values["project"] = projects[values["project"]]
        wanted_conditions.append(values["key"])
        condition = stored_conditions.get(values["key"]) or RewardCondition(
            mission=mission, created_by=context.user
        )
        condition.updated_by = context.user
        exchange.save_if_changed(condition, values, "reward conditions", context.summary)
    exchange.delete_missing(
        stored_conditions, wanted_conditions, "reward conditions", context.summary
    )


def register() -> None:
    exchange.register_section(
        exchange.Section(SECTION, export_rewards, validate_rewards, load_rewards), order=320
    )
