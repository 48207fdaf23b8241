"""Writing an import set-based: each kind of row in a few queries (`bulk_create`,
`bulk_update`, one `DELETE`) however many missions the document holds.

Bulk writes skip `save()` and the signals it sends, so what those would have done is done here,
for the whole batch at once:

- `Versioned` rows that change go up one version, and `updated_at` moves (auto_now is a
  `save()` thing);
- the audit trail gets the entries django-auditlog records on every save of an audited model
  (`AuditTrail`, written in one INSERT when the import is done);
- deletions still go through `QuerySet.delete()`, which sends the signals row by row: they are
  rare in an import (a row the document no longer lists), and the audit trail records them, and
  what cascades from them, as it always has.

`analyze` refreshes the planner's statistics of the tables a bulk path filled (PostgreSQL).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import get_field_value, is_primitive, model_instance_diff
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str

from missions.exchange.results import ImportSummary

BATCH = 1000  # rows per INSERT/UPDATE statement: big enough to be few, small enough to parse


@dataclass
class AuditTrail:
    """The audit entries the row-by-row saves would have had django-auditlog record, gathered
    while an import writes in bulk and written in one INSERT at its end (inside its
    transaction, so a refused import leaves none)."""

    entries: list[Any] = field(default_factory=list)

    def _entry(self, instance: models.Model, action: int, changes: dict[str, Any]) -> None:
        # On create and delete django-auditlog diffs reverse relations too: our entry manager
        # keeps the object's own fields only, and so do we.
        own = {f.name for f in instance._meta.concrete_fields}
        changes = {name: value for name, value in changes.items() if name in own}
        if not changes:
            return
        entry_model = get_logentry_model()
        kwargs: dict[str, Any] = {}
        # The organisation and mission an entry belongs to, found as for every other entry.
        with_owner = getattr(entry_model.objects, "_with_owner", None)
        if with_owner is not None:
            with_owner(instance, kwargs)
        try:
            object_repr = smart_str(instance)
        except ObjectDoesNotExist:
            object_repr = "<error forming object repr>"
        self.entries.append(
            entry_model(
                content_type=ContentType.objects.get_for_model(instance),
                object_pk=str(instance.pk),
                object_id=instance.pk,
                object_repr=object_repr,
                action=action,
                changes=changes,
                cid=get_cid(),
                **kwargs,
            )
        )

    def created(self, instances: Iterable[models.Model]) -> None:
        action = get_logentry_model().Action.CREATE
        for instance in instances:
            if auditlog.contains(type(instance)):
                self._entry(instance, action, _created_diff(instance))

    def updated(self, pairs: Iterable[tuple[models.Model, models.Model]]) -> None:
        """(before, after) of each row a bulk update changed."""
        action = get_logentry_model().Action.UPDATE
        for before, after in pairs:
            if auditlog.contains(type(after)):
                self._entry(after, action, _diff(before, after))

    def write(self) -> None:
        if not self.entries or auditlog_disabled.get():
            self.entries = []
            return
        entry_model = get_logentry_model()
        for entry in self.entries:
            # What `save()` would have sent: django-auditlog's `set_actor` context (the
            # signed-in user of a request) fills in the actor through it.
            pre_save.send(
                sender=entry_model, instance=entry, raw=False, using="default", update_fields=None
            )
        entry_model.objects.bulk_create(self.entries, batch_size=BATCH)
        self.entries = []

    @staticmethod
    def table() -> str:
        return str(get_logentry_model()._meta.db_table)


def _created_diff(instance: models.Model) -> dict[str, Any]:
    """`_diff(None, instance)`, reading each value once: what a new object's entry records is
    every audited column that is not empty, as [None, value]."""
    model = type(instance)
    fields = _audited_fields(model)
    if fields is None:  # masked fields: leave it to django-auditlog
        return _diff(None, instance)
    use_json = settings.AUDITLOG_STORE_JSON_CHANGES
    changes: dict[str, Any] = {}
    for model_field in fields:
        value = get_field_value(instance, model_field, use_json)
        if value is None:
            continue
        if not use_json:
            changes[model_field.name] = (smart_str(None), smart_str(value))
        else:
            changes[model_field.name] = (None, value if is_primitive(value) else smart_str(value))
    return changes


_fields: dict[type[models.Model], list[Any] | None] = {}


def _audited_fields(model: type[models.Model]) -> list[Any] | None:
    """The columns django-auditlog records of `model` (its include and exclude lists), or
    None where some are masked."""
    if model not in _fields:
        config = auditlog.get_model_fields(model)
        fields = [
            f
            for f in model._meta.concrete_fields
            if (not config["include_fields"] or f.name in config["include_fields"])
            and f.name not in config["exclude_fields"]
        ]
        _fields[model] = None if config["mask_fields"] else fields
    return _fields[model]


def _diff(old: models.Model | None, new: models.Model) -> dict[str, Any]:
    # The object's own columns only: diffing a new object's reverse relations too (as
    # django-auditlog does before our entry manager drops them) costs a query per one-to-one.
    own = [f.name for f in new._meta.concrete_fields]
    return (
        model_instance_diff(
            old,
            new,
            fields_to_check=own,
            use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
        )
        or {}
    )


@dataclass
class BulkWrites:
    """What one import shares while it writes: its summary, its audit trail and its clock."""

    summary: ImportSummary
    audit: AuditTrail = field(default_factory=AuditTrail)
    now: Any = field(default_factory=timezone.now)

    def save(
        self,
        model: type[models.Model],
        rows: Sequence[tuple[models.Model, dict[str, Any]]],
        kind: str,
    ) -> list[models.Model]:
        """Set `values` on each row and write those that differ, new ones in one INSERT and
        changed ones in one UPDATE per batch, counted as `save_if_changed` counts them.
        Returns the rows written."""
        self.summary.tables.add(model._meta.db_table)
        new: list[models.Model] = []
        changed: list[tuple[models.Model, models.Model]] = []
        names: set[str] = set()
        for obj, values in rows:
            if obj.pk is None:
                _apply(obj, values)
                new.append(obj)
                continue
            if not any(_differs(obj, name, value) for name, value in values.items()):
                _apply(obj, values)  # equal values (5 and 5.00): keep the document's
                continue
            before = copy.copy(obj)
            _apply(obj, values)
            names.update(values)
            changed.append((before, obj))
        if new:
            model._default_manager.bulk_create(new, batch_size=BATCH)
            self.audit.created(new)
            self.summary.count("created", kind, len(new))
        if changed:
            updated = [after for _before, after in changed]
            own = {f.name for f in model._meta.concrete_fields}
            for obj in updated:
                if "version" in own:
                    obj.version += 1  # type: ignore[attr-defined]  # what Versioned.save does
                if "updated_at" in own:
                    obj.updated_at = self.now  # type: ignore[attr-defined]  # auto_now
            names |= {"version", "updated_at", "updated_by"} & own
            model._default_manager.bulk_update(updated, sorted(names), batch_size=BATCH)
            self.audit.updated(changed)
            self.summary.count("updated", kind, len(changed))
        return new + [after for _before, after in changed]

    def delete(self, objs: Sequence[models.Model], kind: str) -> None:
        """Delete rows the document no longer has (signals and cascades as usual), counted."""
        if not objs:
            return
        model = type(objs[0])
        model._default_manager.filter(pk__in=[obj.pk for obj in objs]).delete()
        self.summary.count("deleted", kind, len(objs))


def _apply(obj: models.Model, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    """Whether setting `value` changes `obj`: a foreign key by its id, so comparing never
    reads the related row."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)  # type: ignore[union-attr]
    return bool(getattr(obj, name) != value)


def analyze(tables: Iterable[type[models.Model] | str] | None = None) -> None:
    """`ANALYZE` the tables a bulk path just filled (models or table names; None: the whole
    database), so the planner's statistics describe what they now hold: right after a bulk
    load they describe the tables as they were, and a plan built for an empty table is slow
    for a full one. Call it after the writes commit. PostgreSQL only; nothing elsewhere."""
    if connection.vendor != "postgresql":
        return
    if tables is None:
        statement = "ANALYZE"
    else:
        names = sorted(
            {table if isinstance(table, str) else table._meta.db_table for table in tables}
        )
        if not names:
            return
        statement = "ANALYZE " + ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(statement)
