"""Reads for review decisions: the mission a lead decides on, what it still lacks for an
approval, the decision log, and the latest decision for the mission pages' header."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from missions.models import Mission
from missions.workflow import TRANSITIONS, Need
from portfolios.models import ReviewDecision


def latest_decision(mission: Mission) -> ReviewDecision | None:
    """For the mission page's header: the last portfolio decision (one query)."""
    return (
        ReviewDecision.objects.filter(mission=mission)
        .select_related("decided_by", "snapshot")
        .defer("snapshot__document")
        .order_by("-decided_at", "-pk")
        .first()
    )


def decisions(
    *, user: User, organisation: Organisation, mission: Mission | None = None
) -> QuerySet[ReviewDecision]:
    """The decision log, newest first."""
    log = (
        ReviewDecision.objects.visible_to(user)
        .filter(mission__organisation=organisation)
        .select_related("mission", "decided_by", "snapshot")
        .defer("snapshot__document")
        .order_by("-decided_at", "-pk")
    )
    if mission is not None:
        log = log.filter(mission=mission)
    return log


def approval_needs(*, mission: Mission) -> list[Need]:
    """What `mission` still lacks for a lead's approval to succeed, each with where it is fixed;
    empty when approving would succeed (or takes no workflow step, the mission not being
    proposed). The decision page offers "Approve" only when this is empty, and
    `services.decision_record` refuses an approval with these same sentences."""
    step = TRANSITIONS["approve"]
    return step.needs(mission) if mission.status in step.sources else []


def mission_for_decision(*, user: User, organisation: Organisation, key: str) -> Mission:
    return get_object_or_404(
        Mission.objects.visible_to(user)
        .select_related("organisation", "challenge", "owner")
        .prefetch_related("targets"),
        organisation=organisation,
        key=key,
    )
