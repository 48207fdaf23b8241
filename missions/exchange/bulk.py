"""Writing an import set-based: each kind of row in a few queries (`insert`, `bulk_update`,
one `DELETE`) however many missions the document holds.

Bulk writes skip `save()` and the signals it sends, so what those would have done is done here,
for the whole batch at once:

- `Versioned` rows that change go up one version, and `updated_at` moves (auto_now is a
  `save()` thing);
- the audit trail gets the entries django-auditlog records on every save of an audited model
  (`AuditTrail`, read as django-auditlog reads a saved row, and written together when the
  import is done: `set_actor`'s actor and address are asked for once, not once per entry);
- deletions still go through `QuerySet.delete()`, which sends the signals row by row: they are
  rare in an import (a row the document no longer lists), and the audit trail records them, and
  what cascades from them, as it always has.

New rows go in through `insert`: on PostgreSQL one `COPY` per table, with primary keys taken
from the table's sequence first (so rows can refer to each other as with `bulk_create`), which
spares building and parsing a statement of thousands of literals; elsewhere `bulk_create`.
Each value is prepared as `bulk_create` prepares it, except those `get_db_prep_save` would
hand back unchanged (text in a text column, a whole number in an integer one).

`analyze` refreshes the planner's statistics of the tables a bulk path filled (PostgreSQL).
"""

from __future__ import annotations

import copy
import datetime
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import get_field_value, is_primitive, model_instance_diff
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str

from missions.exchange.results import ImportSummary

BATCH = 1000  # rows per INSERT/UPDATE statement (where not COPY): few, and each quick to parse


@dataclass(frozen=True)
class _Audited:
    """How to read each column django-auditlog records of a model, found once per model
    (`kind`: "fk" reads the id, "diff" goes through django-auditlog's own reading, "plain" the
    value itself)."""

    fields: list[tuple[Any, str, str]]  # (field, attribute, kind)
    generic: bool  # masked fields: leave the whole diff to django-auditlog


_audited: dict[type[models.Model], _Audited] = {}


def _audited_model(model: type[models.Model]) -> _Audited:
    spec = _audited.get(model)
    if spec is None:
        fields = _audited_fields(model)
        use_fk_string = getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False)
        readers = []
        for model_field in fields or []:
            if isinstance(model_field, models.DateTimeField | models.JSONField):
                kind = "diff"  # naive UTC datetimes, decoded JSON: as django-auditlog reads them
            elif (
                (model_field.one_to_one or model_field.many_to_one)
                and hasattr(model_field, "rel_class")
                and not use_fk_string
            ):
                kind = "fk"
            elif type(getattr(model, model_field.attname, None)) is DeferredAttribute:
                kind = "plain"  # the stored value itself, as `getattr` would give it
            else:
                kind = "diff"  # a descriptor of its own (a file, a relation): as django-auditlog
            readers.append((model_field, model_field.attname, kind))
        spec = _Audited(
            fields=readers,
            generic=fields is None or not settings.AUDITLOG_STORE_JSON_CHANGES,
        )
        _audited[model] = spec
    return spec


