"""The dashboard's pages, by keyset: `after`/`before` is the id of the row next to the page, and
the page starts right after that row's (sort value, id), so page 200 costs what page 1 costs.
The page's ids are chosen on the missions table alone (title, status, owner; index
missions_org_title_id_idx for the default order), or cut from the order cached with the totals
(columns computed from other tables, see totals.py); then only those rows are read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Organisation, User
from evaluation.criteria import thresholds as threshold_settings
from portfolios.selectors.columns import sorted_missions
from portfolios.selectors.filters import PAGE_SIZE, Filters
from portfolios.selectors.rows import Row, page_missions, row_from, with_row_values
from portfolios.selectors.totals import cached_order


@dataclass
class DashboardPage:
    rows: list[Row]
    has_next: bool
    has_previous: bool

    @property
    def next_cursor(self) -> int | None:
        return self.rows[-1].mission.pk if self.rows and self.has_next else None

    @property
    def previous_cursor(self) -> int | None:
        return self.rows[0].mission.pk if self.rows and self.has_previous else None


def _page_from_order(
    order: list[int], filters: Filters, per_page: int
) -> tuple[list[int], int | None, bool]:
    """(up to per_page + 1 ids in fetch order, cursor, backwards), as the SQL keyset picks
    them, from a cached ascending order."""
    if filters.descending:
        order = order[::-1]
    cursor = filters.after or filters.before
    backwards = filters.before is not None and filters.after is None
    position = None
    if cursor is not None:
        try:
            position = order.index(cursor)
        except ValueError:
            cursor, backwards = None, False  # the row left the selection: start again
    if position is None:
        ids = order[: per_page + 1]
    elif backwards:
        ids = order[max(0, position - per_page - 1) : position][::-1]
    else:
        ids = order[position + 1 : position + per_page + 2]
    return ids, cursor, backwards


def _page_from_keyset(
    *, user: User, organisation: Organisation, filters: Filters, per_page: int
) -> tuple[list[int], int | None, bool]:
    """The same as `_page_from_order`, in SQL, for the columns of the missions table."""
    missions = sorted_missions(user=user, organisation=organisation, filters=filters)
    descending = filters.descending
    cursor = filters.after or filters.before
    backwards = filters.before is not None and filters.after is None
    if cursor is not None:
        found = missions.filter(pk=cursor).values_list("_sort", flat=True)[:1]
        if not found:
            cursor, backwards = None, False  # the row left the selection: start again
        else:
            value = found[0]
            if descending == backwards:  # values ascend in the direction we fetch
                missions = missions.filter(Q(_sort__gt=value) | Q(_sort=value, pk__gt=cursor))
            else:
                missions = missions.filter(Q(_sort__lt=value) | Q(_sort=value, pk__lt=cursor))
    order_by = ["_sort", "pk"] if descending == backwards else ["-_sort", "-pk"]
    ids = list(missions.order_by(*order_by).values_list("pk", flat=True)[: per_page + 1])
    return ids, cursor, backwards


def dashboard_page(
    *,
    user: User,
    organisation: Organisation,
    filters: Filters,
    per_page: int = PAGE_SIZE,
    version: int | None = None,
) -> DashboardPage:
    """One page of rows, by keyset (see the module's docstring)."""
    order = cached_order(user=user, organisation=organisation, filters=filters, version=version)
    if order is not None:
        ids, cursor, backwards = _page_from_order(order, filters, per_page)
    else:
        ids, cursor, backwards = _page_from_keyset(
            user=user, organisation=organisation, filters=filters, per_page=per_page
        )
    more = len(ids) > per_page
    ids = ids[:per_page]
    if backwards:
        ids.reverse()
    by_id = {mission.pk: mission for mission in page_missions(ids)} if ids else {}
    t = threshold_settings.current()
    rows = [row_from(by_id[pk], t) for pk in ids if pk in by_id]
    if backwards:
        return DashboardPage(rows, has_next=True, has_previous=more)
    return DashboardPage(rows, has_next=more, has_previous=cursor is not None)


def dashboard_rows(*, user: User, organisation: Organisation, filters: Filters) -> Iterator[Row]:
    """Every row matching the filters, in the chosen order, for the exports (streamed)."""
    missions = with_row_values(
        sorted_missions(user=user, organisation=organisation, filters=filters)
    )
    order = ["-_sort", "-pk"] if filters.descending else ["_sort", "pk"]
    t = threshold_settings.current()
    for mission in missions.order_by(*order).iterator(chunk_size=500):
        yield row_from(mission, t)
