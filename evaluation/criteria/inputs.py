"""The assessment input: everything the rules read about one mission, as plain JSON data.

    {
      "format": "lodestar.assessment/1",
      "mission": {...},          # missions.exchange.export_mission(): lodestar.missions/1
      "challenge": {"key", "title", "description", "sdgs"},
      "actors": {key: {"name", "helix", "kind", "government_level", "country"}},
      "organisation": {"owner_active_missions": int | None, "policy_domain_missions": int | None},
      "stakeholders": None,      # placeholders for data later issues add: rules that need
      "canvas": None,            # them answer "not assessed", never "passed"
      "indicators": None,
    }

`indicators`, once the evaluation app registers its exchange section, is that section (a list,
see evaluation/indicators/exchange.py). Each headline target whose indicator has values over at
least a year then gets `trend_annual_rate`: the change per year from its first to its latest
value (read by c1_trend and OVER_STRETCH).

`reviews`, once the reviews section is registered, is `{"reviews": [...section...],
"recent_review": bool, "past_midpoint": bool}`: whether the latest review is at most
EVALUATION_REVIEW_MAX_MONTHS (12) months old, and whether today is past the middle of the
mission's horizon (start year to deadline year). Like `map_stale`, each flips once with the
date, so the input's hash changes exactly when EVAL_NO_REVIEW should be re-checked.

`theory_of_change`, once the evaluation app registers its section, is that section (see
evaluation/toc/exchange.py): {"steps": [...], "links": [...]}.

`stakeholders`, once the stakeholders app registers its exchange section, is that section
(see stakeholders/exchange.py) plus `map_stale`: whether the map's last update is more than
`stale_map_months` ago. That one flag is the only thing that depends on today's date; it flips
once, so the input (and its hash) changes exactly when LOCKIN_STALE_MAP should be re-checked.

Only this module touches the ORM. The same mission data always gives the same input (apart
from `map_stale` above), so `input_hash` tells whether anything the rules read has changed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from evaluation.criteria import thresholds as threshold_settings
from missions import exchange
from missions.models import Actor, Mission, MissionStatus

FORMAT = "lodestar.assessment/1"

# Missions that take up an owner's capacity now (OVER_TOO_MANY).
ACTIVE_STATUSES = [
    MissionStatus.APPROVED,
    MissionStatus.ACTIVE,
    MissionStatus.UNDER_REVIEW,
    MissionStatus.PAUSED,
]
# Missions that compete in a policy domain: everything decided or on the way to a decision.
LIVE_STATUSES = [MissionStatus.PROPOSED, *ACTIVE_STATUSES]

# Sections later issues add; `None` means "this data does not exist yet".
PLACEHOLDERS = (
    "stakeholders",
    "canvas",
    "indicators",
    "reviews",
    "theory_of_change",
    "rewards",
    "participation",
)


def _referenced_actor_keys(mission_data: dict[str, Any]) -> set[str]:
    keys = {mission_data.get("owner"), mission_data.get("coordinator")}
    for project in mission_data.get("projects") or []:
        keys.add(project.get("lead"))
        keys.update(project.get("partners") or [])
    section = mission_data.get("stakeholders")
    if isinstance(section, dict):
        keys.update(s.get("actor") for s in section.get("stakeholders") or [])
    return {key for key in keys if key}


def map_is_stale(last_updated: str | None, today: datetime.date, months: int) -> bool:
    """True when `today` is later than `months` calendar months after `last_updated`."""
    if not last_updated:
        return False
    last = datetime.date.fromisoformat(last_updated[:10])
    month_index = last.year * 12 + (last.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    day = min(last.day, (next_month - datetime.timedelta(days=1)).day)
    return today > datetime.date(year, month, day)


def _organisation_counts(mission: Mission) -> dict[str, int | None]:
    counts: dict[str, Count] = {}
    if mission.owner_id:
        counts["owner_active_missions"] = Count(
            "pk", filter=Q(owner_id=mission.owner_id, status__in=ACTIVE_STATUSES)
        )
    if mission.policy_domain:
        counts["policy_domain_missions"] = Count(
            "pk", filter=Q(policy_domain=mission.policy_domain, status__in=LIVE_STATUSES)
        )
    found: dict[str, int] = {}
    if counts:  # both counts in one pass over the organisation's missions
        found = Mission.objects.filter(
            organisation_id=mission.organisation_id, archived_at=None
        ).aggregate(**counts)
    return {
        "owner_active_missions": found.get("owner_active_missions"),
        "policy_domain_missions": found.get("policy_domain_missions"),
    }


def _add_trends(targets: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> None:
    from evaluation.indicators.progress import year_fraction

    by_target = {i.get("target"): i for i in indicators if i.get("target")}
    for target in targets:
        indicator = by_target.get(target.get("key"))
        if indicator is None or target.get("trend_annual_rate") is not None:
            continue
        current: dict[str, str] = {}
        for m in indicator.get("measurements") or []:
            current[m["period_end"]] = m["value"]  # later records correct earlier ones
        if len(current) < 2:
            continue
        periods = sorted(current)
        first, last = (datetime.date.fromisoformat(p) for p in (periods[0], periods[-1]))
        years = year_fraction(last) - year_fraction(first)
        if years < 1:
            continue
        rate = (Decimal(current[periods[-1]]) - Decimal(current[periods[0]])) / years
        target["trend_annual_rate"] = exchange.number_text(rate.quantize(Decimal("0.000001")))


def _review_flags(
    mission_data: dict[str, Any], reviews: list[dict[str, Any]], today: datetime.date
) -> dict[str, Any]:
    from django.conf import settings

    months = int(getattr(settings, "EVALUATION_REVIEW_MAX_MONTHS", 12))
    latest = max((r["date"] for r in reviews), default=None)
    start, deadline = mission_data.get("start_year"), mission_data.get("deadline_year")
    past_midpoint = False
    if start and deadline and deadline > start:
        middle = (
            datetime.date(start, 1, 1)
            + (datetime.date(deadline, 12, 31) - datetime.date(start, 1, 1)) / 2
        )
        past_midpoint = today > middle
    return {
        "reviews": reviews,
        "recent_review": latest is not None and not map_is_stale(latest, today, months),
        "past_midpoint": past_midpoint,
    }


ACTOR_FIELDS = ("name", "helix", "kind", "government_level", "country")


def build_input(mission: Mission, *, thresholds: dict[str, Any] | None = None) -> dict[str, Any]:
    """The mission as the rules see it (see the module docstring for the shape). `mission`
    should come with its challenge, parent, owner and coordinator (select_related), which the
    export reads; `thresholds` are the ones in force unless given."""
    mission_data = exchange.export_mission(mission)
    actors = (
        Actor.objects.filter(
            organisation_id=mission.organisation_id, key__in=_referenced_actor_keys(mission_data)
        )
        .order_by("key")
        .values_list("key", *ACTOR_FIELDS)
    )
    challenge = mission.challenge
    data: dict[str, Any] = {
        "format": FORMAT,
        "mission": mission_data,
        "challenge": {
            "key": challenge.key,
            "title": challenge.title,
            "description": challenge.description,
            "sdgs": list(challenge.sdgs),
        },
        "actors": {key: dict(zip(ACTOR_FIELDS, values, strict=True)) for key, *values in actors},
        "organisation": _organisation_counts(mission),
    }
    for name in PLACEHOLDERS:
        data[name] = None
    # A later app that registers an exchange section under one of these names fills it in.
    for name in PLACEHOLDERS:
        if name in mission_data:
            data[name] = mission_data.pop(name)
    if isinstance(data["indicators"], list):
        _add_trends(mission_data.get("targets") or [], data["indicators"])
    if isinstance(data["reviews"], list):
        data["reviews"] = _review_flags(mission_data, data["reviews"], timezone.localdate())
    stakeholders = data["stakeholders"]
    if isinstance(stakeholders, dict):
        summary = stakeholders.get("summary") or {}
        stakeholders["map_stale"] = map_is_stale(
            summary.get("map_last_updated"),
            timezone.localdate(),
            int((thresholds or threshold_settings.current())["stale_map_months"]),
        )
    return data


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_hash(data: Any) -> str:
    """sha256 (hex) of the canonical JSON of `data`: equal data, equal hash."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
