"""The canvas page and saving a box, with and without htmx."""

import pytest
from django.urls import reverse

from canvas.models import CanvasBox
from canvas.services import canvas_box_save, canvas_comment_add, canvas_comment_resolve
from missions.tests.factories import MissionProjectFactory, TargetFactory

pytestmark = pytest.mark.django_db


def canvas_url(mission):
    return reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])


def box_url(mission, key):
    return reverse("canvas:box", args=[mission.organisation.slug, mission.key, key])


def test_the_canvas_shows_twelve_boxes_with_questions_in_three_bands_and_learning(
    client, mission, editor
):
    client.force_login(editor)
    response = client.get(canvas_url(mission))
    html = response.content.decode()
    assert response.status_code == 200
    for band in (
        "Strategic orientation",
        "Policy coordination",
        "Policy implementation",
        "Learning",
    ):
        assert band in html
    assert html.count("data-canvas-card=") == 12  # the board
    assert html.count('class="lodestar-canvas-box ') == 12  # an editor per box
    assert html.count("data-canvas-text") == 12
    assert "Based on OECD guidance" in html
    assert "Could someone outside government check whether it happened?" in html
    assert "1 of 12 boxes filled" in html  # the statement, from the mission


def test_boxes_say_what_the_mission_holds_with_links_to_where_it_is_kept(client, mission, editor):
    TargetFactory(
        mission=mission, title="Healthy life years", target_value=67, target_year=2040, unit="years"
    )
    MissionProjectFactory(mission=mission, title="Neighbourhood health labs")
    client.force_login(editor)
    html = client.get(canvas_url(mission)).content.decode()
    # The same sentences as the canvas PDF (canvas.facts), on the board and in the editor.
    assert "Healthy life years (headline): from " in html
    assert " to 67 years by 2040</li>" in html
    assert "Neighbourhood health labs" in html
    assert "Where they came from: Commissioned (1)" in html  # projects by origin
    assert "No owner recorded" in html and "No mandate recorded" in html  # governance
    assert "No committed budget recorded" in html  # instruments and resources
    assert "No theory of change recorded" in html and "No indicators recorded" in html
    assert reverse("missions:targets", args=["health", mission.key]) in html
    assert reverse("missions:edit_group", args=["health", mission.key, "resources"]) in html
    assert reverse("stakeholders:map", args=["health", mission.key]) in html
    assert reverse("evaluation:toc", args=["health", mission.key]) in html
    assert "Not filled in yet" not in html


def test_viewers_read_the_text_without_a_form_and_cannot_post(client, mission, editor, viewer):
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="challenge",
        text="<b>Sick</b>\nyears",
        expected_version=0,
    )
    client.force_login(viewer)
    html = client.get(canvas_url(mission)).content.decode()
    assert "data-canvas-text" not in html
    assert "&lt;b&gt;Sick&lt;/b&gt;<br>years" in html  # plain text, escaped, line breaks kept
    response = client.post(box_url(mission, "challenge"), {"text": "Mine", "version": 1})
    assert response.status_code == 403
    assert CanvasBox.objects.get(box_key="challenge").text == "<b>Sick</b>\nyears"


