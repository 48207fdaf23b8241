"""Portfolio review for innovation-unit leads.

- `Portfolio`: a named selection of an organisation's missions (a mission may be in several, or
  none). The whole organisation is always a portfolio too; it has no row.
- `Initiative`: the two facet answers for one mission project (or for an innovation activity a
  unit tracks outside any mission), the derived facet, and an override with its reason. Kept
  here, keyed to projects, so the missions app knows nothing of portfolio balance.
- `ReviewDecision`: a lead's decision on a mission, tied to the snapshot it was taken against.
- `MissionSearch`: each mission's full-text search document (title, statement, challenge and
  canvas text) with a GIN index, refreshed whenever the mission changes.
- `PortfolioStamp`: a counter per organisation that goes up when anything the dashboard's
  totals read changes, so cached totals are never served stale across processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constraints import between, check_choice, choice_ok, unique_per_organisation
from accounts.fields import organisation_reference, person_reference
from accounts.models import Organisation
from missions.models import (
    Mission,
    MissionPart,
    MissionProject,
    MissionSnapshot,
    OrganisationPart,
    mission_reference,
)
from portfolios.facets import ChangeType, Facet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Portfolio(OrganisationPart):
    """A named selection of missions that a lead curates ("Health missions for the minister")."""

    organisation = organisation_reference("portfolios")
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(1000)]
    )
    missions = models.ManyToManyField(
        Mission, verbose_name=_("missions"), blank=True, related_name="portfolios"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = person_reference(_("created by"))

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["name"]
        constraints = [
            unique_per_organisation("slug", name="portfolios_portfolio_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Initiative(OrganisationPart):
    """One initiative's place on the facet diamond: a mission project's (`project` set), or an
    innovation activity outside any mission (`title` and `budget` set)."""

    organisation = organisation_reference("initiatives")
    project = models.OneToOneField(
        MissionProject,
        verbose_name=_("mission project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="initiative",
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    directionality = models.SmallIntegerField(_("how directed"))
    certainty = models.SmallIntegerField(_("how certain"))
    facet_auto = models.CharField(_("derived facet"), max_length=20, choices=Facet.choices)
    change_type = models.CharField(
        _("type of change"), max_length=20, choices=ChangeType.choices, blank=True
    )
    facet_override = models.CharField(
        _("facet chosen instead"), max_length=20, choices=Facet.choices, blank=True
    )
    override_reason = models.TextField(
        _("why the facet was changed"), blank=True, validators=[MaxLengthValidator(1000)]
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = person_reference(_("changed by"))

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=between("directionality", -2, 2) & between("certainty", -2, 2),
                name="portfolios_initiative_scale",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(title=""),
                name="portfolios_initiative_project_or_title",
            ),
            models.CheckConstraint(
                condition=Q(facet_override="") | ~Q(override_reason=""),
                name="portfolios_initiative_override_has_reason",
            ),
            models.CheckConstraint(
                condition=choice_ok("facet_auto", Facet)
                & choice_ok("facet_override", Facet, blank=True),
                name="portfolios_initiative_facet_valid",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "facet_auto"])]

    def __str__(self) -> str:
        return self.title or str(self.project)

    @property
    def facet(self) -> str:
        return self.facet_override or self.facet_auto


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    PAUSE = "pause", _("Pause")
    STOP = "stop", _("Stop")


DECISION_PAST: dict[str, StrOrPromise] = {
    Decision.APPROVE: _("Approved"),
    Decision.REQUEST_CHANGES: _("Changes requested"),
    Decision.PAUSE: _("Paused"),
    Decision.STOP: _("Stopped"),
}


class ReviewDecision(MissionPart):
    """A lead's decision on a mission, against the snapshot taken when it was made, so anyone
    can see exactly what was approved (or stopped) and what changed since."""

    mission = mission_reference("decisions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comments = models.TextField(_("comments"), blank=True, validators=[MaxLengthValidator(4000)])
    snapshot = models.ForeignKey(
        MissionSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    status_before = models.CharField(_("status before"), max_length=20)
    status_after = models.CharField(_("status after"), max_length=20)
    decided_by = person_reference(_("decided by"), blank=False)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["mission", "-decided_at"])]
        constraints = [
            check_choice("decision", Decision, name="portfolios_decision_valid"),
            models.CheckConstraint(
                condition=~Q(decision="request_changes") | ~Q(comments=""),
                name="portfolios_decision_changes_have_comments",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.mission_id}"

    @property
    def past_label(self) -> str:
        return str(DECISION_PAST.get(self.decision, self.get_decision_display()))


class TsVectorField(models.Field):
    """A PostgreSQL tsvector column. (django.contrib.postgres is not installed; this is the
    little of it we need: the column type and the `matches` lookup below.)"""

    def db_type(self, connection) -> str:
        return "tsvector"


@TsVectorField.register_lookup
class Matches(models.Lookup):
    """`document__matches="words"`: web-search syntax ("quoted phrases", -not, or)."""

    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ websearch_to_tsquery('simple', {rhs})", [*lhs_params, *rhs_params]


class MissionSearch(models.Model):
    """The text a mission is found by, as a tsvector (PostgreSQL full-text search)."""

    mission = models.OneToOneField(
        Mission, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    document = TsVectorField()

    # The GIN index on `document` is created in the migration (RunSQL).

    def __str__(self) -> str:
        return f"search document of mission {self.mission_id}"


class PortfolioStamp(models.Model):
    """Goes up by one whenever a mission of the organisation (or a decision, a facet, a
    portfolio) changes; part of the cache key of the dashboard's totals."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.version}"
