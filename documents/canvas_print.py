"""The canvas PDF's content and layout: what each of the twelve boxes says, read from the one
box registry (`canvas.boxes`) and the mission's exchange export, and how it is laid out on the
A3 page and the pages after it.

Two halves, as for every document: `boxes`, `stakeholder_rows` and `map_rows` build the plain,
JSON-ready data stored with the document (in the request, translated there); `layout` and
`figures` turn that stored data into what the print template shows (in the worker).

A box with structured content (targets, stakeholders, projects, instruments, the theory of
change and indicators) lists it as "facts" before its free text; a box with nothing says
exactly what is missing ("No committed budget recorded"), never just "not filled in".
"""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from canvas.boxes import BOXES, TEXT_LIMIT, Box
from missions.models import Direction, Helix, Instrument, MandateSource, Mission, Stage

# --- Content: the data stored with the document ------------------------------------------------


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label) if value not in (None, "") else ""
    except ValueError:
        return str(value)


def _number(value: Any) -> str:
    from documents.selectors import number

    return number(value)


def _day(text: str | None) -> str:
    if not text:
        return ""
    try:
        return formats.date_format(datetime.date.fromisoformat(str(text)[:10]), "j F Y")
    except ValueError:
        return str(text)


def _join(items: list[str]) -> str:
    return ", ".join(dict.fromkeys(item for item in items if item))


def _challenge(mission: Mission, exported: dict[str, Any]) -> list[str]:
    facts = [_("Grand challenge: %(title)s") % {"title": mission.challenge.title}]
    if exported.get("affected_population"):
        facts.append(
            _("People affected: %(count)s") % {"count": _number(exported["affected_population"])}
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
        start = f"{_number(target['baseline_value'])} {unit}".strip()
        if target.get("baseline_year"):
            start += f" ({target['baseline_year']})"
    if target.get("target_value") is None:
        end = _("target value missing")
    else:
        end = f"{_number(target['target_value'])} {unit}".strip()
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
                f"{_number(milestone.get('value'))} {target.get('unit') or ''}".strip()
            )
            facts.append(
                _("Milestone %(year)s: %(text)s") % {"year": milestone["year"], "text": text}
            )
    return facts


def _stakeholders(exported: dict[str, Any]) -> list[str]:
    from stakeholders.models import Quadrant

    section = exported.get("stakeholders") or {}
    people = section.get("stakeholders") or []
    if not people:
        return []
    names = {item["key"]: _name(item) for item in people}
    by_quadrant = Counter(item.get("quadrant") or "" for item in people)
    parts = [
        f"{Quadrant(quadrant).label}: {by_quadrant[quadrant]}"
        for quadrant in Quadrant.values
        if by_quadrant[quadrant]
    ]
    facts = [
        ngettext(
            "%(count)s stakeholder on the map (%(groups)s)",
            "%(count)s stakeholders on the map (%(groups)s)",
            len(people),
        )
        % {"count": len(people), "groups": "; ".join(parts)}
    ]
    key_players = sorted(
        (names[item["key"]] for item in people if item.get("quadrant") == Quadrant.KEY_PLAYER),
        key=str.lower,
    )
    if key_players:
        facts.append(_("Key players: %(names)s") % {"names": ", ".join(key_players)})
    present = {item.get("helix") for item in people}
    missing = [
        str(label)
        for value, label in Helix.choices
        if value != Helix.ENVIRONMENT and value not in present
    ]
    if missing:
        facts.append(_("No one yet from: %(helices)s") % {"helices": ", ".join(missing)})
    activities = section.get("engagement") or []
    if activities:
        latest = max(activities, key=lambda a: a.get("date") or "")
        facts.append(
            ngettext(
                "%(count)s engagement activity, the latest on %(date)s",
                "%(count)s engagement activities, the latest on %(date)s",
                len(activities),
            )
            % {"count": len(activities), "date": _day(latest.get("date"))}
        )
    else:
        facts.append(_("No engagement activities recorded"))
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
            _("Mandate: %(source)s") % {"source": _label(MandateSource, source)}
            + (f" ({exported['mandate_reference']})" if exported.get("mandate_reference") else "")
        )
        if exported.get("mandate_date"):
            facts.append(_("Mandate date: %(date)s") % {"date": _day(exported["mandate_date"])})
        else:
            facts.append(_("Mandate date missing"))
    if exported.get("approved_on"):
        facts.append(_("Approved on %(date)s") % {"date": _day(exported["approved_on"])})
    return facts


