"""The public side's rules: what the public sees, what participants may send in and how often,
moderation, answers and what ideas become, and deleting a participant's data."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from missions.models import MissionChange, Origin
from missions.tests.factories import MissionFactory, MissionProjectFactory
from participation import public, services
from participation.models import Answer, Comment, Idea, Participant, Publication, Support
from participation.tests.factories import participant, published_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(member):
    return member("lead")


@pytest.fixture
def mission(organisation):
    return MissionFactory(organisation=organisation, key="healthy-food", title="Healthy food")


def _idea(person: Participant, consultation, title: str = "School gardens", **fields) -> Idea:
    return services.idea_submit(
        participant=person,
        consultation=consultation,
        title=title,
        body=fields.pop("body", "Every school grows vegetables."),
        **fields,
    )


def test_publishing_keeps_the_mission_as_it_was_and_leaves_internal_parts_out(
    mission, lead, member
):
    mission.notes = "Internal: the minister is sceptical."
    mission.save()
    MissionProjectFactory(mission=mission, key="gardens", title="School gardens", notes="secret")
    publication = services.publish(by=lead, mission=mission, introduction="Food matters.")
    text = str(publication.document)
    assert "School gardens" in text
    assert "sceptical" not in text and "secret" not in text
    assert set(publication.document) >= {"title", "statement", "targets", "projects"}
    assert not {"notes", "stakeholders", "reviews", "canvas", "rewards"} & set(publication.document)

    # A later change does not leak until published again.
    mission.title = "Healthy food for every child"
    mission.save()
    publication.refresh_from_db()
    assert publication.document["title"] == "Healthy food"
    services.publish(by=lead, mission=mission, introduction="Food matters.")
    publication.refresh_from_db()
    assert publication.document["title"] == "Healthy food for every child"
    assert MissionChange.objects.filter(mission=mission, object_type="public page").count() == 2

    with pytest.raises(PermissionDenied):
        services.publish(by=member("editor"), mission=mission, introduction="")
    services.withdraw(by=lead, mission=mission)
    assert not public.is_published(mission.pk)
    assert Publication.objects.get(mission=mission).withdrawn_at is not None


def test_an_idea_needs_a_confirmed_address_an_open_consultation_and_a_live_page(mission, lead):
    consultation = published_consultation(mission, lead)
    with pytest.raises(services.Refused, match="Confirm your e-mail"):
        _idea(participant(confirmed=False), consultation)
    person = participant()
    idea = _idea(person, consultation, place="  Malmö ", theme="Food")
    assert (idea.number, idea.place, idea.author_name) == (1, "Malmö", person.display_name)
    assert _idea(person, consultation, title="Second").number == 2

    with pytest.raises(ValidationError, match="themes"):
        _idea(person, consultation, title="Third", theme="Not a theme")
    services.withdraw(by=lead, mission=mission)
    with pytest.raises(services.Refused, match="not open"):
        _idea(person, consultation, title="Fourth")

    closed = published_consultation(
        mission,
        lead,
        opens_on=timezone.localdate() - datetime.timedelta(days=20),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(services.Refused, match="not open"):
        _idea(person, closed, title="Too late")


def test_spam_limits_per_account_new_accounts_and_links(mission, lead):
    consultation = published_consultation(mission, lead)
    seasoned = participant()
    for number in range(services.IDEAS_PER_HOUR):
        _idea(seasoned, consultation, title=f"Idea {number}")
    with pytest.raises(services.Refused, match="in the last hour"):
        _idea(seasoned, consultation, title="One too many")

    newcomer = participant(days_old=0)
    for number in range(services.IDEAS_PER_HOUR_NEW):
        _idea(newcomer, consultation, title=f"New {number}")
    with pytest.raises(services.Refused, match="in the last hour"):
        _idea(newcomer, consultation, title="New one too many")

    with pytest.raises(ValidationError, match="at most 2 links"):
        _idea(
            participant(),
            consultation,
            body="See https://a.example, http://b.example and www.c.example",
        )
    assert Idea.objects.filter(title__startswith="One too many").count() == 0


def test_support_once_not_ones_own_and_comments_with_one_link(mission, lead):
    consultation = published_consultation(mission, lead)
    author, supporter = participant(), participant()
    idea = _idea(author, consultation)
    assert services.idea_support(participant=supporter, idea=idea) is True
    assert services.idea_support(participant=supporter, idea=idea) is False
    assert Support.objects.filter(idea=idea).count() == 1
    with pytest.raises(services.Refused, match="own idea"):
        services.idea_support(participant=author, idea=idea)
    with pytest.raises(ValidationError, match="at most 1 link"):
        services.comment_add(
            participant=supporter, idea=idea, body="https://a.example https://b.example"
        )
    services.comment_add(participant=supporter, idea=idea, body="Yes, and compost too.")
    assert Comment.objects.filter(idea=idea).count() == 1


def test_ideas_sent_at_the_same_moment_are_all_kept(mission, lead, transactional_db):
    consultation = published_consultation(mission, lead)
    people = [participant() for _ in range(8)]
    errors: list[BaseException] = []

    def send(person: Participant) -> None:
        try:
            _idea(person, consultation, title=f"From {person.display_name}")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(consultation.ideas.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_moderation_hides_with_a_reason_restores_and_bans(mission, lead, member):
    consultation = published_consultation(mission, lead)
    author = participant()
    idea = _idea(author, consultation)
    editor, viewer = member("editor"), member("viewer")
    with pytest.raises(PermissionDenied):
        services.idea_hide(by=viewer, idea=idea, reason="Rude")
    with pytest.raises(ValidationError):
        services.idea_hide(by=editor, idea=idea, reason="   ")
    hidden = services.idea_hide(by=editor, idea=idea, reason="It names a private person.")
    assert hidden.is_hidden and hidden.hidden_reason == "It names a private person."
    assert MissionChange.objects.filter(object_type="moderation of an idea").exists()
    restored = services.idea_restore(by=editor, idea=hidden)
    assert not restored.is_hidden

    with pytest.raises(PermissionDenied):
        services.participant_ban(by=editor, idea=restored, reason="Spam")
    services.participant_ban(by=lead, idea=restored, reason="Posted advertising again and again.")
    author.refresh_from_db()
    assert author.is_banned
    with pytest.raises(services.Refused, match="advertising"):
        _idea(author, consultation, title="Back again")


def test_an_answer_needs_a_reason_and_an_idea_becomes_a_project(mission, lead, member):
    consultation = published_consultation(mission, lead)
    first = _idea(participant(), consultation)
    second = _idea(participant(), consultation, title="Gardens at schools")
    editor = member("editor")
    with pytest.raises(ValidationError, match="why"):
        services.idea_answer(
            by=editor, idea=first, expected_version=first.version, answer="adopted", response=""
        )
    project = services.idea_to_project(by=editor, idea=first)
    assert project.origin == Origin.CITIZEN_IDEA and project.title == "School gardens"
    first.refresh_from_db()
    assert first.project == project
    # Twice is once.
    assert services.idea_to_project(by=editor, idea=first) == project
    answered = services.idea_answer(
        by=editor,
        idea=first,
        expected_version=first.version,
        answer=Answer.ADOPTED,
        response="It is now a pilot in ten schools.",
    )
    assert answered.responded_at is not None
    merged = services.idea_answer(
        by=editor,
        idea=second,
        expected_version=second.version,
        answer=Answer.MERGED,
        response="The same as idea 1.",
        merged_into=first,
    )
    assert merged.merged_into == first
    # Saved unchanged: nothing written.
    again = services.idea_answer(
        by=editor,
        idea=merged,
        expected_version=merged.version,
        answer=Answer.MERGED,
        response="The same as idea 1.",
        merged_into=first,
    )
    assert again.version == merged.version


def test_forgetting_a_participant_keeps_their_ideas_without_their_name(mission, lead):
    consultation = published_consultation(mission, lead)
    person, other = participant(), participant()
    idea = _idea(person, consultation)
    mine = _idea(other, consultation, title="Other idea")
    services.idea_support(participant=person, idea=mine)
    services.comment_add(participant=person, idea=mine, body="Good one.")
    services.participant_forget(participant=person)
    assert not Participant.objects.filter(email=person.email).exists()
    idea.refresh_from_db()
    assert idea.participant is None and idea.author_name == "" and idea.title == "School gardens"
    assert Support.objects.filter(idea=mine).count() == 1
    assert Comment.objects.get(idea=mine).author_name == ""


def test_a_sign_in_link_confirms_the_address_and_at_most_three_go_out_an_hour(
    mission, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as sent:
        for _ in range(5):
            services.send_sign_in_link(
                email="Ana@Example.org",
                display_name="Ana",
                site="http://testserver",
                next_path="",
            )
    person = Participant.objects.get(email="ana@example.org")
    assert person.links_sent == services.LINKS_PER_HOUR
    assert len(sent) == services.LINKS_PER_HOUR
    assert not person.is_confirmed
    token = services.sign_in_token(person)
    assert services.participant_from_token(token) == person
    person.refresh_from_db()
    assert person.is_confirmed
    assert services.participant_from_token(token[:-2] + "xx") is None


def test_a_representative_speaks_for_their_organisation_once_verified(mission, lead):
    consultation = published_consultation(mission, lead)
    person = participant(organisation_name="Friends of School Food")
    own = _idea(person, consultation, title="As myself")
    for_them = _idea(person, consultation, title="For the organisation", on_behalf=True)
    assert for_them.on_behalf_of == ""  # not verified yet: shown as the person only
    services.representative_verify(by=lead, idea=for_them)
    own.refresh_from_db()
    for_them.refresh_from_db()
    assert (own.on_behalf_of, for_them.on_behalf_of) == ("", "Friends of School Food")
    later = _idea(person, consultation, title="Later", on_behalf=True)
    assert later.on_behalf_of == "Friends of School Food"
    with pytest.raises(ValidationError, match="organisation"):
        _idea(participant(), consultation, title="No organisation named", on_behalf=True)


def test_visitors_without_a_session_share_a_copy_participants_get_a_fresh_page(
    client, mission, lead, django_assert_num_queries
):
    from django.urls import reverse

    consultation = published_consultation(mission, lead)
    url = reverse(
        "public:consultation", args=[mission.organisation.slug, mission.key, consultation.key]
    )
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=30"
    _idea(participant(), consultation, title="A new idea")
    # The shared copy, read from the cache without a query; the new idea shows once it expires.
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content and b"A new idea" not in again.content
    # Someone signed in to take part sees it at once.
    from participation.session import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = participant().pk
    session.save()
    client.cookies["sessionid"] = session.session_key
    fresh = client.get(url)
    assert b"A new idea" in fresh.content and "public" not in fresh.get("Cache-Control", "")


def test_a_robot_that_fills_the_hidden_field_gets_the_same_answer_and_nothing_is_kept(
    client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    url = reverse("public:take_part")
    form = client.get(url).content.decode()
    assert 'aria-hidden="true"' in form and 'name="website"' in form  # hidden from people
    with django_capture_on_commit_callbacks() as sent:
        robot = client.post(
            url, {"email": "bot@example.org", "display_name": "Bot", "website": "http://spam"}
        )
    assert robot.status_code == 302 and robot.url == reverse("public:link_sent")
    assert not Participant.objects.filter(email="bot@example.org").exists() and not sent
    with django_capture_on_commit_callbacks() as sent:
        person = client.post(url, {"email": "ana@example.org", "display_name": "Ana"})
    assert person.url == robot.url  # the same answer: a robot learns nothing
    assert Participant.objects.filter(email="ana@example.org").exists() and len(sent) == 1


def test_a_consultation_saved_unchanged_from_a_browser_writes_nothing(mission, lead):
    """A textarea sends its lines back with "\\r\\n": the same text, so nothing is written."""
    consultation = published_consultation(mission, lead, questions="First?\nSecond?")
    assert consultation.questions == "First?\nSecond?"
    again = services.consultation_update(
        by=lead,
        consultation=consultation,
        expected_version=consultation.version,
        questions="First?\r\nSecond?",
        themes="Food\r\nMobility",
    )
    assert again.version == consultation.version
    made = published_consultation(mission, lead, questions="A?\r\nB?")
    assert made.questions == "A?\nB?"


def test_a_consultation_not_yet_open_says_when_it_opens_not_that_it_closed(client, mission, lead):
    from django.urls import reverse

    later = published_consultation(
        mission,
        lead,
        opens_on=timezone.localdate() + datetime.timedelta(days=5),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    page = client.get(
        reverse("public:consultation", args=[mission.organisation.slug, mission.key, later.key])
    ).content.decode()
    assert "Opens soon" in page and "Closed" not in page
    assert "Send in an idea" not in page and "Take part to send in an idea" not in page
