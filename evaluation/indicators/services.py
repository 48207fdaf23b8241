"""Writes for indicators and measurements: keyword-only, atomic, and never deleting.

- `indicator_create` adds an indicator with its first definition version.
- `indicator_update` changes it; a new definition, unit or data source adds a version, and the
  measurements already recorded keep the version they were recorded under.
- `measurement_add` records a value for a period that has none yet.
- `measurement_correct` records a new value for a period: the new record supersedes the old,
  which stays in the history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from evaluation import signals
from evaluation.indicators import overdue
from evaluation.indicators.models import (
    Indicator,
    IndicatorVersion,
    Level,
    Measurement,
    Quality,
)
from missions import hooks, parts
from missions.models import Mission, Target
from missions.parts import field_changes, field_values, unique_key

VERSIONED_FIELDS = ("definition", "unit", "data_source")
# The fields a person edits, in the order the exchange format writes them.
INDICATOR_FIELDS = (
    "name",
    "target",
    "level",
    "direction",
    "definition",
    "unit",
    "data_source",
    "frequency",
    "owner",
    "timing",
    "disaggregations",
)
# Keys that would clash with fixed addresses under …/indicators/.
RESERVED_KEYS = frozenset({"add", "import", "export"})
MAX_ABS_VALUE = Decimal(10) ** 15


# Indicators change through the kernel's permission step only: a definition is versioned (a
# new `IndicatorVersion`, not a diff in the mission's history) and values are appended, never
# edited, so the rest of `missions.parts` does not apply.
INDICATOR = parts.PartKind(
    "indicator",
    frozenset(INDICATOR_FIELDS),
    permission="evaluation.change_indicators",
    refusal=gettext_lazy("You can read these indicators but not change them."),
)


def require_editable(by: User, mission: Mission) -> None:
    parts.require_kind_editable(INDICATOR, by, mission)


def _check_target(mission: Mission, target: Target | None, indicator: Indicator | None) -> None:
    if target is None:
        return
    if target.mission_id != mission.pk:
        raise ValidationError({"target": _("Choose a target of this mission.")})
    if not target.is_headline:
        raise ValidationError({"target": _("Only a headline target can be linked.")})
    taken = Indicator.objects.filter(target=target)
    if indicator is not None:
        taken = taken.exclude(pk=indicator.pk)
    if taken.exists():
        raise ValidationError({"target": _("This target already has an indicator.")})


def check_value(value: Decimal) -> None:
    value = Decimal(str(value))
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        raise ValidationError({"value": _("Enter a number smaller than a thousand billion.")})


def mission_values_delete(mission: Mission) -> None:
    """Before a draft mission is deleted (missions.hooks): indicator values protect their
    definition versions and the values they correct, so a plain cascade stops at the first
    value recorded (a 500 before). They are part of the draft, so they go first, their
    corrections unlinked."""
    values = Measurement.objects.filter(indicator__mission=mission)
    values.update(supersedes=None)
    values.delete()


@transaction.atomic
def indicator_create(
    *, by: User | None, mission: Mission, name: str, level: str, key: str | None = None,
    **fields: Any,
) -> Indicator:  # fmt: skip
    parts.check_fields(fields, INDICATOR.fields)
    if by is not None:
        require_editable(by, mission)
    if level not in Level.values:
        raise ValidationError({"level": _("Choose a level.")})
    _check_target(mission, fields.get("target"), None)
    fields.setdefault("direction", getattr(fields.get("target"), "direction", "increase"))
    existing = Indicator.objects.filter(mission=mission)
    if key is None:
        key = unique_key(existing.exclude(key__in=RESERVED_KEYS), name, fallback="indicator")
        if key in RESERVED_KEYS:
            key = unique_key(existing, f"{key}-indicator")
    indicator = Indicator(mission=mission, key=key, name=name, level=level, **fields)
    indicator.full_clean(exclude=["mission", "owner", "target"])
    indicator.save()
    _record_definition(indicator, by)
    hooks.mission_changed(mission.pk)
    return indicator


@transaction.atomic
def indicator_update(*, by: User | None, indicator: Indicator, **fields: Any) -> Indicator:
    """Change an indicator. Returns it; `indicator.version_number` went up if the definition,
    unit or data source changed."""
    parts.check_fields(fields, INDICATOR.fields)
    mission = indicator.mission
    if by is not None:
        require_editable(by, mission)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if "target" in fields:
        _check_target(mission, fields["target"], indicator)
    redefined = any(
        name in fields and fields[name] != getattr(indicator, name) for name in VERSIONED_FIELDS
    )
    before = field_values(indicator, fields)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean(exclude=["mission", "owner", "target"])
    if not field_changes(before, indicator):
        return indicator  # saved unchanged: no new definition, no assessment
    if redefined:
        indicator.version_number += 1
        _record_definition(indicator, by)
    indicator.save()
    hooks.mission_changed(mission.pk)
    return indicator


def _record_definition(indicator: Indicator, by: User | None) -> IndicatorVersion:
    """Keep the indicator's definition as its version `version_number`, which values recorded
    from now on belong to."""
    return IndicatorVersion.objects.create(
        indicator=indicator,
        number=indicator.version_number,
        created_by=by,
        **{name: getattr(indicator, name) for name in VERSIONED_FIELDS},
    )


def _current_version(indicator: Indicator) -> IndicatorVersion:
    return IndicatorVersion.objects.get(indicator=indicator, number=indicator.version_number)


def _validate_measurement(period_end: datetime.date, value: Decimal, quality: str) -> None:
    check_value(value)
    if quality not in Quality.values:
        raise ValidationError({"quality": _("Choose official, estimate or provisional.")})
    if period_end.year < 1900 or period_end > timezone.localdate() + datetime.timedelta(days=366):
        raise ValidationError(
            {"period_end": _("Give a period end from 1900 up to a year from today.")}
        )


@transaction.atomic
def measurement_add(
    *, by: User | None, indicator: Indicator, period_end: datetime.date, value: Decimal,
    source_ref: str = "", quality: str = Quality.OFFICIAL, check: bool = True,
) -> Measurement:  # fmt: skip
    if by is not None and check:
        require_editable(by, indicator.mission)
    value = Decimal(str(value))
    _validate_measurement(period_end, value, quality)
    if Measurement.objects.filter(
        indicator=indicator, period_end=period_end, is_current=True
    ).exists():
        raise ValidationError(
            {"period_end": _("There is already a value for this period. Correct it instead.")}
        )
    measurement = Measurement.objects.create(
        indicator=indicator,
        version=_current_version(indicator),
        period_end=period_end,
        value=value,
        source_ref=source_ref,
        quality=quality,
        entered_by=by,
    )
    if indicator.overdue_since is not None:
        overdue.refresh(indicator)
    hooks.mission_changed(indicator.mission_id)
    signals.measurements_added.send(sender=Measurement, indicator=indicator, added=1, corrected=0)
    return measurement


@transaction.atomic
def measurement_correct(
    *, by: User | None, measurement: Measurement, value: Decimal, source_ref: str = "",
    quality: str = Quality.OFFICIAL, check: bool = True,
) -> Measurement:  # fmt: skip
    """A new record for the same period under the current definition; the old one stays."""
    indicator = measurement.indicator
    if by is not None and check:
        require_editable(by, indicator.mission)
    old = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if not old.is_current:
        raise ValidationError(_("This value has already been corrected; correct the latest."))
    value = Decimal(str(value))
    _validate_measurement(old.period_end, value, quality)
    current_version = _current_version(indicator)
    if (value, source_ref, quality, current_version.pk) == (
        old.value,
        old.source_ref,
        old.quality,
        old.version_id,
    ):
        return old  # "corrected" to what it already says: nothing to record
    Measurement.objects.filter(pk=old.pk).update(is_current=False)
    new = Measurement.objects.create(
        indicator=indicator,
        version=current_version,
        period_end=old.period_end,
        value=value,
        source_ref=source_ref,
        quality=quality,
        entered_by=by,
        supersedes=old,
    )
    hooks.mission_changed(indicator.mission_id)
    signals.measurements_added.send(sender=Measurement, indicator=indicator, added=0, corrected=1)
    return new
