"""Reads of the audit trail: a mission's entries, an organisation's entries, the filters' choices,
and entries turned into rows people can read ("Status: Draft → Proposed", names for ids).

Rows are built a page (or an export chunk) at a time, with one query per kind of object the
changed foreign keys point at, so the number of queries never grows with the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Organisation, User
from audit.models import AuditEntry, AuditEvent
from audit.registry import audited_models
from config.inputs import spreadsheet_cell
from missions.models import Mission
from missions.plain_words import plain_value

SYSTEM = "system"
EXPORT_LIMIT = 10_000
EXPORT_CHUNK = 500
ACTIONS = {
    AuditEntry.Action.CREATE: gettext_lazy("Created"),
    AuditEntry.Action.UPDATE: gettext_lazy("Changed"),
    AuditEntry.Action.DELETE: gettext_lazy("Deleted"),
    AuditEntry.Action.ACCESS: gettext_lazy("Accessed"),
}


# --- Querysets -------------------------------------------------------------------------------


def mission_entries(
    *, user: User, mission: Mission, filters: dict[str, Any]
) -> QuerySet[AuditEntry]:
    """Entries about the mission and everything that belongs to it, newest first."""
    entries = AuditEntry.objects.visible_to(user).filter(
        organisation_id=mission.organisation_id, mission_id=mission.pk
    )
    return _filtered(entries, filters)


def organisation_entries(
    *, user: User, organisation: Organisation, filters: dict[str, Any]
) -> QuerySet[AuditEntry]:
    """Every entry of the organisation (members, roles, sign-ins, downloads, all missions)."""
    entries = AuditEntry.objects.visible_to(user).filter(organisation_id=organisation.pk)
    return _filtered(entries, filters)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(entries: QuerySet[AuditEntry], filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    who = filters.get("who")
    if who == SYSTEM:
        entries = entries.filter(actor__isnull=True, actor_email__isnull=True)
    elif who:
        entries = entries.filter(actor_id=int(who))
    kind = filters.get("kind")
    if kind and kind.startswith("event:"):
        entries = entries.filter(event=kind.removeprefix("event:"))
    elif kind:
        app_label, model = kind.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        entries = entries.filter(content_type=content_type, event="")
    # Ranges, not `__date`, so the (organisation or mission, timestamp) indexes are used.
    if filters.get("since"):
        entries = entries.filter(timestamp__gte=_start_of(filters["since"]))
    if filters.get("until"):
        entries = entries.filter(timestamp__lt=_start_of(filters["until"] + dt.timedelta(days=1)))
    return entries.select_related("actor").order_by("-timestamp", "-pk")


# --- Filter choices --------------------------------------------------------------------------


def people_choices(*, organisation: Organisation) -> list[tuple[str, str]]:
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
    )
    return [(str(m.user_id), str(m.user)) for m in members] + [
        (SYSTEM, _("The system (background work)"))
    ]


def kind_choices(*, organisation_level: bool) -> list[tuple[str, str]]:
    kinds = sorted(
        (
            (
                f"{model._meta.app_label}.{model._meta.model_name}",
                str(model._meta.verbose_name).capitalize(),
            )
            for model in audited_models()
            if organisation_level or model not in (Organisation, Membership)
        ),
        key=lambda choice: choice[1],
    )
    events = [(f"event:{AuditEvent.DOWNLOAD}", _("Downloads and exports"))]
    if organisation_level:
        events.append((f"event:{AuditEvent.SIGN_IN}", _("Sign-ins")))
    return events + kinds


# --- Rows ------------------------------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Row:
    entry: AuditEntry
    who: str
    action: str
    kind: str
    object: str
    mission: str = ""
    changes: list[Change] = field(default_factory=list)
    details: str = ""


def _content_type(entry: AuditEntry) -> ContentType:
    # From ContentType's own cache: `entry.content_type` would cost a query per row.
    return ContentType.objects.get_for_id(entry.content_type_id)


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The model's own field of this name (a column or a many-to-many), not a reverse relation."""
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(model_field, models.Field) and (model_field.concrete or model_field.many_to_many):
        return model_field
    return None


def _is_fk(model_field: models.Field | None) -> TypeGuard[models.Field]:
    return model_field is not None and bool(model_field.many_to_one or model_field.one_to_one)


def _plain(value: Any) -> str:
    # Words, not reprs: lists as text, dicts as "key: value", dates and numbers as people
    # write them (missions/plain_words.py).
    return plain_value(value)


def _display(model_field: Any, value: Any, names: dict[tuple[Any, str], str]) -> str:
    if value in (None, "", "None"):
        return "—"
    if _is_fk(model_field):
        return names.get(
            (model_field.related_model, str(value)), _("#%(id)s (deleted)") % {"id": value}
        )
    if model_field is not None and model_field.choices:
        labels = {str(key): label for key, label in model_field.flatchoices}
        if isinstance(value, list):
            return ", ".join(str(labels.get(str(item), item)) for item in value) or "—"
        return str(labels.get(str(value), value))
    return _plain(value)


def _related_names(entries: list[AuditEntry]) -> dict[tuple[Any, str], str]:
    """Names for every foreign-key value the entries mention: one query per related model."""
    wanted: dict[Any, set[str]] = defaultdict(set)
    for entry in entries:
        model = _content_type(entry).model_class()
        for name, values in (entry.changes or {}).items():
            model_field = _model_field(model, name)
            if _is_fk(model_field) and isinstance(values, list | tuple):
                wanted[model_field.related_model].update(
                    str(v) for v in values if v not in (None, "", "None")
                )
    names: dict[tuple[Any, str], str] = {}
    for related, ids in wanted.items():
        keys = [i for i in ids if i.lstrip("-").isdigit()]
        for pk, obj in related._base_manager.in_bulk(keys).items():
            names[(related, str(pk))] = str(obj)
    return names


