"""The database rules the apps' models share, written once so the same rule reads the same and
builds the same constraint everywhere.

The `check_*` functions return a whole `CheckConstraint` for a rule about one field, and
`unique_per_organisation` a whole `UniqueConstraint` (their names are the model's own, as the
migrations know them); the others return the `Q` condition, for rules that combine several.
Nothing here imports a model, so every app's models, accounts' own included, may use it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Func, Q, Value


def choice_ok(field: str, choices: type[models.Choices], *, blank: bool = False) -> Q:
    """The field holds one of the choices' stored values (or nothing, with `blank`)."""
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


def between(field: str, low: int, high: int) -> Q:
    """The field lies from `low` to `high`, both included."""
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def json_type_is(field: str, json_type: str) -> Q:
    """The jsonb field holds a value of this JSON type ("array", "object", ...)."""
    return Q(models.lookups.Exact(Func(F(field), function="jsonb_typeof"), Value(json_type)))


def is_json_list(field: str) -> Q:
    # ArrayField would need django.contrib.postgres in INSTALLED_APPS; until then these lists
    # are jsonb, and the database still guarantees they are lists.
    return Q(**{f"{field}__isnull": False}) & json_type_is(field, "array")


def unique_per_organisation(field: str, *, name: str) -> models.UniqueConstraint:
    """No two rows of one organisation share `field`: the key or short name a row is addressed
    by (a mission's, an actor's, a portfolio's), or the inputs a stored file is made from."""
    return models.UniqueConstraint(fields=["organisation", field], name=name)


def check_choice(
    field: str, choices: type[models.Choices], *, name: str, blank: bool = False
) -> models.CheckConstraint:
    """A stored value outside the list (written by hand, or by an older release) is refused."""
    return models.CheckConstraint(condition=choice_ok(field, choices, blank=blank), name=name)


def check_filled(field: str, *, name: str) -> models.CheckConstraint:
    """A text that must say something: never the empty string."""
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)


def check_not_negative(field: str, *, name: str) -> models.CheckConstraint:
    """An amount that may be unknown (null) but never below zero."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name=name
    )


def check_order(earlier: str, later: str, *, name: str) -> models.CheckConstraint:
    """`later` is never before `earlier` when both are known (years or dates)."""
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
    )
