"""A mission's theory of change (docs/domain.md §5.1, §7.5): how activities lead to outputs,
outputs to outcomes and outcomes to impact, as nodes in four columns and links between them.

- `ToCNode`: one step of the pathway: an activity or output (optionally a project of the
  mission), an outcome or the impact (optionally a target of the mission), with the indicators
  that measure it.
- `ToCLink`: "this leads to that", always rightwards (activity → output → outcome → impact,
  skipping columns allowed), with the assumption it rests on and how strong the evidence is.

What must always hold is held by the database, not only by the forms: a link never points at
itself, never leftwards or within a column, never twice between the same nodes, and never
between missions. The link carries copies of its ends' mission and kind, tied to the nodes by
a composite foreign key (added in the migration, ON UPDATE CASCADE), so changing a node's kind
in a way that would turn one of its links backwards is refused by the check constraint too.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice
from accounts.fields import optional_link
from missions.models import (
    Audited,
    MissionPart,
    MissionProject,
    Target,
    Versioned,
    mission_reference,
    unique_per_mission,
)


class NodeKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


# Column order, left to right; a link must go from a lower rank to a higher one.
RANK = {kind: index for index, kind in enumerate(NodeKind.values)}
# Projects are what the mission does (activities) and delivers (outputs); targets are what it
# changes (outcomes) and aims at (impact).
PROJECT_KINDS = (NodeKind.ACTIVITY, NodeKind.OUTPUT)
TARGET_KINDS = (NodeKind.OUTCOME, NodeKind.IMPACT)


class EvidenceStrength(models.TextChoices):
    NONE = "none", _("None yet")
    WEAK = "weak", _("Weak")
    MODERATE = "moderate", _("Moderate")
    STRONG = "strong", _("Strong")


def rightward() -> Q:
    """The condition a link's (from_kind, to_kind) must meet: at least one column rightwards."""
    condition = Q()
    for kind, rank in RANK.items():
        later = [k for k, r in RANK.items() if r > rank]
        if later:
            condition |= Q(from_kind=kind, to_kind__in=later)
    return condition


class ToCNode(MissionPart, Audited, Versioned):
    mission = mission_reference("toc_nodes")
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=NodeKind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(500)]
    )
    project = optional_link(
        MissionProject, _("project"), on_delete=models.SET_NULL, related_name="toc_nodes"
    )
    target = optional_link(Target, _("target"), on_delete=models.SET_NULL, related_name="toc_nodes")
    indicators = models.ManyToManyField(
        "evaluation.Indicator",
        verbose_name=_("indicators"),
        blank=True,
        related_name="toc_nodes",
    )

    # Not stored: the links from this step, which `selectors.toc_page` sets for the table.
    leads_to: list[ToCLink]

    class Meta:
        verbose_name = _("theory of change step")
        verbose_name_plural = _("theory of change steps")
        ordering = ["mission", "kind", "title", "key"]
        constraints = [
            unique_per_mission("key", name="evaluation_tocnode_key_unique"),
            # What the links' composite foreign key points at (see the module docstring).
            models.UniqueConstraint(
                fields=["id", "mission", "kind"], name="evaluation_tocnode_id_mission_kind"
            ),
            check_choice("kind", NodeKind, name="evaluation_tocnode_kind_valid"),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(kind__in=PROJECT_KINDS),
                name="evaluation_tocnode_project_only_for_activities_outputs",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(kind__in=TARGET_KINDS),
                name="evaluation_tocnode_target_only_for_outcomes_impact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def rank(self) -> int:
        return RANK[self.kind]


class ToCLink(MissionPart, Audited, Versioned):
    mission = mission_reference("toc_links")
    from_node = models.ForeignKey(
        ToCNode, verbose_name=_("from"), on_delete=models.CASCADE, related_name="outgoing"
    )
    to_node = models.ForeignKey(
        ToCNode, verbose_name=_("leads to"), on_delete=models.CASCADE, related_name="incoming"
    )
    # Copies of the ends' kinds, kept equal to them by the composite foreign keys.
    from_kind = models.CharField(max_length=10, choices=NodeKind.choices, editable=False)
    to_kind = models.CharField(max_length=10, choices=NodeKind.choices, editable=False)
    assumption = models.TextField(_("assumption"), blank=True, validators=[MaxLengthValidator(300)])
    evidence = models.CharField(
        _("strength of evidence"),
        max_length=10,
        choices=EvidenceStrength.choices,
        default=EvidenceStrength.NONE,
    )

    class Meta:
        verbose_name = _("theory of change link")
        verbose_name_plural = _("theory of change links")
        ordering = ["mission", "from_node", "to_node"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_node", "to_node"], name="evaluation_toclink_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(from_node=models.F("to_node")), name="evaluation_toclink_not_self"
            ),
            models.CheckConstraint(condition=rightward(), name="evaluation_toclink_rightward"),
            check_choice("evidence", EvidenceStrength, name="evaluation_toclink_evidence_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.from_node_id} → {self.to_node_id}"
