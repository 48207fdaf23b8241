"""Who may do what on the canvas (django-rules). The object is always the mission."""

import rules

from accounts.predicates import is_editor, is_member, is_reviewer
from missions.rules import is_archived

rules.add_perm("canvas.view_canvas", is_member)
rules.add_perm("canvas.change_box", is_editor & ~is_archived)
# Editors, reviewers, leads and admins comment on boxes; whoever may comment may also resolve
# and reopen a comment. Viewers read the comments.
rules.add_perm("canvas.comment_box", (is_editor | is_reviewer) & ~is_archived)
