"""Who may do what with a mission's public side. Consultations and answers to ideas are parts
of the mission, changed through the kernel with `missions.change_mission` (editors and above)."""

import rules

from accounts.predicates import is_editor, is_lead
from missions.rules import is_archived

# Showing a mission to the public is a decision, as approving it is.
rules.add_perm("participation.publish_mission", is_lead & ~is_archived)
# Moderators: hide and restore what participants sent in, handle reports.
rules.add_perm("participation.moderate", is_editor)
# Banning someone, or vouching that they speak for an organisation, reaches beyond one idea.
rules.add_perm("participation.ban_participant", is_lead)
rules.add_perm("participation.verify_representative", is_lead)
