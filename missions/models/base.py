"""What every mission model shares: the organisation scope of its queries, who created and
changed a row, the version that guards against lost updates, the link to the mission a part
belongs to (and the rule that a part's key is unique within it), and the year range
constraints and validators of several models are built from (the rules every app shares are in
`accounts.constraints`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Self, overload

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import person_reference
from accounts.selectors import member_organisation_ids
from missions import validation
from missions.validation import YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from accounts.models import Organisation, User
    from missions.models.mission import Mission


def year_ok(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}
    )


def check_year(field: str, *, name: str) -> models.CheckConstraint:
    """A year Lodestar accepts (validation.YEAR_MIN to YEAR_MAX), or none yet."""
    return models.CheckConstraint(condition=year_ok(field), name=name)


def validate_sdgs(value: Any) -> None:
    if not isinstance(value, list) or not all(
        isinstance(goal, int) and not isinstance(goal, bool) for goal in value
    ):
        raise ValidationError(_("List the goals as whole numbers from 1 to 17."))
    problems = validation.sdg_problems("sdgs", value)
    if problems:
        raise ValidationError(problems[0][1])


def validate_text_list(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationError(_("Give a list of names."))
    if any(len(item) > 80 for item in value):
        raise ValidationError(_("Keep each name under 80 characters."))


@overload
def mission_reference(
    related_name: str, *, optional: Literal[False] = False
) -> models.ForeignKey[Mission | Combinable, Mission]: ...
@overload
def mission_reference(
    related_name: str, *, optional: Literal[True]
) -> models.ForeignKey[Mission | Combinable | None, Mission | None]: ...
def mission_reference(related_name: str, *, optional: bool = False) -> models.ForeignKey[Any, Any]:
    """The mission a row belongs to (a target, a project, a stakeholder, a warning...), or with
    `optional` may belong to (a readiness check taken before any mission, a notification): the
    row goes when the mission is deleted."""
    return models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        null=optional,
        blank=optional,
        related_name=related_name,
    )


def unique_per_mission(field: str, *, name: str) -> models.UniqueConstraint:
    """No two parts of one mission share `field`: the key a part is addressed and exported by
    (a target's, a stakeholder's, a canvas box's), or a name people pick it by (a snapshot's)."""
    return models.UniqueConstraint(fields=["mission", field], name=name)


class PartOfMission:
    """For models with a `mission` foreign key: they belong to the mission's organisation, which
    is what permission predicates (`accounts.predicates`) read as `obj.organisation`.
    `MissionPart` is this with the queries' scope (`visible_to`) as well."""

    # Declared for the type checker only: each model defines the foreign key itself (most with
    # `mission_reference`), since each names its own reverse accessor.
    mission: Mission

    @property
    def organisation(self) -> Organisation:
        return self.mission.organisation


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its model to the owning organisation."""

    organisation_path = "organisation"

    def visible_to(self, user: User) -> Self:
        """The only starting point for lists: rows of organisations the user is a member of."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(**{f"{self.organisation_path}_id__in": member_organisation_ids(user)})


class OrganisationPart(models.Model):
    """A model whose rows belong to one organisation (its missions, its registers, its
    portfolios): the queries that list it start from `visible_to`."""

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class MissionPartQuerySet(ScopedQuerySet):
    """The rows of a model that belongs to a mission: scoped through the mission's organisation."""

    organisation_path = "mission__organisation"


class MissionPart(PartOfMission, models.Model):
    """A model that belongs to a mission: its organisation is the mission's, for permission
    predicates and for the queries that list it (`visible_to`)."""

    objects = MissionPartQuerySet.as_manager()

    class Meta:
        abstract = True


class Audited(models.Model):
    """Who created a row and when, and who last changed it."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = person_reference(_("created by"))
    updated_by = person_reference(_("changed by"))

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A row whose `version` goes up by one on every save, for optimistic concurrency: a page
    sends back the version it showed, and the service refuses to save over a newer one."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)
