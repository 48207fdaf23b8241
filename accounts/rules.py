"""Named permissions for organisations and memberships (django-rules)."""

import rules

from accounts.predicates import is_admin, is_member

rules.add_perm("accounts.view_organisation", is_member)
rules.add_perm("accounts.view_members", is_member)
rules.add_perm("accounts.manage_members", is_admin)
rules.add_perm("accounts.change_organisation", is_admin)