def _sectors(exported: dict[str, Any]) -> list[str]:
    projects = exported.get("projects") or []
    sectors = _join([s for p in projects for s in p.get("sectors") or []])
    disciplines = _join([d for p in projects for d in p.get("disciplines") or []])
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
    for project in projects:
        details = [
            _label(Stage, project.get("stage")),
            _label(Instrument, project.get("instrument")),
        ]
        details = [d for d in details if d]
        facts.append(f"{project['title']} ({', '.join(details)})" if details else project["title"])
    return facts


def _instruments(mission: Mission, exported: dict[str, Any]) -> list[str]:
    from documents.selectors import money

    projects = exported.get("projects") or []
    instruments = Counter(
        _label(Instrument, p.get("instrument")) for p in projects if p.get("instrument")
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
            _("Mission team: %(fte)s full-time equivalents") % {"fte": _number(mission.team_fte)}
        )
    else:
        facts.append(_("Mission team size not recorded"))
    return facts


def _learning(exported: dict[str, Any]) -> list[str]:
    from evaluation.indicators.models import Frequency
    from evaluation.reviews.models import ReviewType
    from evaluation.toc.models import NodeKind

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
                    f"{kinds[kind]} {str(label).lower()}"
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
                    f"{i['name']} ({_label(Frequency, i.get('frequency')).lower()})"
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
                "type": _label(ReviewType, latest.get("type")).lower(),
                "date": _day(latest.get("date")),
            }
        )
    else:
        facts.append(_("No reviews held yet"))
    return facts


# What a box says when it has neither text nor structured content: exactly what is missing.
def _empty_labels() -> dict[str, str]:
    return {
        "challenge": _("No description of the challenge written yet."),
        "mission_statement": _("No mission statement written yet."),
        "targets": _("No targets recorded yet."),
        "rationale": _("No reason for a mission written yet."),
        "system_baseline": _("No description of the system and its barriers written yet."),
        "stakeholders": _("No stakeholders on the map yet."),
        "governance": _("No governance written yet."),
        "sectors_disciplines": _("No sectors or disciplines recorded yet."),
        "portfolio": _("No projects recorded yet."),
        "instruments_resources": _("No instruments or resources recorded yet."),
        "risks_rewards": _("No risks or rewards written yet."),
        "learning": _("No learning plan written yet."),
    }


def _facts(box: Box, mission: Mission, exported: dict[str, Any]) -> list[str]:
    key = str(box.key)
    if key == "challenge":
        return _challenge(mission, exported)
    if key == "targets":
        return _targets(exported)
    if key == "stakeholders":
        return _stakeholders(exported)
    if key == "governance":
        return _governance(mission, exported)
    if key == "sectors_disciplines":
        return _sectors(exported)
    if key == "portfolio":
        return _portfolio(exported)
    if key == "instruments_resources":
        return _instruments(mission, exported)
    if key == "learning":
        return _learning(exported)
    return []


