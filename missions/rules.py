"""Named permissions for missions, their parts and the actor register (django-rules).

The object passed to a mission permission is the mission; for its parts (targets, milestones,
projects) the services pass the mission too, so one rule decides. Organisation-level
permissions (add a mission, import, manage actors) take the organisation.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.predicates import is_editor, is_lead, is_member, is_reviewer


@rules.predicate
def is_archived(user: Any, obj: Any = None) -> bool:
    mission = getattr(obj, "mission", None)
    return mission is not None and mission.archived_at is not None


@rules.predicate
def is_draft(user: Any, obj: Any = None) -> bool:
    mission = getattr(obj, "mission", None)
    return mission is not None and mission.status == "draft"


# Reading
rules.add_perm("missions.view_mission", is_member)
rules.add_perm("missions.view_actor", is_member)
rules.add_perm("missions.export_missions", is_member)

# Writing content: editors and above, never on an archived mission (restore it first).
rules.add_perm("missions.add_mission", is_editor)
rules.add_perm("missions.change_mission", is_editor & ~is_archived)
rules.add_perm("missions.change_actor", is_editor)

# Workflow: editors put a mission forward (or take it back); leads decide.
rules.add_perm("missions.propose_mission", is_editor & ~is_archived)
for action in ("approve", "activate", "review", "pause", "complete", "retire"):
    rules.add_perm(f"missions.{action}_mission", is_lead & ~is_archived)

# Archive instead of delete; only drafts can really be deleted.
rules.add_perm("missions.archive_mission", is_lead & ~is_archived)
rules.add_perm("missions.restore_mission", is_lead & is_archived)
rules.add_perm("missions.delete_mission", is_editor & is_draft)

# An import can set any status, bypassing the workflow, so it is a lead's decision.
rules.add_perm("missions.import_missions", is_lead)

# Snapshots copy the mission as it is; reviewers take them too (what they reviewed).
rules.add_perm("missions.take_snapshot", is_editor | is_reviewer)
