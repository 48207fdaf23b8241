"""What each canvas box says from the mission's records, before its text: the board, the box's
editor and the canvas PDF all read it here, so they never disagree.

Built from the mission's exchange export (missions.exchange.export_mission), so a box reads
the same data whether the mission is on screen or in a stored document. A box with records
says exactly what is missing ("No committed budget recorded"), never just "not filled in".
The boxes whose records another app owns (stakeholders; the theory of change, indicators and
reviews of the learning box) get their facts from that app through
`missions.hooks.register_box_facts`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from canvas.boxes import Box
from missions import hooks
from missions.formatting import day, joined, label, money, number
from missions.models import Direction, Instrument, MandateSource, Mission, Origin, Stage


def _challenge(mission: Mission, exported: dict[str, Any]) -> list[str]:
    facts = [_("Grand challenge: %(title)s") % {"title": mission.challenge.title}]
    if exported.get("affected_population"):
        facts.append(
            _("People affected: %(count)s") % {"count": number(exported["affected_population"])}
        )
    sdgs = exported.get("sdgs") or getattr(mission.challenge, "sdgs", None) or []
    if sdgs:
        facts.append(
            _("Sustainable Development Goals: %(goals)s")
            % {"goals": ", ".join(str(goal) for goal in sdgs)}
        )
    if exported.get("geography"):
        facts.append(_("Where: %(place)s") % {"place": exported["geography"]})
    return facts


def _target_line(target: dict[str, Any]) -> str:
    title = target["title"]
    if target["is_headline"]:
        title = _("%(title)s (headline)") % {"title": title}
    if target["direction"] == Direction.BINARY:
        condition = target.get("success_condition") or _("success condition not written yet")
        return f"{title}: {condition}"
    unit = target.get("unit") or ""
    if target.get("baseline_value") is None:
        start = _("baseline missing")
    else:
        start = f"{number(target['baseline_value'])} {unit}".strip()
        if target.get("baseline_year"):
            start += f" ({target['baseline_year']})"
    if target.get("target_value") is None:
        end = _("target value missing")
    else:
        end = f"{number(target['target_value'])} {unit}".strip()
    year = target.get("target_year")
    if year:
        return _("%(title)s: from %(start)s to %(end)s by %(year)s") % {
            "title": title,
            "start": start,
            "end": end,
            "year": year,
        }
    return _("%(title)s: from %(start)s to %(end)s, target year missing") % {
        "title": title,
        "start": start,
        "end": end,
    }


def _targets(exported: dict[str, Any]) -> list[str]:
    targets = sorted(exported.get("targets") or [], key=lambda t: not t["is_headline"])
    facts = []
    for target in targets:
        facts.append(_target_line(target))
        for milestone in target.get("milestones") or []:
            text = milestone.get("description") or (
                f"{number(milestone.get('value'))} {target.get('unit') or ''}".strip()
            )
            facts.append(
                _("Milestone %(year)s: %(text)s") % {"year": milestone["year"], "text": text}
            )
    return facts


def _governance(mission: Mission, exported: dict[str, Any]) -> list[str]:
    facts = [
        _("Owner: %(name)s") % {"name": mission.owner.name}
        if mission.owner
        else _("No owner recorded"),
        _("Coordinator: %(name)s") % {"name": mission.coordinator.name}
        if mission.coordinator
        else _("No coordinator recorded"),
    ]
    source = exported.get("mandate_source") or ""
    if source == "":
        facts.append(_("No mandate recorded"))
    elif source == MandateSource.NONE:
        facts.append(_("No mandate yet"))
    else:
        facts.append(
            _("Mandate: %(source)s") % {"source": label(MandateSource, source)}
            + (f" ({exported['mandate_reference']})" if exported.get("mandate_reference") else "")
        )
        if exported.get("mandate_date"):
            facts.append(_("Mandate date: %(date)s") % {"date": day(exported["mandate_date"])})
        else:
            facts.append(_("Mandate date missing"))
    if exported.get("approved_on"):
        facts.append(_("Approved on %(date)s") % {"date": day(exported["approved_on"])})
    return facts


def _sectors(exported: dict[str, Any]) -> list[str]:
    projects = exported.get("projects") or []
    sectors = joined([s for p in projects for s in p.get("sectors") or []])
    disciplines = joined([d for p in projects for d in p.get("disciplines") or []])
    facts = []
    if sectors:
        facts.append(_("Sectors: %(names)s") % {"names": sectors})
    if disciplines:
        facts.append(_("Disciplines: %(names)s") % {"names": disciplines})
    if projects and not sectors:
        facts.append(_("No project names a sector yet"))
    return facts


def _portfolio(exported: dict[str, Any]) -> list[str]:
    projects = exported.get("projects") or []
    if not projects:
        return []
    covered = {c["target"] for p in projects for c in p.get("contributions") or []}
    total = len(exported.get("targets") or [])
    facts = [
        ngettext(
            "%(count)s project, moving %(covered)s of %(total)s targets",
            "%(count)s projects, moving %(covered)s of %(total)s targets",
            len(projects),
        )
        % {"count": len(projects), "covered": len(covered), "total": total}
    ]
    origins = Counter(label(Origin, p.get("origin")) for p in projects if p.get("origin"))
    if origins:
        facts.append(
            _("Where they came from: %(list)s")
            % {"list": ", ".join(f"{name} ({n})" for name, n in origins.most_common())}
        )
    for project in projects:
        details = [
            label(Stage, project.get("stage")),
            label(Instrument, project.get("instrument")),
        ]
        details = [d for d in details if d]
        facts.append(f"{project['title']} ({', '.join(details)})" if details else project["title"])
    return facts


def _instruments(mission: Mission, exported: dict[str, Any]) -> list[str]:
    projects = exported.get("projects") or []
    instruments = Counter(
        label(Instrument, p.get("instrument")) for p in projects if p.get("instrument")
    )
    facts = []
    if instruments:
        facts.append(
            _("Instruments: %(list)s")
            % {
                "list": ", ".join(
                    ngettext("%(name)s (%(count)s project)", "%(name)s (%(count)s projects)", n)
                    % {"name": name, "count": n}
                    for name, n in instruments.most_common()
                )
            }
        )
    elif projects:
        facts.append(_("No project names its instrument yet"))
    committed, need = mission.committed_budget, mission.estimated_need
    if committed is not None:
        facts.append(
            _("Committed budget: %(amount)s") % {"amount": money(committed, mission.currency)}
        )
    else:
        facts.append(_("No committed budget recorded"))
    if need is not None:
        facts.append(_("Estimated need: %(amount)s") % {"amount": money(need, mission.currency)})
    else:
        facts.append(_("No estimate of the need recorded"))
    if mission.team_fte is not None:
        facts.append(
            _("Mission team: %(fte)s full-time equivalents") % {"fte": number(mission.team_fte)}
        )
    else:
        facts.append(_("Mission team size not recorded"))
    return facts


_BUILT_IN = {
    "challenge": _challenge,
    "targets": lambda _mission, exported: _targets(exported),
    "governance": _governance,
    "sectors_disciplines": lambda _mission, exported: _sectors(exported),
    "portfolio": lambda _mission, exported: _portfolio(exported),
    "instruments_resources": _instruments,
}


def for_box(box: Box, mission: Mission, exported: dict[str, Any]) -> list[str]:
    """The facts of one box, in plain sentences; [] for a box the records do not speak to."""
    build = _BUILT_IN.get(str(box.key)) or hooks.box_facts(str(box.key))
    return build(mission, exported) if build else []
