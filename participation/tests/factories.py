from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from accounts.models import User
from missions.models import Mission
from participation import services
from participation.models import Consultation, Participant

_numbers = itertools.count(1)


def published_consultation(mission: Mission, lead: User, **fields: object) -> Consultation:
    """The mission published, with a consultation open today."""
    services.publish(by=lead, mission=mission, introduction="Why it matters.")
    today = timezone.localdate()
    values = {
        "purpose": "The ideas shape the next call for projects.",
        "decision_by": today + datetime.timedelta(days=60),
        "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=30),
        "questions": "What would help most?",
        "themes": "Food\nMobility",
        **fields,
    }
    return services.consultation_create(
        by=lead, mission=mission, title=f"Consultation {next(_numbers)}", **values
    )


def participant(*, confirmed: bool = True, days_old: int = 10, **fields: object) -> Participant:
    number = next(_numbers)
    values = {
        "email": f"person{number}@example.org",
        "display_name": f"Person {number}",
        "confirmed_at": timezone.now() if confirmed else None,
        **fields,
    }
    made = Participant.objects.create(**values)
    # Older than a day: the limits for new accounts do not apply unless asked.
    Participant.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    made.refresh_from_db()
    return made
