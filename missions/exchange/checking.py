"""Reading a whole document before anything is written: its actors, challenges and missions
against their fields, each other and what the organisation already holds, and every section's
part through the section's own `validate`. The result is a plan the importer loads, or every
problem with its path."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from config.inputs import unreadable_texts
from missions import validation
from missions.exchange.reading import (
    MISSING,
    MONEY,
    FieldSpec,
    problems_at,
    read_items,
    read_list,
    read_object,
    report_duplicates,
    type_error,
    unknown_actor,
)
from missions.exchange.registry import FORMAT, SectionContext, sections
from missions.exchange.results import ExchangeError, ImportSummary
from missions.models import (
    Actor,
    ActorKind,
    GovernmentLevel,
    GrandChallenge,
    Helix,
    MandateSource,
    Mission,
    MissionStatus,
    PolicyDomain,
    StatementLanguage,
)

ACTOR_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("name", "str", required=True, max_length=200),
    FieldSpec("helix", "str", required=True, choices=Helix),
    FieldSpec("kind", "str", choices=ActorKind, default=ActorKind.ORGANISATION),
    FieldSpec("government_level", "str", choices=GovernmentLevel, blank_choice=True, default=""),
    FieldSpec("country", "str", max_length=2, default=""),
]
CHALLENGE_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("title", "str", required=True, max_length=120),
    FieldSpec("description", "str", default=""),
    FieldSpec("sdgs", "ints", default=[]),
]
MISSION_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("title", "str", required=True, max_length=120),
    FieldSpec("challenge", "key", required=True),
    FieldSpec("parent", "key"),
    FieldSpec("statement", "str", max_length=300, default=""),
    # Added after version 1 was published: a new mission from a file without it takes its
    # organisation's language; an existing one keeps its own.
    FieldSpec("language", "str", choices=StatementLanguage, blank_choice=True, default=""),
    FieldSpec("status", "str", choices=MissionStatus, default=MissionStatus.DRAFT),
    FieldSpec("paused_from", "str", choices=MissionStatus, blank_choice=True, default=""),
    # "" is "not recorded"; "none" is "recorded as no mandate yet". Files without the field
    # (or written before the blank state existed) import as not recorded when it is absent.
    FieldSpec("mandate_source", "str", choices=MandateSource, blank_choice=True, default=""),
    FieldSpec("mandate_reference", "str", max_length=200, default=""),
    FieldSpec("mandate_date", "date"),
    FieldSpec("approved_on", "date"),
    FieldSpec("owner", "key"),
    FieldSpec("coordinator", "key"),
    FieldSpec("start_year", "int"),
    FieldSpec("deadline_year", "int"),
    FieldSpec("committed_budget", "decimal", digits=MONEY),
    FieldSpec("estimated_need", "decimal", digits=MONEY),
    FieldSpec("currency", "str", default="EUR"),
    FieldSpec("team_fte", "decimal", digits=(6, 2)),
    FieldSpec("sdgs", "ints", default=[]),
    FieldSpec("policy_domain", "str", choices=PolicyDomain, blank_choice=True, default=""),
    FieldSpec("geography", "str", max_length=100, default=""),
    # Added after version 1 was published: files without it import with it unknown (null).
    FieldSpec("affected_population", "int"),
    FieldSpec("source_url", "str", max_length=500, default=""),
    FieldSpec("notes", "str", default=""),
    FieldSpec("archived_at", "datetime"),
]
TOP_LEVEL = {"format", "exported_at", "organisation", "actors", "challenges", "missions"}


def _warn_unknown(
    data: dict[str, Any], path: str, known: Iterable[str], summary: ImportSummary
) -> None:
    for name in sorted(set(data) - set(known)):
        summary.warnings.append(
            ExchangeError(
                f"{path}.{name}" if path else name,
                _("is not known to this version of Lodestar and was ignored."),
            )
        )


@dataclass
class ImportPlan:
    """The document, read and checked: converted values ready to load."""

    actors: list[dict[str, Any]]
    challenges: list[dict[str, Any]]
    missions: list[tuple[dict[str, Any], dict[str, Any], SectionContext]]  # values, raw, context
    summary: ImportSummary


def check_document(
    document: Any, organisation: Organisation, user: User | None
) -> tuple[ImportPlan, list[ExchangeError]]:
    """The document read into a plan, and every problem found (none: it can be imported)."""
    errors: list[ExchangeError] = []
    summary = ImportSummary()
    plan = ImportPlan([], [], [], summary)
    if not isinstance(document, dict):
        return plan, [type_error("document", _("a JSON object"), document)]
    fmt = document.get("format", MISSING)
    if fmt is MISSING:
        return plan, [
            ExchangeError("format", _("is missing; expected %(format)r.") % {"format": FORMAT})
        ]
    if fmt != FORMAT:
        return plan, [
            ExchangeError(
                "format",
                _("%(found)r is not a format this Lodestar reads; expected %(format)r.")
                % {"found": fmt, "format": FORMAT},
            )
        ]
    _warn_unknown(document, "", TOP_LEVEL, summary)
    # Characters no text holds, everywhere in the document at once, whoever reads it later (a
    # document read by `parse` was checked there; this covers documents handed over as data).
    errors.extend(
        ExchangeError(path or "document", problem) for path, problem in unreadable_texts(document)
    )
    for name in ("exported_at", "organisation"):
        if document.get(name) is not None and not isinstance(document[name], str):
            errors.append(type_error(name, _("text"), document[name]))
    actor_keys = _check_actors(document, organisation, plan, errors)
    challenge_keys = _check_challenges(document, organisation, plan, errors)
    _check_missions(document, organisation, user, plan, errors, actor_keys, challenge_keys)
    return plan, errors


def validate_document(document: Any, *, organisation: Organisation) -> list[ExchangeError]:
    """Every problem in the document, with its path; empty if it can be imported. No writes."""
    return check_document(document, organisation, None)[1]


def _check_actors(
    document: dict[str, Any],
    organisation: Organisation,
    plan: ImportPlan,
    errors: list[ExchangeError],
) -> set[str]:
    """Read the document's actors into the plan; the keys of every actor a mission may name."""
    existing_actors = {
        a.key: a.name.lower() for a in Actor.objects.filter(organisation=organisation)
    }
    for path, item, values in read_items(document.get("actors"), "actors", ACTOR_SPECS, errors):
        _warn_unknown(item, path, [s.name for s in ACTOR_SPECS], plan.summary)
        country = values.get("country")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            errors.append(
                ExchangeError(
                    f"{path}.country",
                    _("%(value)r is not a two-letter country code such as NL.")
                    % {"value": country},
                )
            )
        plan.actors.append(values)
        name = (values.get("name") or "").lower()
        for key, existing_name in existing_actors.items():
            if name and existing_name == name and key != values.get("key"):
                errors.append(
                    ExchangeError(
                        f"{path}.name",
                        _("%(name)r is already the name of actor %(key)r in %(organisation)s.")
                        % {"name": values["name"], "key": key, "organisation": organisation.slug},
                    )
                )
    report_duplicates(
        [(f"actors[{i}].key", a.get("key")) for i, a in enumerate(plan.actors)],
        _("Actor key"),
        errors,
    )
    report_duplicates(
        [(f"actors[{i}].name", a.get("name") or None) for i, a in enumerate(plan.actors)],
        _("Actor name"),
        errors,
        ignore_case=True,
    )
    return set(existing_actors) | {a["key"] for a in plan.actors if a.get("key")}


