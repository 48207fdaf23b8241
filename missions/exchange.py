"""The exchange format `lodestar.missions/1`: export missions to JSON and import them back.

A document holds an organisation's actors and grand challenges, and its missions; each mission
carries its core fields plus one entry per registered *section* (`targets`, `projects`, and
whatever later apps register). Everything refers to everything else by stable keys, so
importing the same file again updates in place and never duplicates. See
docs/exchange-format.md and missions/schema/lodestar.missions-1.schema.json.

Growing the format: an app registers a `Section` in its `AppConfig.ready()`:

    exchange.register_section(exchange.Section(
        name="canvas", export=..., validate=..., load=...), order=200)

Sections are optional on import (absent = leave that part as it is), so adding one keeps the
format at version 1. Entry points: `export_document`, `dumps`, `parse`, `read_file`,
`validate_document`, `import_document`, `import_file`.

Importing is all or nothing: the whole document is checked first, every problem is reported
with its JSON path (`missions[2].targets[0].target_year: ...`), and nothing is written unless
there are none; then everything is written in one transaction.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation, User
from config.inputs import InputRefused, decimal_value, load_json, single_line, unreadable_texts
from missions import validation
from missions.models import (
    Actor,
    ActorKind,
    ChangeAction,
    Direction,
    GovernmentLevel,
    GrandChallenge,
    Helix,
    MandateSource,
    Milestone,
    MilestoneStatus,
    Mission,
    MissionProject,
    MissionStatus,
    Origin,
    PolicyDomain,
    ProjectContribution,
    ProjectStatus,
    Stage,
    StatementLanguage,
    Target,
)
from missions.models import Instrument as InstrumentChoice

FORMAT = "lodestar.missions/1"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_import_bytes() -> int:
    """The largest file the importer reads (setting LODESTAR_IMPORT_MAX_BYTES, default 10 MB)."""
    return int(getattr(settings, "LODESTAR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- Errors and results ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeError:
    """One problem in a document: where (a JSON path such as `missions[0].title`) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportRejected(Exception):
    """The document was refused; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[ExchangeError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


# Each kind of record an import counts, in words that agree with the number ("1 target").
_COUNTED: dict[str, Callable[[int], str]] = {
    "actors": lambda n: ngettext("%(n)s actor", "%(n)s actors", n),
    "canvas boxes": lambda n: ngettext("%(n)s canvas box", "%(n)s canvas boxes", n),
    "challenges": lambda n: ngettext("%(n)s challenge", "%(n)s challenges", n),
    "contributions": lambda n: ngettext("%(n)s contribution", "%(n)s contributions", n),
    "engagement activities": lambda n: ngettext(
        "%(n)s engagement activity", "%(n)s engagement activities", n
    ),
    "indicator versions": lambda n: ngettext(
        "%(n)s indicator version", "%(n)s indicator versions", n
    ),
    "indicators": lambda n: ngettext("%(n)s indicator", "%(n)s indicators", n),
    "measurements": lambda n: ngettext("%(n)s measurement", "%(n)s measurements", n),
    "milestones": lambda n: ngettext("%(n)s milestone", "%(n)s milestones", n),
    "missions": lambda n: ngettext("%(n)s mission", "%(n)s missions", n),
    "projects": lambda n: ngettext("%(n)s project", "%(n)s projects", n),
    "reviews": lambda n: ngettext("%(n)s review", "%(n)s reviews", n),
    "stakeholders": lambda n: ngettext("%(n)s stakeholder", "%(n)s stakeholders", n),
    "targets": lambda n: ngettext("%(n)s target", "%(n)s targets", n),
    "theory of change links": lambda n: ngettext(
        "%(n)s theory of change link", "%(n)s theory of change links", n
    ),
    "theory of change steps": lambda n: ngettext(
        "%(n)s theory of change step", "%(n)s theory of change steps", n
    ),
}


def counted(kind: str, n: int) -> str:
    """ "1 target", "3 targets": a count of records of one kind, in words."""
    words = _COUNTED.get(kind)
    return words(n) % {"n": n} if words else f"{n} {kind}"


@dataclass
class ImportSummary:
    """What an import did, for the command's output and the page's message."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    warnings: list[ExchangeError] = field(default_factory=list)

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + n

    def __str__(self) -> str:
        def part(counts: dict[str, int]) -> str:
            return ", ".join(counted(kind, n) for kind, n in sorted(counts.items())) or _("nothing")

        return _("Imported: created %(created)s; updated %(updated)s; removed %(deleted)s.") % {
            "created": part(self.created),
            "updated": part(self.updated),
            "deleted": part(self.deleted),
        }


