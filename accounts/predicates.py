"""Permission predicates over (user, object). Every object a predicate sees belongs to an
organisation, reachable as `obj.organisation`; an Organisation is its own organisation."""

from __future__ import annotations

from typing import Any

import rules

from accounts.models import Role
from accounts.selectors import memberships_of


def roles_by_organisation(user: Any) -> dict[int, str]:
    """The user's role in each of their organisations, read once per user object (per request)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_lodestar_roles", None)
    if cached is None:
        memberships_of(user)  # the same rows the navigation reads, once
        cached = user._lodestar_roles
    return cached


def role_in(user: Any, obj: Any) -> str | None:
    organisation = getattr(obj, "organisation", None)
    if organisation is None:
        return None
    return roles_by_organisation(user).get(organisation.pk)


def has_role(*roles: Role) -> rules.Predicate:
    allowed = {str(role) for role in roles}

    @rules.predicate(name=f"has_role({','.join(sorted(allowed))})")
    def predicate(user: Any, obj: Any = None) -> bool:
        return role_in(user, obj) in allowed

    return predicate


is_member = has_role(*Role)
is_editor = has_role(Role.EDITOR, Role.LEAD, Role.ADMIN)
is_reviewer = has_role(Role.REVIEWER, Role.LEAD, Role.ADMIN)
is_lead = has_role(Role.LEAD, Role.ADMIN)
is_admin = has_role(Role.ADMIN)
