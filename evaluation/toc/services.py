"""Writes for the theory of change: keyword-only, atomic, re-checking permission, recorded in
the mission's history (which tells `missions.hooks` listeners, so the criteria engine
re-assesses). Validation problems raise `ValidationError` keyed by form field, in words that
say what to do; `*_update` takes the version the page showed and raises `ConflictError` if
someone saved in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from evaluation.indicators.models import Indicator
from evaluation.toc.models import (
    PROJECT_KINDS,
    RANK,
    TARGET_KINDS,
    EvidenceStrength,
    NodeKind,
    ToCLink,
    ToCNode,
)
from missions import parts
from missions.models import Mission, MissionProject, Target
from missions.parts import unique_key

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NODE_FIELDS = frozenset({"kind", "title", "description", "project", "target"})
LINK_FIELDS = frozenset({"assumption", "evidence"})
NODE_TYPE = "theory of change step"
LINK_TYPE = "theory of change link"
# Keys that would clash with fixed addresses under …/theory-of-change/steps/.
RESERVED_KEYS = frozenset({"add"})

# A kind as the subject and as the object of "… cannot lead to …".
SUBJECT: dict[str, StrOrPromise] = {
    NodeKind.ACTIVITY: gettext_lazy("An activity"),
    NodeKind.OUTPUT: gettext_lazy("An output"),
    NodeKind.OUTCOME: gettext_lazy("An outcome"),
    NodeKind.IMPACT: gettext_lazy("The impact"),
}
OBJECT: dict[str, StrOrPromise] = {
    NodeKind.ACTIVITY: gettext_lazy("an activity"),
    NodeKind.OUTPUT: gettext_lazy("an output"),
    NodeKind.OUTCOME: gettext_lazy("an outcome"),
    NodeKind.IMPACT: gettext_lazy("an impact"),
}
ANOTHER: dict[str, StrOrPromise] = {
    NodeKind.ACTIVITY: gettext_lazy("another activity"),
    NodeKind.OUTPUT: gettext_lazy("another output"),
    NodeKind.OUTCOME: gettext_lazy("another outcome"),
    NodeKind.IMPACT: gettext_lazy("another impact"),
}
DIRECTION = gettext_lazy("links go from activities to outputs to outcomes to impact")


TOC_REFUSAL = gettext_lazy("You can read this theory of change but not change it.")
# The mission, project and target of a step or link are checked against the mission by
# `_check_node` and `check_link`, so `full_clean` leaves them alone.
NODE = parts.PartKind(
    NODE_TYPE,
    NODE_FIELDS,
    permission="evaluation.change_toc",
    refusal=TOC_REFUSAL,
    clean_exclude=("mission", "project", "target"),
    named_by="title",
)
LINK = parts.PartKind(
    LINK_TYPE,
    LINK_FIELDS,
    permission="evaluation.change_toc",
    refusal=TOC_REFUSAL,
    key_of=lambda link: f"{link.from_node.key}>{link.to_node.key}"[:80],
    clean_exclude=("mission", "from_node", "to_node"),
)


def require_editable(by: User, mission: Mission) -> None:
    parts.require_kind_editable(NODE, by, mission)


def direction_problem(from_kind: str, to_kind: str) -> str | None:
    """Why a link from `from_kind` to `to_kind` is not allowed, or None if it is."""
    if RANK[to_kind] > RANK[from_kind]:
        return None
    other = ANOTHER[to_kind] if from_kind == to_kind else OBJECT[to_kind]
    return _("%(from)s cannot lead to %(to)s: %(rule)s.") % {
        "from": SUBJECT[from_kind],
        "to": other,
        "rule": DIRECTION,
    }


def _check_node(
    mission: Mission,
    *,
    kind: str,
    title: str,
    project: MissionProject | None,
    target: Target | None,
    indicators: list[Indicator] | None,
) -> None:
    errors: dict[str, str] = {}
    if kind not in NodeKind.values:
        errors["kind"] = _("Choose activity, output, outcome or impact.")
    if not title.strip():
        errors["title"] = _("Enter a title for the step.")
    elif len(title.strip()) > 150:
        errors["title"] = _("Keep the title to 150 characters or fewer.")
    if project is not None:
        if project.mission_id != mission.pk:
            errors["project"] = _("Choose a project of this mission.")
        elif kind not in PROJECT_KINDS:
            errors["project"] = _(
                "Only an activity or an output can be a project. Remove the project, or "
                "change the kind."
            )
    if target is not None:
        if target.mission_id != mission.pk:
            errors["target"] = _("Choose a target of this mission.")
        elif kind not in TARGET_KINDS:
            errors["target"] = _(
                "Only an outcome or the impact can be a target. Remove the target, or change "
                "the kind."
            )
    if indicators and any(i.mission_id != mission.pk for i in indicators):
        errors["indicators"] = _("Choose indicators of this mission.")
    if errors:
        raise ValidationError(errors)


def _new_key(mission: Mission, title: str) -> str:
    existing = ToCNode.objects.filter(mission=mission)
    key = unique_key(existing, title, fallback="step")
    return unique_key(existing, f"{key}-step") if key in RESERVED_KEYS else key


def node_create(
    *, by: User, mission: Mission, kind: str, title: str, description: str = "",
    project: MissionProject | None = None, target: Target | None = None,
    indicators: Iterable[Indicator] = (), key: str | None = None,
) -> ToCNode:  # fmt: skip
    """Add a step to the mission's theory of change."""
    require_editable(by, mission)
    indicators = list(indicators)
    _check_node(
        mission, kind=kind, title=title, project=project, target=target, indicators=indicators
    )
    node = ToCNode(
        mission=mission,
        key=key or _new_key(mission, title),
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        project=project,
        target=target,
    )
    return parts.create_part(
        NODE,
        node,
        by=by,
        mission=mission,
        recorded=["kind", "title", "description", "project", "target"],
        also_recorded={"indicators": sorted(i.key for i in indicators)},
        after_save=lambda saved: saved.indicators.set(indicators),
    )