def test_autosave_answers_with_the_saved_state_and_the_new_version(client, mission, editor):
    client.force_login(editor)
    response = client.post(
        box_url(mission, "challenge"),
        {"text": "Too many sick years", "version": 0},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("Saved ")
    assert 'id="box-challenge-version"' in html and 'value="1"' in html and "hx-swap-oob" in html


def test_without_javascript_the_save_button_redirects_back_to_the_box(client, mission, editor):
    client.force_login(editor)
    response = client.post(
        box_url(mission, "governance"), {"text": "Cabinet decision", "version": 0}
    )
    assert response.status_code == 302
    assert response.url.endswith("/canvas/#box-governance")
    assert "Saved: Governance and mandate." in client.get(response.url).content.decode()


def test_a_stale_save_gets_the_conflict_panel_with_both_texts(
    client, mission, editor, other_editor
):
    canvas_box_save(
        by=other_editor,
        mission=mission,
        box_key="rationale",
        text="Their words",
        expected_version=0,
    )
    client.force_login(editor)
    response = client.post(
        box_url(mission, "rationale"),
        {"text": "My words", "version": 0},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#box-rationale-editor"
    assert "Someone else changed this box" in html
    assert "My words" in html and "Their words" in html and "Alex Author" in html
    assert "Keep my text" in html and "Take their text" in html and "Save the merged text" in html
    assert "Their words\n\nMy words</textarea>" in html
    assert CanvasBox.objects.get(box_key="rationale").text == "Their words"
    # Without JavaScript: the whole page, with the panel in that box.
    page = client.post(box_url(mission, "rationale"), {"text": "My words", "version": 0})
    assert page.status_code == 409
    assert "Someone else changed this box" in page.content.decode()


def test_keeping_mine_after_a_conflict_saves_over_the_newer_version_deliberately(
    client, mission, editor, other_editor
):
    canvas_box_save(
        by=other_editor, mission=mission, box_key="rationale", text="Theirs", expected_version=0
    )
    client.force_login(editor)
    response = client.post(
        box_url(mission, "rationale"),
        {"text": "Mine", "version": 1, "resolution": "mine"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="box-rationale-editor"' in response.content.decode()
    assert CanvasBox.objects.get(box_key="rationale").text == "Mine"


def test_keeping_mine_on_the_statement_answers_with_the_version_it_was_saved_as(
    client, mission, editor, other_editor
):
    start = mission.version
    canvas_box_save(
        by=other_editor,
        mission=mission,
        box_key="mission_statement",
        text="Their statement",
        expected_version=start,
    )
    mission.refresh_from_db()
    client.force_login(editor)
    response = client.post(
        box_url(mission, "mission_statement"),
        {"text": "My statement", "version": mission.version, "resolution": "mine"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    mission.refresh_from_db()
    assert response.status_code == 200
    assert mission.statement == "My statement" and mission.version == start + 2
    assert f'value="{mission.version}" id="box-mission_statement-version"' in html
    assert ">My statement</textarea>" in html


def test_over_long_text_is_refused_and_kept_in_the_box(client, mission, editor):
    client.force_login(editor)
    response = client.post(
        box_url(mission, "challenge"),
        {"text": "x" * 3005, "version": 0},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Not saved:" in response.content.decode()
    assert "at most 3,000 characters" in response.content.decode()
    page = client.post(box_url(mission, "challenge"), {"text": "x" * 3005, "version": 0})
    assert page.status_code == 422
    html = page.content.decode()
    assert "There is a problem" in html and "x" * 3005 in html
    assert not CanvasBox.objects.exists()


def test_a_signed_out_autosave_is_told_401_and_a_page_load_goes_to_sign_in(client, mission):
    response = client.post(
        box_url(mission, "challenge"),
        {"text": "Lost?", "version": 0},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 401
    response = client.get(box_url(mission, "challenge"))
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_the_history_shows_who_saved_what_and_when(client, mission, editor, other_editor):
    canvas_box_save(
        by=editor,
        mission=mission,
        box_key="learning",
        text="Review every year",
        expected_version=0,
    )
    canvas_box_save(
        by=other_editor,
        mission=mission,
        box_key="learning",
        text="Review every two years",
        expected_version=1,
    )
    client.force_login(editor)
    html = client.get(
        reverse("canvas:box_history", args=["health", mission.key, "learning"])
    ).content.decode()
    assert "Version 2, saved" in html and "by Alex Author" in html
    assert "Version 1, saved" in html and "by Sam Servant" in html
    assert "<ins>" in html and "two" in html


def test_the_page_needs_the_same_number_of_queries_however_many_boxes_are_filled(
    client, mission, editor, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TargetFactory(mission=mission)
    MissionProjectFactory(mission=mission)
    client.force_login(editor)
    client.get(canvas_url(mission))  # warm up (session, content types)
    with CaptureQueriesContext(connection) as empty:
        client.get(canvas_url(mission))
    for n, box in enumerate(
        [
            "challenge",
            "targets",
            "rationale",
            "system_baseline",
            "stakeholders",
            "governance",
            "sectors_disciplines",
            "portfolio",
            "instruments_resources",
            "risks_rewards",
            "learning",
        ]
    ):
        canvas_box_save(
            by=editor, mission=mission, box_key=box, text=f"Text {n}", expected_version=0
        )
    for _ in range(3):
        TargetFactory(mission=mission)
        MissionProjectFactory(mission=mission)
    # Comments, open and resolved, on several boxes: still the same number of queries.
    for n, box in enumerate(["challenge", "challenge", "targets", "mission_statement", "learning"]):
        comment = canvas_comment_add(by=editor, mission=mission, box_key=box, text=f"Why {n}?")
        if n == 2:
            canvas_comment_resolve(by=editor, comment=comment)
    with CaptureQueriesContext(connection) as full:
        response = client.get(canvas_url(mission))
    assert "12 of 12 boxes filled" in response.content.decode()
    assert "4 open comments on this canvas:" in response.content.decode()
    assert len(full) == len(empty), [q["sql"] for q in full.captured_queries]


def test_an_outsider_gets_404_on_every_canvas_and_snapshot_url(client, mission, editor, outsider):
    canvas_box_save(
        by=editor, mission=mission, box_key="challenge", text="Secret", expected_version=0
    )
    client.force_login(outsider)
    urls = [
        canvas_url(mission),
        box_url(mission, "challenge"),
        reverse("canvas:box_history", args=["health", mission.key, "challenge"]),
        reverse("missions:snapshots", args=["health", mission.key]),
        reverse("missions:snapshot_compare", args=["health", mission.key]),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, {"text": "Overwritten", "version": 1, "name": "x"}
            )
            assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
    assert CanvasBox.objects.get(box_key="challenge").text == "Secret"


def test_an_autosave_writes_only_the_box_and_its_revision_and_its_history_follows(
    client, mission, editor, django_capture_on_commit_callbacks
):
    """Issue #20: the save is one short transaction (the conditional UPDATE and the revision's
    INSERT); the audit entry and the listeners come after the commit, and still come."""
    from auditlog import get_logentry_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    url = box_url(mission, "rationale")
    client.post(url, {"text": "Cities are ageing.", "version": 0}, HTTP_HX_REQUEST="true")

    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.post(
            url, {"text": "Cities are ageing fast.", "version": 1}, HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    statements = [q["sql"].strip() for q in captured.captured_queries]
    opened = next(i for i, sql in enumerate(statements) if sql.startswith("SAVEPOINT"))
    closed = next(i for i, sql in enumerate(statements) if sql.startswith("RELEASE SAVEPOINT"))
    inside = statements[opened + 1 : closed]
    assert len(inside) == 2
    assert inside[0].startswith("UPDATE canvas_canvasbox")
    assert inside[1].startswith('INSERT INTO "canvas_canvasboxrevision"')
    box = CanvasBox.objects.get(mission=mission, box_key="rationale")
    assert (box.text, box.version) == ("Cities are ageing fast.", 2)
    entry = get_logentry_model().objects.get_for_object(box).order_by("-pk").first()
    assert entry.actor == editor
    assert entry.changes_dict["text"] == ["Cities are ageing.", "Cities are ageing fast."]


@pytest.mark.django_db(transaction=True)
def test_an_autosaves_listeners_wait_until_its_answer_has_been_sent(client, mission, editor):
    """Issue #20: nothing but the save stands between typing and the answer. The mission's
    listeners (criteria, search, documents made ahead) run when the server closes the response
    it has sent, as a WSGI server does; and they do run."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from missions import hooks

    heard: list[int] = []

    def listener(mission_id: int) -> None:
        heard.append(mission_id)

    hooks.on_mission_changed(listener)
    try:
        client.force_login(editor)
        client.get(canvas_url(mission))  # the session and CSRF cookies, as the page gives them
        cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
        request = RequestFactory().post(
            box_url(mission, "rationale"),
            {"text": "Cities are ageing.", "version": 0},
            HTTP_COOKIE=cookies,
            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
            HTTP_HX_REQUEST="true",
        )
        statuses: list[str] = []
        response = WSGIHandler()(request.environ, lambda status, _headers: statuses.append(status))
        body = b"".join(response)

        assert statuses == ["200 OK"]
        assert b"Saved" in body
        assert CanvasBox.objects.get(mission=mission, box_key="rationale").version == 1
        assert heard == []  # the whole answer is out, and no listener has run yet
        response.close()
        assert heard == [mission.pk]
    finally:
        hooks._listeners.remove(listener)


def test_every_character_count_speaks_the_pages_language_one_page_after_another(
    client, mission, editor
):
    """The counts' messages are made once per language (config/templatetags/wording.py): an
    English page, then a Spanish one, then English again, each has all its own."""
    client.force_login(editor)
    counted = 'data-module="govuk-character-count"'
    for language, remaining in (
        ("en-gb", "You have %{count} characters remaining"),
        ("es", "Le quedan %{count} caracteres"),
        ("en-gb", "You have %{count} characters remaining"),
    ):
        html = client.get(canvas_url(mission), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert html.count(counted) == 24  # each box's text and comment
        assert html.count(f'data-i18n.characters-under-limit.other="{remaining}"') == 24
