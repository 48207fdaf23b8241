"""The mission status workflow as a table: which transitions exist, where each may start, who may
take it, and what the mission must have first.

draft → proposed → approved → active ⇄ under_review → completed / retired; approved, active
and under_review may be paused, and a paused mission resumes where it was (or is activated).

Requirements are plain functions `(mission) -> [unmet requirement in plain words]`, so a page can
show them as a task list ("what this mission needs to be approved") and the service can refuse
with the same sentences. They read `mission.targets.all()`, which a prefetch makes free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.models import MandateSource, MissionStatus

if TYPE_CHECKING:
    from accounts.models import User
    from missions.models import Mission

Requirement = Callable[["Mission"], list[str]]

S = MissionStatus


def needs_statement(mission: Mission) -> list[str]:
    if not mission.statement.strip():
        return [_("Write the mission statement: what will be true, for whom, and by when.")]
    return []


def needs_deadline(mission: Mission) -> list[str]:
    if not mission.deadline_year:
        return [_("Set the deadline year by which the mission should be achieved.")]
    return []


def needs_measurable_headline_target(mission: Mission) -> list[str]:
    headline = [target for target in mission.targets.all() if target.is_headline]
    if not headline:
        return [
            _(
                "Add at least one headline target with a baseline and a target value, "
                "or a yes/no success condition."
            )
        ]
    gaps = [target.headline_gaps() for target in headline]
    if all(gaps):
        # Only ask for what is missing when no headline target is complete yet.
        return [message for target_gaps in gaps for message in target_gaps]
    return []


def needs_mandate(mission: Mission) -> list[str]:
    unmet = []
    if mission.mandate_source == MandateSource.NONE:
        unmet.append(_("Record where the mandate comes from (for example a cabinet decision)."))
    if not mission.mandate_reference.strip():
        unmet.append(_("Give the mandate's reference, so others can look the decision up."))
    if mission.mandate_date is None:
        unmet.append(_("Give the date of the mandate decision."))
    return unmet


def needs_start_year(mission: Mission) -> list[str]:
    if not mission.start_year:
        return [_("Set the year the mission starts.")]
    return []


@dataclass(frozen=True)
class Transition:
    """One step of the workflow. `target is None` means "back to the status it was paused in"."""

    name: str
    label: Promise
    sources: tuple[str, ...]
    target: str | None
    permission: str
    requirements: tuple[Requirement, ...] = field(default=())

    def target_for(self, mission: Mission) -> str:
        return self.target or mission.paused_from or S.ACTIVE

    def unmet(self, mission: Mission) -> list[str]:
        return [message for requirement in self.requirements for message in requirement(mission)]


PROPOSAL = (needs_statement, needs_deadline, needs_measurable_headline_target)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "propose",
            gettext_lazy("Propose for approval"),
            (S.DRAFT,),
            S.PROPOSED,
            "missions.propose_mission",
            PROPOSAL,
        ),
        Transition(
            "withdraw",
            gettext_lazy("Return to draft"),
            (S.PROPOSED,),
            S.DRAFT,
            "missions.propose_mission",
        ),
        Transition(
            "approve",
            gettext_lazy("Approve"),
            (S.PROPOSED,),
            S.APPROVED,
            "missions.approve_mission",
            (*PROPOSAL, needs_mandate),
        ),
        Transition(
            "activate",
            gettext_lazy("Start the mission"),
            (S.APPROVED, S.PAUSED),
            S.ACTIVE,
            "missions.activate_mission",
            (needs_start_year,),
        ),
        Transition(
            "start_review",
            gettext_lazy("Start a review"),
            (S.ACTIVE,),
            S.UNDER_REVIEW,
            "missions.review_mission",
        ),
        Transition(
            "end_review",
            gettext_lazy("Close the review and continue"),
            (S.UNDER_REVIEW,),
            S.ACTIVE,
            "missions.review_mission",
        ),
        Transition(
            "pause",
            gettext_lazy("Pause"),
            (S.APPROVED, S.ACTIVE, S.UNDER_REVIEW),
            S.PAUSED,
            "missions.pause_mission",
        ),
        Transition(
            "resume",
            gettext_lazy("Resume where it was paused"),
            (S.PAUSED,),
            None,
            "missions.pause_mission",
        ),
        Transition(
            "complete",
            gettext_lazy("Mark as completed"),
            (S.ACTIVE, S.UNDER_REVIEW),
            S.COMPLETED,
            "missions.complete_mission",
        ),
        Transition(
            "retire",
            gettext_lazy("Retire"),
            (S.PROPOSED, S.APPROVED, S.ACTIVE, S.UNDER_REVIEW, S.PAUSED),
            S.RETIRED,
            "missions.retire_mission",
        ),
    ]
}


@dataclass(frozen=True)
class TransitionOption:
    """A transition as a page shows it: may this user take it, and what is still missing."""

    name: str
    label: str
    target: str
    allowed: bool
    unmet: list[str]

    @property
    def ready(self) -> bool:
        """The user may take it and nothing is missing."""
        return self.allowed and not self.unmet


def transitions_for(*, mission: Mission, user: User) -> list[TransitionOption]:
    """The transitions that start from the mission's current status, each with whether `user`
    may take it and the requirements still unmet. Empty for an archived mission."""
    if mission.archived_at is not None:
        return []
    return [
        TransitionOption(
            name=t.name,
            label=str(t.label),
            target=t.target_for(mission),
            allowed=user.has_perm(t.permission, mission),
            unmet=t.unmet(mission),
        )
        for t in TRANSITIONS.values()
        if mission.status in t.sources
    ]