def node_update(
    *, by: User, node: ToCNode, expected_version: int,
    indicators: Iterable[Indicator] | None = None, **fields: Any,
) -> ToCNode:  # fmt: skip
    """Change a step. A new kind must keep every link of the step rightwards."""
    mission = node.mission
    linked = parts.KeyedList("indicators", list(indicators) if indicators is not None else None)
    fields = {name: v.strip() if isinstance(v, str) else v for name, v in fields.items()}

    def check(step: ToCNode, changes: Mapping[str, list[Any]]) -> None:
        _check_node(
            mission,
            kind=step.kind,
            title=step.title,
            project=step.project,
            target=step.target,
            indicators=linked.chosen,
        )
        if "kind" in changes:
            _check_links_stay_rightwards(step)

    return parts.update_part(
        NODE,
        node,
        by=by,
        mission=mission,
        expected_version=expected_version,
        fields=fields,
        validate=check,
        more_changes=linked.changes,
        after_save=linked.save,
    )


def _check_links_stay_rightwards(node: ToCNode) -> None:
    """Refuse a new kind that would turn one of the step's links backwards."""
    broken = []
    for link in node.outgoing.select_related("to_node"):
        if direction_problem(node.kind, link.to_node.kind):
            broken.append(f"“{node.title}” → “{link.to_node.title}”")
    for link in node.incoming.select_related("from_node"):
        if direction_problem(link.from_node.kind, node.kind):
            broken.append(f"“{link.from_node.title}” → “{node.title}”")
    if broken:
        raise ValidationError(
            {
                "kind": _(
                    "As %(kind)s this step's links would go backwards (%(links)s): %(rule)s. "
                    "Remove those links first."
                )
                % {"kind": OBJECT[node.kind], "links": ", ".join(broken), "rule": DIRECTION}
            }
        )


def node_delete(*, by: User, node: ToCNode) -> None:
    """Remove a step and the links to and from it."""
    links = node.outgoing.count() + node.incoming.count()
    parts.delete_part(NODE, node, by=by, mission=node.mission, changes={"links": [links, 0]})


def check_link(mission: Mission, from_node: ToCNode, to_node: ToCNode) -> None:
    """The specific reason a link may not be drawn, keyed by form field."""
    if from_node.mission_id != mission.pk or to_node.mission_id != mission.pk:
        raise ValidationError({"to_node": _("Choose steps of this mission.")})
    if from_node.pk == to_node.pk:
        raise ValidationError({"to_node": _("A step cannot lead to itself. Choose another step.")})
    problem = direction_problem(from_node.kind, to_node.kind)
    if problem:
        raise ValidationError({"to_node": problem})
    if ToCLink.objects.filter(from_node=from_node, to_node=to_node).exists():
        raise ValidationError(
            {
                "to_node": _("“%(from)s” already leads to “%(to)s”. Change that link instead.")
                % {"from": from_node.title, "to": to_node.title}
            }
        )


def _check_link_fields(assumption: str, evidence: str) -> None:
    errors = {}
    if len(assumption) > 300:
        errors["assumption"] = _("Keep the assumption to 300 characters or fewer.")
    if evidence not in EvidenceStrength.values:
        errors["evidence"] = _("Choose how strong the evidence is: none, weak, moderate or strong.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def link_create(
    *, by: User, mission: Mission, from_node: ToCNode, to_node: ToCNode,
    assumption: str = "", evidence: str = EvidenceStrength.NONE,
) -> ToCLink:  # fmt: skip
    """Say that one step leads to another (rightwards), on which assumption and evidence."""
    require_editable(by, mission)
    # Lock both ends, so a concurrent change of their kind waits for this link.
    locked = {
        n.pk: n
        for n in ToCNode.objects.select_for_update().filter(pk__in=[from_node.pk, to_node.pk])
    }
    from_node, to_node = locked.get(from_node.pk, from_node), locked.get(to_node.pk, to_node)
    check_link(mission, from_node, to_node)
    assumption = assumption.strip()
    _check_link_fields(assumption, evidence)
    link = ToCLink(
        mission=mission,
        from_node=from_node,
        to_node=to_node,
        from_kind=from_node.kind,
        to_kind=to_node.kind,
        assumption=assumption,
        evidence=evidence,
    )
    return parts.create_part(
        LINK, link, by=by, mission=mission, recorded=["assumption", "evidence"]
    )


def link_update(*, by: User, link: ToCLink, expected_version: int, **fields: Any) -> ToCLink:
    """Change a link's assumption or strength of evidence (to move a link, delete it and draw
    a new one)."""
    if "assumption" in fields:
        fields["assumption"] = fields["assumption"].strip()
    return parts.update_part(
        LINK,
        link,
        by=by,
        mission=link.mission,
        expected_version=expected_version,
        fields=fields,
        validate=lambda saved, _changes: _check_link_fields(saved.assumption, saved.evidence),
    )


def link_delete(*, by: User, link: ToCLink) -> None:
    parts.delete_part(LINK, link, by=by, mission=link.mission)
