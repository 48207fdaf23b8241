"""The "theory_of_change" section of the exchange format (and so of snapshots and of the
assessment input, read by EVAL_NO_TOC, EVAL_TOC_TARGET_NO_OUTCOME and EVAL_TOC_OUTPUT_ONLY):

    "theory_of_change": {
        "steps": [{"key", "kind": activity|output|outcome|impact, "title", "description",
                   "project": project key | null, "target": target key | null,
                   "indicators": [indicator key, ...]}],
        "links": [{"from": step key, "to": step key, "assumption",
                   "evidence": none|weak|moderate|strong}]
    }

Steps in key order, links in (from, to) order. Importing makes the mission's theory of change
exactly the document's: steps and links it no longer lists are removed. Links are checked like
the forms check them (rightwards, no self links, no duplicates). Projects and indicators are
read from the mission after their own sections loaded (this section loads after them); a step
naming one the mission does not have rejects the whole import, like any other problem.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from evaluation.indicators.models import Indicator
from evaluation.toc.models import (
    PROJECT_KINDS,
    TARGET_KINDS,
    EvidenceStrength,
    NodeKind,
    ToCLink,
    ToCNode,
)
from evaluation.toc.services import RESERVED_KEYS, direction_problem
from missions import exchange
from missions.exchange import (
    ExchangeError,
    FieldSpec,
    ImportRejected,
    SectionContext,
    delete_missing,
    read_items,
    read_object,
    report_duplicates,
    save_if_changed,
    unknown_target,
)
from missions.models import Mission

SECTION = "theory_of_change"
STEP_SPECS = [
    FieldSpec("key", "key", required=True),
    FieldSpec("kind", "str", required=True, choices=NodeKind),
    FieldSpec("title", "str", required=True, max_length=150),
    FieldSpec("description", "str", max_length=500, default=""),
    FieldSpec("project", "key"),
    FieldSpec("target", "key"),
    FieldSpec("indicators", "strs", default=[]),
]
LINK_SPECS = [
    FieldSpec("from", "key", required=True),
    FieldSpec("to", "key", required=True),
    FieldSpec("assumption", "str", max_length=300, default=""),
    FieldSpec("evidence", "str", choices=EvidenceStrength, default=EvidenceStrength.NONE),
]


def export_toc(mission: Mission) -> dict[str, Any]:
    # Plain rows (values_list), not model instances: this runs in every assessment.
    nodes = list(
        ToCNode.objects.filter(mission=mission)
        .order_by("key")
        .values_list("pk", "key", "kind", "title", "description", "project__key", "target__key")
    )
    if not nodes:  # links join steps, so there are none either (two queries fewer)
        return {"steps": [], "links": []}
    indicators: dict[int, list[str]] = defaultdict(list)
    for node_id, key in ToCNode.objects.filter(
        mission=mission, indicators__isnull=False
    ).values_list("pk", "indicators__key"):
        indicators[node_id].append(key)
    keys = {pk: key for pk, key, *_rest in nodes}
    links = ToCLink.objects.filter(mission=mission).values_list(
        "from_node_id", "to_node_id", "assumption", "evidence"
    )
    return {
        "steps": [
            {
                "key": key,
                "kind": kind,
                "title": title,
                "description": description,
                "project": project,
                "target": target,
                "indicators": sorted(indicators[pk]),
            }
            for pk, key, kind, title, description, project, target in nodes
        ],
        "links": sorted(
            (
                {"from": keys[f], "to": keys[t], "assumption": assumption, "evidence": evidence}
                for f, t, assumption, evidence in links
            ),
            key=lambda link: (link["from"], link["to"]),
        ),
    }


def validate_toc(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    if not isinstance(data, dict):
        return [ExchangeError(path, _("expected an object with “steps” and “links”."))]
    kinds: dict[str, str] = {}
    keys = []
    for item_path, _item, step in read_items(
        data.get("steps"), f"{path}.steps", STEP_SPECS, errors
    ):
        keys.append((f"{item_path}.key", step.get("key")))
        if step.get("key") in RESERVED_KEYS:
            errors.append(
                ExchangeError(
                    f"{item_path}.key",
                    _("%(key)r is reserved; choose another step key.") % {"key": step["key"]},
                )
            )
        kind = step.get("kind")
        if step.get("key") and kind:
            kinds[step["key"]] = kind
        if step.get("project") and kind and kind not in PROJECT_KINDS:
            errors.append(
                ExchangeError(
                    f"{item_path}.project", _("only an activity or output can be a project.")
                )
            )
        if step.get("target"):
            if kind and kind not in TARGET_KINDS:
                errors.append(
                    ExchangeError(
                        f"{item_path}.target", _("only an outcome or the impact can be a target.")
                    )
                )
            elif step["target"] not in context.target_keys:
                errors.append(unknown_target(f"{item_path}.target", step["target"]))
    report_duplicates(keys, _("Step key"), errors)
    pairs = []
    for item_path, _item, link in read_items(
        data.get("links"), f"{path}.links", LINK_SPECS, errors
    ):
        if not link.get("from") or not link.get("to"):
            continue
        missing = [end for end in ("from", "to") if link[end] not in kinds]
        for end in missing:
            errors.append(
                ExchangeError(
                    f"{item_path}.{end}",
                    _("refers to step %(key)r, which the theory of change does not have.")
                    % {"key": link[end]},
                )
            )
        if missing:
            continue
        if link["from"] == link["to"]:
            errors.append(ExchangeError(f"{item_path}.to", _("a step cannot lead to itself.")))
            continue
        problem = direction_problem(kinds[link["from"]], kinds[link["to"]])
        if problem:
            errors.append(ExchangeError(f"{item_path}.to", problem))
        pairs.append((f"{item_path}", f"{link['from']} → {link['to']}"))
    report_duplicates(pairs, _("Link"), errors)
    return errors


def load_toc(mission: Mission, data: dict[str, Any], context: SectionContext) -> None:
    projects = {p.key: p for p in mission.projects.all()}
    targets = {t.key: t for t in mission.targets.all()}
    indicators = {i.key: i for i in Indicator.objects.filter(mission=mission)}
    steps: list[dict[str, Any]] = []
    for item in data.get("steps") or []:
        step = read_object(item, "", STEP_SPECS, [])
        assert step is not None  # validated before loading  # noqa: S101
        steps.append(step)
    problems = []
    for index, step in enumerate(steps):
        base = f"missions[{mission.key}].{SECTION}.steps[{index}]"
        if step["project"] and step["project"] not in projects:
            problems.append(
                ExchangeError(
                    f"{base}.project",
                    _("refers to project %(key)r, which this mission does not have.")
                    % {"key": step["project"]},
                )
            )
        for key in step["indicators"]:
            if key not in indicators:
                problems.append(
                    ExchangeError(
                        f"{base}.indicators",
                        _("refers to indicator %(key)r, which this mission does not have.")
                        % {"key": key},
                    )
                )
    if problems:
        raise ImportRejected(problems)  # rolls the whole import back

    existing = {
        n.key: n for n in ToCNode.objects.filter(mission=mission).prefetch_related("indicators")
    }
    wanted_kinds = {step["key"]: step["kind"] for step in steps}
    stored_links = {
        (link.from_node.key, link.to_node.key): link
        for link in ToCLink.objects.filter(mission=mission).select_related("from_node", "to_node")
    }
    wanted_links = {
        (link["from"], link["to"]): link
        for link in (read_object(item, "", LINK_SPECS, []) for item in data.get("links") or [])
        if link is not None
    }
    # Links the document drops, and links whose ends change kind (they come back from the
    # document below), go first, so no step's new kind ever meets a link pointing backwards.
    for pair, link in list(stored_links.items()):
        changing = any(
            existing[key].kind != wanted_kinds.get(key, existing[key].kind)
            for key in pair
            if key in existing
        )
        if pair not in wanted_links or changing:
            link.delete()
            del stored_links[pair]
            context.summary.count("deleted", "theory of change links")
    nodes = {}
    for step in steps:
        node = existing.get(step["key"]) or ToCNode(mission=mission, created_by=context.user)
        values = {
            "key": step["key"],
            "kind": step["kind"],
            "title": step["title"],
            "description": step["description"],
            "project": projects[step["project"]] if step["project"] else None,
            "target": targets[step["target"]] if step["target"] else None,
        }
        save_if_changed(node, values, "theory of change steps", context.summary)
        chosen = sorted(step["indicators"])
        if node.pk in {n.pk for n in existing.values()}:
            current = sorted(i.key for i in node.indicators.all())
        else:
            current = []
        if current != chosen:
            node.indicators.set([indicators[key] for key in chosen])
        nodes[node.key] = node
    delete_missing(existing, list(wanted_kinds), "theory of change steps", context.summary)
    for pair, values in wanted_links.items():
        link = stored_links.get(pair) or ToCLink(
            mission=mission,
            from_node=nodes[pair[0]],
            to_node=nodes[pair[1]],
            from_kind=nodes[pair[0]].kind,
            to_kind=nodes[pair[1]].kind,
            created_by=context.user,
        )
        save_if_changed(
            link,
            {"assumption": values["assumption"], "evidence": values["evidence"]},
            "theory of change links",
            context.summary,
        )


def register() -> None:
    # After projects (20), indicators (400) and reviews (410): steps point at the first two.
    exchange.register_section(
        exchange.Section(SECTION, export_toc, validate_toc, load_toc), order=420
    )
