"""The mission-part kernel: the one way a part of a mission (a target, a project, a stakeholder, a
theory-of-change step, an indicator, a canvas box …) is created, changed and removed.

Every app's services describe their part once, as a `PartKind`, and call `create_part`,
`update_part` and `delete_part`. The kernel does, in this order and in one transaction:

1. **permission** — the mission is not archived and the person may change this kind of part;
2. **lock** — the part's row is locked and its `version` compared with the one the page showed
   (`ConflictError` when someone saved in between);
3. **validation** — the fields are applied and `full_clean` runs (plus the kind's own check);
4. **diff** — the values before and after are compared as values (5 equals 5.00), so a form
   saved unchanged writes nothing, bumps no version and records no history;
5. **save** — with who changed it;
6. **history** — one entry in the mission's history, which also tells `missions.hooks`
   listeners (the criteria engine) once the transaction commits;
7. **touch** — the mission's "last changed" moves, without bumping the mission's version, so an
   edit to a target never makes a concurrent edit of the title fail.

The person acting is `by` (a signed-in `User`); the outside organisations a mission works with
are `Actor`s, a different thing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from config.forms import Refusal
from missions import hooks
from missions.models import Audited, ChangeAction, Mission, MissionChange, Versioned


class ConflictError(Refusal):
    """Someone else saved the object since the page was loaded. Carries the current version so
    the page can reload it and show what changed."""

    def __init__(self, *, obj: models.Model, expected_version: int, current_version: int):
        self.obj = obj
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            _(
                "Someone else changed this %(thing)s while you were editing it (your version "
                "%(expected)s, now %(current)s). Reload to see their changes, then make yours again."
            )
            % {
                "thing": obj._meta.verbose_name,
                "expected": expected_version,
                "current": current_version,
            }
        )


MISSION_REFUSAL = gettext_lazy(
    "You can read this mission but not change it. Ask an editor of the organisation."
)


def _key_attribute(part: Any) -> str:
    return str(part.key)


@dataclass(frozen=True)
class PartKind:
    """What the kernel needs to know about one kind of mission part."""

    # The part's name in the mission's history ("target", "stakeholder", …).
    object_type: str
    # The fields a page or the importer may change through `update_part`.
    fields: frozenset[str]
    # The rule that lets a person change it, and what they are told when it does not.
    permission: str = "missions.change_mission"
    refusal: str | Promise = MISSION_REFUSAL
    # How the history names one part (its key, unless said otherwise).
    key_of: Callable[[Any], str] = field(default=_key_attribute)
    # Fields `full_clean` leaves to the kind's own checks (foreign keys it has already checked
    # belong to the mission, so validating them again would only cost queries).
    clean_exclude: tuple[str, ...] = ()
    # The field whose value a deletion records ("title"), so the history can name what went.
    named_by: str = ""


# --- The steps, public for the few writes that are not a plain create, update or delete -----


def require_editable(
    by: User,
    mission: Mission,
    *,
    permission: str = "missions.change_mission",
    refusal: str | Promise | None = None,
) -> None:
    """Refuse a change to an archived mission, or by someone whose role does not allow it."""
    if mission.archived_at is not None:
        raise PermissionDenied(_("This mission is archived. Restore it before changing it."))
    if not by.has_perm(permission, mission):
        raise PermissionDenied(str(refusal or MISSION_REFUSAL))


def require_kind_editable(kind: PartKind, by: User, mission: Mission) -> None:
    require_editable(by, mission, permission=kind.permission, refusal=kind.refusal)


def lock[M: Versioned](part: M, expected_version: int) -> M:
    """The part's row, locked for this transaction, after checking nobody saved it since the
    caller read version `expected_version`. Related objects the caller already loaded (its
    mission, its target) stay attached, so nothing is read twice."""
    fresh = type(part)._default_manager.select_for_update().get(pk=part.pk)
    if fresh.version != expected_version:
        raise ConflictError(
            obj=fresh,
            expected_version=expected_version,
            current_version=fresh.version,
        )
    fresh._state.fields_cache.update(part._state.fields_cache)
    return fresh


def touch(mission: Mission, by: User | None) -> None:
    """Show a change to a part on the mission ("last changed by") without bumping its version."""
    Mission.objects.filter(pk=mission.pk).update(updated_at=timezone.now(), updated_by=by)


def plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, for history and exports."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "key", None) or str(value.pk)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The object's values of `fields` in plain form."""
    return {name: plain(getattr(obj, name)) for name in fields}


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """[old, new] for every name whose plain value differs (a new part: `before` is empty)."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def field_values(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The object's current values of `names`, as Python values, to compare after a change."""
    return {name: getattr(obj, name) for name in names}


