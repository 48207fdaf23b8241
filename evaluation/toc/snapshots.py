"""The theory of change in snapshot comparisons, in plain words: steps added, removed or
changed, and links drawn, removed or with new assumptions or evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from evaluation.toc.models import EvidenceStrength, NodeKind
from missions import snapshots

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _parts(section: Any) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    section = section if isinstance(section, dict) else {}
    steps = {s["key"]: s for s in section.get("steps") or [] if isinstance(s, dict) and "key" in s}
    links = {
        (link["from"], link["to"]): link
        for link in section.get("links") or []
        if isinstance(link, dict) and "from" in link and "to" in link
    }
    return steps, links


def describe(old: Any, new: Any) -> list[str]:
    (steps_was, links_was), (steps_now, links_now) = _parts(old), _parts(new)
    # Looked up by what a stored document holds, which may be missing (None) or out of date.
    kinds: Mapping[Any, StrOrPromise] = dict(NodeKind.choices)
    strengths: Mapping[Any, StrOrPromise] = dict(EvidenceStrength.choices)
    lines = []

    def title(key: str) -> str:
        return (steps_now.get(key) or steps_was.get(key) or {}).get("title", key)

    for key in sorted(steps_now.keys() - steps_was.keys()):
        step = steps_now[key]
        lines.append(
            _("Theory of change: %(kind)s “%(title)s” added")
            % {"kind": kinds.get(step.get("kind"), step.get("kind")), "title": step.get("title")}
        )
    for key in sorted(steps_was.keys() - steps_now.keys()):
        lines.append(_("Theory of change: “%(title)s” removed") % {"title": title(key)})
    for key in sorted(steps_was.keys() & steps_now.keys()):
        if steps_was[key] != steps_now[key]:
            lines.append(_("Theory of change: “%(title)s” changed") % {"title": title(key)})
    for pair in sorted(links_now.keys() - links_was.keys()):
        lines.append(
            _("Theory of change: “%(from)s” now leads to “%(to)s”")
            % {"from": title(pair[0]), "to": title(pair[1])}
        )
    for pair in sorted(links_was.keys() - links_now.keys()):
        lines.append(
            _("Theory of change: “%(from)s” no longer leads to “%(to)s”")
            % {"from": title(pair[0]), "to": title(pair[1])}
        )
    for pair in sorted(links_was.keys() & links_now.keys()):
        was, now = links_was[pair], links_now[pair]
        if was.get("evidence") != now.get("evidence"):
            lines.append(
                _(
                    "Theory of change: evidence that “%(from)s” leads to “%(to)s” is now %(strength)s"
                )
                % {
                    "from": title(pair[0]),
                    "to": title(pair[1]),
                    "strength": str(
                        strengths.get(now.get("evidence"), now.get("evidence"))
                    ).lower(),
                }
            )
        if was.get("assumption") != now.get("assumption"):
            lines.append(
                _("Theory of change: new assumption for “%(from)s” → “%(to)s”")
                % {"from": title(pair[0]), "to": title(pair[1])}
            )
    return lines


def register() -> None:
    snapshots.register_describer("theory_of_change", describe)