def boxes(mission: Mission, exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The twelve boxes in canvas order (canvas.boxes.BOXES): number, band and title from the
    registry, the text written in the box, and the facts the mission's records give it."""
    written = (exported.get("canvas") or {}).get("boxes") or {}
    empty = _empty_labels()
    result = []
    for box in BOXES:
        key = str(box.key)
        row = written.get(key) or {}
        text = mission.statement if box.is_statement else (row.get("text") or "")
        result.append(
            {
                "key": key,
                "band": str(box.band),
                "number": str(box.number),
                "title": str(box.title),
                "text": text[:TEXT_LIMIT],
                "facts": [] if box.is_statement else _facts(box, mission, exported),
                "empty": empty[key],
                "version": row.get("version"),
                "updated_at": row.get("updated_at"),
                "updated_by": row.get("updated_by"),
            }
        )
    return result


def _name(item: dict[str, Any]) -> str:
    return item.get("person_name") or item.get("actor_name") or item["key"]


def stakeholder_rows(exported: dict[str, Any]) -> list[dict[str, Any]]:
    """The stakeholders as the power/interest grid draws them, numbered by name as on the map
    page, with their sector, attitude and group in words for the table beside the drawing."""
    from stakeholders.models import ATTITUDES, EngagementLevel, Quadrant, quadrant_of

    section = exported.get("stakeholders") or {}
    people = sorted(section.get("stakeholders") or [], key=lambda i: _name(i).lower())
    rows = []
    for number, item in enumerate(people, start=1):
        attitude = int(item.get("attitude") or 0)
        quadrant = item.get("quadrant") or quadrant_of(item["power"], item["interest"])
        rows.append(
            {
                "number": number,
                "key": item["key"],
                "name": _name(item),
                "helix": item.get("helix", ""),
                "helix_label": _label(Helix, item.get("helix")) or _("Not recorded"),
                "power": item["power"],
                "interest": item["interest"],
                "attitude": attitude,
                "attitude_label": str(ATTITUDES.get(attitude, "")),
                "quadrant": quadrant,
                "quadrant_label": _label(Quadrant, quadrant),
                "engagement": _label(EngagementLevel, item.get("engagement_now")),
            }
        )
    return rows


def map_rows(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mission map in words, one row per mission and sector, for the table after the
    drawing: every title in full."""
    rows = []
    for challenge in tree:
        for mission in challenge["missions"]:
            sectors = mission["sectors"] or [{"name": "", "projects": []}]
            for index, sector in enumerate(sectors):
                rows.append(
                    {
                        "challenge": challenge["title"],
                        "mission": mission["title"],
                        "first": index == 0,
                        "span": len(sectors),
                        "sector": sector["name"],
                        "projects": [project["title"] for project in sector["projects"]],
                    }
                )
    return rows


# --- Layout: how the stored data fills the page ---------------------------------------------

# Where each box sits in the paper canvas's 7-column grid (row 1 holds the band titles), and
# how much it holds before the rest continues after the grid: characters per line of its
# text and lines it has room for, measured on the A3 page (Source Sans 3, 8.5 pt text, 8 pt
# facts). Deliberately a little short of the room there is, so a box never outgrows its row.
BOX_AREAS: dict[str, tuple[str, str, int, int]] = {
    "challenge": ("1", "2", 31, 16),
    "mission_statement": ("2", "2", 31, 16),
    "targets": ("3", "2", 31, 16),
    "rationale": ("1 / 3", "3", 66, 16),
    "system_baseline": ("3", "3", 31, 16),
    "stakeholders": ("4", "2", 31, 16),
    "sectors_disciplines": ("4", "3", 31, 16),
    "governance": ("5", "2 / 4", 31, 36),
    "portfolio": ("6", "2 / 4", 31, 36),
    "instruments_resources": ("7", "2", 31, 16),
    "risks_rewards": ("7", "3", 31, 16),
    # The learning band is laid out in three columns.
    "learning": ("1 / 8", "4", 78, 15),
}
LINE_COST = 40
PARAGRAPH_GAP = 0.3  # of a line, between paragraphs or facts


def split_box_text(text: str, budget: int) -> tuple[str, str]:
    """Split `text` where it stops fitting `budget`: at a paragraph or sentence end when one
    is near, else at a space, so the continuation starts on a whole word."""
    cost, index = 0, len(text)
    for position, char in enumerate(text):
        cost += LINE_COST if char == "\n" else 1
        if cost > budget:
            index = position
            break
    if index == len(text):
        return text, ""
    head = text[:index]
    for separator in ("\n\n", "\n", ". ", " "):
        cut = head.rfind(separator)
        if cut > len(head) * 0.6:
            cut += len(separator) if separator == ". " else 0
            return text[:cut].rstrip(), text[cut:].strip()
    return head.rstrip(), text[index:].strip()


def _lines(text: str, per_line: int) -> float:
    return math.ceil(max(len(text), 1) / per_line) + PARAGRAPH_GAP


def layout(boxes: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The boxes with their grid area and what fits in them (facts first, then text), and the
    boxes whose facts or text continue after the grid."""
    laid_out, continued = [], []
    for box in boxes:
        room: float  # lines left in the box: the gaps between facts are fractions of a line
        column, row, per_line, room = BOX_AREAS[box["key"]]
        facts: list[str] = []
        more_facts: list[str] = []
        for fact in box.get("facts") or []:
            cost = _lines(fact, per_line)
            if more_facts or cost > room:
                more_facts.append(fact)
            else:
                facts.append(fact)
                room -= cost
        text = box["text"]
        # Text gets what the facts left, but at least four lines so it never vanishes.
        budget = max(int(room), 4 if text else 0) * per_line
        shown, rest = split_box_text(text, budget) if text else ("", "")
        item = {
            **box,
            "area": f"grid-column: {column}; grid-row: {row}",
            "shown_facts": facts,
            "shown": shown,
            "rest": rest,
            "more_facts": more_facts,
        }
        laid_out.append(item)
        if rest or more_facts:
            continued.append(item)
    return laid_out, continued


# Page 2 onwards: the figures are drawn in the document's font, never smaller than 7 pt.
DOCUMENT_FONT = "Source Sans 3, sans-serif"
MIN_FONT_PT = 7.0
MAP_FONT_UNITS = 12  # the mission map's labels, in its own drawing units
MAP_MAX_SCALE = 0.85  # pt per drawing unit: labels at about 10 pt
MAP_MAX_HEIGHT_PT = 560  # leaves room on the page for the headings and the start of the table
GRID_SCALE = 0.68  # pt per unit: the grid's 11-unit names at 7.5 pt


def _sized(svg: str, scale: float) -> str:
    """Give an SVG an absolute size in points, `scale` points per drawing unit."""
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if not match:
        return svg
    width, height = (float(v) * scale for v in match.groups())
    svg = re.sub(r'(<svg[^>]*?) width="[\d.]+"', rf'\1 width="{width:.1f}pt"', svg, count=1)
    return re.sub(r'(<svg[^>]*?) height="[\d.]+"', rf'\1 height="{height:.1f}pt"', svg, count=1)


def figures(mission: dict[str, Any]) -> dict[str, Any]:
    """The mission map and the stakeholder grid as the PDF draws them: wrapped labels, the
    document's font, sizes fixed so no text is smaller than 7 pt. A map too tall for that is
    left to its table (said so on the page)."""
    from missions.mission_map import mission_map_svg, svg_size
    from stakeholders.grid import draw_grid

    result: dict[str, Any] = {"map_rows": map_rows(mission.get("map_tree") or [])}
    svg = mission_map_svg(mission.get("map_tree") or [], wrap=True, font_family=DOCUMENT_FONT)
    _width, height = svg_size(svg)
    scale = min(MAP_MAX_SCALE, MAP_MAX_HEIGHT_PT / height if height else MAP_MAX_SCALE)
    if scale * MAP_FONT_UNITS >= MIN_FONT_PT:
        result["map_svg"] = _sized(svg, scale)
    else:
        result["map_svg"] = ""
    if mission.get("stakeholders"):
        drawing = draw_grid(
            mission["stakeholders"], id_prefix="pdf-grid", font_family=DOCUMENT_FONT
        )
        result["grid_svg"] = _sized(drawing.svg, GRID_SCALE)
    return result
