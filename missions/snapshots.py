"""Snapshots: named, immutable copies of a whole mission, and comparisons between two of them
(or a snapshot and the mission as it is now).

A snapshot's `document` is the mission's entry in the exchange format
(`exchange.export_document(...)["missions"][i]`), so every registered section (targets,
projects, canvas, and whatever later apps add) is in it without this module knowing them.

`snapshot_compare(old, new)` gives
- `texts`: a word-level diff per long text (the mission statement and notes here; apps add
  theirs with `register_texts`, e.g. the canvas boxes), and
- `changes`: structured changes in plain words ("Target 2 “…”: baseline year 2019 → 2020",
  "Project “X” added"); apps describe their sections with `register_describer`, and a section
  nobody describes is reported as changed or not.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from missions import exchange
from missions.models import (
    Milestone,
    Mission,
    MissionProject,
    MissionSnapshot,
    Target,
)

TextSource = Callable[[dict[str, Any]], list[tuple[str, str, str]]]
Describer = Callable[[Any, Any], list[str]]

_text_sources: list[tuple[str, TextSource]] = []
_describers: dict[str, Describer] = {}

# Long texts of the mission itself: compared word by word, not listed as changes.
CORE_TEXTS = ("statement", "notes")
IGNORED = {"key", *CORE_TEXTS}


def register_texts(name: str, source: TextSource) -> None:
    """`source(mission_entry) -> [(key, label, text)]`: long texts to diff word by word. A key
    given again (e.g. "statement", to place it among the canvas boxes) moves it there."""
    if all(existing != name for existing, _source in _text_sources):
        _text_sources.append((name, source))


def register_describer(section: str, describer: Describer) -> None:
    """`describer(old_section_data, new_section_data) -> [plain-words change]`."""
    _describers[section] = describer


# --- Taking and listing ----------------------------------------------------------------------


def current_document(mission: Mission) -> dict[str, Any]:
    """The mission as the exchange format exports it now (its entry, not the whole file)."""
    document = exchange.export_document(
        organisation=mission.organisation, mission_keys=[mission.key]
    )
    return next(entry for entry in document["missions"] if entry["key"] == mission.key)


@transaction.atomic
def snapshot_take(*, by: User, mission: Mission, name: str) -> MissionSnapshot:
    """Keep a named copy of the whole mission as it is now. The name is required and unique
    within the mission ("Cabinet submission v3")."""
    if not by.has_perm("missions.take_snapshot", mission):
        raise PermissionDenied(_("Only editors, reviewers and leads can take snapshots."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError(
            {"name": _("Give the snapshot a name, for example “Cabinet submission v3”.")}
        )
    if len(name) > 120:
        raise ValidationError({"name": _("Keep the name under 120 characters.")})
    if MissionSnapshot.objects.filter(mission=mission, name__iexact=name).exists():
        raise ValidationError(
            {
                "name": _("There is already a snapshot called “%(name)s”. Choose another name.")
                % {"name": name}
            }
        )
    try:
        with transaction.atomic():
            return MissionSnapshot.objects.create(
                mission=mission, name=name, taken_by=by, document=current_document(mission)
            )
    except IntegrityError:
        raise ValidationError(
            {
                "name": _("There is already a snapshot called “%(name)s”. Choose another name.")
                % {"name": name}
            }
        ) from None


def snapshot_list(*, user: User, mission: Mission) -> models.QuerySet[MissionSnapshot]:
    """The mission's snapshots, newest first, without their (large) documents."""
    return (
        MissionSnapshot.objects.visible_to(user)
        .filter(mission=mission)
        .select_related("taken_by")
        .defer("document")
        .order_by("-taken_at", "-pk")
    )


# --- Comparing -------------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+\s*|\s+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The change from `old` to `new` word by word: [("equal"|"delete"|"insert", text)]."""
    old_words, new_words = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(
        None, [w.strip() for w in old_words], [w.strip() for w in new_words], autojunk=False
    )
    parts: list[tuple[str, str]] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        text = "".join(words)
        if parts and parts[-1][0] == kind:
            parts[-1] = (kind, parts[-1][1] + text)
        else:
            parts.append((kind, text))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("equal", new_words[j1:j2])
        else:
            add("delete", old_words[i1:i2])
            add("insert", new_words[j1:j2])
    return parts


@dataclass
class TextDiff:
    key: str
    label: str
    old: str
    new: str
    parts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def added_words(self) -> int:
        return sum(len(text.split()) for kind, text in self.parts if kind == "insert")

    @property
    def removed_words(self) -> int:
        return sum(len(text.split()) for kind, text in self.parts if kind == "delete")


@dataclass
class Comparison:
    texts: list[TextDiff]
    changes: list[str]

    @property
    def changed_texts(self) -> list[TextDiff]:
        return [text for text in self.texts if text.changed]


