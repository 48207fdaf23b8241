"""What the canvas's learning box says from the theory of change, the indicators and the
reviews (registered with missions.hooks.register_box_facts in evaluation/apps.py)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.wording import in_sentence
from evaluation.indicators.models import Frequency
from evaluation.reviews.models import ReviewType
from evaluation.toc.models import NodeKind
from missions.formatting import day, label


def learning_facts(_mission: Any, exported: dict[str, Any]) -> list[str]:
    """The learning box's facts (canvas.facts): theory of change, indicators, reviews."""
    facts = []
    steps = (exported.get("theory_of_change") or {}).get("steps") or []
    if steps:
        kinds = Counter(step.get("kind") for step in steps)
        facts.append(
            ngettext(
                "Theory of change: %(count)s step (%(kinds)s)",
                "Theory of change: %(count)s steps (%(kinds)s)",
                len(steps),
            )
            % {
                "count": len(steps),
                "kinds": ", ".join(
                    f"{kinds[kind]} {in_sentence(label)}"
                    for kind, label in NodeKind.choices
                    if kinds[kind]
                ),
            }
        )
        impacts = [s["title"] for s in steps if s.get("kind") == NodeKind.IMPACT]
        if impacts:
            facts.append(_("Intended impact: %(titles)s") % {"titles": "; ".join(impacts)})
    else:
        facts.append(_("No theory of change recorded"))
    indicators = exported.get("indicators") or []
    if indicators:
        facts.append(
            _("Indicators: %(list)s")
            % {
                "list": "; ".join(
                    f"{i['name']} ({in_sentence(label(Frequency, i.get('frequency')))})"
                    if i.get("frequency")
                    else i["name"]
                    for i in indicators
                )
            }
        )
    else:
        facts.append(_("No indicators recorded"))
    reviews = exported.get("reviews") or []
    if reviews:
        latest = max(reviews, key=lambda r: r.get("date") or "")
        facts.append(
            ngettext(
                "%(count)s review, the latest %(type)s on %(date)s",
                "%(count)s reviews, the latest %(type)s on %(date)s",
                len(reviews),
            )
            % {
                "count": len(reviews),
                "type": label(ReviewType, latest.get("type")).lower(),
                "date": day(latest.get("date")),
            }
        )
    else:
        facts.append(_("No reviews held yet"))
    return facts