# --- A small typed reader for JSON objects ---------------------------------------------------

MONEY = (14, 2)  # the columns of budgets and funding
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
_MISSING = object()


@dataclass(frozen=True)
class F:
    """One field of a JSON object: its name, kind and limits.

    kinds: key, str, int, decimal, date, datetime, bool, ints, strs."""

    name: str
    kind: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    blank_choice: bool = False
    max_length: int | None = None
    default: Any = None
    # A decimal's column: (max_digits, decimal_places). Values are rounded to it, then checked.
    digits: tuple[int, int] = (20, 4)
    # A decimal's own rule where it is stricter than its column (a measurement: the service's).
    maximum: Decimal | None = None


def _type_error(path: str, expected: str, value: Any) -> ExchangeError:
    got = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)
    return ExchangeError(
        path, _("expected %(expected)s, got %(got)s.") % {"expected": expected, "got": got}
    )


def _convert(spec: F, value: Any, path: str) -> tuple[Any, ExchangeError | None]:
    kind = spec.kind
    if value is None:
        if spec.required:
            return None, ExchangeError(path, _("is required and cannot be null."))
        return (list(spec.default) if isinstance(spec.default, list) else spec.default), None
    if kind in {"key", "str"}:
        if not isinstance(value, str):
            return None, _type_error(path, _("text"), value)
        if kind == "key" and not KEY_RE.match(value):
            return None, ExchangeError(
                path,
                _("%(value)r is not a valid key (letters, digits, - and _, at most 80).")
                % {"value": value},
            )
        if spec.required and not value.strip():
            return None, ExchangeError(path, _("is required and cannot be empty."))
        if spec.max_length and len(value) > spec.max_length:
            return None, ExchangeError(
                path,
                _("is %(length)s characters long; the limit is %(limit)s.")
                % {"length": len(value), "limit": spec.max_length},
            )
        blank_allowed = spec.blank_choice and value == ""
        if spec.choices is not None and not blank_allowed and value not in spec.choices.values:
            return None, ExchangeError(
                path,
                _("%(value)r is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(spec.choices.values)},
            )
        return value, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, _type_error(path, _("a whole number"), value)
        return value, None
    if kind == "bool":
        if not isinstance(value, bool):
            return None, _type_error(path, _("true or false"), value)
        return value, None
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None, _type_error(path, _('a number (preferably as text, e.g. "12.50")'), value)
        max_digits, decimal_places = spec.digits
        try:
            number = decimal_value(
                value, field=path, max_digits=max_digits, decimal_places=decimal_places
            )
        except InputRefused as refused:
            shown = single_line(str(value), limit=40)
            if refused.code == "not_a_number":
                return None, ExchangeError(path, _("%(value)r is not a number.") % {"value": shown})
            return None, ExchangeError(path, _("%(value)s is out of range.") % {"value": shown})
        # What the column holds, and no more than the app itself accepts: every value the app
        # stored can be exported and imported again.
        if spec.maximum is not None and abs(number) >= spec.maximum:
            return None, ExchangeError(path, _("%(value)s is out of range.") % {"value": value})
        return number, None
    if kind in {"date", "datetime"}:
        if not isinstance(value, str):
            return None, _type_error(path, _("a date as text"), value)
        try:
            parsed = parse_date(value) if kind == "date" else parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None or (kind == "datetime" and timezone.is_naive(parsed)):
            example = "2021-09-29" if kind == "date" else "2021-09-29T10:00:00+00:00"
            return None, ExchangeError(
                path,
                _("%(value)r is not a date like %(example)s.")
                % {"value": value, "example": example},
            )
        return parsed, None
    if kind in {"ints", "strs"}:
        if not isinstance(value, list):
            return None, _type_error(path, _("a list"), value)
        item_type = int if kind == "ints" else str
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, item_type) or item == "":
                return None, _type_error(
                    f"{path}[{index}]", _("a whole number") if kind == "ints" else _("text"), item
                )
        return list(value), None
    raise AssertionError(f"unknown field kind {kind}")


