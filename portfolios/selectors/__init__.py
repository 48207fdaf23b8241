"""Portfolio reads, one module per job. Every query starts from `visible_to(user)` (scope.py)
and works on sets of missions at once, never one query per row, so a page costs the same number
of queries for 50 missions or 10,000.

- scope.py       the organisation's portfolios and the missions in scope
- filters.py     the dashboard's state (query string), its names and its filter choices
- columns.py     the dashboard's filters and sort values as SQL expressions
- rows.py        a page's rows in one query, and in words for the template
- pages.py       keyset pages of rows, and every row for the exports
- totals.py      totals over every matching mission, and the computed columns' orders (cached)
- facet_mix.py   the facets page: the mix by count and budget, projects and initiatives
- comparison.py  missions side by side
- overlaps.py    actors in several missions
- decisions.py   the decision page, the decision log and the mission header's last decision

Code in this app imports from those modules. The names below are kept here for callers that
read them as `selectors.<name>` (the app's tests).
"""

from evaluation.criteria.rules import CRITERIA
from portfolios.selectors.decisions import approval_needs
from portfolios.selectors.filters import Filters
from portfolios.selectors.pages import dashboard_page
from portfolios.selectors.totals import totals

__all__ = ["CRITERIA", "Filters", "approval_needs", "dashboard_page", "totals"]