def _texts(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    def label(name: str) -> str:
        return _label(Mission, name).capitalize()

    texts: dict[str, tuple[str, str]] = {
        "statement": (label("statement"), document.get("statement") or "")
    }
    for _name, source in _text_sources:
        for key, text_label, text in source(document):
            texts.pop(key, None)
            texts[key] = (text_label, text or "")
    texts.setdefault("notes", (label("notes"), document.get("notes") or ""))
    return texts


def snapshot_compare(old_document: dict[str, Any], new_document: dict[str, Any]) -> Comparison:
    """What changed between two mission documents (a snapshot's, or `current_document`)."""
    old_texts, new_texts = _texts(old_document), _texts(new_document)
    texts = []
    for key in [*new_texts, *(k for k in old_texts if k not in new_texts)]:
        label, new = new_texts.get(key, (old_texts.get(key, ("", ""))[0], ""))
        old = old_texts.get(key, (label, ""))[1]
        texts.append(TextDiff(key, label, old, new, word_diff(old, new)))

    changes = _describe_fields(
        Mission, old_document, new_document, IGNORED | _section_names(old_document, new_document)
    )
    for section in _section_names(old_document, new_document):
        old_part, new_part = old_document.get(section), new_document.get(section)
        if old_part == new_part:
            continue
        describer = _describers.get(section)
        if describer is not None:
            changes += describer(old_part, new_part)
        elif not any(name == section for name, _source in _text_sources):
            changes.append(
                _("%(section)s changed.") % {"section": section.replace("_", " ").capitalize()}
            )
    return Comparison(texts, changes)


def _section_names(*documents: dict[str, Any]) -> set[str]:
    core = {spec.name for spec in exchange.MISSION_SPECS}
    return {name for document in documents for name in document if name not in core}


# --- Plain words for values and fields ------------------------------------------------------


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field the model no longer has
        field = None
    if not isinstance(field, models.Field):  # gone, or a reverse relation with no label
        return name.replace("_", " ")
    return str(field.verbose_name)


def _value(model: type[models.Model], name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field the model no longer has
        field = None
    choices = dict(field.flatchoices) if isinstance(field, models.Field) else {}
    return str(choices.get(value, value))


def _describe_fields(
    model: type[models.Model],
    old: dict[str, Any],
    new: dict[str, Any],
    ignore: set[str],
    prefix: str = "",
) -> list[str]:
    changes = []
    for name in [*new, *(k for k in old if k not in new)]:
        if name in ignore or old.get(name) == new.get(name):
            continue
        values = {
            "prefix": prefix,
            "field": _label(model, name),
            "old": _value(model, name, old.get(name)),
            "new": _value(model, name, new.get(name)),
        }
        if prefix:  # "Target 2 “…”: baseline year 2019 → 2020"
            changes.append(_("%(prefix)s%(field)s %(old)s → %(new)s") % values)
        else:  # "Deadline year: 2040 → 2045"
            values["field"] = values["field"].capitalize()
            changes.append(_("%(field)s: %(old)s → %(new)s") % values)
    return changes


def _by_key(items: Any) -> dict[str, tuple[int, dict[str, Any]]]:
    return {
        item["key"]: (position, item)
        for position, item in enumerate(items or [], start=1)
        if isinstance(item, dict) and "key" in item
    }


def _nested(
    before: dict[str, Any], after: dict[str, Any], name: str, by: str
) -> tuple[dict[Any, Any], dict[Any, Any], list[Any], list[Any]]:
    """A part's list `name` (a target's milestones) before and after, each item by its `by`
    field; and the items added and removed, in order."""
    old = {item.get(by): item for item in before.get(name) or []}
    new = {item.get(by): item for item in after.get(name) or []}
    return old, new, sorted(new.keys() - old.keys()), sorted(old.keys() - new.keys())


def describe_targets(old: Any, new: Any) -> list[str]:
    old_targets, new_targets = _by_key(old), _by_key(new)
    changes = []
    for key, (position, target) in new_targets.items():
        name = _("Target %(n)s “%(title)s”") % {"n": position, "title": target.get("title", key)}
        if key not in old_targets:
            changes.append(_("%(target)s added.") % {"target": name})
            continue
        before = old_targets[key][1]
        changes += _describe_fields(
            Target, before, target, {"key", "milestones"}, prefix=f"{name}: "
        )
        old_ms, new_ms, added, removed = _nested(before, target, "milestones", by="year")
        changes += [
            _("%(target)s: milestone %(year)s added.") % {"target": name, "year": year}
            for year in added
        ]
        changes += [
            _("%(target)s: milestone %(year)s removed.") % {"target": name, "year": year}
            for year in removed
        ]
        for year in sorted(old_ms.keys() & new_ms.keys()):
            changes += _describe_fields(
                Milestone,
                old_ms[year],
                new_ms[year],
                {"year"},
                prefix=f"{name}, {_('milestone')} {year}: ",
            )
    for key, (_position, target) in old_targets.items():
        if key not in new_targets:
            changes.append(_("Target “%(title)s” removed.") % {"title": target.get("title", key)})
    return changes


def describe_projects(old: Any, new: Any) -> list[str]:
    old_projects, new_projects = _by_key(old), _by_key(new)
    changes = []
    for key, (_position, project) in new_projects.items():
        name = _("Project “%(title)s”") % {"title": project.get("title", key)}
        if key not in old_projects:
            changes.append(_("%(project)s added.") % {"project": name})
            continue
        before = old_projects[key][1]
        changes += _describe_fields(
            MissionProject, before, project, {"key", "contributions"}, prefix=f"{name}: "
        )
        _old, _new, added, removed = _nested(before, project, "contributions", by="target")
        changes += [
            _("%(project)s now contributes to target %(target)s.")
            % {"project": name, "target": target}
            for target in added
        ]
        changes += [
            _("%(project)s no longer contributes to target %(target)s.")
            % {"project": name, "target": target}
            for target in removed
        ]
    for key, (_position, project) in old_projects.items():
        if key not in new_projects:
            changes.append(_("Project “%(title)s” removed.") % {"title": project.get("title", key)})
    return changes


register_describer("targets", describe_targets)
register_describer("projects", describe_projects)

__all__ = [
    "Comparison",
    "TextDiff",
    "current_document",
    "register_describer",
    "register_texts",
    "snapshot_compare",
    "snapshot_list",
    "snapshot_take",
    "word_diff",
]