def read_object(
    data: Any, path: str, specs: Iterable[F], errors: list[ExchangeError]
) -> dict[str, Any] | None:
    """Check `data` is an object with the fields `specs` describe; return converted values.
    Problems go to `errors`; fields not in `specs` are left for the caller."""
    if not isinstance(data, dict):
        errors.append(_type_error(path, _("an object"), data))
        return None
    values: dict[str, Any] = {}
    for spec in specs:
        raw = data.get(spec.name, _MISSING)
        field_path = f"{path}.{spec.name}" if path else spec.name
        if raw is _MISSING:
            if spec.required:
                errors.append(ExchangeError(field_path, _("is required.")))
                continue
            raw = None
        value, error = _convert(spec, raw, field_path)
        if error:
            errors.append(error)
        else:
            values[spec.name] = value
    return values


def read_list(data: Any, path: str, errors: list[ExchangeError]) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        errors.append(_type_error(path, _("a list"), data))
        return []
    return data


def _duplicates(
    items: Iterable[tuple[str, Any]],
    what: str,
    errors: list[ExchangeError],
    *,
    ignore_case: bool = False,
) -> None:
    seen: dict[Any, str] = {}
    for path, value in items:
        if value is None:
            continue
        compared = value.lower() if ignore_case and isinstance(value, str) else value
        if compared in seen:
            errors.append(
                ExchangeError(
                    path,
                    _("%(what)s %(value)r is already used at %(first)s.")
                    % {"what": what, "value": value, "first": seen[compared]},
                )
            )
        else:
            seen[compared] = path


def _problems(path: str, problems: validation.Problems) -> list[ExchangeError]:
    return [ExchangeError(f"{path}.{name}", message) for name, message in problems]


