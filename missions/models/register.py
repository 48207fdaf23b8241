"""The tenant's registers that missions refer to: the outside actors and the grand
challenges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice, is_json_list, unique_per_organisation
from accounts.fields import organisation_reference
from missions import validation
from missions.models.base import Audited, OrganisationPart, validate_sdgs
from missions.models.choices import ActorKind, GovernmentLevel, Helix

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


class Actor(OrganisationPart, Audited):
    """An outside organisation or person a mission works with: a ministry that owns it, an agency
    that coordinates it, a project lead or partner. One registry per tenant, so the same actor is
    recognised across missions."""

    organisation = organisation_reference("actors")
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    helix = models.CharField(_("helix"), max_length=20, choices=Helix.choices)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActorKind.choices, default=ActorKind.ORGANISATION
    )
    government_level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices, blank=True
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Two-letter ISO code, e.g. NL.")
    )

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            unique_per_organisation("key", name="missions_actor_key_unique"),
            models.UniqueConstraint(
                "organisation", Lower("name"), name="missions_actor_name_ci_unique"
            ),
            check_choice("helix", Helix, name="missions_actor_helix_valid"),
            check_choice("kind", ActorKind, name="missions_actor_kind_valid"),
            check_choice(
                "government_level",
                GovernmentLevel,
                blank=True,
                name="missions_actor_government_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="missions_actor_country_iso",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.country and not (len(self.country) == 2 and self.country.isupper()):
            raise ValidationError(
                {"country": _("Use a two-letter country code in capitals, such as NL or SE.")}
            )


def actor_reference(
    verbose_name: StrOrPromise, related_name: str
) -> models.ForeignKey[Actor | Combinable | None, Actor | None]:
    """An actor of the organisation's register that a row may name (a mission's owner, a
    project's lead, a stakeholder). An actor something still names cannot be deleted."""
    return models.ForeignKey(
        Actor,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


class GrandChallenge(OrganisationPart, Audited):
    """A broad societal problem, too wide to direct innovation by itself (the first column of
    the mission map). Missions are concrete, measurable steps towards solving it."""

    organisation = organisation_reference("challenges")
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sdgs = models.JSONField(
        _("Sustainable Development Goals"), default=list, blank=True, validators=[validate_sdgs]
    )

    class Meta:
        verbose_name = _("grand challenge")
        verbose_name_plural = _("grand challenges")
        ordering = ["title"]
        constraints = [
            unique_per_organisation("key", name="missions_challenge_key_unique"),
            models.CheckConstraint(
                condition=is_json_list("sdgs") & Q(sdgs__contained_by=list(range(1, 18))),
                name="missions_challenge_sdgs_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        problems = validation.sdg_problems("sdgs", self.sdgs)
        if problems:
            raise ValidationError(validation.as_error_dict(problems))