def field_changes(before: Mapping[str, Any], obj: models.Model) -> dict[str, list[Any]]:
    """The fields whose value on `obj` differs from `before` (see `field_values`), each as
    [old, new] in plain form for the history. Compared as values, not as text: a budget of 5
    is the same as 5.00, so saving a form unchanged changes nothing."""
    return {
        name: [plain(old), plain(getattr(obj, name))]
        for name, old in before.items()
        if old != getattr(obj, name)
    }


def stored_values(obj: models.Model) -> dict[str, Any]:
    """Every column's value of `obj` (foreign keys as ids), to tell later which changed."""
    return {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def settled_fields(obj: models.Model, stored: Mapping[str, Any]) -> set[str]:
    """The fields of `obj` an update need not validate again: unchanged since `stored`, and
    in no unique set or constraint with a field that changed (which is validated whole).
    They were valid when stored, and checking them again cost a query for every foreign key,
    unique set and check constraint: about seventy for a mission's statement."""
    changed = {
        f.name for f in obj._meta.concrete_fields if getattr(obj, f.attname) != stored[f.name]
    }
    validated = set(changed)
    for group in _validated_together(type(obj)):
        if group is None:  # a constraint on expressions: its fields are not known
            return set()
        if group & changed:
            validated |= group
    return set(stored) - validated


_together: dict[type[models.Model], list[frozenset[str] | None]] = {}


def _validated_together(model: type[models.Model]) -> list[frozenset[str] | None]:
    """The field sets `full_clean` checks as one (unique fields and sets, constraints); None
    for one whose fields cannot be told."""
    if model not in _together:
        opts = model._meta
        groups: list[frozenset[str] | None] = [
            frozenset({f.name}) for f in opts.concrete_fields if f.unique
        ]
        groups += [frozenset(fields) for fields in opts.unique_together]
        for constraint in opts.constraints:
            if isinstance(constraint, models.CheckConstraint):
                groups.append(frozenset(models.Q(constraint.condition).referenced_base_fields))
            elif isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                condition = models.Q(constraint.condition) if constraint.condition else models.Q()
                groups.append(frozenset(constraint.fields) | condition.referenced_base_fields)
            else:
                groups.append(None)
        _together[model] = groups
    return _together[model]


def check_fields(fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        # A programming error, not a user's: the page offered a field the service does not own.
        raise TypeError(f"Unknown or read-only fields: {', '.join(sorted(unknown))}")


def one_line_ending(value: Any) -> Any:
    """Text with the line endings Lodestar stores ("\n"): a browser's textarea sends "\r\n",
    and a form saved unchanged must compare equal to what is stored."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def apply(obj: models.Model, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, one_line_ending(value))


def record_change(
    *,
    mission: Mission,
    user: User | None,
    action: str,
    object_type: str,
    object_key: str = "",
    changes: Mapping[str, Any] | None = None,
) -> MissionChange:
    """Add one entry to the mission's history (used by every service and by the importer), and
    tell `missions.hooks` listeners (e.g. the criteria engine) once the transaction commits."""
    hooks.mission_changed(mission.pk)
    return MissionChange.objects.create(
        mission=mission,
        user=user,
        action=action,
        object_type=object_type,
        object_key=object_key,
        changes=dict(changes or {}),
    )


def unique_key(queryset: models.QuerySet[Any], text: str, *, fallback: str = "item") -> str:
    """A slug of `text` not yet used as a key in `queryset` (title → "title", "title-2", ...)."""
    base = slugify(text)[:70].strip("-") or fallback
    taken = set(queryset.filter(key__startswith=base).values_list("key", flat=True))
    key, counter = base, 2
    while key in taken:
        key, counter = f"{base}-{counter}", counter + 1
    return key


@dataclass(frozen=True)
class KeyedList:
    """A list of other things a part links to (a project's partners, a step's indicators) that
    its page replaces as a whole: `chosen`, or None when the page did not send the list (it then
    stays). Pass `changes` and `save` to `update_part` as `more_changes` and `after_save`: a
    different list counts as a change, recorded as the keys before and after."""

    name: str
    chosen: list[Any] | None

    def changes(self, part: models.Model) -> dict[str, list[Any]]:
        if self.chosen is None:
            return {}
        old = sorted(getattr(part, self.name).values_list("key", flat=True))
        new = sorted(item.key for item in self.chosen)
        return {self.name: [old, new]} if new != old else {}

    def save(self, part: models.Model, _changes: Mapping[str, list[Any]]) -> None:
        if self.chosen is not None:
            getattr(part, self.name).set(self.chosen)


# --- Create, update, delete -------------------------------------------------------------------


def _record(
    kind: PartKind,
    action: str,
    key: str,
    changes: Mapping[str, Any],
    *,
    mission: Mission,
    by: User,
    touch_mission: bool = True,
) -> None:
    """The change's one entry in the mission's history, and the mission's "last changed"."""
    record_change(
        mission=mission,
        user=by,
        action=action,
        object_type=kind.object_type,
        object_key=key,
        changes=changes,
    )
    if touch_mission:
        touch(mission, by)


@transaction.atomic
def create_part[M: models.Model](
    kind: PartKind,
    part: M,
    *,
    by: User,
    mission: Mission,
    recorded: Iterable[str],
    also_recorded: Mapping[str, Any] | None = None,
    after_save: Callable[[M], object] | None = None,
) -> M:
    """Validate and save a new `part`, record its `recorded` fields (and `also_recorded`, for
    values that are not fields, such as a list of partners) in the history, touch the mission.
    `after_save` runs once the row exists (many-to-many links, position rows)."""
    require_kind_editable(kind, by, mission)
    if isinstance(part, Audited):
        part.created_by = by
        part.updated_by = by
    for text_field in part._meta.concrete_fields:
        if isinstance(text_field, models.CharField | models.TextField):
            value = getattr(part, text_field.attname)
            setattr(part, text_field.attname, one_line_ending(value))
    part.full_clean(exclude=kind.clean_exclude)
    part.save()
    if after_save is not None:
        after_save(part)
    values = {**snapshot(part, recorded), **(also_recorded or {})}
    changes = changes_between({}, values)
    _record(kind, ChangeAction.CREATED, kind.key_of(part), changes, mission=mission, by=by)
    return part


@transaction.atomic
def update_part[M: Versioned](
    kind: PartKind,
    part: M,
    *,
    by: User,
    mission: Mission,
    expected_version: int,
    fields: Mapping[str, Any],
    prepare: Callable[[M], None] | None = None,
    validate: Callable[[M, Mapping[str, list[Any]]], None] | None = None,
    more_changes: Callable[[M], Mapping[str, list[Any]]] | None = None,
    after_save: Callable[[M, Mapping[str, list[Any]]], None] | None = None,
    touch_mission: bool = True,
) -> M:
    """Change `fields` of a part the page showed at `expected_version`. Returns the saved part
    (use it instead of the one passed in); when nothing changed, nothing is written and its
    version stays, which is how callers tell a real save from an unchanged one.

    `prepare` derives fields from the others once the new values are in (before validation);
    `validate` adds the kind's own checks after `full_clean`, knowing what changed; `more_changes` reports changes
    that are not fields (e.g. a replaced list of partners) so they count and are recorded;
    `after_save` writes them once the part is saved. `touch_mission` is off when the part is
    the mission itself."""
    check_fields(fields, kind.fields)
    require_kind_editable(kind, by, mission)
    history_key = kind.key_of(part)  # the name it had, should a change rename it
    part = lock(part, expected_version)
    before = field_values(part, fields)
    stored = stored_values(part)
    apply(part, fields)
    if prepare is not None:
        prepare(part)
    part.full_clean(exclude=[*kind.clean_exclude, *settled_fields(part, stored)])
    changes = field_changes(before, part)
    if more_changes is not None:
        changes.update(more_changes(part))
    if validate is not None:
        validate(part, changes)
    if not changes:
        return part
    if isinstance(part, Audited):
        part.updated_by = by
    part.save()
    if after_save is not None:
        after_save(part, changes)
    _record(
        kind,
        ChangeAction.UPDATED,
        history_key,
        changes,
        mission=mission,
        by=by,
        touch_mission=touch_mission,
    )
    return part


@transaction.atomic
def delete_part(
    kind: PartKind,
    part: models.Model,
    *,
    by: User,
    mission: Mission,
    changes: Mapping[str, list[Any]] | None = None,
) -> None:
    """Remove a part (what cascades from it goes with it), saying so in the history with its
    name (the kind's `named_by` field) and any other `changes` that tell what went."""
    require_kind_editable(kind, by, mission)
    named = {kind.named_by: [getattr(part, kind.named_by), None]} if kind.named_by else {}
    changes = {**named, **(changes or {})}
    _record(kind, ChangeAction.DELETED, kind.key_of(part), changes, mission=mission, by=by)
    part.delete()
