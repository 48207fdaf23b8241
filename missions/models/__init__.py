"""The mission map as data: grand challenges, missions, their targets and milestones, the
portfolio of mission projects, and the outside actors involved.

The tenant is `accounts.Organisation`; the outside organisations and people a mission works with
are `Actor`s, registered once per tenant. Every list query starts from `visible_to(user)`.
Writes go through `missions.services`, which validates, checks permissions and records history.

One module per part, each importing only those below it:

- `base`: the queryset scope, who changed a row, the version, the link from a part to its
  mission (and the base of the models that belong to one), the year range check and the
  validators;
- `choices`: the fixed lists fields choose from;
- `register`: the tenant's actors and grand challenges;
- `mission`: the mission;
- `targets`: targets and their milestones;
- `projects`: the portfolio of projects and their contributions to targets;
- `history`: the history of changes and the named snapshots.

Import from `missions.models`: every model and choice is here, and migrations name the
validators and `PartOfMission` by this path.
"""

from missions.models.base import (
    Audited,
    MissionPart,
    OrganisationPart,
    PartOfMission,
    ScopedQuerySet,
    Versioned,
    check_year,
    mission_reference,
    unique_per_mission,
    validate_sdgs,
    validate_text_list,
)
from missions.models.choices import (
    ActorKind,
    Direction,
    GovernmentLevel,
    Helix,
    Instrument,
    MandateSource,
    MilestoneStatus,
    MissionStatus,
    Origin,
    PolicyDomain,
    ProjectStatus,
    Stage,
    StatementLanguage,
)
from missions.models.history import ChangeAction, MissionChange, MissionSnapshot
from missions.models.mission import Mission
from missions.models.projects import MissionProject, ProjectContribution
from missions.models.register import Actor, GrandChallenge, actor_reference
from missions.models.targets import Milestone, MilestoneQuerySet, Target

__all__ = [
    "Actor",
    "ActorKind",
    "Audited",
    "ChangeAction",
    "Direction",
    "GovernmentLevel",
    "GrandChallenge",
    "Helix",
    "Instrument",
    "MandateSource",
    "Milestone",
    "MilestoneQuerySet",
    "MilestoneStatus",
    "Mission",
    "MissionChange",
    "MissionPart",
    "MissionProject",
    "MissionSnapshot",
    "MissionStatus",
    "OrganisationPart",
    "Origin",
    "PartOfMission",
    "PolicyDomain",
    "ProjectContribution",
    "ProjectStatus",
    "ScopedQuerySet",
    "Stage",
    "StatementLanguage",
    "Target",
    "Versioned",
    "actor_reference",
    "check_year",
    "mission_reference",
    "unique_per_mission",
    "validate_sdgs",
    "validate_text_list",
]
