"""The links every app's models make to a person, to an organisation, or optionally to another
row, defined once.

A field built here is an ordinary Django field: it deconstructs exactly as the same field
written out by hand, so using these changes no migration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise


def person_reference(
    verbose_name: StrOrPromise, *, blank: bool = True
) -> models.ForeignKey[User | Combinable | None, User | None]:
    """Who did something to a row (created, changed, decided, recorded it). The row outlives the
    person's account: deleting the account leaves the field empty. No reverse accessor: nobody
    asks a person for every row they touched. `blank=False` where a row is always someone's act
    (a verdict, a decision), so validation asks for one, though the column empties if their account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
    )


def organisation_reference(
    related_name: str,
) -> models.ForeignKey[Organisation | Combinable, Organisation]:
    """The organisation (tenant) a row belongs to, and goes with when it is deleted."""
    return models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


def optional_link(
    to: type[models.Model] | str,
    verbose_name: StrOrPromise,
    *,
    on_delete: Callable[..., None],
    related_name: str = "+",
) -> models.ForeignKey[Any, Any]:
    """A link a row may have or not: a comment's parent, the project a step belongs to, the
    token a value came through. `on_delete` says what the row does when the other goes."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
    )