@dataclass
class AuditTrail:
    """The audit entries the row-by-row saves would have had django-auditlog record, gathered
    while an import writes in bulk and written in one go when the import is done (inside its
    transaction, so a refused import leaves none)."""

    # Each entry as the values of its own columns (by attribute name: `content_type_id`):
    # the columns every entry shares (the actor, the request's address) are filled in once,
    # when they are written.
    rows: list[dict[str, Any]] = field(default_factory=list)
    # The entries as log entry objects, once `entries` has been asked for.
    objects: list[Any] | None = None

    @property
    def entries(self) -> list[Any]:
        """The entries as log entry objects, for a caller that changes them before `write`
        (names their actor, say); made when first asked for, and written as they are then."""
        if self.objects is None:
            entry_model = get_logentry_model()
            self.objects = [entry_model(**row) for row in self.rows]
            self.rows = []
        return self.objects

    def _entry(
        self,
        instance: models.Model,
        content_type: ContentType,
        action: int,
        changes: dict[str, Any],
        cid: Any,
        own: set[str] | None,
    ) -> None:
        # On create and delete django-auditlog diffs reverse relations too: our entry manager
        # keeps the object's own fields only, and so do we (None: `changes` has no others).
        if own is not None:
            changes = {name: value for name, value in changes.items() if name in own}
        if not changes:
            return
        try:
            object_repr = smart_str(instance)
        except ObjectDoesNotExist:
            object_repr = "<error forming object repr>"
        entry: dict[str, Any] = {
            "content_type_id": content_type.pk,
            "object_pk": str(instance.pk),
            "object_id": instance.pk,
            "object_repr": object_repr,
            "action": action,
            "changes": changes,
            "cid": cid,
            "timestamp": timezone.now(),  # the column's default, when the entry is made
        }
        # The organisation and mission an entry belongs to, found as for every other entry.
        entry_model = get_logentry_model()
        with_owner = getattr(entry_model.objects, "_with_owner", None)
        if with_owner is not None:
            with_owner(instance, entry)
        if self.objects is None:
            self.rows.append(entry)
        else:
            self.objects.append(entry_model(**entry))

    def created(self, instances: Sequence[models.Model]) -> None:
        if not instances or not auditlog.contains(type(instances[0])):
            return
        spec = _audited_model(type(instances[0]))
        # Django's cache of content types (emptied when they are), asked once per batch.
        content_type = ContentType.objects.get_for_model(instances[0])
        action = get_logentry_model().Action.CREATE
        cid = get_cid()
        own = {f.name for f in instances[0]._meta.concrete_fields}
        for instance in instances:
            if spec.generic:
                self._entry(instance, content_type, action, _diff(None, instance), cid, own)
            else:
                self._entry(
                    instance, content_type, action, _created_diff(instance, spec), cid, None
                )

    def updated(self, pairs: Sequence[tuple[models.Model, models.Model]]) -> None:
        """(before, after) of each row a bulk update changed."""
        if not pairs or not auditlog.contains(type(pairs[0][1])):
            return
        content_type = ContentType.objects.get_for_model(pairs[0][1])
        action = get_logentry_model().Action.UPDATE
        cid = get_cid()
        own = {f.name for f in pairs[0][1]._meta.concrete_fields}
        for before, after in pairs:
            self._entry(after, content_type, action, _diff(before, after), cid, own)

    def write(self) -> None:
        rows, objects = self.rows, self.objects
        self.rows, self.objects = [], None
        if (not rows and not objects) or auditlog_disabled.get():
            return
        entry_model = get_logentry_model()
        if objects is not None:
            # Entries a caller has had as objects: each is sent what `save()` would send.
            for entry in objects:
                pre_save.send(
                    sender=entry_model,
                    instance=entry,
                    raw=False,
                    using="default",
                    update_fields=None,
                )
            insert(entry_model, objects)
            return
        # What `save()` would have sent: django-auditlog's `set_actor` context (the signed-in
        # user of a request) fills in the actor, its e-mail and the request's address through
        # it. What it fills in is the same for every entry, so it is sent once, for the first
        # entry, and what it set goes into every entry.
        first = entry_model(**rows[0])
        unset = dict(first.__dict__)
        pre_save.send(
            sender=entry_model, instance=first, raw=False, using="default", update_fields=None
        )
        filled = {
            name: value
            for name, value in first.__dict__.items()
            if name != "_state" and (name not in unset or unset[name] is not value)
        }
        insert_alike(entry_model, first, [row | filled for row in rows])

    @staticmethod
    def table() -> str:
        return str(get_logentry_model()._meta.db_table)


