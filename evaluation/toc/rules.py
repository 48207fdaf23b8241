"""Permissions on a mission's theory of change (django-rules; the object is the mission).
Members read it; editors, leads and administrators change it while the mission is not
archived. Another organisation's members match nothing, and the views answer them 404."""

from __future__ import annotations

import rules

from accounts.predicates import is_editor, is_member
from missions.rules import is_archived

rules.add_perm("evaluation.view_toc", is_member)
rules.add_perm("evaluation.change_toc", is_editor & ~is_archived)
