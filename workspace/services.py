"""Writes for Home: remembering when a person's visits began."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from workspace.models import Visit
from workspace.selectors import VISIT_GAP


def record_visit(user: User, *, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Note a view of Home; returns when the person's previous visit began (None on the first).
    A view within VISIT_GAP of the last one continues the same visit."""
    now = now or timezone.now()
    with transaction.atomic():
        visit, created = Visit.objects.select_for_update().get_or_create(
            user=user, defaults={"current_at": now}
        )
        if created:
            return None
        if now - visit.current_at >= VISIT_GAP:
            visit.previous_at, visit.current_at = visit.current_at, now
            visit.save(update_fields=["previous_at", "current_at"])
        return visit.previous_at