def _mission_names(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {entry.mission_id for entry in entries if entry.mission_id}
    if not ids:
        return {}
    return {m.pk: m.title for m in Mission.objects.filter(pk__in=ids).only("pk", "title")}


def _who(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    return entry.actor_email or _("The system")


EVENT_ACTIONS: dict[str, Promise] = {
    AuditEvent.DOWNLOAD: gettext_lazy("Downloaded from"),
    AuditEvent.SIGN_IN: gettext_lazy("Signed in:"),
}


def _action(entry: AuditEntry) -> str:
    if entry.event:
        return str(EVENT_ACTIONS.get(entry.event, entry.event))
    return str(ACTIONS.get(entry.action, entry.action))


def _kind(entry: AuditEntry, model: type[models.Model] | None) -> str:
    if model is None:
        return _content_type(entry).model
    return str(model._meta.verbose_name).capitalize()


def _changes(entry: AuditEntry, model: Any, names: dict[tuple[Any, str], str]) -> list[Change]:
    rows = []
    order = {f.name: n for n, f in enumerate(model._meta.get_fields())} if model else {}
    for name, values in sorted(
        (entry.changes or {}).items(), key=lambda item: order.get(item[0], 999)
    ):
        model_field = _model_field(model, name)
        if model_field is not None and model_field.primary_key:
            continue
        label = str(model_field.verbose_name).capitalize() if model_field is not None else name
        if isinstance(values, dict) and values.get("type") == "m2m":
            objects = ", ".join(values.get("objects", []))
            added = values.get("operation") == "add"
            rows.append(Change(label, "" if added else objects, objects if added else ""))
            continue
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        before, after = _display(model_field, before, names), _display(model_field, after, names)
        if before != after:  # a create lists only the fields given a value
            rows.append(Change(label, before, after))
    return rows


def entry_rows(entries: Iterable[AuditEntry], *, with_mission: bool = False) -> list[Row]:
    """Readable rows for a page or a chunk of entries (fetched with `select_related("actor")`)."""
    entries = list(entries)
    names = _related_names(entries)
    missions = _mission_names(entries) if with_mission else {}
    rows = []
    for entry in entries:
        model = _content_type(entry).model_class()
        details = ""
        if entry.event == AuditEvent.DOWNLOAD:
            details = (entry.additional_data or {}).get("file", "")
        mission = ""
        if with_mission and entry.mission_id:
            mission = missions.get(
                entry.mission_id, _("Deleted mission #%(id)s") % {"id": entry.mission_id}
            )
        rows.append(
            Row(
                entry=entry,
                who=_who(entry),
                action=_action(entry),
                kind=_kind(entry, model),
                object=entry.object_repr,
                mission=mission,
                changes=_changes(entry, model, names),
                details=details,
            )
        )
    return rows


def _chunks(entries: QuerySet[AuditEntry]) -> Iterator[list[Row]]:
    limited = list(entries[:EXPORT_LIMIT].values_list("pk", flat=True))
    for start in range(0, len(limited), EXPORT_CHUNK):
        ids = limited[start : start + EXPORT_CHUNK]
        chunk = (
            AuditEntry.objects.filter(pk__in=ids)
            .select_related("actor")
            .order_by("-timestamp", "-pk")
        )
        yield entry_rows(chunk, with_mission=True)


# --- Exports ---------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    return spreadsheet_cell(str(value))


def entries_csv(entries: QuerySet[AuditEntry]) -> tuple[str, int]:
    """CSV text, one line per changed field (an entry without field changes gets one line),
    and how many entries it holds (at most EXPORT_LIMIT)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("When (UTC)"),
            _("Who"),
            _("Action"),
            _("What"),
            _("Object"),
            _("Mission"),
            _("Field"),
            _("Before"),
            _("After"),
            _("File"),
        ]
    )
    count = 0
    for rows in _chunks(entries):
        for row in rows:
            count += 1
            when = row.entry.timestamp.astimezone(dt.UTC).isoformat(timespec="seconds")
            common = [when, row.who, row.action, row.kind, row.object, row.mission]
            for change in row.changes or [Change("", "", "")]:
                writer.writerow(
                    [
                        _cell(v)
                        for v in [*common, change.field, change.before, change.after, row.details]
                    ]
                )
    return out.getvalue(), count


def entries_json(entries: QuerySet[AuditEntry]) -> tuple[str, int]:
    items = []
    for rows in _chunks(entries):
        for row in rows:
            entry = row.entry
            items.append(
                {
                    "id": entry.pk,
                    "at": entry.timestamp.isoformat(),
                    "actor": row.who,
                    "actor_id": entry.actor_id,
                    "action": row.action,
                    "event": entry.event,
                    "model": "{0.app_label}.{0.model}".format(_content_type(entry)),
                    "kind": row.kind,
                    "object_id": entry.object_pk,
                    "object": row.object,
                    "mission_id": entry.mission_id,
                    "mission": row.mission,
                    "changes": [
                        {"field": c.field, "before": c.before, "after": c.after}
                        for c in row.changes
                    ],
                    "file": row.details,
                }
            )
    return json.dumps({"entries": items}, ensure_ascii=False, indent=2), len(items)