def _check_challenges(
    document: dict[str, Any],
    organisation: Organisation,
    plan: ImportPlan,
    errors: list[ExchangeError],
) -> set[str]:
    """Read the document's challenges into the plan; the keys of every challenge a mission may
    answer."""
    challenges = document.get("challenges")
    for path, item, values in read_items(challenges, "challenges", CHALLENGE_SPECS, errors):
        _warn_unknown(item, path, [s.name for s in CHALLENGE_SPECS], plan.summary)
        if values.get("sdgs") is not None:
            errors += problems_at(path, validation.sdg_problems("sdgs", values["sdgs"]))
        plan.challenges.append(values)
    report_duplicates(
        [(f"challenges[{i}].key", c.get("key")) for i, c in enumerate(plan.challenges)],
        _("Challenge key"),
        errors,
    )
    return set(
        GrandChallenge.objects.filter(organisation=organisation).values_list("key", flat=True)
    ) | {c["key"] for c in plan.challenges if c.get("key")}


def _check_missions(
    document: dict[str, Any],
    organisation: Organisation,
    user: User | None,
    plan: ImportPlan,
    errors: list[ExchangeError],
    actor_keys: set[str],
    challenge_keys: set[str],
) -> None:
    """Read the document's missions, and each one's sections, into the plan."""
    stored_missions = {
        m.key: m for m in Mission.objects.filter(organisation=organisation).select_related("parent")
    }
    raw_missions = read_list(document.get("missions"), "missions", errors)
    # Only text keys: a list or object as a key is reported by read_object below, and cannot
    # be a dict key here (a TypeError, so a 500, before).
    document_parents = {
        item["key"]: item.get("parent")
        for item in raw_missions
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }
    section_names = [s.name for s in sections()]
    for index, item in enumerate(raw_missions):
        path = f"missions[{index}]"
        values = read_object(item, path, MISSION_SPECS, errors)
        if values is None:
            continue
        _warn_unknown(item, path, [s.name for s in MISSION_SPECS] + section_names, plan.summary)
        for ref in ("owner", "coordinator"):
            if values.get(ref) and values[ref] not in actor_keys:
                errors.append(unknown_actor(f"{path}.{ref}", values[ref]))
        if values.get("challenge") and values["challenge"] not in challenge_keys:
            errors.append(
                ExchangeError(
                    f"{path}.challenge",
                    _("refers to challenge %(key)r, which is not in the document's challenges.")
                    % {"key": values["challenge"]},
                )
            )
        errors += _parent_problems(path, values, document_parents, stored_missions)
        if all(spec.name in values for spec in MISSION_SPECS):
            errors += _mission_rule_problems(path, values)
        mission_key = values.get("key")
        stored = stored_missions.get(mission_key) if mission_key is not None else None
        target_keys: set[str]
        if isinstance(item.get("targets"), list):
            # Only text keys: the references checked against them are keys read as text.
            target_keys = {
                t["key"]
                for t in item["targets"]
                if isinstance(t, dict) and isinstance(t.get("key"), str)
            }
        else:
            target_keys = set(stored.targets.values_list("key", flat=True)) if stored else set()
        project_keys: set[str]
        if isinstance(item.get("projects"), list):
            project_keys = {
                p["key"]
                for p in item["projects"]
                if isinstance(p, dict) and isinstance(p.get("key"), str)
            }
        elif stored is not None and "rewards" in item:
            # Only a section that names projects needs the stored ones (a query per mission).
            project_keys = set(stored.projects.values_list("key", flat=True))
        else:
            project_keys = set()
        context = SectionContext(
            organisation=organisation,
            user=user,
            mission_data=values,
            actor_keys=actor_keys,
            target_keys=target_keys,
            summary=plan.summary,
            project_keys=project_keys,
        )
        for section in sections():
            if section.name in item:
                errors += section.validate(item[section.name], f"{path}.{section.name}", context)
        plan.missions.append((values, item, context))
    report_duplicates(
        [(f"missions[{i}].key", m[0].get("key")) for i, m in enumerate(plan.missions)],
        _("Mission key"),
        errors,
    )


