"""Named permissions for the criteria engine (django-rules). Every object passed is a mission;
another organisation's members match no predicate, and the views answer them 404 before this."""

from __future__ import annotations

import rules

from accounts.predicates import is_editor, is_member, is_reviewer
from missions.rules import is_archived

rules.add_perm("evaluation.view_assessment", is_member)
# Asking for a fresh assessment changes nothing but the queue: anyone who works on the mission.
rules.add_perm("evaluation.request_assessment", (is_editor | is_reviewer) & ~is_archived)
# Acknowledging or dismissing a warning is the mission team's or a reviewer's call.
rules.add_perm("evaluation.decide_finding", (is_editor | is_reviewer) & ~is_archived)
# Verdicts are human judgement by reviewers, leads and administrators only.
rules.add_perm("evaluation.record_verdict", is_reviewer & ~is_archived)
# The readiness check is advice the mission team takes (on the organisation before a mission
# exists, or on the mission); the go/no-go review is reviewers' judgement, like verdicts.
rules.add_perm("evaluation.take_readiness_check", is_editor & ~is_archived)
rules.add_perm("evaluation.record_gonogo", is_reviewer & ~is_archived)
# Indicators and their measurements: members read; editors and above write.
rules.add_perm("evaluation.view_indicators", is_member)
rules.add_perm("evaluation.change_indicators", is_editor & ~is_archived)
# Reviews are recorded by the mission team or reviewers, and never changed afterwards.
rules.add_perm("evaluation.record_review", (is_editor | is_reviewer) & ~is_archived)