def _created_diff(instance: models.Model, spec: _Audited) -> dict[str, Any]:
    """`_diff(None, instance)` as django-auditlog computes it with JSON changes, reading each
    value once: every audited column that is not empty, as [None, value]."""
    changes: dict[str, Any] = {}
    values = instance.__dict__
    for model_field, attname, kind in spec.fields:
        if kind == "plain":
            value = values[attname] if attname in values else getattr(instance, attname)
        elif kind == "fk":
            value = values[attname] if attname in values else getattr(instance, attname)
            if value is not None:
                value = smart_str(value, strings_only=True)
        else:
            value = get_field_value(instance, model_field, True)
        if value is None:
            continue
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


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """`model._default_manager.bulk_create(objs)`: the same rows, with their primary keys set
    and marked as saved. On PostgreSQL the keys come from the table's sequence in one query and
    the rows go in with one `COPY`, whatever their number; each value is prepared as
    `bulk_create` prepares it (`pre_save`, then `get_db_prep_save`)."""
    if not objs:
        return
    if not _copyable(model):
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return
    for obj in objs:
        # As bulk_create: a related object saved after it was assigned gives its id now.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
    # The connection itself: `django.db.connection` is a proxy looked up on every use.
    db = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic(savepoint=False):
        unkeyed = [obj for obj in objs if obj.pk is None]
        for obj, key in zip(unkeyed, _keys(model, len(unkeyed)), strict=True):
            obj.pk = key
        fields = _columns(model)
        steps = [(f.pre_save, f.get_db_prep_save, _SAME.get(type(f), ())) for f in fields]
        rows = []
        for obj in objs:
            row = []
            for pre_save_value, prepare, same in steps:
                value = pre_save_value(obj, True)
                if type(value) in same:
                    row.append(value)
                    continue
                if _is_expression(value):
                    # bulk_create's to compile; the keys just given are kept.
                    model._default_manager.bulk_create(objs, batch_size=BATCH)
                    return
                row.append(prepare(value, db))
            rows.append(row)
        _copy(model, fields, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS


def insert_alike(
    model: type[models.Model], template: models.Model, rows: list[dict[str, Any]]
) -> None:
    """`insert` of one new row per item of `rows`, each `template` with the values the item
    gives (by attribute name; every item names the same columns). The columns they share are
    prepared once: for the many audit entries of an import, which differ in a few columns.
    No objects are made, so none is given a key."""
    if not rows:
        return
    fields = _columns(model)
    varying = set(rows[0])
    if (
        not _copyable(model)
        or template.pk is not None
        or any(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields)
    ):
        insert(model, [model(**row) for row in rows])
        return
    db = connections[DEFAULT_DB_ALIAS]
    # Per column: ("key",) a new key for every row, ("shared", value) the template's, or
    # ("own", attribute, prepare, same) the row's own value.
    steps: list[tuple[Any, ...]] = []
    for f in fields:
        if f.primary_key:
            steps.append(("key",))
        elif f.attname in varying:
            steps.append(("own", f.attname, f.get_db_prep_save, _SAME.get(type(f), frozenset())))
        else:
            value = f.pre_save(template, True)
            if _is_expression(value):
                insert(model, [model(**row) for row in rows])
                return
            steps.append(("shared", f.get_db_prep_save(value, db)))
    with transaction.atomic(savepoint=False):
        keys = iter(_keys(model, len(rows)))
        prepared = []
        for item in rows:
            row = []
            for step in steps:
                if step[0] == "shared":
                    row.append(step[1])
                elif step[0] == "key":
                    row.append(next(keys))
                else:
                    _own, attname, prepare, same = step
                    value = item[attname]
                    if type(value) in same:
                        row.append(value)
                    elif _is_expression(value):
                        raise ValueError(f"{model.__name__}.{attname}: an expression, not a value")
                    else:
                        row.append(prepare(value, db))
            prepared.append(row)
        _copy(model, fields, prepared)


def _columns(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if not f.generated]


def _keys(model: type[models.Model], count: int) -> list[Any]:
    """`count` new primary keys of `model`, in ascending order, from its table's sequence."""
    if not count:
        return []
    opts = model._meta
    assert opts.pk is not None  # noqa: S101  # a concrete model has one
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, count],
        )
        return sorted(key for (key,) in cursor.fetchall())


