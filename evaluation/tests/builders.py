"""Assessment inputs built by hand, for testing rules without a database. The shapes follow
`evaluation.criteria.inputs.build_input` (the exchange format lodestar.missions/1)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.conf import settings

from evaluation.criteria.inputs import _add_trends, _review_flags

DEMO = Path(settings.BASE_DIR) / "missions" / "fixtures" / "demo_missions.json"


def target(key: str = "t1", **fields: Any) -> dict[str, Any]:
    data = {
        "key": key,
        "title": "Healthy life years",
        "is_headline": True,
        "direction": "increase",
        "baseline_value": "62",
        "baseline_year": 2018,
        "target_value": "67",
        "target_year": 2040,
        "unit": "years",
        "success_condition": "",
        "geography": "",
        "notes": "",
        "milestones": [
            {
                "year": 2030,
                "value": "64",
                "description": "",
                "status": "pending",
                "actual_value": None,
            }
        ],
    }
    data.update(fields)
    return data


def project(key: str = "p1", **fields: Any) -> dict[str, Any]:
    data = {
        "key": key,
        "title": f"Project {key}",
        "description": "",
        "lead": None,
        "partners": [],
        "sectors": ["Health care"],
        "disciplines": ["Medical and health sciences"],
        "instrument": "grant",
        "stage": "research",
        "origin": "commissioned",
        "start_date": None,
        "end_date": None,
        "budget": None,
        "public_funding": None,
        "status": "active",
        "notes": "",
        "contributions": [{"target": "t1", "rationale": "Moves the target."}],
    }
    data.update(fields)
    return data


def mission(**fields: Any) -> dict[str, Any]:
    data = {
        "key": "healthy-years",
        "title": "Healthy years",
        "challenge": "health",
        "parent": None,
        "statement": "By 2040, everyone in the Netherlands lives five more years in good health.",
        "status": "active",
        "paused_from": "",
        "mandate_source": "government_decision",
        "mandate_reference": "Cabinet letter 2019-04",
        "mandate_date": "2019-04-26",
        "approved_on": "2019-04-26",
        "owner": "vws",
        "coordinator": "health-holland",
        "start_year": 2020,
        "deadline_year": 2040,
        "committed_budget": "1000000",
        "estimated_need": "1500000",
        "currency": "EUR",
        "team_fte": "3",
        "sdgs": [3],
        "policy_domain": "07",
        "geography": "Netherlands",
        "source_url": "",
        "notes": "",
        "archived_at": None,
        "targets": [target()],
        "projects": [],
    }
    data.update(fields)
    return data


ACTORS = {
    "vws": {
        "name": "Ministry of Health",
        "helix": "government",
        "kind": "organisation",
        "government_level": "national",
        "country": "NL",
    },
    "ezk": {
        "name": "Ministry of Economy",
        "helix": "government",
        "kind": "organisation",
        "government_level": "national",
        "country": "NL",
    },
    "health-holland": {
        "name": "Health~Holland",
        "helix": "industry",
        "kind": "organisation",
        "government_level": "",
        "country": "NL",
    },
    "utrecht": {
        "name": "City of Utrecht",
        "helix": "government",
        "kind": "organisation",
        "government_level": "local",
        "country": "NL",
    },
    "tno": {
        "name": "TNO",
        "helix": "academia",
        "kind": "organisation",
        "government_level": "",
        "country": "NL",
    },
    "acme": {
        "name": "Acme Care",
        "helix": "industry",
        "kind": "organisation",
        "government_level": "",
        "country": "NL",
    },
}


def assessment_input(mission_data: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    data = {
        "format": "lodestar.assessment/1",
        "mission": mission_data or mission(),
        "challenge": {"key": "health", "title": "Health", "description": "", "sdgs": [3]},
        "actors": dict(ACTORS),
        "organisation": {"owner_active_missions": 1, "policy_domain_missions": 1},
        "stakeholders": None,
        "canvas": None,
        "indicators": None,
    }
    data.update(extra)
    return data


def demo_input(key: str) -> dict[str, Any]:
    """A real mission from the demo fixture (docs/domain.md §6) as an assessment input."""
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    found = next(m for m in document["missions"] if m["key"] == key)
    challenges = {c["key"]: c for c in document["challenges"]}
    actors = {a["key"]: {k: v for k, v in a.items() if k != "key"} for a in document["actors"]}
    # As build_input does: the stakeholders section moves to the top level of the input.
    stakeholders = found.pop("stakeholders", None)
    if stakeholders is not None:
        stakeholders = {**stakeholders, "map_stale": False}
    indicators = found.pop("indicators", None)
    if indicators is not None:
        _add_trends(found.get("targets") or [], indicators)
    return assessment_input(
        found,
        challenge=challenges[found["challenge"]],
        actors=actors,
        organisation={"owner_active_missions": 1, "policy_domain_missions": 1},
        stakeholders=stakeholders,
        indicators=indicators,
        reviews=_review_flags(found, found.pop("reviews", None) or [], datetime.date(2026, 1, 1)),
    )
