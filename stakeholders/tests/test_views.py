"""The pages: reading, filtering, moving (htmx and plain form), adding, the log, CSV, and a
query count that does not grow with the number of stakeholders."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import Actor
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


def url(name, mission, *args):
    return reverse(f"stakeholders:{name}", args=[mission.organisation.slug, mission.key, *args])


def test_the_map_page_shows_grid_table_and_subnav(client, viewer, add, mission, ministry):
    add("Ministry of Health", roles=["owner"], power=5, interest=5)
    client.force_login(viewer)
    response = client.get(url("map", mission))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="stakeholder-grid"' in html and "Ministry of Health" in html
    assert 'aria-current="page">Stakeholders</a>' in html
    # Viewers read only: no move targets, no add button.
    assert "data-move-url" not in html and "Add a stakeholder" not in html


def test_viewers_cannot_move_or_add(client, viewer, add, mission):
    acme = add("Acme", helix="industry")
    client.force_login(viewer)
    response = client.post(
        url("move", mission, acme.key), {"power": 5, "interest": 5, "version": 1}
    )
    assert response.status_code == 403
    assert client.get(url("add", mission)).status_code == 403
    assert client.post(url("reviewed", mission)).status_code == 403
    acme.refresh_from_db()
    assert acme.power == 3


def test_filters_are_in_the_query_string(client, editor, add, mission):
    add("Acme", helix="industry", roles=["project_lead"], power=5, interest=5)
    add("Patients", helix="civil_society", roles=["citizen_group"], power=1, interest=5)
    client.force_login(editor)
    html = client.get(url("map", mission), {"sector": "civil_society"}).content.decode()
    assert 'id="row-patients"' in html and 'id="row-acme"' not in html
    html = client.get(url("map", mission), {"quadrant": "key_player"}).content.decode()
    assert 'id="row-acme"' in html and 'id="row-patients"' not in html
    html = client.get(url("map", mission), {"role": "citizen_group"}).content.decode()
    assert 'id="row-patients"' in html and 'id="row-acme"' not in html
    html = client.get(url("map", mission), {"sector": "bogus"}).content.decode()
    assert 'id="row-patients"' in html and 'id="row-acme"' in html


def test_htmx_move_returns_the_map_and_a_conflict_is_422(client, editor, add, mission):
    acme = add("Acme", helix="industry")
    client.force_login(editor)
    response = client.post(
        url("move", mission, acme.key) + "?sector=industry",
        {"power": 5, "interest": 1, "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="stakeholder-map"')
    assert 'data-focus-key="acme"' in html and "moved to power 5, interest 1" in html
    acme.refresh_from_db()
    assert (acme.power, acme.interest, acme.version) == (5, 1, 2)
    stale = client.post(
        url("move", mission, acme.key),
        {"power": 1, "interest": 1, "version": 1},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 422 and "Someone else changed" in stale.content.decode()
    acme.refresh_from_db()
    assert (acme.power, acme.interest) == (5, 1)


def test_the_plain_form_moves_and_redirects(client, editor, add, mission):
    acme = add("Acme", helix="industry")
    client.force_login(editor)
    detail = url("detail", mission, acme.key)
    page = client.get(detail).content.decode()
    assert 'name="power"' in page and 'name="interest"' in page
    response = client.post(
        url("move", mission, acme.key),
        {"power": 1, "interest": 5, "version": 1, "next": detail},
    )
    assert response.status_code == 302 and response.url == detail
    acme.refresh_from_db()
    assert (acme.power, acme.interest) == (1, 5)


def test_movement_since_a_date_draws_arrows(client, editor, add, mission):
    from django.utils import timezone

    acme = add("Acme", helix="industry")
    acme.positions.update(recorded_at=timezone.now() - timezone.timedelta(days=40))
    client.force_login(editor)
    client.post(url("move", mission, acme.key), {"power": 5, "interest": 5, "version": 1})
    since = (timezone.localdate() - timezone.timedelta(days=30)).isoformat()
    html = client.get(url("map", mission), {"since": since}).content.decode()
    assert 'marker-end="url(#map-arrowhead)"' in html and "1 moved since" in html
    html = client.get(url("map", mission)).content.decode()
    assert "marker-end" not in html


def test_suggestions_list_register_actors_while_typing(client, editor, mission, ministry):
    Actor.objects.create(organisation=mission.organisation, key="ezk", name="Ministry of Economy",
                         helix="government")  # fmt: skip
    client.force_login(editor)
    response = client.get(url("actor_suggestions", mission), {"name": "minis"})
    html = response.content.decode()
    assert "Ministry of Health" in html and "Ministry of Economy" in html
    assert 'name="actor"' in html and "<html" not in html


def test_adding_picks_a_suggested_actor_or_dedupes_by_name(client, editor, mission, ministry):
    client.force_login(editor)
    fields = {"power": 4, "interest": 4, "attitude": 1, "roles": ["owner"],
              "engagement_now": "collaborate", "engagement_planned": "empower"}  # fmt: skip
    response = client.post(url("add", mission), {**fields, "name": "MINISTRY of health"})
    assert response.status_code == 302
    assert Stakeholder.objects.get(mission=mission).actor == ministry
    assert Actor.objects.filter(organisation=mission.organisation).count() == 1
    again = client.post(url("add", mission), {**fields, "name": "x", "actor": "vws"})
    assert again.status_code == 422 and "already on this mission" in again.content.decode()
    missing = client.post(url("add", mission), {"name": "Someone new", "power": 3})
    assert missing.status_code == 422
    assert "Choose at least one role." in missing.content.decode()


def test_the_engagement_log(client, editor, viewer, add, mission):
    acme = add("Acme", helix="industry")
    client.force_login(editor)
    response = client.post(
        url("activities", mission),
        {
            "date": "2025-02-03",
            "type": "workshop",
            "level": "consult",
            "summary": "Workshop on targets",
            "participants_industry": 5,
            "stakeholders": [acme.key],
        },
    )
    assert response.status_code == 302
    html = client.get(url("activities", mission)).content.decode()
    assert "Workshop on targets" in html and "Not recorded yet" in html and "Industry: 5" in html
    detail = client.get(url("detail", mission, acme.key)).content.decode()
    assert "Workshop on targets" in detail
    client.force_login(viewer)
    assert client.post(url("activities", mission), {"summary": "x"}).status_code == 403


def test_csv_download_and_upload(client, editor, add, mission):
    add("Acme", helix="industry")
    client.force_login(editor)
    response = client.get(url("export", mission))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert body.startswith("key,name,")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = body + ",Beta,no,industry,supporter,7,3,0,inform,inform,,no,\n"
    response = client.post(
        url("import", mission), {"file": SimpleUploadedFile("s.csv", bad.encode())}
    )
    assert response.status_code == 422
    assert "is outside 1 to 5" in response.content.decode()
    assert Stakeholder.objects.filter(mission=mission).count() == 1
    good = body.replace(",3,3,", ",4,4,")
    response = client.post(
        url("import", mission), {"file": SimpleUploadedFile("s.csv", good.encode())}
    )
    assert response.status_code == 302
    assert Stakeholder.objects.get(mission=mission).power == 4


def test_map_page_queries_do_not_grow_with_stakeholders(client, editor, add, mission):
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("map", mission), {"since": "2020-01-01"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    add("Acme 0", helix="industry")
    client.get(url("map", mission))  # the first request after signing in also writes the session
    few = count()
    for n in range(1, 25):
        add(f"Acme {n}", helix="industry", power=1 + n % 5, interest=1 + n % 3)
    assert count() == few


def test_the_canvas_stakeholders_box_summarises_the_map(client, mission, member):
    from missions.models import Actor
    from stakeholders.models import Stakeholder

    actor = Actor.objects.create(
        organisation=mission.organisation, key="vws", name="Ministry of Health", helix="government"
    )
    Stakeholder.objects.create(
        mission=mission,
        key="vws",
        actor=actor,
        helix="government",
        roles=["owner"],
        power=5,
        interest=5,
        attitude=2,
        engagement_now="involve",
        engagement_planned="empower",
        is_core_team=True,
    )
    client.force_login(member("viewer"))

    page = client.get(
        f"/organisations/{mission.organisation.slug}/missions/{mission.key}/canvas/"
    ).content.decode()

    # The same sentences as the canvas PDF's (canvas.facts), and the way to the map.
    assert "1 stakeholder on the map (Key players: 1)" in page
    assert "Key players: Ministry of Health" in page
    assert "No one yet from: Industry, Academia and research, Civil society" in page
    assert "No engagement activities recorded" in page
    assert "See the stakeholder map" in page


def test_the_drawn_grid_is_kept_and_a_move_draws_it_again(
    client, editor, add, mission, monkeypatch
):
    """Issue #20: the map's drawing is kept between views (placing the names is a third of the
    page), under everything it is drawn from, so a move shows on the next view."""
    from stakeholders import grid

    acme = add("Acme", helix="industry", power=2, interest=2)
    client.force_login(editor)
    before = client.get(url("map", mission)).content.decode()
    assert 'data-power="2" data-interest="2"' in before

    drawn: list[str] = []
    draw = grid.draw_grid

    def counted(*args, **kwargs):
        drawn.append("drawn")
        return draw(*args, **kwargs)

    monkeypatch.setattr(grid, "draw_grid", counted)
    again = client.get(url("map", mission)).content.decode()
    assert drawn == []  # the same map: kept, not drawn again
    assert 'data-power="2" data-interest="2"' in again
    client.post(url("move", mission, acme.key), {"power": 5, "interest": 4, "version": 1})
    moved = client.get(url("map", mission)).content.decode()
    assert drawn == ["drawn"]
    assert 'data-power="5" data-interest="4"' in moved
    assert 'data-power="2" data-interest="2"' not in moved