def number_text(value: Decimal | None) -> str | None:
    """A decimal as exported: exact, without trailing zeros or exponent ("1000000", "62.5")."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# --- Sections --------------------------------------------------------------------------------


@dataclass
class SectionContext:
    """What a section may need while validating or loading one mission."""

    organisation: Organisation
    user: User | None
    mission_data: dict[str, Any]  # the mission's core fields, converted
    actor_keys: set[str]  # known actors: in the document or already registered
    target_keys: set[str]  # the mission's targets: in the document, or already stored
    summary: ImportSummary
    actors: dict[str, Actor] = field(default_factory=dict)  # filled before loading


@dataclass(frozen=True)
class Section:
    """One part of a mission in the document, under `mission[name]`.

    - `export(mission) -> data` (JSON-ready),
    - `validate(data, path, context) -> [ExchangeError]` (no writes),
    - `load(mission, data, context)` (writes; called only after the whole document passed).
    """

    name: str
    export: Callable[[Mission], Any]
    validate: Callable[[Any, str, SectionContext], list[ExchangeError]]
    load: Callable[[Mission, Any, SectionContext], None]


_sections: list[tuple[int, Section]] = []


def register_section(section: Section, *, order: int = 100) -> Section:
    """Add a section to the format (idempotent by name). Lower `order` loads first."""
    if all(existing.name != section.name for _order, existing in _sections):
        _sections.append((order, section))
    return section


def sections() -> list[Section]:
    return [section for _order, section in sorted(_sections, key=lambda item: item[0])]


# --- Core section: targets with milestones ----------------------------------------------------

TARGET_SPECS = [
    F("key", "key", required=True),
    F("title", "str", required=True, max_length=200),
    F("is_headline", "bool", default=False),
    F("direction", "str", required=True, choices=Direction),
    F("baseline_value", "decimal"),
    F("baseline_year", "int"),
    F("target_value", "decimal"),
    F("target_year", "int"),
    F("unit", "str", max_length=60, default=""),
    F("success_condition", "str", max_length=500, default=""),
    F("geography", "str", max_length=100, default=""),
    F("notes", "str", default=""),
]
MILESTONE_SPECS = [
    F("year", "int", required=True),
    F("value", "decimal"),
    F("description", "str", max_length=200, default=""),
    F("status", "str", choices=MilestoneStatus, default=MilestoneStatus.PENDING),
    F("actual_value", "decimal"),
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
    for index, item in enumerate(read_list(data, path, errors)):
        item_path = f"{path}[{index}]"
        target = read_object(item, item_path, TARGET_SPECS, errors)
        if target is None:
            continue
        keys.append((f"{item_path}.key", target.get("key")))
        if len(target) == len(TARGET_SPECS):  # every field read cleanly: check across fields
            errors += _problems(
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
        for m_index, m_item in enumerate(
            read_list(item.get("milestones"), f"{item_path}.milestones", errors)
        ):
            m_path = f"{item_path}.milestones[{m_index}]"
            milestone = read_object(m_item, m_path, MILESTONE_SPECS, errors)
            if milestone is None:
                continue
            years.append((f"{m_path}.year", milestone.get("year")))
            if len(milestone) == len(MILESTONE_SPECS):
                errors += _problems(
                    m_path,
                    validation.milestone_problems(
                        year=milestone["year"],
                        value=milestone["value"],
                        description=milestone["description"],
                        baseline_year=target.get("baseline_year"),
                        target_year=target.get("target_year"),
                    ),
                )
        _duplicates(years, _("Milestone year"), errors)
    _duplicates(keys, _("Target key"), errors)
    return errors


def _sync(
    existing: dict[Any, models.Model],
    wanted: Iterable[Any],
    kind: str,
    summary: ImportSummary,
) -> None:
    """Delete stored rows the document no longer has."""
    gone = [obj for key, obj in existing.items() if key not in set(wanted)]
    for obj in gone:
        obj.delete()
    if gone:
        summary.count("deleted", kind, len(gone))


def _save(obj: models.Model, values: dict[str, Any], kind: str, summary: ImportSummary) -> bool:
    """Set values and save if anything differs; count it. Returns whether it was saved."""
    is_new = obj.pk is None
    changed = is_new or any(getattr(obj, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(obj, name, value)
    if changed:
        obj.save()
        summary.count("created" if is_new else "updated", kind)
    return changed


def load_targets(mission: Mission, data: list[dict[str, Any]], context: SectionContext) -> None:
    existing = {t.key: t for t in mission.targets.prefetch_related("milestones")}
    for position, item in enumerate(data):
        values = read_object(item, "", TARGET_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        target = existing.get(values["key"]) or Target(mission=mission, created_by=context.user)
        values["position"] = position
        _save(target, values, "targets", context.summary)
        milestones = {m.year: m for m in target.milestones.all()} if target.pk else {}
        for m_item in item.get("milestones") or []:
            m_values = read_object(m_item, "", MILESTONE_SPECS, [])
            assert m_values is not None  # noqa: S101
            milestone = milestones.get(m_values["year"]) or Milestone(
                target=target, created_by=context.user
            )
            _save(milestone, m_values, "milestones", context.summary)
        _sync(
            milestones,
            [m["year"] for m in item.get("milestones") or []],
            "milestones",
            context.summary,
        )
    _sync(existing, [item["key"] for item in data], "targets", context.summary)


# --- Core section: projects with contributions ------------------------------------------------

PROJECT_SPECS = [
    F("key", "key", required=True),
    F("title", "str", required=True, max_length=150),
    F("description", "str", max_length=1000, default=""),
    F("lead", "key"),
    F("partners", "strs", default=[]),
    F("sectors", "strs", default=[]),
    F("disciplines", "strs", default=[]),
    F("instrument", "str", choices=InstrumentChoice, default=InstrumentChoice.GRANT),
    F("stage", "str", choices=Stage, default=Stage.RESEARCH),
    F("origin", "str", choices=Origin, default=Origin.COMMISSIONED),
    F("start_date", "date"),
    F("end_date", "date"),
    F("budget", "decimal", digits=MONEY),
    F("public_funding", "decimal", digits=MONEY),
    F("status", "str", choices=ProjectStatus, default=ProjectStatus.PLANNED),
    F("notes", "str", default=""),
]
CONTRIBUTION_SPECS = [
    F("target", "key", required=True),
    F("rationale", "str", required=True, max_length=500),
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
            "start_date": _iso(p.start_date),
            "end_date": _iso(p.end_date),
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
    for index, item in enumerate(read_list(data, path, errors)):
        item_path = f"{path}[{index}]"
        project = read_object(item, item_path, PROJECT_SPECS, errors)
        if project is None:
            continue
        keys.append((f"{item_path}.key", project.get("key")))
        if project.get("lead") and project["lead"] not in context.actor_keys:
            errors.append(
                ExchangeError(
                    f"{item_path}.lead",
                    _("refers to actor %(key)r, which is not in the document's actors.")
                    % {"key": project["lead"]},
                )
            )
        for p_index, partner in enumerate(project.get("partners") or []):
            if partner not in context.actor_keys:
                errors.append(
                    ExchangeError(
                        f"{item_path}.partners[{p_index}]",
                        _("refers to actor %(key)r, which is not in the document's actors.")
                        % {"key": partner},
                    )
                )
        _duplicates(
            [
                (f"{item_path}.partners[{i}]", k)
                for i, k in enumerate(project.get("partners") or [])
            ],
            _("Partner"),
            errors,
        )
        if len(project) == len(PROJECT_SPECS):
            errors += _problems(
                item_path,
                validation.project_problems(
                    start_date=project["start_date"],
                    end_date=project["end_date"],
                    budget=project["budget"],
                    public_funding=project["public_funding"],
                ),
            )
        contribution_targets = []
        for c_index, c_item in enumerate(
            read_list(item.get("contributions"), f"{item_path}.contributions", errors)
        ):
            c_path = f"{item_path}.contributions[{c_index}]"
            contribution = read_object(c_item, c_path, CONTRIBUTION_SPECS, errors)
            if contribution is None or "target" not in contribution:
                continue
            contribution_targets.append((f"{c_path}.target", contribution["target"]))
            if contribution["target"] not in context.target_keys:
                errors.append(
                    ExchangeError(
                        f"{c_path}.target",
                        _("refers to target %(key)r, which this mission does not have.")
                        % {"key": contribution["target"]},
                    )
                )
        _duplicates(contribution_targets, _("Contribution to target"), errors)
    _duplicates(keys, _("Project key"), errors)
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
        _save(project, values, "projects", context.summary)
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
            _save(contribution, {"rationale": rationale}, "contributions", context.summary)
        _sync(stored_by_key, wanted, "contributions", context.summary)
    _sync(existing, [item["key"] for item in data], "projects", context.summary)


register_section(Section("targets", export_targets, validate_targets, load_targets), order=10)
register_section(Section("projects", export_projects, validate_projects, load_projects), order=20)


# --- Document level --------------------------------------------------------------------------

ACTOR_SPECS = [
    F("key", "key", required=True),
    F("name", "str", required=True, max_length=200),
    F("helix", "str", required=True, choices=Helix),
    F("kind", "str", choices=ActorKind, default=ActorKind.ORGANISATION),
    F("government_level", "str", choices=GovernmentLevel, blank_choice=True, default=""),
    F("country", "str", max_length=2, default=""),
]
CHALLENGE_SPECS = [
    F("key", "key", required=True),
    F("title", "str", required=True, max_length=120),
    F("description", "str", default=""),
    F("sdgs", "ints", default=[]),
]
MISSION_SPECS = [
    F("key", "key", required=True),
    F("title", "str", required=True, max_length=120),
    F("challenge", "key", required=True),
    F("parent", "key"),
    F("statement", "str", max_length=300, default=""),
    # Added after version 1 was published: a new mission from a file without it takes its
    # organisation's language; an existing one keeps its own.
    F("language", "str", choices=StatementLanguage, blank_choice=True, default=""),
    F("status", "str", choices=MissionStatus, default=MissionStatus.DRAFT),
    F("paused_from", "str", choices=MissionStatus, blank_choice=True, default=""),
    # "" is "not recorded"; "none" is "recorded as no mandate yet". Files without the field
    # (or written before the blank state existed) import as not recorded when it is absent.
    F("mandate_source", "str", choices=MandateSource, blank_choice=True, default=""),
    F("mandate_reference", "str", max_length=200, default=""),
    F("mandate_date", "date"),
    F("approved_on", "date"),
    F("owner", "key"),
    F("coordinator", "key"),
    F("start_year", "int"),
    F("deadline_year", "int"),
    F("committed_budget", "decimal", digits=MONEY),
    F("estimated_need", "decimal", digits=MONEY),
    F("currency", "str", default="EUR"),
    F("team_fte", "decimal", digits=(6, 2)),
    F("sdgs", "ints", default=[]),
    F("policy_domain", "str", choices=PolicyDomain, blank_choice=True, default=""),
    F("geography", "str", max_length=100, default=""),
    # Added after version 1 was published: files without it import with it unknown (null).
    F("affected_population", "int"),
    F("source_url", "str", max_length=500, default=""),
    F("notes", "str", default=""),
    F("archived_at", "datetime"),
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
class _Plan:
    """The document, read and checked: converted values ready to load."""

    actors: list[dict[str, Any]]
    challenges: list[dict[str, Any]]
    missions: list[tuple[dict[str, Any], dict[str, Any], SectionContext]]  # values, raw, context
    summary: ImportSummary


def _check(
    document: Any, organisation: Organisation, user: User | None
) -> tuple[_Plan, list[ExchangeError]]:
    errors: list[ExchangeError] = []
    summary = ImportSummary()
    plan = _Plan([], [], [], summary)
    if not isinstance(document, dict):
        return plan, [_type_error("document", _("a JSON object"), document)]
    fmt = document.get("format", _MISSING)
    if fmt is _MISSING:
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
            errors.append(_type_error(name, _("text"), document[name]))

    # Actors
    existing_actors = {
        a.key: a.name.lower() for a in Actor.objects.filter(organisation=organisation)
    }
    for index, item in enumerate(read_list(document.get("actors"), "actors", errors)):
        path = f"actors[{index}]"
        values = read_object(item, path, ACTOR_SPECS, errors)
        if values is None:
            continue
        _warn_unknown(item, path, [s.name for s in ACTOR_SPECS], summary)
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
    _duplicates(
        [(f"actors[{i}].key", a.get("key")) for i, a in enumerate(plan.actors)],
        _("Actor key"),
        errors,
    )
    _duplicates(
        [(f"actors[{i}].name", a.get("name") or None) for i, a in enumerate(plan.actors)],
        _("Actor name"),
        errors,
        ignore_case=True,
    )
    actor_keys = set(existing_actors) | {a["key"] for a in plan.actors if a.get("key")}

    # Challenges
    for index, item in enumerate(read_list(document.get("challenges"), "challenges", errors)):
        path = f"challenges[{index}]"
        values = read_object(item, path, CHALLENGE_SPECS, errors)
        if values is None:
            continue
        _warn_unknown(item, path, [s.name for s in CHALLENGE_SPECS], summary)
        if values.get("sdgs") is not None:
            errors += _problems(path, validation.sdg_problems("sdgs", values["sdgs"]))
        plan.challenges.append(values)
    _duplicates(
        [(f"challenges[{i}].key", c.get("key")) for i, c in enumerate(plan.challenges)],
        _("Challenge key"),
        errors,
    )
    challenge_keys = set(
        GrandChallenge.objects.filter(organisation=organisation).values_list("key", flat=True)
    ) | {c["key"] for c in plan.challenges if c.get("key")}

    # Missions
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
        _warn_unknown(item, path, [s.name for s in MISSION_SPECS] + section_names, summary)
        for ref in ("owner", "coordinator"):
            if values.get(ref) and values[ref] not in actor_keys:
                errors.append(
                    ExchangeError(
                        f"{path}.{ref}",
                        _("refers to actor %(key)r, which is not in the document's actors.")
                        % {"key": values[ref]},
                    )
                )
        if values.get("challenge") and values["challenge"] not in challenge_keys:
            errors.append(
                ExchangeError(
                    f"{path}.challenge",
                    _("refers to challenge %(key)r, which is not in the document's challenges.")
                    % {"key": values["challenge"]},
                )
            )
        parent = values.get("parent")
        if parent:
            grandparent = (
                document_parents[parent]
                if parent in document_parents
                else (
                    stored_missions[parent].parent.key
                    if parent in stored_missions and stored_missions[parent].parent
                    else None
                )
            )
            if parent == values.get("key"):
                errors.append(
                    ExchangeError(f"{path}.parent", _("a mission cannot be its own parent."))
                )
            elif parent not in document_parents and parent not in stored_missions:
                errors.append(
                    ExchangeError(
                        f"{path}.parent",
                        _("refers to mission %(key)r, which is not in the document.")
                        % {"key": parent},
                    )
                )
            elif grandparent:
                errors.append(
                    ExchangeError(
                        f"{path}.parent",
                        _("mission %(key)r is itself a sub-mission; sub-missions cannot be nested.")
                        % {"key": parent},
                    )
                )
        if all(spec.name in values for spec in MISSION_SPECS):
            errors += _problems(
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
        stored = stored_missions.get(values.get("key"))
        if isinstance(item.get("targets"), list):
            target_keys = {t.get("key") for t in item["targets"] if isinstance(t, dict)}
        else:
            target_keys = set(stored.targets.values_list("key", flat=True)) if stored else set()
        context = SectionContext(
            organisation=organisation,
            user=user,
            mission_data=values,
            actor_keys=actor_keys,
            target_keys=target_keys,
            summary=summary,
        )
        for section in sections():
            if section.name in item:
                errors += section.validate(item[section.name], f"{path}.{section.name}", context)
        plan.missions.append((values, item, context))
    _duplicates(
        [(f"missions[{i}].key", m[0].get("key")) for i, m in enumerate(plan.missions)],
        _("Mission key"),
        errors,
    )
    return plan, errors


def validate_document(document: Any, *, organisation: Organisation) -> list[ExchangeError]:
    """Every problem in the document, with its path; empty if it can be imported. No writes."""
    return _check(document, organisation, None)[1]


@transaction.atomic
def import_document(
    *, document: Any, organisation: Organisation, user: User | None = None
) -> ImportSummary:
    """Import a parsed document into `organisation`, all or nothing. Existing actors,
    challenges, missions, targets, milestones and projects with the same keys are updated; rows
    of an imported section that the document no longer lists are removed. Raises
    `ImportRejected` (nothing written) listing every problem. `user=None` is a system import
    (management command, demo data); a user needs the `missions.import_missions` permission."""
    from missions.services import plain, record_change

    if user is not None and not user.has_perm("missions.import_missions", organisation):
        raise PermissionDenied(_("Only leads and administrators can import missions."))
    plan, errors = _check(document, organisation, user)
    if errors:
        raise ImportRejected(errors)
    summary = plan.summary

    actors = {a.key: a for a in Actor.objects.filter(organisation=organisation)}
    for values in plan.actors:
        actor = actors.get(values["key"]) or Actor(organisation=organisation, created_by=user)
        _save(actor, values, "actors", summary)
        actors[actor.key] = actor
    challenges = {c.key: c for c in GrandChallenge.objects.filter(organisation=organisation)}
    for values in plan.challenges:
        challenge = challenges.get(values["key"]) or GrandChallenge(
            organisation=organisation, created_by=user
        )
        _save(challenge, values, "challenges", summary)
        challenges[challenge.key] = challenge

    stored = {m.key: m for m in Mission.objects.filter(organisation=organisation)}
    loaded: list[
        tuple[Mission, dict[str, Any], dict[str, Any], SectionContext, dict[str, Any]]
    ] = []
    for values, raw, context in plan.missions:
        values = dict(values)
        parent_key = values.pop("parent")
        values["challenge"] = challenges[values["challenge"]]
        values["owner"] = actors[values["owner"]] if values["owner"] else None
        values["coordinator"] = actors[values["coordinator"]] if values["coordinator"] else None
        mission = stored.get(values["key"])
        before = {name: plain(getattr(mission, name)) for name in values} if mission else {}
        if mission is None:
            mission = Mission(organisation=organisation, created_by=user)
        if "language" not in raw:  # a file from before the field: nothing to change
            values["language"] = mission.language if mission.pk else organisation.language
        mission.updated_by = user
        _save(mission, values, "missions", summary)
        stored[mission.key] = mission
        loaded.append((mission, raw, values, context, before))
        values["parent"] = parent_key
    for mission, _raw, values, _context, _before in loaded:
        parent = stored[values["parent"]] if values["parent"] else None
        if mission.parent_id != (parent.pk if parent else None):
            mission.parent = parent
            mission.save(update_fields=["parent"])
    for mission, raw, values, context, before in loaded:
        context.actors = actors
        for section in sections():
            if section.name in raw:
                section.load(mission, raw[section.name], context)
        after = {name: plain(getattr(mission, name)) for name in values if name != "parent"}
        changes = {
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        }
        record_change(
            mission=mission,
            user=user,
            action=ChangeAction.IMPORTED,
            object_type="mission",
            object_key=mission.key,
            changes=changes,
        )
    return summary


# --- Reading and writing files ----------------------------------------------------------------


def _too_big(size: int) -> ImportRejected:
    limit = max_import_bytes()
    return ImportRejected(
        [
            ExchangeError(
                "document",
                _("the file is %(size).1f MB; the limit is %(limit).1f MB.")
                % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
            )
        ]
    )


def parse(raw: bytes | str) -> Any:
    """JSON text or bytes → Python data. Raises `ImportRejected` for oversized or malformed
    input, with the line and column of a syntax error."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > max_import_bytes():
        raise _too_big(size)
    try:
        return load_json(raw, max_bytes=max_import_bytes())
    except InputRefused as refused:
        raise ImportRejected(
            [ExchangeError(refused.field or "document", refused.message)]
        ) from None


