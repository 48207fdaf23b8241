"""The stakeholder map in snapshot comparisons, in plain words: who joined or left the map, who
moved on the grid or changed attitude or engagement, and which activities were logged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from missions import snapshots
from stakeholders.models import ATTITUDES, EngagementLevel, Quadrant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _name(item: dict[str, Any]) -> str:
    return item.get("actor_name") or item.get("person_name") or item.get("key", "")


def describe(old: Any, new: Any) -> list[str]:
    old, new = old or {}, new or {}
    before = {s["key"]: s for s in old.get("stakeholders") or [] if isinstance(s, dict)}
    after = {s["key"]: s for s in new.get("stakeholders") or [] if isinstance(s, dict)}
    lines = []
    # Looked up by what a stored document holds, which may be missing (None) or out of date.
    attitudes: Mapping[Any, StrOrPromise] = ATTITUDES
    levels: Mapping[Any, StrOrPromise] = dict(EngagementLevel.choices)
    for key in sorted(after.keys() - before.keys()):
        lines.append(_("Stakeholder “%(name)s” added") % {"name": _name(after[key])})
    for key in sorted(before.keys() - after.keys()):
        lines.append(_("Stakeholder “%(name)s” removed") % {"name": _name(before[key])})
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key], after[key]
        name = _name(now)
        if (was.get("power"), was.get("interest")) != (now.get("power"), now.get("interest")):
            lines.append(
                _(
                    "Stakeholder “%(name)s”: power %(p1)s → %(p2)s, interest %(i1)s → %(i2)s "
                    "(%(q2)s)"
                )
                % {
                    "name": name,
                    "p1": was.get("power"),
                    "p2": now.get("power"),
                    "i1": was.get("interest"),
                    "i2": now.get("interest"),
                    "q2": Quadrant(now.get("quadrant", "monitor")).label,
                }
            )
        if was.get("attitude") != now.get("attitude"):
            lines.append(
                _("Stakeholder “%(name)s”: attitude %(a1)s → %(a2)s")
                % {
                    "name": name,
                    "a1": attitudes.get(was.get("attitude"), "—"),
                    "a2": attitudes.get(now.get("attitude"), "—"),
                }
            )
        for field in ("engagement_now", "engagement_planned"):
            if was.get(field) != now.get(field):
                lines.append(
                    _("Stakeholder “%(name)s”: %(what)s %(l1)s → %(l2)s")
                    % {
                        "name": name,
                        "what": _("engagement now")
                        if field == "engagement_now"
                        else _("engagement planned"),
                        "l1": levels.get(was.get(field), "—"),
                        "l2": levels.get(now.get(field), "—"),
                    }
                )
    old_activities = {a["key"] for a in old.get("engagement") or [] if isinstance(a, dict)}
    for activity in new.get("engagement") or []:
        if isinstance(activity, dict) and activity["key"] not in old_activities:
            lines.append(
                _("Engagement activity of %(date)s logged") % {"date": activity.get("date")}
            )
    return lines


def register() -> None:
    snapshots.register_describer("stakeholders", describe)
