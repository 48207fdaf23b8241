"""Notification e-mails end to end through a real Celery worker: at once for those who want it,
one daily digest per person for those who chose it, none for those who turned them off, each
with a working unsubscribe link that needs no sign-in, and nothing sent twice."""

import re

import pytest

from inbox import services
from inbox.models import Delivery, Kind, Notification, NotificationPreference
from inbox.tasks import send_daily_digests_task
from missions.services import mission_transition

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

SITE = "http://127.0.0.1:8000"


def unsubscribe_path(body: str) -> str:
    found = re.search(rf"{re.escape(SITE)}(/inbox/unsubscribe/[^/\s]+/)", body)
    assert found, body
    return found.group(1)


def test_a_proposal_emails_those_who_want_it_at_once_and_the_link_unsubscribes(
    client, mission, owner, reviewer, lead, member, worker_mail
):
    daily = member("reviewer", full_name="Dee Daily")
    services.preference_set(by=daily, delivery=Delivery.DAILY)
    off = member("reviewer", full_name="Otto Off")
    services.preference_set(by=off, delivery=Delivery.OFF)

    mission_transition(by=owner, mission=mission, transition="propose")
    sent = worker_mail()

    assert sorted(message["To"] for message in sent) == sorted([reviewer.email, lead.email])
    message = next(message for message in sent if message["To"] == reviewer.email)
    assert message["Subject"] == "Sam Servant proposed the mission “Healthy years” for approval."
    body = message.get_content()
    assert message.get_content_type() == "text/plain"
    assert "Sam Servant proposed the mission “Healthy years” for approval." in body
    assert f"{SITE}/organisations/health/missions/healthy-years/\n" in body
    assert f"{SITE}/inbox/preferences/" in body
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert set(emailed.values_list("recipient", flat=True)) == {reviewer.pk, lead.pk}

    # Nothing is sent twice: the same run again (a redelivered task) finds nothing to send.
    assert (
        services.emails_send_immediate(
            notification_ids=list(Notification.objects.values_list("pk", flat=True))
        )
        == 0
    )

    # The link in the e-mail works without signing in: a page with one button, which stops them.
    path = unsubscribe_path(body)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these e-mails" in page.content.decode()
    assert not NotificationPreference.objects.filter(
        user=reviewer
    ).exists()  # a GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert NotificationPreference.objects.get(user=reviewer).delivery == Delivery.OFF
    assert len(worker_mail()) == len(sent)  # and nothing more was sent meanwhile


def test_the_daily_digest_sends_one_email_per_person_with_their_notifications(
    mission, owner, member, organisation, worker_mail
):
    ann = member("reviewer", full_name="Ann Daily")
    bob = member("reviewer", full_name="Bob Daily")
    cat = member("reviewer", full_name="Cat Now")
    for person in (ann, bob):
        services.preference_set(by=person, delivery=Delivery.DAILY)

    def tell(people, title):
        return services.notify(
            kind=Kind.MISSION_PROPOSED,
            organisation_id=organisation.pk,
            mission_id=mission.pk,
            recipients=[person.pk for person in people],
            by=owner,
            params={"actor": "Sam Servant", "mission": title},
            url="/organisations/health/missions/healthy-years/",
        )

    tell([ann, bob, cat], "First mission")
    tell([ann], "Second mission")
    (read,) = tell([ann], "Already read mission")
    services.notification_mark_read(by=ann, notification=read)
    immediate = worker_mail()
    assert [message["To"] for message in immediate] == [cat.email]  # the digest people wait

    send_daily_digests_task.delay()
    digests = [message for message in worker_mail() if message["Subject"].startswith("Lodestar:")]
    assert sorted(message["To"] for message in digests) == sorted([ann.email, bob.email])
    to_ann = next(message for message in digests if message["To"] == ann.email)
    assert to_ann["Subject"] == "Lodestar: 2 new notifications"
    body = to_ann.get_content()
    assert "- Sam Servant proposed the mission “First mission” for approval." in body
    assert "- Sam Servant proposed the mission “Second mission” for approval." in body
    assert "Already read mission" not in body
    assert "/inbox/unsubscribe/" in body
    to_bob = next(message for message in digests if message["To"] == bob.email)
    assert to_bob["Subject"] == "Lodestar: 1 new notification"
    assert "Second mission" not in to_bob.get_content()

    # Beat firing twice sends nothing more.
    send_daily_digests_task.delay()
    assert len(worker_mail()) == len(immediate) + len(digests)
