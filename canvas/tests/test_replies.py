"""Replies to canvas comments (one level deep) and @mentions: the service, the page (replies
under their comment with a Reply form, escaped), htmx and plain forms, and the page's query
count however many replies there are."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas.mentions import mentioned_members
from canvas.models import CanvasComment
from canvas.services import canvas_comment_add, canvas_comment_resolve
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def reviewer(member):
    return member("reviewer", full_name="Rita Reviewer")


@pytest.fixture
def comment(mission, reviewer):
    return canvas_comment_add(
        by=reviewer, mission=mission, box_key="governance", text="Who signs off?"
    )


def canvas_url(mission):
    return reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])


def comments_url(mission, key="governance"):
    return reverse("canvas:box_comments", args=[mission.organisation.slug, mission.key, key])


# --- the service ------------------------------------------------------------------------------


def test_a_reply_to_a_reply_goes_under_the_comment_that_opened_the_discussion(
    mission, editor, reviewer, comment
):
    reply = canvas_comment_add(
        by=editor, mission=mission, box_key="governance", text="Treasury.", parent=comment
    )
    again = canvas_comment_add(
        by=reviewer, mission=mission, box_key="governance", text="Sure?", parent=reply
    )
    assert reply.parent == comment and again.parent == comment


def test_a_reply_must_be_on_the_same_box_and_mission(mission, editor, comment, organisation):
    with pytest.raises(ValidationError) as other_box:
        canvas_comment_add(
            by=editor, mission=mission, box_key="challenge", text="Hi", parent=comment
        )
    assert "only reply to a comment on this box" in str(other_box.value)
    other = MissionFactory(organisation=organisation, key="clean-air")
    with pytest.raises(ValidationError):
        canvas_comment_add(
            by=editor, mission=other, box_key="governance", text="Hi", parent=comment
        )
    assert CanvasComment.objects.count() == 1


def test_mentions_are_members_by_full_name_longest_first_any_case(
    mission, member, other_organisation, organisation
):
    sam = member("editor", full_name="Sam Servant")
    longer = member("viewer", full_name="Sam Servant Jones")
    member("editor", org=other_organisation, full_name="Olga Outsider")
    nameless = member("viewer", full_name="")
    found = mentioned_members(
        "@SAM SERVANT JONES, then @sam servant. @Olga Outsider @Samuel @" + nameless.email,
        organisation_id=organisation.pk,
    )
    assert found == [longer, sam]
    assert mentioned_members("no at sign here", organisation_id=organisation.pk) == []
    assert mentioned_members("@Sam Servants", organisation_id=organisation.pk) == []


def test_mentions_cost_one_query(mission, member, organisation, django_assert_num_queries):
    for number in range(20):
        member("editor", full_name=f"Person Number{number}")
    with django_assert_num_queries(1):
        assert (
            len(
                mentioned_members(
                    "@person number3 @person number13", organisation_id=organisation.pk
                )
            )
            == 2
        )


# --- the page ---------------------------------------------------------------------------------


def test_replies_show_under_their_comment_escaped_and_do_not_count_as_comments(
    client, mission, editor, reviewer, comment
):
    canvas_comment_add(
        by=editor,
        mission=mission,
        box_key="governance",
        text="@Rita Reviewer <b>the Treasury</b>",
        parent=comment,
    )
    client.force_login(editor)
    html = client.get(canvas_url(mission)).content.decode()
    assert "1 open comment on this canvas:" in html
    thread = html[html.index(f'id="comment-{comment.pk}"') :]
    assert thread.index("Who signs off?") < thread.index("@Rita Reviewer &lt;b&gt;the Treasury")
    assert 'aria-label="1 reply"' in html
    assert "<b>the Treasury</b>" not in html
    assert ">Send reply<" in html
    assert f'name="parent" value="{comment.pk}"' in html
    assert "write @ and their full name" in html  # the hint says how to mention


def test_a_reply_with_htmx_swaps_the_panel(client, mission, editor, comment):
    client.force_login(editor)
    response = client.post(
        comments_url(mission), {"text": "The Treasury.", "parent": comment.pk}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reply added on Governance and mandate." in html
    assert "The Treasury." in html
    reply = CanvasComment.objects.get(parent=comment)
    assert reply.author == editor


def test_an_empty_reply_is_refused_in_its_own_form(client, mission, editor, comment):
    client.force_login(editor)
    response = client.post(
        comments_url(mission), {"text": "  ", "parent": comment.pk}, headers=HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="comment-{comment.pk}-reply-error"' in html and "Enter a comment." in html
    assert (
        'id="box-governance-comment-error" class="govuk-error-message" data-canvas-comment-problem hidden'
        in html
    )
    # Without JavaScript: the page again, the error summary pointing at the reply.
    page = client.post(comments_url(mission), {"text": "", "parent": comment.pk})
    assert page.status_code == 422
    assert f'href="#comment-{comment.pk}-reply"' in page.content.decode()
    assert CanvasComment.objects.count() == 1


def test_a_reply_without_javascript_lands_on_the_reply(client, mission, editor, comment):
    client.force_login(editor)
    response = client.post(comments_url(mission), {"text": "Treasury.", "parent": comment.pk})
    reply = CanvasComment.objects.get(parent=comment)
    assert response.status_code == 302
    assert response.url == f"{canvas_url(mission)}#comment-{reply.pk}"


def test_a_reply_to_another_missions_comment_is_404_and_a_bad_parent_400(
    client, mission, editor, organisation, reviewer
):
    other = MissionFactory(organisation=organisation, key="clean-air")
    elsewhere = canvas_comment_add(by=reviewer, mission=other, box_key="governance", text="?")
    client.force_login(editor)
    assert (
        client.post(comments_url(mission), {"text": "x", "parent": elsewhere.pk}).status_code == 404
    )
    assert client.post(comments_url(mission), {"text": "x", "parent": "abc"}).status_code == 400
    assert CanvasComment.objects.count() == 1


def test_the_page_needs_the_same_queries_however_many_replies(
    client, mission, editor, reviewer, comment
):
    client.force_login(editor)
    client.get(canvas_url(mission))  # warm up
    with CaptureQueriesContext(connection) as none:
        client.get(canvas_url(mission))
    for number in range(12):
        parent = (
            comment
            if number % 2
            else canvas_comment_add(
                by=reviewer, mission=mission, box_key="challenge", text=f"Comment {number}"
            )
        )
        canvas_comment_add(
            by=editor,
            mission=mission,
            box_key=parent.box_key,
            text=f"Reply {number}",
            parent=parent,
        )
        if number % 3 == 0:
            canvas_comment_resolve(by=editor, comment=parent)
    with CaptureQueriesContext(connection) as many:
        response = client.get(canvas_url(mission))
    assert "Reply 11" in response.content.decode()
    assert len(many) == len(none), [q["sql"] for q in many.captured_queries]
