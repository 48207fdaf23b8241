"""Writes for the theory of change: keyword-only, atomic, re-checking permission, recorded in
the mission's history (which tells `missions.hooks` listeners, so the criteria engine
re-assesses). Validation problems raise `ValidationError` keyed by form field, in words that
say what to do; `*_update` takes the version the page showed and raises `ConflictError` if
someone saved in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
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
from missions.models import ChangeAction, Mission, MissionProject, Target
from missions.services import (
    _diff,
    _locked,
    _snapshot,
    _touch,
    record_change,
    save_changes,
    unique_key,
)

NODE_FIELDS = frozenset({"kind", "title", "description", "project", "target"})
LINK_FIELDS = frozenset({"assumption", "evidence"})
NODE_TYPE = "theory of change step"
LINK_TYPE = "theory of change link"
# Keys that would clash with fixed addresses under …/theory-of-change/steps/.
RESERVED_KEYS = frozenset({"add"})

# A kind as the subject and as the object of "… cannot lead to …".
SUBJECT = {
    NodeKind.ACTIVITY: gettext_lazy("An activity"),
    NodeKind.OUTPUT: gettext_lazy("An output"),
    NodeKind.OUTCOME: gettext_lazy("An outcome"),
    NodeKind.IMPACT: gettext_lazy("The impact"),
}
OBJECT = {
    NodeKind.ACTIVITY: gettext_lazy("an activity"),
    NodeKind.OUTPUT: gettext_lazy("an output"),
    NodeKind.OUTCOME: gettext_lazy("an outcome"),
    NodeKind.IMPACT: gettext_lazy("an impact"),
}
ANOTHER = {
    NodeKind.ACTIVITY: gettext_lazy("another activity"),
    NodeKind.OUTPUT: gettext_lazy("another output"),
    NodeKind.OUTCOME: gettext_lazy("another outcome"),
    NodeKind.IMPACT: gettext_lazy("another impact"),
}
DIRECTION = gettext_lazy("links go from activities to outputs to outcomes to impact")


def require_editable(actor: User, mission: Mission) -> None:
    if mission.archived_at is not None:
        raise PermissionDenied(_("This mission is archived. Restore it before changing it."))
    if not actor.has_perm("evaluation.change_toc", mission):
        raise PermissionDenied(_("You can read this theory of change but not change it."))


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


def _node_snapshot(node: ToCNode, indicators: Iterable[Indicator] | None = None) -> dict[str, Any]:
    data = _snapshot(node, ["kind", "title", "description", "project", "target"])
    if indicators is not None:
        data["indicators"] = sorted(i.key for i in indicators)
    return data


@transaction.atomic
def node_create(
    *, actor: User, mission: Mission, kind: str, title: str, description: str = "",
    project: MissionProject | None = None, target: Target | None = None,
    indicators: Iterable[Indicator] = (), key: str | None = None,
) -> ToCNode:  # fmt: skip
    """Add a step to the mission's theory of change."""
    require_editable(actor, mission)
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
        created_by=actor,
        updated_by=actor,
    )
    node.full_clean(exclude=["mission", "project", "target"])
    node.save()
    node.indicators.set(indicators)
    record_change(
        mission=mission,
        user=actor,
        action=ChangeAction.CREATED,
        object_type=NODE_TYPE,
        object_key=node.key,
        changes=_diff({}, _node_snapshot(node, indicators)),
    )
    _touch(mission, actor)
    return node


