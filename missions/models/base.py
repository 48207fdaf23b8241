"""What every mission model shares: the organisation scope of its queries, who created and
changed a row, the version that guards against lost updates, and the checks the database
constraints and validators of several models are built from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from missions import validation
from missions.validation import YEAR_MAX, YEAR_MIN

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from missions.models.mission import Mission


def year_ok(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}
    )


def not_negative(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})


def is_json_list(field: str) -> Q:
    # ArrayField would need django.contrib.postgres in INSTALLED_APPS; until then these lists
    # are jsonb, and the database still guarantees they are lists.
    return Q(**{f"{field}__isnull": False}) & Q(
        models.lookups.Exact(Func(F(field), function="jsonb_typeof"), Value("array"))
    )


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


def choice_ok(field: str, choices: type[models.TextChoices], *, blank: bool = False) -> Q:
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


class PartOfMission:
    """For models with a `mission` foreign key: they belong to the mission's organisation, which
    is what permission predicates (`accounts.predicates`) read as `obj.organisation`."""

    # Declared for the type checker only: each model defines the foreign key itself.
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
        # One membership per (user, organisation), so this join never duplicates rows.
        return self.filter(**{f"{self.organisation_path}__memberships__user": user})


class Audited(models.Model):
    """Who created a row and when, and who last changed it."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

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
