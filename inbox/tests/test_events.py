"""Each event that waits for someone reaches them in the inbox, and never the person who acted:
a proposal, a review due, changes requested, a decision, a reply, an @mention, a steward
invitation and a long PDF."""

import pytest
from django.urls import reverse

from canvas.services import canvas_comment_add
from documents.models import DocumentKind
from documents.services import document_render, document_request
from evaluation.indicators import services as indicator_services
from evaluation.indicators import stewards
from inbox.models import Kind, Notification
from missions.models import Mission, MissionStatus
from missions.services import mission_transition, mission_update
from missions.tests.factories import MissionFactory
from portfolios.services import decision_record

pytestmark = pytest.mark.django_db

OVERVIEW = "/organisations/health/missions/healthy-years/"


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def propose(mission, owner) -> Mission:
    mission = mission_transition(by=owner, mission=mission, transition="propose")
    Notification.objects.all().delete()  # the proposal's own notifications
    return mission


def test_a_proposal_tells_the_reviewers_and_leads_but_not_who_proposed_it(
    mission, owner, reviewer, lead, member, other_organisation, organisation
):
    viewer, other_editor = member("viewer"), member("editor")
    stranger = member("reviewer", org=other_organisation)
    mission_transition(by=owner, mission=mission, transition="propose")
    assert kinds(reviewer) == [Kind.MISSION_PROPOSED]
    assert kinds(lead) == [Kind.MISSION_PROPOSED]
    for nobody in (owner, viewer, other_editor, stranger):
        assert kinds(nobody) == []
    told = Notification.objects.get(recipient=reviewer)
    assert told.sentence == "Sam Servant proposed the mission “Healthy years” for approval."
    assert told.url == OVERVIEW
    assert (told.actor, told.mission, told.organisation) == (owner, mission, organisation)
    assert told.is_unread and told.emailed_at is None


def test_a_lead_who_proposes_is_not_told_of_their_own_proposal(mission, lead, reviewer):
    mission_transition(by=lead, mission=mission, transition="propose")
    assert kinds(lead) == [] and kinds(reviewer) == [Kind.MISSION_PROPOSED]


def test_starting_a_review_tells_the_reviewers_and_leads_it_is_due(
    organisation, owner, reviewer, lead, member
):
    other_lead = member("lead", full_name="Lou Lead")
    mission = MissionFactory(
        organisation=organisation, key="clean-air", title="Clean air", status=MissionStatus.ACTIVE
    )
    mission_transition(by=lead, mission=mission, transition="start_review")
    assert kinds(reviewer) == [Kind.REVIEW_DUE] and kinds(other_lead) == [Kind.REVIEW_DUE]
    assert kinds(lead) == [] and kinds(owner) == []
    told = Notification.objects.get(recipient=reviewer)
    assert told.sentence == "Lee Lead started a review of the mission “Clean air”: it is due."
    assert told.url == "/organisations/health/missions/clean-air/criteria/"


def test_changes_requested_tell_the_owner_and_the_editors_who_worked_on_it(
    mission, owner, lead, member
):
    helper = member("editor", full_name="Hal Helper")
    bystander = member("editor", full_name="Bea Bystander")
    mission = mission_update(
        by=helper, mission=mission, expected_version=mission.version, title="Healthy years"
    )
    mission_update(by=helper, mission=mission, expected_version=mission.version, notes="x")
    mission = propose(Mission.objects.get(pk=mission.pk), owner)
    decision_record(
        by=lead, mission=mission, decision="request_changes", comments="Add the mandate."
    )
    assert kinds(owner) == [Kind.CHANGES_REQUESTED]
    assert kinds(helper) == [Kind.CHANGES_REQUESTED]
    assert kinds(bystander) == [] and kinds(lead) == []
    assert (
        Notification.objects.get(recipient=owner).sentence
        == "Lee Lead asked for changes to the mission “Healthy years”."
    )


def test_a_decision_tells_the_owner(mission, owner, lead, reviewer):
    mission = propose(mission, owner)
    decision_record(by=lead, mission=mission, decision="stop")
    told = Notification.objects.get()
    assert (told.recipient, told.kind) == (owner, Kind.DECISION_RECORDED)
    assert told.sentence == "Lee Lead recorded a decision on the mission “Healthy years”: Stopped."
    assert told.url == OVERVIEW


