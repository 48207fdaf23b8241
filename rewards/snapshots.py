"""The public-value terms in snapshot comparisons, in plain words: terms recorded or removed,
money and forms of risk that changed, conditions added, removed, or found met or breached."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions import snapshots
from missions.formatting import label, number
from rewards.models import ConditionKind, ConditionStatus, PublicRisk

MONEY_FIELDS = {
    "private_money": gettext_lazy("private money"),
    "philanthropic_money": gettext_lazy("philanthropic money"),
    "in_kind_value": gettext_lazy("contributions in kind"),
}


def _project(item: dict[str, Any]) -> str:
    return item.get("project_title") or item.get("project") or ""


def describe(old: Any, new: Any) -> list[str]:
    old, new = old or {}, new or {}
    before = {t.get("project"): t for t in old.get("terms") or [] if isinstance(t, dict)}
    after = {t.get("project"): t for t in new.get("terms") or [] if isinstance(t, dict)}
    lines = []
    for key in sorted(after.keys() - before.keys(), key=str):
        lines.append(
            _("Public-value terms recorded for “%(project)s”") % {"project": _project(after[key])}
        )
    for key in sorted(before.keys() - after.keys(), key=str):
        lines.append(
            _("Public-value terms removed from “%(project)s”") % {"project": _project(before[key])}
        )
    for key in sorted(before.keys() & after.keys(), key=str):
        was, now = before[key], after[key]
        for field, name in MONEY_FIELDS.items():
            if was.get(field) != now.get(field):
                lines.append(
                    _("“%(project)s”: %(what)s %(old)s → %(new)s")
                    % {
                        "project": _project(now),
                        "what": name,
                        "old": number(was.get(field)),
                        "new": number(now.get(field)),
                    }
                )
        if was.get("public_risk") != now.get("public_risk"):
            lines.append(
                _("“%(project)s”: public money at risk as %(old)s → %(new)s")
                % {
                    "project": _project(now),
                    "old": label(PublicRisk, was.get("public_risk")),
                    "new": label(PublicRisk, now.get("public_risk")),
                }
            )
    old_conditions = {c.get("key"): c for c in old.get("conditions") or [] if isinstance(c, dict)}
    new_conditions = {c.get("key"): c for c in new.get("conditions") or [] if isinstance(c, dict)}
    for key in sorted(new_conditions.keys() - old_conditions.keys(), key=str):
        condition = new_conditions[key]
        lines.append(
            _("Condition “%(kind)s” added to %(project)s")
            % {
                "kind": label(ConditionKind, condition.get("kind")),
                "project": condition.get("project"),
            }
        )
    for key in sorted(old_conditions.keys() - new_conditions.keys(), key=str):
        condition = old_conditions[key]
        lines.append(
            _("Condition “%(kind)s” removed from %(project)s")
            % {
                "kind": label(ConditionKind, condition.get("kind")),
                "project": condition.get("project"),
            }
        )
    for key in sorted(old_conditions.keys() & new_conditions.keys(), key=str):
        was, now = old_conditions[key], new_conditions[key]
        if was.get("status") != now.get("status"):
            lines.append(
                _("Condition “%(kind)s” of %(project)s: %(old)s → %(new)s")
                % {
                    "kind": label(ConditionKind, now.get("kind")),
                    "project": now.get("project"),
                    "old": label(ConditionStatus, was.get("status")),
                    "new": label(ConditionStatus, now.get("status")),
                }
            )
    return lines


def register() -> None:
    snapshots.register_describer("rewards", describe)
