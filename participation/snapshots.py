"""Participation in snapshot comparisons, in plain words: consultations opened or closed,
ideas sent in, hidden, answered or turned into projects."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions import snapshots
from missions.formatting import label
from participation.models import Answer


def describe(old: Any, new: Any) -> list[str]:
    old, new = old or {}, new or {}
    lines = []
    if bool(old.get("published")) != bool(new.get("published")):
        lines.append(
            _("Public page published") if new.get("published") else _("Public page withdrawn")
        )
    before = {c.get("key"): c for c in old.get("consultations") or [] if isinstance(c, dict)}
    after = {c.get("key"): c for c in new.get("consultations") or [] if isinstance(c, dict)}
    for key in sorted(after.keys() - before.keys(), key=str):
        lines.append(_("Consultation “%(title)s” added") % {"title": after[key].get("title")})
    for key in sorted(before.keys() - after.keys(), key=str):
        lines.append(_("Consultation “%(title)s” removed") % {"title": before[key].get("title")})
    for key in sorted(before.keys() & after.keys(), key=str):
        if before[key].get("closes_on") != after[key].get("closes_on"):
            lines.append(
                _("Consultation “%(title)s”: closes on %(old)s → %(new)s")
                % {
                    "title": after[key].get("title"),
                    "old": before[key].get("closes_on"),
                    "new": after[key].get("closes_on"),
                }
            )
    old_ideas = {
        (i.get("consultation"), i.get("number")): i
        for i in old.get("ideas") or []
        if isinstance(i, dict)
    }
    new_ideas = {
        (i.get("consultation"), i.get("number")): i
        for i in new.get("ideas") or []
        if isinstance(i, dict)
    }
    added = len(new_ideas.keys() - old_ideas.keys())
    if added:
        lines.append(
            ngettext("%(count)d idea sent in", "%(count)d ideas sent in", added) % {"count": added}
        )
    for key in sorted(old_ideas.keys() & new_ideas.keys(), key=str):
        was, now = old_ideas[key], new_ideas[key]
        title = now.get("title") or ""
        if was.get("answer") != now.get("answer"):
            lines.append(
                _("Idea “%(title)s”: %(old)s → %(new)s")
                % {
                    "title": title,
                    "old": label(Answer, was.get("answer")),
                    "new": label(Answer, now.get("answer")),
                }
            )
        if bool(was.get("hidden_reason")) != bool(now.get("hidden_reason")):
            lines.append(
                (
                    _("Idea “%(title)s” hidden")
                    if now.get("hidden_reason")
                    else _("Idea “%(title)s” shown again")
                )
                % {"title": title}
            )
        if not was.get("project") and now.get("project"):
            lines.append(_("Idea “%(title)s” became a project") % {"title": title})
    return lines


def register() -> None:
    snapshots.register_describer("participation", describe)