def test_a_reply_tells_the_author_of_the_comment_replied_to(mission, owner, reviewer):
    comment = canvas_comment_add(
        by=reviewer, mission=mission, box_key="governance", text="Who signs off?"
    )
    assert not Notification.objects.exists()  # a comment alone tells nobody
    reply = canvas_comment_add(
        by=owner, mission=mission, box_key="governance", text="The Treasury.", parent=comment
    )
    told = Notification.objects.get()
    assert (told.recipient, told.kind) == (reviewer, Kind.COMMENT_REPLY)
    assert told.sentence == (
        "Sam Servant replied to your comment on Governance and mandate in “Healthy years”."
    )
    assert told.url == f"{OVERVIEW}canvas/#comment-{reply.pk}"
    # Replying to your own comment tells nobody.
    canvas_comment_add(
        by=reviewer, mission=mission, box_key="governance", text="Thanks.", parent=comment
    )
    assert Notification.objects.count() == 1


def test_a_mention_tells_each_member_named_once(
    mission, owner, reviewer, lead, member, other_organisation
):
    namesake = member("viewer", full_name="Sam Servant-Smith")
    stranger = member("editor", org=other_organisation, full_name="Olga Outsider")
    comment = canvas_comment_add(
        by=reviewer,
        mission=mission,
        box_key="challenge",
        text="@sam servant-smith, @SAM SERVANT and @Sam Servant again; @Olga Outsider? "
        "@Rita Reviewer. <b>@Lee Leader</b>",
    )
    assert kinds(namesake) == [Kind.MENTION]
    assert kinds(owner) == [Kind.MENTION]
    # Not a member; the author themselves; "@Lee Leader" is not "Lee Lead" followed by a stop.
    assert kinds(stranger) == [] and kinds(reviewer) == [] and kinds(lead) == []
    told = Notification.objects.get(recipient=owner)
    assert (
        told.sentence == "Rita Reviewer mentioned you in a comment on Challenge in “Healthy years”."
    )
    assert told.url == f"{OVERVIEW}canvas/#comment-{comment.pk}"


def test_a_reply_that_mentions_the_author_replied_to_tells_them_once(mission, owner, reviewer):
    comment = canvas_comment_add(by=reviewer, mission=mission, box_key="challenge", text="?")
    canvas_comment_add(
        by=owner,
        mission=mission,
        box_key="challenge",
        text="@Rita Reviewer see the figures.",
        parent=comment,
    )
    assert kinds(reviewer) == [Kind.COMMENT_REPLY]


def test_a_steward_invitation_is_in_the_stewards_inbox_without_a_second_email(
    mission, owner, member, other_organisation, organisation
):
    indicator = indicator_services.indicator_create(
        by=owner, mission=mission, name="Healthy life years", level="impact", unit="years"
    )
    steward = member("editor", org=other_organisation, full_name="Stella Statistician")
    stewards.steward_invite(
        by=owner, indicator=indicator, email=steward.email, invite_url_base="http://testserver"
    )
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.organisation) == (
        steward,
        Kind.STEWARD_INVITED,
        organisation,
    )
    assert told.sentence == (
        "Sam Servant invited you to add values for the indicator “Healthy life years” of "
        "Ministry of Health and Care."
    )
    assert told.url == reverse("evaluation:steward_indicator", args=[indicator.pk])
    # The invitation is its e-mail: the inbox's own e-mail runs leave it alone.
    assert told.emailed_at is not None


def test_a_briefing_pack_when_ready_tells_who_asked_for_it(mission, owner, organisation):
    MissionFactory(organisation=organisation, key="clean-air", title="Clean air")
    document = document_request(
        by=owner,
        organisation=organisation,
        kind=DocumentKind.PACK,
        missions=["healthy-years", "clean-air"],
    )
    assert document_render(document_id=document.pk) == "done"
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.actor) == (owner, Kind.DOCUMENT_READY, None)
    assert told.sentence == "Your PDF “Briefing pack: 2 missions” is ready to download."
    assert told.url == f"/organisations/health/documents/{document.pk}/"
    # Rendering it again (a redelivered task) tells nobody twice.
    document_render(document_id=document.pk)
    assert Notification.objects.count() == 1