def read_file(path: str | os.PathLike[str]) -> Any:
    """Read and parse a document file, checking its size before reading any of it."""
    size = os.path.getsize(path)
    if size > max_import_bytes():
        raise _too_big(size)
    return parse(Path(path).read_bytes())


def import_file(
    path: str | os.PathLike[str], *, organisation: Organisation, user: User | None = None
) -> ImportSummary:
    """`read_file` then `import_document`."""
    return import_document(document=read_file(path), organisation=organisation, user=user)


# --- Export ----------------------------------------------------------------------------------


def export_mission(mission: Mission) -> dict[str, Any]:
    """One mission as a document entry: core fields, then every registered section."""
    data = {
        "key": mission.key,
        "title": mission.title,
        "challenge": mission.challenge.key,
        "parent": mission.parent.key if mission.parent else None,
        "statement": mission.statement,
        "language": mission.language,
        "status": mission.status,
        "paused_from": mission.paused_from,
        "mandate_source": mission.mandate_source,
        "mandate_reference": mission.mandate_reference,
        "mandate_date": _iso(mission.mandate_date),
        "approved_on": _iso(mission.approved_on),
        "owner": mission.owner.key if mission.owner else None,
        "coordinator": mission.coordinator.key if mission.coordinator else None,
        "start_year": mission.start_year,
        "deadline_year": mission.deadline_year,
        "committed_budget": number_text(mission.committed_budget),
        "estimated_need": number_text(mission.estimated_need),
        "currency": mission.currency,
        "team_fte": number_text(mission.team_fte),
        "sdgs": list(mission.sdgs),
        "policy_domain": mission.policy_domain,
        "geography": mission.geography,
        "affected_population": mission.affected_population,
        "source_url": mission.source_url,
        "notes": mission.notes,
        "archived_at": mission.archived_at.isoformat() if mission.archived_at else None,
    }
    for section in sections():
        data[section.name] = section.export(mission)
    return data


