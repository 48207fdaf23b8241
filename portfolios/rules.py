"""Portfolio pages are for the organisation's leads and administrators (the object is the
organisation; for a decision, the mission, whose organisation decides)."""

import rules

from accounts.predicates import is_lead

rules.add_perm("portfolios.view_portfolio", is_lead)
rules.add_perm("portfolios.change_portfolio", is_lead)
rules.add_perm("portfolios.decide_mission", is_lead)
rules.add_perm("portfolios.classify_initiative", is_lead)
