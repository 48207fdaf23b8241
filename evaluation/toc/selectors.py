"""Reads for the theory of change page, in a constant number of queries however many steps
and links there are. The mission comes from `missions.selectors.mission_detail`, which starts
from `visible_to(user)`: another organisation's mission (and so its steps) answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evaluation.toc import diagram
from evaluation.toc.models import RANK, NodeKind, ToCLink, ToCNode
from missions.models import Mission
from missions.selectors import part_of


def steps_of(mission: Mission) -> list[ToCNode]:
    """The mission's steps in column order (activities first), then by title."""
    nodes = (
        ToCNode.objects.filter(mission=mission)
        .select_related("project", "target")
        .prefetch_related("indicators")
    )
    return sorted(nodes, key=lambda n: (RANK[n.kind], n.title.casefold(), n.key))


def links_of(mission: Mission) -> list[ToCLink]:
    """The mission's links in column order of their ends (activities' links first)."""
    links = ToCLink.objects.filter(mission=mission).select_related("from_node", "to_node")
    return sorted(
        links,
        key=lambda link: (
            RANK[link.from_node.kind],
            link.from_node.title.casefold(),
            RANK[link.to_node.kind],
            link.to_node.title.casefold(),
            link.pk,
        ),
    )


def step_get(mission: Mission, key: str) -> ToCNode:
    steps = ToCNode.objects.select_related("mission__organisation", "project", "target")
    return part_of(steps, mission, _("No such step in this theory of change."), key=key)


def link_get(mission: Mission, link_id: int) -> ToCLink:
    links = ToCLink.objects.select_related("mission__organisation", "from_node", "to_node")
    return part_of(links, mission, _("No such link in this theory of change."), pk=link_id)


def diagram_data(
    steps: list[ToCNode], links: list[ToCLink]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Steps and links as the plain data the diagram draws (also the exchange section's
    shape, so a PDF can draw from either)."""
    return (
        [{"key": n.key, "kind": n.kind, "title": n.title} for n in steps],
        [
            {
                "from": link.from_node.key,
                "to": link.to_node.key,
                "evidence": link.evidence,
                "assumption": link.assumption,
            }
            for link in links
        ],
    )


@dataclass
class Column:
    kind: str
    label: str
    steps: list[ToCNode]


@dataclass
class ToCPage:
    columns: list[Column]
    links: list[ToCLink]
    svg: SafeString

    @property
    def is_empty(self) -> bool:
        return not any(column.steps for column in self.columns)


def toc_page(mission: Mission) -> ToCPage:
    steps = steps_of(mission)
    links = links_of(mission)
    by_pk = {n.pk: n for n in steps}
    for link in links:  # the same objects the table shows, no query per row
        link.from_node = by_pk.get(link.from_node_id, link.from_node)
        link.to_node = by_pk.get(link.to_node_id, link.to_node)
    leads_to: dict[int, list[ToCLink]] = {}
    for link in links:
        leads_to.setdefault(link.from_node_id, []).append(link)
    for step in steps:
        step.leads_to = leads_to.get(step.pk, [])
    titles = diagram.column_titles()
    columns = [
        Column(kind, titles[kind], [n for n in steps if n.kind == kind]) for kind in NodeKind.values
    ]
    nodes, edges = diagram_data(steps, links)
    svg = mark_safe(diagram.toc_svg(nodes, edges))  # noqa: S308 - the diagram escapes all text
    return ToCPage(columns, links, svg)