def _copy(model: type[models.Model], fields: list[Any], rows: list[list[Any]]) -> None:
    """Write prepared rows with one `COPY`, logged as a query where queries are logged."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = "COPY {} ({}) FROM STDIN".format(
        db.ops.quote_name(model._meta.db_table),
        ", ".join(db.ops.quote_name(f.column) for f in fields),
    )
    started = time.monotonic()
    with db.cursor() as cursor, cursor.cursor.copy(sql) as copy_in:
        for row in rows:
            copy_in.write_row(row)
    if db.queries_logged:  # shown with the other queries (tests, debug toolbar)
        db.queries_log.append(
            {"sql": f"{sql} -- {len(rows)} rows", "time": f"{time.monotonic() - started:.3f}"}
        )


def _is_expression(value: Any) -> bool:
    return type(value) not in _LITERALS and hasattr(value, "resolve_expression")


# Values that are never expressions: checked by type before asking for `resolve_expression`.
_LITERALS = frozenset(
    {type(None), bool, int, float, str, Decimal, datetime.date, datetime.datetime, list, dict}
)
# Values that `get_db_prep_save` hands back unchanged, by the exact class of the field: the
# row is built without the call (millions of them in a large import).
_TEXT: frozenset[type] = frozenset({str, type(None)})
_WHOLE: frozenset[type] = frozenset({int, type(None)})
_SAME: dict[type[models.Field], frozenset[type]] = {
    models.CharField: _TEXT,
    models.SlugField: _TEXT,
    models.TextField: _TEXT,
    models.IntegerField: _WHOLE,
    models.SmallIntegerField: _WHOLE,
    models.BigIntegerField: _WHOLE,
    models.PositiveIntegerField: _WHOLE,
    models.PositiveSmallIntegerField: _WHOLE,
    models.PositiveBigIntegerField: _WHOLE,
    models.AutoField: frozenset({int}),
    models.BigAutoField: frozenset({int}),
    models.BooleanField: frozenset({bool, type(None)}),
    models.ForeignKey: _WHOLE,  # an integer key, or none
}
_copyable_models: dict[type[models.Model], bool] = {}


def _copyable(model: type[models.Model]) -> bool:
    """Whether `insert` may COPY rows of `model`: PostgreSQL, one table, an auto-numbered key
    the only column the database fills in, and no value that is an expression or a default
    the database computes."""
    if connection.vendor != "postgresql":
        return False
    if model not in _copyable_models:
        opts = model._meta
        _copyable_models[model] = (
            isinstance(opts.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
            and not any(
                parent._meta.concrete_model is not opts.concrete_model
                for parent in opts.all_parents
            )
            and opts.order_with_respect_to is None
            and list(opts.db_returning_fields) == [opts.pk]
            and not any(f.has_db_default() for f in opts.concrete_fields)
        )
    return _copyable_models[model]


@dataclass
class BulkWrites:
    """What one import shares while it writes: its summary, its audit trail and its clock."""

    summary: ImportSummary
    audit: AuditTrail = field(default_factory=AuditTrail)
    now: Any = field(default_factory=timezone.now)
    # The rows this import created, by model: they have nothing stored under them yet.
    created: dict[type[models.Model], set[Any]] = field(default_factory=dict)

    def stored(self, objs: Iterable[models.Model]) -> list[models.Model]:
        """Those of `objs` that were there before this import, so that reading what is stored
        under them (a mission's targets) can pass over the rows it just created."""
        return [obj for obj in objs if obj.pk not in self.created.get(type(obj), ())]

    def save(
        self,
        model: type[models.Model],
        rows: Sequence[tuple[models.Model, dict[str, Any]]],
        kind: str,
    ) -> list[models.Model]:
        """Set `values` on each row and write those that differ, new ones together (`insert`)
        and changed ones in one UPDATE per batch, counted as `save_if_changed` counts them.
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
            insert(model, new)
            self.created.setdefault(model, set()).update(obj.pk for obj in new)
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
