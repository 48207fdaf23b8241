"""The sections of an organisation: its primary navigation and its landing page.

Each app registers the sections it owns in its AppConfig.ready() (missions: Missions, Actors,
Import; portfolios: Portfolio; documents: Documents), so the navigation and the organisation
page list every place a member may go without accounts importing the apps above it. A section
names the roles that see it; its `summary` says in words what is there ("12 missions"), with
one query, on the landing page only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import Membership, Organisation, Role

EVERY_ROLE = frozenset(Role.values)
LEADS = frozenset({Role.LEAD, Role.ADMIN})


@dataclass(frozen=True)
class OrganisationSection:
    key: str
    label: str | Promise
    url_name: str  # reversed with the organisation's slug as `org_slug`
    order: int
    description: str | Promise = ""
    roles: frozenset[str] = EVERY_ROLE
    # The roles that see it in the primary navigation too (None: the same as `roles`; empty:
    # only on the organisation's landing page).
    navigation_roles: frozenset[str] | None = None
    # "12 missions": what is there, for the landing page (one query).
    summary: Callable[[Organisation], str] | None = field(default=None, compare=False)
    # The URL names (namespace:name, or a whole namespace as "namespace:") that count as inside
    # this section, for marking it current in the navigation.
    covers: tuple[str, ...] = ()

    def url(self, organisation: Organisation) -> str:
        return reverse(self.url_name, kwargs={"org_slug": organisation.slug})

    def in_navigation_for(self, role: str) -> bool:
        roles = self.roles if self.navigation_roles is None else self.navigation_roles
        return role in roles

    def match(self, view_name: str) -> int:
        """How closely the page `view_name` belongs here: 2 named, 1 by namespace, 0 not."""
        if view_name == self.url_name or view_name in self.covers:
            return 2
        if any(cover.endswith(":") and view_name.startswith(cover) for cover in self.covers):
            return 1
        return 0


_sections: dict[str, OrganisationSection] = {}


def register_organisation_section(section: OrganisationSection) -> None:
    """Registering a key again replaces it (AppConfig.ready may run more than once in tests)."""
    _sections[section.key] = section


def sections_for(membership: Membership) -> list[OrganisationSection]:
    """The sections this member's role sees, in order."""
    return sorted(
        (s for s in _sections.values() if membership.role in s.roles),
        key=lambda s: (s.order, s.key),
    )


def navigation_for(membership: Membership, view_name: str) -> list[dict[str, Any]]:
    """The primary navigation of the member's organisation, the current section marked."""
    sections = [s for s in sections_for(membership) if s.in_navigation_for(membership.role)]
    best = max((s.match(view_name) for s in sections), default=0)
    current = next((s for s in sections if best and s.match(view_name) == best), None)
    return [
        {"section": s, "url": s.url(membership.organisation), "active": s is current}
        for s in sections
    ]


def landing_entries(membership: Membership) -> list[dict[str, Any]]:
    """The organisation page's entries: each section with its link and what it holds."""
    organisation = membership.organisation
    return [
        {
            "section": section,
            "url": section.url(organisation),
            "summary": section.summary(organisation) if section.summary else "",
        }
        for section in sections_for(membership)
    ]
