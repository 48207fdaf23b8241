"""Reads for accounts. Every list starts from `visible_to(user)`."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organisation, User


def organisation_for(*, user: User, slug: str) -> Organisation:
    """The organisation with this slug, if the user belongs to it; 404 otherwise, so that other
    organisations' existence is never revealed."""
    return get_object_or_404(Organisation.objects.visible_to(user), slug=slug)


def organisations_with_roles(*, user: User) -> QuerySet[Membership]:
    """The user's memberships, with their organisations, for the home page."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def memberships_for_request(request: HttpRequest) -> list[Membership]:
    """The signed-in user's memberships, read once per request (navigation and home share it);
    none for an anonymous visitor."""
    cached: list[Membership] | None = getattr(request, "_lodestar_memberships", None)
    if cached is None:
        user = request.user
        cached = list(organisations_with_roles(user=user)) if user.is_authenticated else []
        # Kept on the request itself, so it lives exactly as long as the request.
        request._lodestar_memberships = cached  # type: ignore[attr-defined]
    return cached


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
