"""Reads for the public side of a mission: what anonymous visitors and participants see (only
live publications, only ideas that are not hidden), and what staff see (everything of their
organisation's missions, starting from `visible_to`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from missions.models import Mission
from participation.models import (
    Answer,
    Comment,
    Consultation,
    Idea,
    Participant,
    Publication,
    Report,
)

# --- Public --------------------------------------------------------------------------------


def published() -> QuerySet[Publication]:
    """Every live public page, for the public index."""
    return (
        Publication.objects.filter(withdrawn_at__isnull=True, mission__archived_at__isnull=True)
        .select_related("mission__organisation")
        .order_by("mission__title", "pk")
    )


def publication(org_slug: str, mission_key: str) -> Publication:
    """A live public page, or 404: a mission nobody published does not exist for the public."""
    found = (
        published().filter(mission__organisation__slug=org_slug, mission__key=mission_key).first()
    )
    if found is None:
        raise Http404
    return found


def _counted(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    return ideas.annotate(
        support_count=Count("supports", distinct=True),
        comment_count=Count("comments", filter=Q(comments__hidden_at=None), distinct=True),
    )


def public_consultations(mission: Mission) -> list[Consultation]:
    return list(
        Consultation.objects.filter(mission=mission).annotate(
            idea_count=Count("ideas", filter=Q(ideas__hidden_at=None))
        )
    )


def public_consultation(mission: Mission, key: str) -> Consultation:
    found = Consultation.objects.filter(mission=mission, key=key).first()
    if found is None:
        raise Http404
    return found


def public_ideas(consultation: Consultation) -> list[Idea]:
    return list(
        _counted(consultation.ideas.filter(hidden_at=None))
        .select_related("project")
        .order_by(F("support_count").desc(), "number")
    )


def public_idea(consultation: Consultation, number: int) -> Idea:
    """An idea's public page. A hidden idea is gone for the public, but its author (who was
    told why) may still open it."""
    found = (
        _counted(consultation.ideas.filter(number=number))
        .select_related("project", "merged_into", "participant")
        .first()
    )
    if found is None:
        raise Http404
    found.consultation = consultation
    return found


def public_comments(idea: Idea) -> list[Comment]:
    return list(idea.comments.filter(hidden_at=None))


def you_said_we_did(mission: Mission) -> list[Idea]:
    """The ideas answered so far, newest answer first, with what came of them."""
    return list(
        Idea.objects.filter(mission=mission, hidden_at=None)
        .exclude(answer=Answer.PENDING)
        .select_related("consultation", "project", "merged_into")
        .order_by("-responded_at", "pk")
    )


def supported_by(participant: Participant | None, ideas: list[Idea]) -> set[int]:
    if participant is None or not ideas:
        return set()
    return set(participant.supports.filter(idea__in=ideas).values_list("idea_id", flat=True))


# --- Staff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    ideas: int
    participants: int
    answered: int
    open_reports: int


def mission_publication(mission: Mission) -> Publication | None:
    return Publication.objects.filter(mission=mission).first()


def mission_consultations(mission: Mission) -> list[ConsultationRow]:
    rows = Consultation.objects.filter(mission=mission).annotate(
        idea_total=Count("ideas", distinct=True),
        participant_total=Count("ideas__participant", distinct=True),
        answered_total=Count("ideas", filter=~Q(ideas__answer=Answer.PENDING), distinct=True),
        report_total=Count(
            "ideas__reports", filter=Q(ideas__reports__handled_at=None), distinct=True
        ),
    )
    return [
        ConsultationRow(
            c,
            c.idea_total,
            c.participant_total,
            c.answered_total,
            c.report_total,
        )
        for c in rows
    ]


def consultation_of(mission: Mission, key: str) -> Consultation:
    found = Consultation.objects.filter(mission=mission, key=key).first()
    if found is None:
        raise Http404
    found.mission = mission
    return found


STATUS_FILTERS = {
    "pending": Q(answer=Answer.PENDING, hidden_at=None),
    "answered": ~Q(answer=Answer.PENDING) & Q(hidden_at=None),
    "hidden": Q(hidden_at__isnull=False),
    "reported": Q(Exists(Report.objects.filter(idea=OuterRef("pk"), handled_at=None))),
}


def staff_ideas(
    consultation: Consultation, *, theme: str = "", place: str = "", status: str = ""
) -> list[Idea]:
    """Every idea of the consultation, hidden ones too, with filters by theme, place (any part
    of it) and status."""
    ideas = consultation.ideas.all()
    if theme:
        ideas = ideas.filter(theme=theme)
    if place:
        ideas = ideas.filter(place__icontains=place)
    if status in STATUS_FILTERS:
        ideas = ideas.filter(STATUS_FILTERS[status])
    found: list[Idea] = list(
        _counted(ideas)
        .annotate(open_reports=Count("reports", filter=Q(reports__handled_at=None), distinct=True))
        .select_related("participant", "project", "merged_into")
        .order_by("number")
    )
    for idea in found:
        idea.consultation = consultation
    return found


def staff_idea(consultation: Consultation, number: int) -> Idea:
    found = (
        _counted(consultation.ideas.filter(number=number))
        .select_related("participant", "project", "merged_into")
        .first()
    )
    if found is None:
        raise Http404
    found.consultation = consultation
    return found


def open_reports(idea: Idea) -> list[Report]:
    return list(idea.reports.filter(handled_at=None).select_related("comment"))


def moderation_queue(user: User, organisation_id: int) -> list[Report]:
    """Reports nobody has handled yet, on the organisation's missions."""
    return list(
        Report.objects.filter(
            handled_at=None,
            idea__mission__organisation_id=organisation_id,
            idea__mission__in=Mission.objects.visible_to(user),
        )
        .select_related("idea__consultation", "idea__mission", "comment")
        .order_by("created_at", "pk")
    )


def participant_data(participant: Participant) -> dict[str, Any]:
    """Everything held about a participant, for them to download."""
    return {
        "email": participant.email,
        "display_name": participant.display_name,
        "organisation": participant.organisation_name,
        "organisation_verified": participant.organisation_verified_at is not None,
        "signed_up": participant.created_at.isoformat(),
        "confirmed": participant.confirmed_at.isoformat() if participant.confirmed_at else None,
        "ideas": [
            {
                "consultation": idea.consultation.title,
                "title": idea.title,
                "text": idea.body,
                "place": idea.place,
                "theme": idea.theme,
                "sent_in": idea.created_at.isoformat(),
                "hidden_because": idea.hidden_reason,
                "answer": idea.get_answer_display(),
                "response": idea.response,
            }
            for idea in participant.ideas.select_related("consultation").order_by("pk")
        ],
        "comments": [
            {"idea": c.idea.title, "text": c.body, "written": c.created_at.isoformat()}
            for c in participant.comments.select_related("idea").order_by("pk")
        ],
        "supported": [
            s.idea.title for s in participant.supports.select_related("idea").order_by("pk")
        ],
    }


def organisation_publications(user: User, organisation_id: int) -> list[Publication]:
    """The organisation's public pages, live or withdrawn, for its participation page."""
    return list(
        Publication.objects.filter(
            mission__organisation_id=organisation_id,
            mission__in=Mission.objects.visible_to(user),
        )
        .select_related("mission__organisation")
        .order_by("mission__title")
    )