def _parent_problems(
    path: str,
    values: dict[str, Any],
    document_parents: dict[str, Any],
    stored_missions: dict[str, Mission],
) -> list[ExchangeError]:
    """A sub-mission's parent must exist, be another mission and not be a sub-mission itself."""
    parent = values.get("parent")
    if not parent:
        return []
    if parent in document_parents:
        grandparent = document_parents[parent]
    else:
        stored_parent = stored_missions[parent].parent if parent in stored_missions else None
        grandparent = stored_parent.key if stored_parent else None
    if parent == values.get("key"):
        return [ExchangeError(f"{path}.parent", _("a mission cannot be its own parent."))]
    if parent not in document_parents and parent not in stored_missions:
        return [
            ExchangeError(
                f"{path}.parent",
                _("refers to mission %(key)r, which is not in the document.") % {"key": parent},
            )
        ]
    if grandparent:
        return [
            ExchangeError(
                f"{path}.parent",
                _("mission %(key)r is itself a sub-mission; sub-missions cannot be nested.")
                % {"key": parent},
            )
        ]
    return []


def _mission_rule_problems(path: str, values: dict[str, Any]) -> list[ExchangeError]:
    """The rules across a mission's fields, once every field has been read cleanly."""
    errors = problems_at(
        path,
        validation.mission_problems(
            start_year=values["start_year"],
            deadline_year=values["deadline_year"],
            committed_budget=values["committed_budget"],
            estimated_need=values["estimated_need"],
            team_fte=values["team_fte"],
            currency=values["currency"],
            sdgs=values["sdgs"],
        ),
    )
    population = values["affected_population"]
    if population is not None and not 0 <= population <= 2**63 - 1:
        errors.append(
            ExchangeError(
                f"{path}.affected_population",
                _("is a number of people: a whole number from 0."),
            )
        )
    if (values["status"] == MissionStatus.PAUSED) != bool(values["paused_from"]) or (
        values["paused_from"]
        and values["paused_from"] not in {"approved", "active", "under_review"}
    ):
        errors.append(
            ExchangeError(
                f"{path}.paused_from",
                _(
                    "a paused mission says which status it was paused in "
                    "(approved, active or under_review); other missions leave it empty."
                ),
            )
        )
    return errors
