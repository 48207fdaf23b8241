"""What of a mission the public sees: a copy of the parts meant for them, cut from the
exchange format's entry when a lead publishes. Internal notes, stakeholders, reviews, money and
drafts of the canvas never go into it."""

from __future__ import annotations

from typing import Any

from participation.models import Publication

TARGET_FIELDS = (
    "key",
    "title",
    "direction",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "unit",
    "success_condition",
    "geography",
)
PROJECT_FIELDS = ("key", "title", "description", "stage", "origin", "status")


def _latest_measurement(indicators: list[dict[str, Any]], target_key: str) -> dict[str, Any] | None:
    """The most recent value measured for a target, by any of its indicators."""
    latest: dict[str, Any] | None = None
    for indicator in indicators:
        if indicator.get("target") != target_key:
            continue
        for measurement in indicator.get("measurements") or []:
            if latest is None or (measurement.get("period_end") or "") > latest["period_end"]:
                latest = {
                    "value": measurement.get("value"),
                    "period_end": measurement.get("period_end") or "",
                    "unit": indicator.get("unit") or "",
                    "indicator": indicator.get("name") or "",
                }
    return latest


def public_copy(entry: dict[str, Any]) -> dict[str, Any]:
    """The public parts of a mission's exchange entry."""
    indicators = entry.get("indicators") or []
    return {
        "key": entry["key"],
        "title": entry.get("title") or "",
        "statement": entry.get("statement") or "",
        "status": entry.get("status") or "",
        "start_year": entry.get("start_year"),
        "deadline_year": entry.get("deadline_year"),
        "geography": entry.get("geography") or "",
        "sdgs": entry.get("sdgs") or [],
        "targets": [
            {
                **{name: target.get(name) for name in TARGET_FIELDS},
                "milestones": [
                    {
                        "year": m.get("year"),
                        "value": m.get("value"),
                        "description": m.get("description") or "",
                        "status": m.get("status") or "",
                    }
                    for m in target.get("milestones") or []
                ],
                "latest": _latest_measurement(indicators, target.get("key") or ""),
            }
            for target in entry.get("targets") or []
            if target.get("is_headline", True)
        ],
        "projects": [
            {name: project.get(name) for name in PROJECT_FIELDS}
            for project in entry.get("projects") or []
        ],
    }


def is_published(mission_id: int) -> bool:
    return Publication.objects.filter(mission_id=mission_id, withdrawn_at__isnull=True).exists()
