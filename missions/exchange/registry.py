"""The format and its sections: each part of a mission in a document (`targets`, `projects`,
and whatever higher apps add in their `AppConfig.ready()`) is a `Section` in one ordered
registry, with the helpers a section's loader writes through."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from accounts.models import Organisation, User
from missions.exchange.bulk import BulkWrites
from missions.exchange.reading import FieldSpec, read_object
from missions.exchange.results import ExchangeError, ImportSummary
from missions.models import Actor, Mission

FORMAT = "lodestar.missions/1"


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
    # The mission's projects: in the document, or already stored.
    project_keys: set[str] = field(default_factory=set)
    # How loaders write set-based; the importer shares one among all missions' contexts.
    writes: BulkWrites = field(init=False)
    # The values validation read from each object of the document (by the ids of the object and its specs): the
    # loader that reads the same object with the same specs takes them rather than read again.
    read: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.writes = BulkWrites(self.summary)

    def remember(
        self, item: dict[str, Any], specs: Sequence[FieldSpec], values: dict[str, Any]
    ) -> None:
        """Keep what validation read from `item` with `specs`."""
        self.read[id(item), id(specs)] = values

    def recall(self, item: dict[str, Any], specs: Sequence[FieldSpec]) -> dict[str, Any]:
        """`read_object(item, "", specs, [])` of an object validation read cleanly: what it read
        then (a copy: loaders change it), or read again."""
        values = self.read.get((id(item), id(specs)))
        if values is None or len(values) != len(specs):
            values = read_object(item, "", specs, [])
            assert values is not None  # validated before loading  # noqa: S101
        return dict(values)


@dataclass(frozen=True)
class Section:
    """One part of a mission in the document, under `mission[name]`.

    - `export(mission) -> data` (JSON-ready),
    - `validate(data, path, context) -> [ExchangeError]` (no writes),
    - `load(mission, data, context)` (writes; called only after the whole document passed);
    - `load_many([(mission, data, context), ...])`, optional: the same for every mission of the
      document that has the section, in a few set-based queries whatever their number. The
      importer prefers it; `load` stays for one mission at a time.
    """

    name: str
    export: Callable[[Mission], Any]
    validate: Callable[[Any, str, SectionContext], list[ExchangeError]]
    load: Callable[[Mission, Any, SectionContext], None]
    load_many: Callable[[list[tuple[Mission, Any, SectionContext]]], None] | None = None


_sections: list[tuple[int, Section]] = []


def register_section(section: Section, *, order: int = 100) -> Section:
    """Add a section to the format (idempotent by name). Lower `order` loads first."""
    if all(existing.name != section.name for _order, existing in _sections):
        _sections.append((order, section))
    return section


def sections() -> list[Section]:
    return [section for _order, section in sorted(_sections, key=lambda item: item[0])]


# --- What loaders write through ----------------------------------------------------------------


def delete_missing(
    existing: Mapping[Any, models.Model],
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


def save_if_changed(
    obj: models.Model, values: dict[str, Any], kind: str, summary: ImportSummary
) -> bool:
    """Set values and save if anything differs; count it. Returns whether it was saved."""
    is_new = obj.pk is None
    changed = is_new or any(getattr(obj, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(obj, name, value)
    if changed:
        obj.save()
        summary.count("created" if is_new else "updated", kind)
    return changed