@transaction.atomic
def node_update(
    *, actor: User, node: ToCNode, expected_version: int,
    indicators: Iterable[Indicator] | None = None, **fields: Any,
) -> ToCNode:  # fmt: skip
    """Change a step. A new kind must keep every link of the step rightwards."""
    unknown = set(fields) - NODE_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    mission = node.mission
    require_editable(actor, mission)
    node = _locked(node, expected_version)
    node.mission = mission
    old_indicators = list(node.indicators.all())
    before = _node_snapshot(node, old_indicators)
    values = {name: getattr(node, name) for name in NODE_FIELDS} | fields
    indicators = list(indicators) if indicators is not None else None
    _check_node(
        mission,
        kind=values["kind"],
        title=values["title"],
        project=values["project"],
        target=values["target"],
        indicators=indicators,
    )
    if values["kind"] != node.kind:
        broken = []
        for link in node.outgoing.select_related("to_node"):
            if direction_problem(values["kind"], link.to_node.kind):
                broken.append(f"“{values['title']}” → “{link.to_node.title}”")
        for link in node.incoming.select_related("from_node"):
            if direction_problem(link.from_node.kind, values["kind"]):
                broken.append(f"“{link.from_node.title}” → “{values['title']}”")
        if broken:
            raise ValidationError(
                {
                    "kind": _(
                        "As %(kind)s this step's links would go backwards (%(links)s): %(rule)s. "
                        "Remove those links first."
                    )
                    % {
                        "kind": OBJECT[values["kind"]],
                        "links": ", ".join(broken),
                        "rule": DIRECTION,
                    }
                }
            )
    for name, value in fields.items():
        setattr(node, name, value.strip() if isinstance(value, str) else value)
    node.full_clean(exclude=["mission", "project", "target"])
    changes = _diff(
        before, _node_snapshot(node, indicators if indicators is not None else old_indicators)
    )
    if not changes:
        return node  # saved unchanged: no new version, no history
    save_changes(
        node, changes, actor=actor, mission=mission, object_type=NODE_TYPE, object_key=node.key
    )
    if indicators is not None:
        node.indicators.set(indicators)
    return node


@transaction.atomic
def node_delete(*, actor: User, node: ToCNode) -> None:
    """Remove a step and the links to and from it."""
    mission = node.mission
    require_editable(actor, mission)
    links = node.outgoing.count() + node.incoming.count()
    record_change(
        mission=mission,
        user=actor,
        action=ChangeAction.DELETED,
        object_type=NODE_TYPE,
        object_key=node.key,
        changes={"title": [node.title, None], "links": [links, 0]},
    )
    node.delete()
    _touch(mission, actor)


def _link_key(link: ToCLink) -> str:
    return f"{link.from_node.key}>{link.to_node.key}"[:80]


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
    *, actor: User, mission: Mission, from_node: ToCNode, to_node: ToCNode,
    assumption: str = "", evidence: str = EvidenceStrength.NONE,
) -> ToCLink:  # fmt: skip
    """Say that one step leads to another (rightwards), on which assumption and evidence."""
    require_editable(actor, mission)
    # Lock both ends, so a concurrent change of their kind waits for this link.
    locked = {
        n.pk: n
        for n in ToCNode.objects.select_for_update().filter(pk__in=[from_node.pk, to_node.pk])
    }
    from_node, to_node = locked.get(from_node.pk, from_node), locked.get(to_node.pk, to_node)
    check_link(mission, from_node, to_node)
    assumption = assumption.strip()
    _check_link_fields(assumption, evidence)
    link = ToCLink.objects.create(
        mission=mission,
        from_node=from_node,
        to_node=to_node,
        from_kind=from_node.kind,
        to_kind=to_node.kind,
        assumption=assumption,
        evidence=evidence,
        created_by=actor,
        updated_by=actor,
    )
    record_change(
        mission=mission,
        user=actor,
        action=ChangeAction.CREATED,
        object_type=LINK_TYPE,
        object_key=_link_key(link),
        changes=_diff({}, {"assumption": assumption, "evidence": evidence}),
    )
    _touch(mission, actor)
    return link


@transaction.atomic
def link_update(*, actor: User, link: ToCLink, expected_version: int, **fields: Any) -> ToCLink:
    """Change a link's assumption or strength of evidence (to move a link, delete it and draw
    a new one)."""
    unknown = set(fields) - LINK_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    mission = link.mission
    require_editable(actor, mission)
    ends = (link.from_node, link.to_node)
    link = _locked(link, expected_version)
    link.mission, link.from_node, link.to_node = mission, *ends
    if "assumption" in fields:
        fields["assumption"] = fields["assumption"].strip()
    before = _snapshot(link, ["assumption", "evidence"])
    for name, value in fields.items():
        setattr(link, name, value)
    _check_link_fields(link.assumption, link.evidence)
    changes = _diff(before, _snapshot(link, ["assumption", "evidence"]))
    if not changes:
        return link  # saved unchanged: no new version, no history
    save_changes(
        link,
        changes,
        actor=actor,
        mission=mission,
        object_type=LINK_TYPE,
        object_key=_link_key(link),
    )
    return link


@transaction.atomic
def link_delete(*, actor: User, link: ToCLink) -> None:
    mission = link.mission
    require_editable(actor, mission)
    record_change(
        mission=mission,
        user=actor,
        action=ChangeAction.DELETED,
        object_type=LINK_TYPE,
        object_key=_link_key(link),
    )
    link.delete()
    _touch(mission, actor)