def export_document(
    *,
    organisation: Organisation,
    mission_keys: Iterable[str] | None = None,
    user: User | None = None,
) -> dict[str, Any]:
    """The organisation's missions (all, or those with `mission_keys` plus their parent
    missions) as a `lodestar.missions/1` document. With all missions, every actor and challenge
    is included; with a selection, only those the missions refer to. Raises `LookupError` for
    unknown keys and `PermissionDenied` if `user` may not export."""
    if user is not None and not user.has_perm("missions.export_missions", organisation):
        raise PermissionDenied(
            _("Only members of %(organisation)s can export its missions.")
            % {"organisation": organisation}
        )
    missions = Mission.objects.filter(organisation=organisation).select_related(
        "challenge", "parent", "owner", "coordinator"
    )
    selected = None
    if mission_keys is not None:
        selected = set(mission_keys)
        found = set(missions.filter(key__in=selected).values_list("key", flat=True))
        if selected - found:
            raise LookupError(
                _("%(organisation)s has no mission with the key %(keys)s.")
                % {"organisation": organisation.slug, "keys": ", ".join(sorted(selected - found))}
            )
        parents = set(
            missions.filter(key__in=selected, parent__isnull=False).values_list(
                "parent__key", flat=True
            )
        )
        missions = missions.filter(key__in=selected | parents)
    mission_data = [export_mission(m) for m in missions.order_by("key")]
    actors = Actor.objects.filter(organisation=organisation)
    challenges = GrandChallenge.objects.filter(organisation=organisation)
    if selected is not None:
        used = set()
        for m in mission_data:
            used |= {m["owner"], m["coordinator"]}
            for p in m.get("projects", []):
                used |= {p["lead"], *p["partners"]}
        actors = actors.filter(key__in=used - {None})
        challenges = challenges.filter(key__in={m["challenge"] for m in mission_data})
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "organisation": organisation.slug,
        "actors": [
            {
                "key": a.key,
                "name": a.name,
                "helix": a.helix,
                "kind": a.kind,
                "government_level": a.government_level,
                "country": a.country,
            }
            for a in actors.order_by("key")
        ],
        "challenges": [
            {"key": c.key, "title": c.title, "description": c.description, "sdgs": list(c.sdgs)}
            for c in challenges.order_by("key")
        ],
        "missions": mission_data,
    }


def dumps(document: dict[str, Any]) -> str:
    """A document as JSON text: readable, UTF-8, stable key order."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
