"""Who is taking part in this request: a participant signed in by an e-mailed link, kept in the
session apart from staff's sign-in (a participant is never a `User`)."""

from __future__ import annotations

from django.http import HttpRequest

from participation.models import Participant

SESSION_KEY = "participation.participant"
_CACHED = "_participant"


def current_participant(request: HttpRequest) -> Participant | None:
    if not hasattr(request, _CACHED):
        participant_id = request.session.get(SESSION_KEY)
        found = Participant.objects.filter(pk=participant_id).first() if participant_id else None
        setattr(request, _CACHED, found)
    return getattr(request, _CACHED)


def has_participant(request: HttpRequest) -> bool:
    """Cheap: whether the session says so, without reading the participant."""
    return bool(getattr(request, "session", None) and request.session.get(SESSION_KEY))


def sign_in(request: HttpRequest, participant: Participant) -> None:
    # A new session key on signing in, against session fixation, as Django's own login does.
    request.session.cycle_key()
    request.session[SESSION_KEY] = participant.pk
    setattr(request, _CACHED, participant)


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    setattr(request, _CACHED, None)
