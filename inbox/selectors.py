"""Reads for the inbox. A person only ever sees their own notifications, whatever organisation
they came from (a steward's invitation comes from an organisation they do not belong to)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from inbox.models import Delivery, Notification, NotificationPreference
from missions.models import Mission, MissionChange

PAGE_SIZE = 25


def notifications_for(user: User) -> QuerySet[Notification]:
    """`user`'s notifications, newest first. The sentence is built from the row itself, so a
    page of them needs no further queries."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_page(*, user: User, page: int | str | None) -> Page:
    """One page of `user`'s notifications (a page number out of range gives the last page)."""
    return Paginator(notifications_for(user), PAGE_SIZE).get_page(page)


def notification_for(*, user: User, notification_id: int) -> Notification:
    """One of `user`'s notifications, or 404 (someone else's answers the same as none)."""
    return get_object_or_404(Notification, pk=notification_id, recipient=user)


def unread_count(user: User) -> int:
    """How many notifications `user` has not opened: one query, on a partial index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_for(user: User) -> str:
    """How `user` wants to be e-mailed (no choice made yet: immediately)."""
    chosen = (
        NotificationPreference.objects.filter(user=user).values_list("delivery", flat=True).first()
    )
    return chosen or Delivery.IMMEDIATELY


# --- Who is told (one query each, however many people) ------------------------------------------


def _members(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, memberships__organisation_id=organisation_id)


def reviewers_and_leads(organisation_id: int) -> QuerySet[User]:
    """The organisation's reviewers and leads: who reviews and decides on missions."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role__in=[Role.REVIEWER, Role.LEAD],
    )


def owner_and_editors(mission: Mission) -> QuerySet[User]:
    """The mission's owner (the member who started it) and the editors who worked on it (its
    history names them), as long as they are still members of its organisation."""
    worked_on_it = MissionChange.objects.filter(mission=mission, user__isnull=False).values(
        "user_id"
    )
    # One filter() call, so the role and the organisation are those of the same membership.
    return User.objects.filter(
        Q(memberships__organisation_id=mission.organisation_id)
        & (Q(pk=mission.created_by_id) | Q(memberships__role=Role.EDITOR, pk__in=worked_on_it)),
        is_active=True,
    )


def owner_of(mission: Mission) -> QuerySet[User]:
    """The member who started the mission, if they still belong to its organisation."""
    if mission.created_by_id is None:  # their account was deleted
        return User.objects.none()
    return _members(mission.organisation_id).filter(pk=mission.created_by_id)


def members_among(organisation_id: int, user_ids: list[int]) -> QuerySet[User]:
    """Those of `user_ids` who are (still) members of the organisation."""
    return _members(organisation_id).filter(pk__in=user_ids)
