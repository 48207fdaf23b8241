"""The "indicators" section of the exchange format (and so of snapshots and of the criteria
engine's assessment input, which reads `target`, `level`, `data_source` and `frequency`):

    "indicators": [{
        "key", "name", "target": target key | null, "level", "direction", "definition", "unit",
        "data_source", "frequency", "owner": email | null, "timing", "disaggregations": [...],
        "versions": [{"number", "definition", "unit", "data_source", "created_at"}],
        "measurements": [{"period_end", "value", "source_ref", "quality", "version",
                          "entered_by": email | null, "entered_at"}]
    }]

Measurements are the whole history, oldest period first and, within a period, in the order
they were entered: the last record of a period is its current value, earlier ones were
corrected by the next. The current definition is the last version's. Importing adds the
versions and measurements the mission does not have yet (matched by number, and by period and
time entered) and never deletes anything: indicators missing from the document are kept.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from evaluation.indicators import services
from evaluation.indicators.models import (
    Frequency,
    Indicator,
    IndicatorVersion,
    Level,
    Measurement,
    Quality,
    Timing,
)
from evaluation.indicators.services import MAX_ABS_VALUE
from missions import exchange
from missions.exchange import (
    ExchangeError,
    FieldSpec,
    SectionContext,
    number_text,
    read_items,
    read_object,
    report_duplicates,
    save_if_changed,
    unknown_target,
)
from missions.models import Direction, Mission

SECTION = "indicators"

INDICATOR_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("name", "str", required=True, max_length=200),
    FieldSpec("target", "key"),
    FieldSpec("level", "str", required=True, choices=Level),
    FieldSpec("direction", "str", choices=Direction, default=Direction.INCREASE),
    FieldSpec("definition", "str", max_length=500, default=""),
    FieldSpec("unit", "str", max_length=30, default=""),
    FieldSpec("data_source", "str", max_length=200, default=""),
    FieldSpec("frequency", "str", choices=Frequency, default=Frequency.ANNUAL),
    FieldSpec("owner", "str", max_length=254),
    FieldSpec("timing", "str", choices=Timing, default=Timing.LAGGING),
    FieldSpec("disaggregations", "strs", default=[]),
]
VERSION_SPECS = [
    FieldSpec("number", "int", required=True),
    FieldSpec("definition", "str", max_length=500, default=""),
    FieldSpec("unit", "str", max_length=30, default=""),
    FieldSpec("data_source", "str", max_length=200, default=""),
    FieldSpec("created_at", "datetime"),
]
MEASUREMENT_SPECS = [
    FieldSpec("period_end", "date", required=True),
    FieldSpec("value", "decimal", required=True, maximum=MAX_ABS_VALUE),
    FieldSpec("source_ref", "str", max_length=200, default=""),
    FieldSpec("quality", "str", choices=Quality, default=Quality.OFFICIAL),
    FieldSpec("version", "int", default=1),
    FieldSpec("entered_by", "str", max_length=254),
    FieldSpec("entered_at", "datetime"),
]


# Named in the order export_indicators reads them (values_list below).
INDICATOR_FIELDS = ("key", *services.INDICATOR_FIELDS)
# The format names an indicator's target by its key and its owner by their e-mail address.
COLUMNS = {"target": "target__key", "owner": "owner__email"}


def export_indicators(mission: Mission) -> list[dict[str, Any]]:
    # Plain rows (values_list), not model instances: this runs in every assessment.
    indicators = list(
        Indicator.objects.filter(mission=mission)
        .order_by("key")
        .values_list("pk", *(COLUMNS.get(name, name) for name in INDICATOR_FIELDS))
    )
    if not indicators:  # most missions: no versions or values to look for (two queries fewer)
        return []
    versions: dict[int, list[IndicatorVersion]] = defaultdict(list)
    for v in IndicatorVersion.objects.filter(indicator__mission=mission).order_by("number"):
        versions[v.indicator_id].append(v)
    numbers = {v.pk: v.number for vs in versions.values() for v in vs}
    measurements: dict[int, list[Measurement]] = defaultdict(list)
    for m in (
        Measurement.objects.filter(indicator__mission=mission)
        .select_related("entered_by")
        .order_by("period_end", "entered_at", "pk")
    ):
        measurements[m.indicator_id].append(m)
    return [
        {
            **dict(zip(INDICATOR_FIELDS, values, strict=True)),
            "disaggregations": list(values[-1]),
            "versions": [
                {
                    "number": v.number,
                    "definition": v.definition,
                    "unit": v.unit,
                    "data_source": v.data_source,
                    "created_at": v.created_at.isoformat(),
                }
                for v in versions[pk]
            ],
            "measurements": [
                {
                    "period_end": m.period_end.isoformat(),
                    "value": number_text(m.value),
                    "source_ref": m.source_ref,
                    "quality": m.quality,
                    "version": numbers.get(m.version_id, 1),
                    "entered_by": m.entered_by.email if m.entered_by else None,
                    "entered_at": m.entered_at.isoformat(),
                }
                for m in measurements[pk]
            ],
        }
        for pk, *values in indicators
    ]


def validate_indicators(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    keys, targets = [], []
    for item_path, item, indicator in read_items(data, path, INDICATOR_SPECS, errors):
        keys.append((f"{item_path}.key", indicator.get("key")))
        target = indicator.get("target")
        if target:
            targets.append((f"{item_path}.target", target))
            if target not in context.target_keys:
                errors.append(unknown_target(f"{item_path}.target", target))
        numbers = [
            (f"{v_path}.number", version.get("number"))
            for v_path, _item, version in read_items(
                item.get("versions"), f"{item_path}.versions", VERSION_SPECS, errors
            )
        ]
        report_duplicates(numbers, _("Version"), errors)
        known = {n for _p, n in numbers} or {1}
        for m_path, _item, measurement in read_items(
            item.get("measurements"), f"{item_path}.measurements", MEASUREMENT_SPECS, errors
        ):
            if measurement.get("version", 1) not in known:
                errors.append(
                    ExchangeError(
                        f"{m_path}.version",
                        _("refers to version %(n)s, which the indicator does not have.")
                        % {"n": measurement.get("version")},
                    )
                )
    report_duplicates(keys, _("Indicator key"), errors)
    report_duplicates(targets, _("Indicator for target"), errors)
    return errors


def _users(emails: set[str], context: SectionContext) -> dict[str, User]:
    members = User.objects.filter(email__in=emails, memberships__organisation=context.organisation)
    return {u.email: u for u in members}


def load_indicators(mission: Mission, data: list[dict[str, Any]], context: SectionContext) -> None:
    existing = {i.key: i for i in Indicator.objects.filter(mission=mission)}
    targets = {t.key: t for t in mission.targets.all()}
    emails = {item.get("owner") for item in data} | {
        m.get("entered_by") for item in data for m in item.get("measurements") or []
    }
    users = _users({e for e in emails if e}, context)
    # Links to targets are released first, so two indicators can swap targets.
    for item in data:
        indicator = existing.get(item["key"])
        target_key = item.get("target")
        if (
            indicator
            and indicator.target_id
            and (not target_key or targets[target_key].pk != indicator.target_id)
        ):
            Indicator.objects.filter(pk=indicator.pk).update(target=None)
            indicator.target = None
    for item in data:
        values = read_object(item, "", INDICATOR_SPECS, [])
        assert values is not None  # validated before loading  # noqa: S101
        values["target"] = targets[values["target"]] if values["target"] else None
        values["owner"] = users.get(values["owner"] or "")
        read_versions = [read_object(v, "", VERSION_SPECS, []) for v in item.get("versions") or []]
        versions_data = sorted((v for v in read_versions if v), key=lambda v: v["number"])
        if not versions_data:
            versions_data = [
                {
                    "number": 1,
                    "definition": values["definition"],
                    "unit": values["unit"],
                    "data_source": values["data_source"],
                    "created_at": None,
                }
            ]
        values["version_number"] = max(
            versions_data[-1]["number"], existing[values["key"]].version_number
        ) if values["key"] in existing else versions_data[-1]["number"]  # fmt: skip
        indicator = existing.get(values["key"]) or Indicator(mission=mission)
        save_if_changed(indicator, values, "indicators", context.summary)
        stored_versions = {v.number: v for v in indicator.versions.all()}
        for v in versions_data:
            if v["number"] not in stored_versions:
                created = IndicatorVersion(
                    indicator=indicator,
                    number=v["number"],
                    definition=v["definition"],
                    unit=v["unit"],
                    data_source=v["data_source"],
                    created_by=context.user,
                )
                if v["created_at"]:
                    created.created_at = v["created_at"]
                created.save()
                stored_versions[v["number"]] = created
                context.summary.count("created", "indicator versions")
        _load_measurements(indicator, item, stored_versions, users, context)


def _load_measurements(
    indicator: Indicator,
    item: dict[str, Any],
    versions: dict[int, IndicatorVersion],
    users: dict[str, User],
    context: SectionContext,
) -> None:
    stored = list(Measurement.objects.filter(indicator=indicator).order_by("entered_at", "pk"))
    seen = {(m.period_end, m.entered_at) for m in stored}
    by_period: dict[Any, list[Measurement]] = defaultdict(list)
    for m in stored:
        by_period[m.period_end].append(m)
    new = []
    for m_item in item.get("measurements") or []:
        values = read_object(m_item, "", MEASUREMENT_SPECS, [])
        assert values is not None  # noqa: S101
        if (
            values["entered_at"] is not None
            and (values["period_end"], values["entered_at"]) in seen
        ):
            continue
        record = Measurement(
            indicator=indicator,
            version=versions.get(values["version"]) or versions[max(versions)],
            period_end=values["period_end"],
            value=values["value"],
            source_ref=values["source_ref"],
            quality=values["quality"],
            entered_by=users.get(values["entered_by"] or "") or context.user,
            is_current=False,
        )
        if values["entered_at"] is not None:
            record.entered_at = values["entered_at"]
        new.append(record)
        by_period[record.period_end].append(record)
    if not new:
        return
    changed_periods = {m.period_end for m in new}
    Measurement.objects.filter(indicator=indicator, period_end__in=changed_periods).update(
        is_current=False
    )
    for record in new:
        record.save()
    for period in changed_periods:
        chain = sorted(by_period[period], key=lambda m: (m.entered_at, m.pk or 0))
        for earlier, later in pairwise(chain):
            if (
                later.supersedes_id != earlier.pk
                and not Measurement.objects.filter(supersedes=earlier).exclude(pk=later.pk).exists()
            ):
                Measurement.objects.filter(pk=later.pk).update(supersedes=earlier)
        Measurement.objects.filter(pk=chain[-1].pk).update(is_current=True)
    context.summary.count("created", "measurements", len(new))


def register() -> None:
    exchange.register_section(
        exchange.Section(SECTION, export_indicators, validate_indicators, load_indicators),
        order=400,
    )
