"""The mission status workflow as a table: which transitions exist, where each may start, who may
take it, and what the mission must have first.

draft → proposed → approved → active ⇄ under_review → completed / retired; approved, active
and under_review may be paused, and a paused mission resumes where it was (or is activated).

Requirements are plain functions `(mission) -> [Need]`: each unmet requirement in plain words,
with the part of the mission that fixes it. A page shows them as a task list ("what this mission
needs to be approved", each item linked to where it is fixed) and the service refuses with the
same sentences. They read `mission.targets.all()`, which a prefetch makes free.
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


@dataclass(frozen=True)
class Need:
    """One unmet requirement: what to do, and where. `part` is a group of the mission's overview
    ("basics", "governance") with the `field` to fill in, "targets" (add a target) or "target"
    (the headline target `target_key`, which lacks something)."""

    message: str
    part: str
    field: str = ""
    target_key: str = ""

    def __str__(self) -> str:
        return self.message


Requirement = Callable[["Mission"], list[Need]]

S = MissionStatus


def needs_statement(mission: Mission) -> list[Need]:
    if not mission.statement.strip():
        return [
            Need(
                _("Write the mission statement: what will be true, for whom, and by when."),
                "basics",
                "statement",
            )
        ]
    return []


def needs_deadline(mission: Mission) -> list[Need]:
    if not mission.deadline_year:
        return [
            Need(
                _("Set the deadline year by which the mission should be achieved."),
                "basics",
                "deadline_year",
            )
        ]
    return []


def needs_measurable_headline_target(mission: Mission) -> list[Need]:
    headline = [target for target in mission.targets.all() if target.is_headline]
    if not headline:
        return [
            Need(
                _(
                    "Add at least one headline target with a baseline and a target value, "
                    "or a yes/no success condition."
                ),
                "targets",
            )
        ]
    gaps = [(target, target.headline_gaps()) for target in headline]
    if all(target_gaps for _target, target_gaps in gaps):
        # Only ask for what is missing when no headline target is complete yet.
        return [
            Need(message, "target", target_key=target.key)
            for target, target_gaps in gaps
            for message in target_gaps
        ]
    return []


def needs_mandate(mission: Mission) -> list[Need]:
    unmet = []
    if mission.mandate_source in (MandateSource.NOT_RECORDED, MandateSource.NONE):
        unmet.append(
            Need(
                _("Record where the mandate comes from (for example a cabinet decision)."),
                "governance",
                "mandate_source",
            )
        )
    if not mission.mandate_reference.strip():
        unmet.append(
            Need(
                _("Give the mandate's reference, so others can look the decision up."),
                "governance",
                "mandate_reference",
            )
        )
    if mission.mandate_date is None:
        unmet.append(
            Need(_("Give the date of the mandate decision."), "governance", "mandate_date")
        )
    return unmet


def needs_start_year(mission: Mission) -> list[Need]:
    if not mission.start_year:
        return [Need(_("Set the year the mission starts."), "basics", "start_year")]
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

    def needs(self, mission: Mission) -> list[Need]:
        """The requirements `mission` does not meet yet, each with where it is fixed."""
        return [need for requirement in self.requirements for need in requirement(mission)]

    def unmet(self, mission: Mission) -> list[str]:
        """The same, as the sentences a refusal gives."""
        return [need.message for need in self.needs(mission)]


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
    needs: list[Need]

    @property
    def unmet(self) -> list[str]:
        return [need.message for need in self.needs]

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
            needs=t.needs(mission),
        )
        for t in TRANSITIONS.values()
        if mission.status in t.sources
    ]
