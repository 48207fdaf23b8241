"""Indicators in snapshot comparisons, in plain words: indicators added or removed, new
definition versions, and values added or corrected."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions import snapshots


def _by_key(items: Any) -> dict[str, dict[str, Any]]:
    return {i["key"]: i for i in items or [] if isinstance(i, dict) and "key" in i}


def describe(old: Any, new: Any) -> list[str]:
    before, after = _by_key(old), _by_key(new)
    lines = []
    for key in sorted(after.keys() - before.keys()):
        lines.append(_("Indicator “%(name)s” added") % {"name": after[key].get("name", key)})
    for key in sorted(before.keys() - after.keys()):
        lines.append(_("Indicator “%(name)s” removed") % {"name": before[key].get("name", key)})
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key], after[key]
        name = now.get("name", key)
        if len(now.get("versions") or []) > len(was.get("versions") or []):
            lines.append(
                _("Indicator “%(name)s”: new definition (version %(n)s)")
                % {"name": name, "n": len(now.get("versions") or [])}
            )
        periods_was = {m["period_end"] for m in was.get("measurements") or []}
        added = [m for m in now.get("measurements") or [] if m["period_end"] not in periods_was]
        corrected = len(now.get("measurements") or []) - len(was.get("measurements") or [])
        corrected -= len(added)
        if added:
            lines.append(
                ngettext(
                    "Indicator “%(name)s”: %(n)s value added",
                    "Indicator “%(name)s”: %(n)s values added",
                    len(added),
                )
                % {"name": name, "n": len(added)}
            )
        if corrected > 0:
            lines.append(
                ngettext(
                    "Indicator “%(name)s”: %(n)s value corrected",
                    "Indicator “%(name)s”: %(n)s values corrected",
                    corrected,
                )
                % {"name": name, "n": corrected}
            )
    return lines


def register() -> None:
    snapshots.register_describer("indicators", describe)
