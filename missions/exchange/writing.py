"""Writing documents: a mission (core fields, then every registered section) and an
organisation's missions as `lodestar.missions/1`, numbers and dates in the format's text."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from missions.exchange.registry import FORMAT, sections
from missions.models import Actor, GrandChallenge, Mission


def number_text(value: Decimal | None) -> str | None:
    """A decimal as exported: exact, without trailing zeros or exponent ("1000000", "62.5")."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def export_mission(mission: Mission, *, only: Iterable[str] | None = None) -> dict[str, Any]:
    """One mission as a document entry: core fields, then every registered section (or the
    sections named in `only`, for a reader that needs no more: each costs queries)."""
    data = {
        "key": mission.key,
        "title": mission.title,
        "challenge": mission.challenge.key,
        "parent": mission.parent.key if mission.parent else None,
        "statement": mission.statement,
        "language": mission.language,
        "status": mission.status,
        "paused_from": mission.paused_from,
        "mandate_source": mission.mandate_source,
        "mandate_reference": mission.mandate_reference,
        "mandate_date": iso_date(mission.mandate_date),
        "approved_on": iso_date(mission.approved_on),
        "owner": mission.owner.key if mission.owner else None,
        "coordinator": mission.coordinator.key if mission.coordinator else None,
        "start_year": mission.start_year,
        "deadline_year": mission.deadline_year,
        "committed_budget": number_text(mission.committed_budget),
        "estimated_need": number_text(mission.estimated_need),
        "currency": mission.currency,
        "team_fte": number_text(mission.team_fte),
        "sdgs": list(mission.sdgs),
        "policy_domain": mission.policy_domain,
        "geography": mission.geography,
        "affected_population": mission.affected_population,
        "source_url": mission.source_url,
        "notes": mission.notes,
        "archived_at": mission.archived_at.isoformat() if mission.archived_at else None,
    }
    wanted = None if only is None else set(only)
    for section in sections():
        if wanted is None or section.name in wanted:
            data[section.name] = section.export(mission)
    return data


def export_document(
    *,
    organisation: Organisation,
    mission_keys: Iterable[str] | None = None,
    user: User | None = None,
) -> dict[str, Any]:
    """The organisation's missions (all, or those with `mission_keys` plus their parent
    missions) as a `lodestar.missions/1` document. With all missions, every actor and challenge
    is included; with a selection, only those the missions refer to. Raises `LookupError` for
    unknown keys and `PermissionDenied` if `user` may not export."""
    if user is not None and not user.has_perm("missions.export_missions", organisation):
        raise PermissionDenied(
            _("Only members of %(organisation)s can export its missions.")
            % {"organisation": organisation}
        )
    missions = Mission.objects.filter(organisation=organisation).select_related(
        "challenge", "parent", "owner", "coordinator"
    )
    selected = None
    if mission_keys is not None:
        selected = set(mission_keys)
        found = set(missions.filter(key__in=selected).values_list("key", flat=True))
        if selected - found:
            raise LookupError(
                _("%(organisation)s has no mission with the key %(keys)s.")
                % {"organisation": organisation.slug, "keys": ", ".join(sorted(selected - found))}
            )
        parents = set(
            missions.filter(key__in=selected, parent__isnull=False).values_list(
                "parent__key", flat=True
            )
        )
        missions = missions.filter(key__in=selected | parents)
    mission_data = [export_mission(m) for m in missions.order_by("key")]
    actors = Actor.objects.filter(organisation=organisation)
    challenges = GrandChallenge.objects.filter(organisation=organisation)
    if selected is not None:
        used = set()
        for m in mission_data:
            used |= {m["owner"], m["coordinator"]}
            for p in m.get("projects", []):
                used |= {p["lead"], *p["partners"]}
        actors = actors.filter(key__in=used - {None})
        challenges = challenges.filter(key__in={m["challenge"] for m in mission_data})
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "organisation": organisation.slug,
        "actors": [
            {
                "key": a.key,
                "name": a.name,
                "helix": a.helix,
                "kind": a.kind,
                "government_level": a.government_level,
                "country": a.country,
            }
            for a in actors.order_by("key")
        ],
        "challenges": [
            {"key": c.key, "title": c.title, "description": c.description, "sdgs": list(c.sdgs)}
            for c in challenges.order_by("key")
        ],
        "missions": mission_data,
    }


def dumps(document: dict[str, Any]) -> str:
    """A document as JSON text: readable, UTF-8, stable key order."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
