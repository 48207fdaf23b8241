"""The dashboard as a lead sees it: rows in words, filters, sorting, search, keyset pages,
totals, and a query count that does not grow with the number of missions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from missions.tests.factories import MissionFactory
from portfolios import search, selectors
from portfolios.tests.scene import assess, warn

pytestmark = pytest.mark.django_db


def url(organisation, **params):
    from django.utils.http import urlencode

    base = reverse("portfolios:dashboard", args=[organisation.slug])
    return base + ("?" + urlencode(params) if params else "")


def titles(response) -> list[str]:
    body = response.content.decode()
    rows = body.split('<tbody class="govuk-table__body">', 1)[-1]
    return re.findall(
        r'<a class="govuk-link" href="/organisations/[^"]+/missions/[^"]+/">([^<]+)</a>', rows
    )


def test_each_row_shows_status_owner_criteria_in_words_warnings_and_budget(
    client, lead, organisation, scene
):
    client.force_login(lead)
    response = client.get(url(organisation))
    assert response.status_code == 200
    body = response.content.decode()
    assert titles(response) == ["Clean rivers", "Green steel", "Healthy ageing"]

    # Criteria with words, never colour alone.
    def cell(code, key, words):
        name = selectors.CRITERIA[code.lower()].name  # the criterion named, not a bare code
        return (
            f'lodestar-heat--{key}"><span class="govuk-visually-hidden">{code} {name}: </span>'
            f"{words}</td>"
        )

    # ageing C2: score 30, rating 3 — the reviewer's rating decides (issue #16).
    assert cell("C2", "amber", "Partly") in body
    assert cell("C2", "green", "Meets") in body  # rivers C2: 90 and 5
    assert cell("C2", "awaiting_review", "Awaiting review") in body  # steel: no verdict
    assert "1 high" in body  # ageing's open high warning
    assert "50% of €4,000,000" in body
    assert "No data yet" in body
    assert "Ministry of Health" in body and "Water Agency" in body
    assert "3 missions" in body and "(drafts left out)" in body


def test_drafts_only_when_asked(client, lead, organisation, scene):
    client.force_login(lead)
    assert "Draft idea" not in titles(client.get(url(organisation)))
    assert "Draft idea" in titles(client.get(url(organisation, drafts=1)))
    assert titles(client.get(url(organisation, status="draft"))) == ["Draft idea"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "proposed"}, ["Green steel", "Healthy ageing"]),
        ({"criterion": "c2", "criterion_status": "amber"}, ["Healthy ageing"]),
        ({"criterion": "c2", "criterion_status": "red"}, []),
        ({"criterion": "c2", "criterion_status": "green"}, ["Clean rivers"]),
        ({"criterion": "c2", "criterion_status": "awaiting_review"}, ["Green steel"]),
        ({"warning": "MANDATE_SINGLE_SPONSOR"}, ["Healthy ageing"]),
        ({"warning": "OVER_UNDERFUNDED"}, []),  # acknowledged, not open
        ({"domain": "05"}, ["Clean rivers"]),
        ({"facet": "anticipatory"}, ["Green steel"]),
        ({"facet": "mission"}, ["Clean rivers"]),
        ({"owner": "water"}, ["Clean rivers", "Green steel"]),
        (
            {"status": "proposed", "criterion": "c2", "criterion_status": "amber"},
            ["Healthy ageing"],
        ),
    ],
)
def test_filters_narrow_the_rows(client, lead, organisation, scene, params, expected):
    client.force_login(lead)
    response = client.get(url(organisation, **params))
    assert titles(response) == expected
    if not expected:
        assert "No missions match these filters" in response.content.decode()


def test_full_text_search_finds_words_in_the_statement_and_the_canvas(
    client, lead, organisation, scene
):
    client.force_login(lead)
    assert titles(client.get(url(organisation, q="hydrogen"))) == ["Green steel"]
    assert titles(client.get(url(organisation, q="rivers"))) == ["Clean rivers"]
    from canvas.models import CanvasBox

    CanvasBox.objects.create(
        mission=scene["rivers"], box_key="rationale", text="Salmon return upstream."
    )
    search.refresh(mission_ids=[scene["rivers"].pk])
    assert titles(client.get(url(organisation, q="salmon"))) == ["Clean rivers"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-title", ["Healthy ageing", "Green steel", "Clean rivers"]),
        ("c2", ["Healthy ageing", "Green steel", "Clean rivers"]),  # worst first
        ("-c2", ["Clean rivers", "Green steel", "Healthy ageing"]),
        ("-warnings", ["Healthy ageing", "Green steel", "Clean rivers"]),  # ties: newest first
        ("-budget", ["Clean rivers", "Healthy ageing", "Green steel"]),
        ("owner", ["Healthy ageing", "Clean rivers", "Green steel"]),
        ("status", ["Healthy ageing", "Green steel", "Clean rivers"]),  # proposed, then active
    ],
)
def test_every_column_sorts(client, lead, organisation, scene, sort, expected):
    client.force_login(lead)
    response = client.get(url(organisation, sort=sort))
    assert titles(response) == expected
    name = sort.removeprefix("-")
    direction = "descending" if sort.startswith("-") else "ascending"
    assert (
        re.search(
            rf'aria-sort="{direction}">\s*<a[^>]+sort={"" if sort.startswith("-") else "-"}{name}',
            response.content.decode(),
        )
        or name == "title"
    )


def test_keyset_pages_cover_every_mission_once_in_both_directions(lead, organisation):
    for n in range(7):
        MissionFactory(
            organisation=organisation, key=f"m{n}", title=f"Mission {n % 3}", status="active"
        )
    for sort in ("title", "-title", "c1"):
        filters = selectors.Filters(sort=sort)
        seen, pages, cursor = [], [], None
        while True:
            filters.after = cursor
            page = selectors.dashboard_page(
                user=lead, organisation=organisation, filters=filters, per_page=3
            )
            pages.append([r.mission.key for r in page.rows])
            seen += pages[-1]
            if not page.has_next:
                break
            cursor = page.next_cursor
        assert sorted(seen) == sorted(f"m{n}" for n in range(7)), sort
        assert len(pages) == 3
        # Going back from the last page gives the page before, exactly.
        back = selectors.dashboard_page(
            user=lead,
            organisation=organisation,
            filters=selectors.Filters(
                sort=sort,
                before=int(
                    __import__("missions.models", fromlist=["Mission"])
                    .Mission.objects.get(key=pages[2][0])
                    .pk
                ),
            ),
            per_page=3,
        )
        assert [r.mission.key for r in back.rows] == pages[1]
        assert back.has_previous and back.has_next


def test_next_page_link_follows_the_sort_and_filters(client, lead, organisation):
    for n in range(55):
        MissionFactory(
            organisation=organisation, key=f"m{n:02}", title=f"Mission {n:02}", status="active"
        )
    client.force_login(lead)
    first = client.get(url(organisation, status="active"))
    assert len(titles(first)) == 50
    match = re.search(r'href="(\?[^"]*after=\d+)" rel="next"', first.content.decode())
    assert match
    second = client.get(url(organisation) + match.group(1).replace("&amp;", "&"))
    assert titles(second) == [f"Mission {n}" for n in range(50, 55)]
    assert 'rel="prev"' in second.content.decode()


def test_totals_and_criteria_chart_count_every_matching_mission(client, lead, organisation, scene):
    client.force_login(lead)
    body = client.get(url(organisation)).content.decode()
    assert '<svg class="lodestar-chart"' in body and "The five criteria across 3 missions" in body
    assert "with open warnings: High" in body
    totals = selectors.totals(user=lead, organisation=organisation, filters=selectors.Filters())
    assert totals.missions == 3
    assert totals.heatmap["c2"] == {"amber": 1, "green": 1, "awaiting_review": 1}
    assert totals.with_warnings == {"high": 1}


def test_totals_are_refreshed_when_a_decision_changes_the_data(lead, organisation, scene):
    from portfolios import services

    before = selectors.totals(user=lead, organisation=organisation, filters=selectors.Filters())
    assert {s: n for s, _l, n in before.by_status} == {"proposed": 2, "active": 1}
    services.decision_record(by=lead, mission=scene["ageing"], decision="approve")
    after = selectors.totals(user=lead, organisation=organisation, filters=selectors.Filters())
    assert {s: n for s, _l, n in after.by_status} == {
        "proposed": 1,
        "approved": 1,
        "active": 1,
    }


def _make(organisation, count, offset):
    for n in range(count):
        mission = MissionFactory(organisation=organisation, key=f"q{offset + n}", status="active")
        assess(mission, {"c1": 50, "c3": 90}, {"c1": 4})
        warn(mission, "MANDATE_SINGLE_SPONSOR", "high")


def test_the_number_of_queries_does_not_grow_with_the_missions(
    client, lead, organisation, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lead)
    _make(organisation, 3, 0)
    client.get(url(organisation))  # fills the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(organisation, sort="-c1")).status_code == 200
    _make(organisation, 60, 100)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(organisation, sort="-c1"))
    assert len(titles(response)) == 50
    assert len(large) <= len(small) + 1  # +1: the totals are computed again after the change
    with CaptureQueriesContext(connection) as cached:
        client.get(url(organisation, sort="-c1"))
    assert len(cached) == len(small)
    assert (
        len(cached) <= 8
    )  # issue #20: session, user, memberships, stamp, page, rows, unread, portfolios


@pytest.mark.parametrize("sort", ["title", "-warnings", "decision"])
def test_a_page_costs_the_same_queries_for_3_or_63_missions(client, lead, organisation, sort):
    """Pinned for the default order (an index scan of the page only) and for the columns
    computed from other tables (pages cut from the order cached with the totals)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lead)
    _make(organisation, 3, 0)
    client.get(url(organisation, sort=sort))  # fills the session, the totals and the order
    with CaptureQueriesContext(connection) as small:
        assert len(titles(client.get(url(organisation, sort=sort)))) == 3
    _make(organisation, 60, 100)
    client.get(url(organisation, sort=sort))  # the totals are computed again after the change
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(organisation, sort=sort))
    assert len(titles(response)) == 50
    assert len(large) == len(small) <= 11


def test_rows_in_a_cached_order_show_current_values(client, lead, organisation, scene):
    """Sorting on a computed column reuses the order cached with the totals; a row still
    shows what is true now (here a decision recorded since: the data version changes too)."""
    from portfolios import services

    client.force_login(lead)
    assert titles(client.get(url(organisation, sort="-decision")))[0] != "Clean rivers"
    services.decision_record(by=lead, mission=scene["rivers"], decision="approve")
    body = client.get(url(organisation, sort="-decision"))
    assert titles(body)[0] == "Clean rivers"
    assert "Approved" in body.content.decode()
