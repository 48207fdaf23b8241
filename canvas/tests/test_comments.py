"""Comments on canvas boxes: who may add and resolve them, how they show, and the page's
query count however many there are."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from canvas import exchange as canvas_exchange
from canvas.models import COMMENT_LIMIT, CanvasComment
from canvas.services import canvas_comment_add, canvas_comment_resolve

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def reviewer(member):
    return member("reviewer", full_name="Rita Reviewer")


def canvas_url(mission):
    return reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])


def comments_url(mission, key):
    return reverse("canvas:box_comments", args=[mission.organisation.slug, mission.key, key])


def resolve_url(comment):
    mission = comment.mission
    return reverse(
        "canvas:comment_resolve",
        args=[mission.organisation.slug, mission.key, comment.box_key, comment.pk],
    )


# --- services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "reviewer", "lead", "admin"])
def test_editors_reviewers_leads_and_admins_comment_and_resolve(member, mission, role):
    user = member(role)
    comment = canvas_comment_add(
        by=user, mission=mission, box_key="challenge", text="  Which data?\r\nSource?  "
    )
    assert comment.text == "Which data?\nSource?"
    assert comment.author == user and comment.is_open
    canvas_comment_resolve(by=user, comment=comment)
    assert not comment.is_open and comment.resolved_by == user
    canvas_comment_resolve(by=user, comment=comment, resolved=False)
    assert comment.is_open and comment.resolved_by is None


def test_viewers_and_archived_missions_cannot_comment(mission, viewer, reviewer):
    with pytest.raises(PermissionDenied):
        canvas_comment_add(by=viewer, mission=mission, box_key="challenge", text="Hello")
    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hi")
    with pytest.raises(PermissionDenied):
        canvas_comment_resolve(by=viewer, comment=comment)
    mission.archived_at = timezone.now()
    mission.save(update_fields=["archived_at"])
    with pytest.raises(PermissionDenied):
        canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hello")


def test_empty_and_over_long_comments_are_refused_with_the_limit_named(mission, reviewer):
    with pytest.raises(ValidationError) as empty:
        canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text=" \n ")
    assert empty.value.message_dict["text"] == ["Enter a comment."]
    with pytest.raises(ValidationError) as long:
        canvas_comment_add(
            by=reviewer, mission=mission, box_key="challenge", text="x" * (COMMENT_LIMIT + 5)
        )
    assert "at most 2,000 characters" in long.value.message_dict["text"][0]
    assert "Shorten it by 5 characters" in long.value.message_dict["text"][0]
    with pytest.raises(ValidationError):
        canvas_comment_add(by=reviewer, mission=mission, box_key="nonsense", text="Hi")
    assert not CanvasComment.objects.exists()


def test_resolving_twice_keeps_the_first_resolution(mission, reviewer, editor):
    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="targets", text="Hi")
    canvas_comment_resolve(by=reviewer, comment=comment)
    first = comment.resolved_at
    canvas_comment_resolve(by=editor, comment=comment)
    assert comment.resolved_at == first and comment.resolved_by == reviewer


def test_comments_stay_out_of_the_exchange_format(mission, reviewer):
    canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hi")
    exported = canvas_exchange.export_canvas(mission)
    assert set(exported) == {"boxes"}
    # "example" is there only on a box that still holds a worked example.
    assert set(exported["boxes"]["challenge"]) == canvas_exchange.BOX_FIELDS - {"example"}


# --- the canvas page --------------------------------------------------------------------------


def test_the_page_shows_open_counts_per_box_and_in_the_header(client, mission, editor, reviewer):
    for text in ("First <b>point</b>\nsecond line", "Another"):
        canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text=text)
    resolved = canvas_comment_add(by=reviewer, mission=mission, box_key="targets", text="Old")
    canvas_comment_resolve(by=editor, comment=resolved)
    canvas_comment_add(by=editor, mission=mission, box_key="learning", text="When?")
    client.force_login(editor)
    html = client.get(canvas_url(mission)).content.decode()
    assert "3 open comments on this canvas:" in html
    assert '<a class="govuk-link" href="#box-challenge-comments">1. Challenge</a>' in html
    assert (
        'href="#box-challenge-comments">2 open comments'
        '<span class="govuk-visually-hidden"> on Challenge</span></a>'
    ) in html
    assert 'href="#box-learning-comments">1 open comment<' in html
    assert 'href="#box-targets-comments">No open comments<' in html
    assert "1 resolved comment" in html and "Resolved by Sam Servant" in html
    # Plain text with line breaks, escaped; who and when.
    assert "First &lt;b&gt;point&lt;/b&gt;<br>second line" in html
    assert "<strong>Rita Reviewer</strong>, <time datetime=" in html
    assert html.count("Add a comment") == 12
    assert html.count(">Resolve<") == 3 and html.count(">Reopen<") == 1


def test_viewers_read_comments_but_get_no_form_and_are_refused(client, mission, viewer, reviewer):
    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hi")
    client.force_login(viewer)
    html = client.get(canvas_url(mission)).content.decode()
    assert "1 open comment on this canvas:" in html and ">Hi</p>" in html
    assert "Add a comment" not in html and ">Resolve<" not in html
    assert client.post(comments_url(mission, "challenge"), {"text": "Me"}).status_code == 403
    assert client.post(resolve_url(comment), {"resolved": "1"}).status_code == 403
    assert CanvasComment.objects.get().is_open
    assert CanvasComment.objects.count() == 1


def test_adding_with_htmx_swaps_the_panel_and_updates_the_counts_out_of_band(
    client, mission, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        comments_url(mission, "governance"), {"text": "Who signs off?"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="lodestar-canvas-comments')
    assert "Who signs off?" in html and "Rita Reviewer" in html
    assert 'id="box-governance-comment-count" hx-swap-oob="true"' in html
    assert "1 open comment<" in html
    assert 'id="canvas-comment-total" hx-swap-oob="true"' in html
    assert "1 open comment on this canvas:" in html
    assert 'hx-swap-oob="innerHTML">Comment added to Governance and mandate.</p>' in html
    assert CanvasComment.objects.get().author == reviewer


def test_an_invalid_comment_answers_422_with_the_message_and_keeps_the_text(
    client, mission, reviewer
):
    client.force_login(reviewer)
    long = "y" * (COMMENT_LIMIT + 1)
    response = client.post(comments_url(mission, "governance"), {"text": long}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert "A comment can be at most 2,000 characters long" in html
    assert f">{long}</textarea>" in html and "govuk-form-group--error" in html
    assert (
        '<details class="govuk-details govuk-!-margin-bottom-2 lodestar-canvas-comments__add" open>'
        in html
    )
    empty = client.post(comments_url(mission, "governance"), {"text": ""}, headers=HTMX)
    assert empty.status_code == 422 and "Enter a comment." in empty.content.decode()
    assert not CanvasComment.objects.exists()


def test_without_javascript_adding_redirects_and_errors_show_the_whole_page(
    client, mission, reviewer
):
    client.force_login(reviewer)
    response = client.post(comments_url(mission, "risks_rewards"), {"text": "Risky?"})
    assert response.status_code == 302
    assert response.url.endswith("/canvas/#box-risks_rewards-comments")
    page = client.get(response.url).content.decode()
    assert "Comment added to Risks and rewards." in page and "Risky?" in page
    bad = client.post(comments_url(mission, "risks_rewards"), {"text": "z" * 2001})
    html = bad.content.decode()
    assert bad.status_code == 422
    assert "There is a problem" in html
    assert 'href="#box-risks_rewards-comment">A comment can be at most' in html
    assert "z" * 2001 + "</textarea>" in html
    assert CanvasComment.objects.count() == 1


def test_resolving_and_reopening_with_and_without_htmx(client, mission, editor, reviewer):
    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hm")
    client.force_login(editor)
    response = client.post(resolve_url(comment), {"resolved": "1"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No open comments.</p>" in html and "1 resolved comment" in html
    assert "No open comments on this canvas." in html
    assert "Comment resolved on Challenge." in html
    comment.refresh_from_db()
    assert comment.resolved_by == editor
    response = client.post(resolve_url(comment), {"resolved": "0"})
    assert response.status_code == 302 and response.url.endswith("#box-challenge-comments")
    comment.refresh_from_db()
    assert comment.is_open
    # GET never changes anything; it leads to the comments.
    assert client.get(resolve_url(comment)).status_code == 302


def test_a_comment_answers_404_under_another_box_or_mission(client, mission, editor, reviewer):
    from missions.tests.factories import MissionFactory

    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hi")
    other = MissionFactory(organisation=mission.organisation, key="other-mission")
    client.force_login(editor)
    wrong_box = reverse(
        "canvas:comment_resolve", args=["health", mission.key, "targets", comment.pk]
    )
    wrong_mission = reverse(
        "canvas:comment_resolve", args=["health", other.key, "challenge", comment.pk]
    )
    assert client.post(wrong_box).status_code == 404
    assert client.post(wrong_mission).status_code == 404
    assert client.post(comments_url(mission, "nonsense"), {"text": "x"}).status_code == 404
    assert CanvasComment.objects.get().is_open


def test_an_outsider_gets_404_on_the_comment_urls(client, mission, reviewer, outsider):
    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="Hi")
    client.force_login(outsider)
    for url in (comments_url(mission, "challenge"), resolve_url(comment)):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"text": "x", "resolved": "1"})
            assert response.status_code == 404, f"{method} {url}"
    assert CanvasComment.objects.get().is_open and CanvasComment.objects.count() == 1


def test_a_signed_out_htmx_comment_is_told_401(client, mission):
    response = client.post(comments_url(mission, "challenge"), {"text": "x"}, headers=HTMX)
    assert response.status_code == 401
    response = client.post(comments_url(mission, "challenge"), {"text": "x"})
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_the_page_needs_the_same_number_of_queries_however_many_comments(
    client, mission, editor, reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    client.get(canvas_url(mission))  # warm up
    with CaptureQueriesContext(connection) as none:
        client.get(canvas_url(mission))
    for n in range(30):
        comment = canvas_comment_add(
            by=reviewer if n % 2 else editor,
            mission=mission,
            box_key=["challenge", "targets", "mission_statement", "learning"][n % 4],
            text=f"Comment {n}",
        )
        if n % 3 == 0:
            canvas_comment_resolve(by=editor, comment=comment)
    with CaptureQueriesContext(connection) as many:
        response = client.get(canvas_url(mission))
    assert "20 open comments on this canvas:" in response.content.decode()
    assert len(many) == len(none), [q["sql"] for q in many.captured_queries]
