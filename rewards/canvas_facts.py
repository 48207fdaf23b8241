"""What the canvas's "Risks and rewards" box says from the projects' public-value terms
(registered with missions.hooks.register_box_facts in rewards/apps.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from missions.formatting import money
from rewards import figures


def rewards_facts(mission: Any, exported: dict[str, Any]) -> list[str]:
    """The box's facts (canvas.facts): the public money at risk and in which forms, its share
    of all that was put in, and the conditions that give the public a share of the reward."""
    picture = figures.from_export(exported.get("rewards"))
    if not picture.recorded:
        return [_("No public-value terms recorded for any project yet")]
    currency = exported.get("currency") or getattr(mission, "currency", "") or "EUR"
    if picture.public_recorded:
        facts = [
            ngettext(
                "Public money at risk: %(public)s in %(count)s project with terms recorded",
                "Public money at risk: %(public)s in %(count)s projects with terms recorded",
                len(picture.projects),
            )
            % {"public": money(picture.public, currency), "count": len(picture.projects)}
        ]
        if picture.public_percent is not None and picture.others_recorded:
            facts.append(
                _("The public side put in %(percent)s%% of all money and value; others %(others)s")
                % {"percent": picture.public_percent, "others": money(picture.others, currency)}
            )
        elif picture.public_percent is not None:
            facts.append(_("No private, philanthropic or in-kind contribution recorded"))
        if picture.by_risk_labelled:
            facts.append(
                _("As: %(forms)s")
                % {
                    "forms": "; ".join(
                        f"{label} {money(amount, currency)}"
                        for label, amount in picture.by_risk_labelled
                    )
                }
            )
    else:
        # An empty public funding is not a zero: say so rather than print "0 EUR".
        facts = [_("Public money at risk: not recorded for the projects with terms")]
    if picture.reward_conditions:
        facts.append(
            ngettext(
                "%(count)s reward or access condition (%(met)s met, %(breached)s breached)",
                "%(count)s reward or access conditions (%(met)s met, %(breached)s breached)",
                picture.reward_conditions,
            )
            % {
                "count": picture.reward_conditions,
                "met": picture.met,
                "breached": picture.breached,
            }
        )
    else:
        facts.append(_("No reward or access condition recorded on the public money"))
    return facts
