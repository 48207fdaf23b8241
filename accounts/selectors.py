"""Reads for accounts. Every list starts from `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from accounts.models import Membership, Organisation, User


def organisation_for(*, user: User, slug: str) -> Organisation:
    """The organisation with this slug, if the user belongs to it; 404 otherwise, so that other
    organisations' existence is never revealed. Found among the memberships the request reads
    anyway (navigation, permissions): no query of its own."""
    for membership in memberships_of(user):
        if membership.organisation.slug == slug:
            return membership.organisation
    raise Http404


def organisations_with_roles(*, user: User) -> QuerySet[Membership]:
    """The user's memberships, with their organisations, for the home page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def memberships_of(user: User | AnonymousUser) -> list[Membership]:
    """The user's memberships with their organisations, read once per user object; none for an
    anonymous visitor. Each request loads its own user object, so this is one query per request
    that the navigation, the permission rules (`accounts.predicates`) and `organisation_for`
    share."""
    cached: list[Membership] | None = getattr(user, "_lodestar_memberships", None)
    if cached is None:
        cached = list(organisations_with_roles(user=user)) if user.is_authenticated else []
        user._lodestar_memberships = cached  # type: ignore[union-attr]
        user._lodestar_roles = {m.organisation_id: m.role for m in cached}  # type: ignore[union-attr]
    return cached


def member_organisation_ids(user: User) -> list[int] | QuerySet[Membership, Any]:
    """The ids of the user's organisations, for `visible_to` scopes to filter on: the list read
    once per request when the request has read the memberships (every page does, for its
    navigation), else a subquery. Either way the scope is `organisation_id IN (…)`, never a
    join through memberships per row, whose plan depends on fresh planner statistics."""
    cached: list[Membership] | None = getattr(user, "_lodestar_memberships", None)
    if cached is not None:
        return [m.organisation_id for m in cached]
    return Membership.objects.filter(user=user).values("organisation_id")


def memberships_for_request(request: HttpRequest) -> list[Membership]:
    """The signed-in user's memberships, read once per request (navigation and home share it);
    none for an anonymous visitor."""
    return memberships_of(request.user)


def membership_for(request: HttpRequest, *, slug: str) -> Membership:
    """The signed-in user's membership of the organisation with this slug; 404 if none."""
    for membership in memberships_for_request(request):
        if membership.organisation.slug == slug:
            return membership
    raise Http404


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
