"""The two sections `missions` itself contributes to the format: a mission's targets (with
their milestones) and its projects (with their contributions to targets)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from missions import validation
from missions.exchange.bulk import insert
from missions.exchange.reading import (
    MONEY,
    FieldSpec,
    problems_at,
    read_items,
    read_object,
    report_duplicates,
    unknown_actor,
    unknown_target,
)
from missions.exchange.registry import (
    Section,
    SectionContext,
    delete_missing,
    register_section,
    save_if_changed,
)
from missions.exchange.results import ExchangeError
from missions.exchange.writing import iso_date, number_text
from missions.models import (
    Direction,
    Milestone,
    MilestoneStatus,
    Mission,
    MissionProject,
    Origin,
    ProjectContribution,
    ProjectStatus,
    Stage,
    Target,
)
from missions.models import Instrument as InstrumentChoice


def _under[M: models.Model](model: type[M], parent: str, parents: list[Any]) -> list[M]:
    """The stored rows of `model` under any of `parents` (by the foreign key `parent`), read
    only when there are such parents: rows an import has just created have none yet."""
    if not parents:
        return []
    return list(model._default_manager.filter(**{f"{parent}__in": [p.pk for p in parents]}))


# What a duplicate is reported as: translated when a message names it, not once per object read.
MILESTONE_YEAR = gettext_lazy("Milestone year")
TARGET_KEY = gettext_lazy("Target key")
PARTNER = gettext_lazy("Partner")
CONTRIBUTION_TO_TARGET = gettext_lazy("Contribution to target")
PROJECT_KEY = gettext_lazy("Project key")


# --- Targets with milestones -------------------------------------------------------------------

TARGET_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("title", "str", required=True, max_length=200),
    FieldSpec("is_headline", "bool", default=False),
    FieldSpec("direction", "str", required=True, choices=Direction),
    FieldSpec("baseline_value", "decimal"),
    FieldSpec("baseline_year", "int"),
    FieldSpec("target_value", "decimal"),
    FieldSpec("target_year", "int"),
    FieldSpec("unit", "str", max_length=60, default=""),
    FieldSpec("success_condition", "str", max_length=500, default=""),
    FieldSpec("geography", "str", max_length=100, default=""),
    FieldSpec("notes", "str", default=""),
]
MILESTONE_SPECS = [
    FieldSpec("year", "int", required=True),
    FieldSpec("value", "decimal"),
    FieldSpec("description", "str", max_length=200, default=""),
    FieldSpec("status", "str", choices=MilestoneStatus, default=MilestoneStatus.PENDING),
    FieldSpec("actual_value", "decimal"),
]


def export_targets(mission: Mission) -> list[dict[str, Any]]:
    return [
        {
            "key": t.key,
            "title": t.title,
            "is_headline": t.is_headline,
            "direction": t.direction,
            "baseline_value": number_text(t.baseline_value),
            "baseline_year": t.baseline_year,
            "target_value": number_text(t.target_value),
            "target_year": t.target_year,
            "unit": t.unit,
            "success_condition": t.success_condition,
            "geography": t.geography,
            "notes": t.notes,
            "milestones": [
                {
                    "year": m.year,
                    "value": number_text(m.value),
                    "description": m.description,
                    "status": m.status,
                    "actual_value": number_text(m.actual_value),
                }
                for m in t.milestones.all()
            ],
        }
        for t in mission.targets.order_by("position", "key").prefetch_related("milestones")
    ]


def validate_targets(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    keys = []
    for item_path, item, target in read_items(data, path, TARGET_SPECS, errors):
        context.remember(item, TARGET_SPECS, target)
        keys.append((f"{item_path}.key", target.get("key")))
        if len(target) == len(TARGET_SPECS):  # every field read cleanly: check across fields
            errors += problems_at(
                item_path,
                validation.target_problems(
                    direction=target["direction"],
                    baseline_value=target["baseline_value"],
                    baseline_year=target["baseline_year"],
                    target_value=target["target_value"],
                    target_year=target["target_year"],
                    success_condition=target["success_condition"],
                    deadline_year=context.mission_data.get("deadline_year"),
                ),
            )
        years = []
        for m_path, m_item, milestone in read_items(
            item.get("milestones"), f"{item_path}.milestones", MILESTONE_SPECS, errors
        ):
            context.remember(m_item, MILESTONE_SPECS, milestone)
            years.append((f"{m_path}.year", milestone.get("year")))
            if len(milestone) == len(MILESTONE_SPECS):
                errors += problems_at(
                    m_path,
                    validation.milestone_problems(
                        year=milestone["year"],
                        value=milestone["value"],
                        description=milestone["description"],
                        baseline_year=target.get("baseline_year"),
                        target_year=target.get("target_year"),
                    ),
                )
        report_duplicates(years, MILESTONE_YEAR, errors)
    report_duplicates(keys, TARGET_KEY, errors)
    return errors


def load_targets(mission: Mission, data: list[dict[str, Any]], context: SectionContext) -> None:
    existing = {t.key: t for t in mission.targets.prefetch_related("milestones")}
    for position, item in enumerate(data):
        values = read_object(item, "", TARGET_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        target = existing.get(values["key"]) or Target(mission=mission, created_by=context.user)
        values["position"] = position
        save_if_changed(target, values, "targets", context.summary)
        milestones = {m.year: m for m in target.milestones.all()} if target.pk else {}
        for m_item in item.get("milestones") or []:
            m_values = read_object(m_item, "", MILESTONE_SPECS, [])
            assert m_values is not None  # noqa: S101
            milestone = milestones.get(m_values["year"]) or Milestone(
                target=target, created_by=context.user
            )
            save_if_changed(milestone, m_values, "milestones", context.summary)
        delete_missing(
            milestones,
            [m["year"] for m in item.get("milestones") or []],
            "milestones",
            context.summary,
        )
    delete_missing(existing, [item["key"] for item in data], "targets", context.summary)


def load_targets_many(items: list[tuple[Mission, list[dict[str, Any]], SectionContext]]) -> None:
    """`load_targets` for every mission at once: targets, then milestones, each in a few
    queries."""
    writes = items[0][2].writes
    user = items[0][2].user
    by_mission: dict[int, dict[str, Target]] = {}
    for target in _under(Target, "mission", writes.stored(m for m, _d, _c in items)):
        by_mission.setdefault(target.mission_id, {})[target.key] = target
    rows: list[tuple[Target, dict[str, Any]]] = []
    gone: list[Target] = []
    for mission, data, context in items:
        existing = by_mission.get(mission.pk, {})
        for position, item in enumerate(data):
            values = context.recall(item, TARGET_SPECS)
            assert values is not None  # validated before loading  # noqa: S101
            target = existing.get(values["key"]) or Target(mission=mission, created_by=user)
            values["position"] = position
            rows.append((target, values))
        wanted = {item["key"] for item in data}
        gone += [target for key, target in existing.items() if key not in wanted]
    writes.save(Target, rows, "targets")
    stored_milestones: dict[int, dict[int, Milestone]] = {}
    for milestone in _under(Milestone, "target", writes.stored(t for t, _values in rows)):
        stored_milestones.setdefault(milestone.target_id, {})[milestone.year] = milestone
    milestone_rows: list[tuple[Milestone, dict[str, Any]]] = []
    gone_milestones: list[Milestone] = []
    targets = iter(rows)
    for _mission, data, context in items:
        for item in data:
            target, _values = next(targets)
            milestones = stored_milestones.get(target.pk, {})
            for m_item in item.get("milestones") or []:
                m_values = context.recall(m_item, MILESTONE_SPECS)
                assert m_values is not None  # noqa: S101
                milestone = milestones.get(m_values["year"]) or Milestone(
                    target=target, created_by=user
                )
                milestone_rows.append((milestone, m_values))
            years = {m["year"] for m in item.get("milestones") or []}
            gone_milestones += [m for year, m in milestones.items() if year not in years]
    writes.save(Milestone, milestone_rows, "milestones")
    writes.delete(gone_milestones, "milestones")
    writes.delete(gone, "targets")


# --- Projects with contributions ----------------------------------------------------------------

PROJECT_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("title", "str", required=True, max_length=150),
    FieldSpec("description", "str", max_length=1000, default=""),
    FieldSpec("lead", "key"),
    FieldSpec("partners", "strs", default=[]),
    FieldSpec("sectors", "strs", default=[]),
    FieldSpec("disciplines", "strs", default=[]),
    FieldSpec("instrument", "str", choices=InstrumentChoice, default=InstrumentChoice.GRANT),
    FieldSpec("stage", "str", choices=Stage, default=Stage.RESEARCH),
    FieldSpec("origin", "str", choices=Origin, default=Origin.COMMISSIONED),
    FieldSpec("start_date", "date"),
    FieldSpec("end_date", "date"),
    FieldSpec("budget", "decimal", digits=MONEY),
    FieldSpec("public_funding", "decimal", digits=MONEY),
    FieldSpec("status", "str", choices=ProjectStatus, default=ProjectStatus.PLANNED),
    FieldSpec("notes", "str", default=""),
]
CONTRIBUTION_SPECS = [
    FieldSpec("target", "key", required=True),
    FieldSpec("rationale", "str", required=True, max_length=500),
]


def export_projects(mission: Mission) -> list[dict[str, Any]]:
    projects = (
        mission.projects.order_by("key")
        .select_related("lead")
        .prefetch_related("partners", "contributions__target")
    )
    return [
        {
            "key": p.key,
            "title": p.title,
            "description": p.description,
            "lead": p.lead.key if p.lead else None,
            "partners": sorted(a.key for a in p.partners.all()),
            "sectors": list(p.sectors),
            "disciplines": list(p.disciplines),
            "instrument": p.instrument,
            "stage": p.stage,
            "origin": p.origin,
            "start_date": iso_date(p.start_date),
            "end_date": iso_date(p.end_date),
            "budget": number_text(p.budget),
            "public_funding": number_text(p.public_funding),
            "status": p.status,
            "notes": p.notes,
            "contributions": sorted(
                ({"target": c.target.key, "rationale": c.rationale} for c in p.contributions.all()),
                key=lambda c: c["target"],
            ),
        }
        for p in projects
    ]


def validate_projects(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    keys = []
    for item_path, item, project in read_items(data, path, PROJECT_SPECS, errors):
        context.remember(item, PROJECT_SPECS, project)
        keys.append((f"{item_path}.key", project.get("key")))
        if project.get("lead") and project["lead"] not in context.actor_keys:
            errors.append(unknown_actor(f"{item_path}.lead", project["lead"]))
        for p_index, partner in enumerate(project.get("partners") or []):
            if partner not in context.actor_keys:
                errors.append(unknown_actor(f"{item_path}.partners[{p_index}]", partner))
        report_duplicates(
            [
                (f"{item_path}.partners[{i}]", k)
                for i, k in enumerate(project.get("partners") or [])
            ],
            PARTNER,
            errors,
        )
        if len(project) == len(PROJECT_SPECS):
            errors += problems_at(
                item_path,
                validation.project_problems(
                    start_date=project["start_date"],
                    end_date=project["end_date"],
                    budget=project["budget"],
                    public_funding=project["public_funding"],
                ),
            )
        contribution_targets = []
        for c_path, _item, contribution in read_items(
            item.get("contributions"), f"{item_path}.contributions", CONTRIBUTION_SPECS, errors
        ):
            if "target" not in contribution:
                continue
            contribution_targets.append((f"{c_path}.target", contribution["target"]))
            if contribution["target"] not in context.target_keys:
                errors.append(unknown_target(f"{c_path}.target", contribution["target"]))
        report_duplicates(contribution_targets, CONTRIBUTION_TO_TARGET, errors)
    report_duplicates(keys, PROJECT_KEY, errors)
    return errors


def load_projects(mission: Mission, data: list[dict[str, Any]], context: SectionContext) -> None:
    existing = {p.key: p for p in mission.projects.prefetch_related("partners", "contributions")}
    targets = {t.key: t for t in mission.targets.all()}
    for item in data:
        values = read_object(item, "", PROJECT_SPECS, [])
        assert values is not None  # noqa: S101
        partner_keys = values.pop("partners")
        lead_key = values.pop("lead")
        values["lead"] = context.actors[lead_key] if lead_key else None
        project = existing.get(values["key"]) or MissionProject(
            mission=mission, created_by=context.user
        )
        save_if_changed(project, values, "projects", context.summary)
        if sorted(a.key for a in project.partners.all()) != sorted(partner_keys):
            project.partners.set([context.actors[key] for key in partner_keys])
        wanted = {c["target"]: c["rationale"] for c in item.get("contributions") or []}
        stored = {c.target_id: c for c in project.contributions.all()}
        stored_by_key = {
            key: stored[target.pk] for key, target in targets.items() if target.pk in stored
        }
        for key, rationale in wanted.items():
            contribution = stored_by_key.get(key) or ProjectContribution(
                project=project, target=targets[key]
            )
            save_if_changed(
                contribution, {"rationale": rationale}, "contributions", context.summary
            )
        delete_missing(stored_by_key, wanted, "contributions", context.summary)
    delete_missing(existing, [item["key"] for item in data], "projects", context.summary)


def load_projects_many(
    items: list[tuple[Mission, list[dict[str, Any]], SectionContext]],
) -> None:
    """`load_projects` for every mission at once: projects, their partners and their
    contributions, each in a few queries."""
    writes = items[0][2].writes
    user = items[0][2].user
    actors = items[0][2].actors
    missions = [mission for mission, _data, _context in items]
    stored: dict[int, dict[str, MissionProject]] = {}
    for project in _under(MissionProject, "mission", writes.stored(missions)):
        stored.setdefault(project.mission_id, {})[project.key] = project
    targets: dict[int, dict[str, Target]] = {}
    for target in Target.objects.filter(mission__in=missions):
        targets.setdefault(target.mission_id, {})[target.key] = target
    rows: list[tuple[MissionProject, dict[str, Any]]] = []
    partners: list[list[str]] = []
    gone: list[MissionProject] = []
    for mission, data, context in items:
        existing = stored.get(mission.pk, {})
        for item in data:
            values = context.recall(item, PROJECT_SPECS)
            assert values is not None  # noqa: S101
            partners.append(values.pop("partners"))
            lead_key = values.pop("lead")
            values["lead"] = actors[lead_key] if lead_key else None
            project = existing.get(values["key"]) or MissionProject(
                mission=mission, created_by=user
            )
            rows.append((project, values))
        wanted = {item["key"] for item in data}
        gone += [project for key, project in existing.items() if key not in wanted]
    writes.save(MissionProject, rows, "projects")

    # Partners: the through rows to add and remove, compared with what is stored.
    through = MissionProject.partners.through
    current: dict[tuple[int, int], int] = {
        (link.missionproject_id, link.actor_id): link.pk
        for link in _under(through, "missionproject", writes.stored(p for p, _v in rows))
    }
    chosen = {
        (project.pk, actors[key].pk)
        for (project, _values), keys in zip(rows, partners, strict=True)
        for key in keys
    }
    writes.summary.tables.add(through._meta.db_table)
    dropped = [pk for pair, pk in current.items() if pair not in chosen]
    if dropped:
        through.objects.filter(pk__in=dropped).delete()
    insert(
        through,
        [
            through(missionproject_id=project_id, actor_id=actor_id)
            for project_id, actor_id in sorted(chosen - set(current))
        ],
    )

    # Contributions: one per (project, target), its rationale updated.
    stored_contributions = {
        (c.project_id, c.target_id): c
        for c in _under(ProjectContribution, "project", writes.stored(p for p, _v in rows))
    }
    contribution_rows: list[tuple[ProjectContribution, dict[str, Any]]] = []
    gone_contributions: list[ProjectContribution] = []
    projects = iter(rows)
    for mission, data, _context in items:
        mission_targets = targets.get(mission.pk, {})
        for item in data:
            project, _values = next(projects)
            wanted_targets = set()
            for c in item.get("contributions") or []:
                target = mission_targets[c["target"]]
                wanted_targets.add(target.pk)
                contribution = stored_contributions.get(
                    (project.pk, target.pk)
                ) or ProjectContribution(project=project, target=target)
                contribution_rows.append((contribution, {"rationale": c["rationale"]}))
            gone_contributions += [
                c
                for (project_id, target_id), c in stored_contributions.items()
                if project_id == project.pk and target_id not in wanted_targets
            ]
    writes.save(ProjectContribution, contribution_rows, "contributions")
    writes.delete(gone_contributions, "contributions")
    writes.delete(gone, "projects")


register_section(
    Section("targets", export_targets, validate_targets, load_targets, load_targets_many),
    order=10,
)
register_section(
    Section("projects", export_projects, validate_projects, load_projects, load_projects_many),
    order=20,
)
