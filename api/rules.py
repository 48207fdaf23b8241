import rules

from accounts.predicates import is_admin

# API tokens let another system act in the organisation: administrators make and revoke them.
rules.add_perm("api.manage_tokens", is_admin)
