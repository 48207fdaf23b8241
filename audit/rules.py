"""Who may read the audit trail.

A mission's trail: leads and administrators, who answer for the mission, and reviewers, whose
job is to check how it was run (who dismissed which warning, who changed a target after a
review) and who cannot change anything they read there. Editors and viewers see the mission's
history page instead. The organisation's trail (roles, sign-ins, downloads, every mission):
administrators only, as it shows every member's activity.
"""

import rules

from accounts.predicates import is_admin, is_lead, is_reviewer

rules.add_perm("audit.view_mission_audit", is_lead | is_reviewer)
rules.add_perm("audit.view_organisation_audit", is_admin)
