"""The inbox pages: the list (newest first, unread in words, paged, mark all as read), opening a
notification (read, then straight to the thing; someone else's is 404), the header's count in
one query, e-mail preferences, unsubscribing without signing in, and the rules the database
holds."""

import pytest
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inbox import services
from inbox.models import Delivery, Kind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db

URL = "/organisations/health/missions/healthy-years/"


@pytest.fixture
def tell(organisation, mission, owner):
    def make(person, title="Healthy years", url=URL):
        (notification,) = services.notify(
            kind=Kind.MISSION_PROPOSED,
            organisation_id=organisation.pk,
            mission_id=mission.pk,
            recipients=[person.pk],
            by=owner,
            params={"actor": "Sam <Servant>", "mission": title},
            url=url,
        )
        return notification

    return make


def test_the_inbox_lists_newest_first_with_unread_in_words_and_escaped(client, reviewer, tell):
    tell(reviewer, "Older")
    newer = tell(reviewer, "Newer <script>")
    services.notification_mark_read(by=reviewer, notification=newer)
    client.force_login(reviewer)
    page = client.get(reverse("inbox:list")).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert "You have 1 unread notification." in page
    assert ">Unread</strong>" in page and ">Read</strong>" in page
    assert "Newer &lt;script&gt;" in page and "Sam &lt;Servant&gt;" in page
    assert "<script>" not in page.split("<main", 1)[1]
    assert "Mark all as read" in page
    assert "Inbox (1 unread)" in page  # the header


def test_the_inbox_is_paged(client, reviewer, tell):
    for number in range(27):
        tell(reviewer, f"Mission {number}")
    client.force_login(reviewer)
    first = client.get(reverse("inbox:list")).content.decode()
    assert "Mission 26" in first and "Mission 1\u201d" not in first
    second = client.get(reverse("inbox:list"), {"page": 2}).content.decode()
    assert "Mission 1\u201d" in second and "Mission 0\u201d" in second
    assert client.get(reverse("inbox:list"), {"page": "x"}).status_code == 200


def test_mark_all_as_read(client, reviewer, lead, tell):
    tell(reviewer)
    tell(reviewer)
    theirs = tell(lead)
    client.force_login(reviewer)
    response = client.post(reverse("inbox:mark_all_read"), follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=reviewer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.is_unread
    assert client.get(reverse("inbox:mark_all_read")).status_code == 405


def test_opening_a_notification_marks_it_read_and_goes_straight_to_it(client, reviewer, tell):
    notification = tell(reviewer, url=f"{URL}canvas/#comment-7")
    client.force_login(reviewer)
    response = client.get(reverse("inbox:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == f"{URL}canvas/#comment-7"
    notification.refresh_from_db()
    assert not notification.is_unread
    first_read = notification.read_at
    client.get(reverse("inbox:open", args=[notification.pk]))  # again: still read, same time
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_someone_elses_notification_is_404_and_stays_unread(client, reviewer, lead, tell):
    notification = tell(lead)
    client.force_login(reviewer)
    assert client.get(reverse("inbox:open", args=[notification.pk])).status_code == 404
    assert client.get(reverse("inbox:open", args=[notification.pk + 1000])).status_code == 404
    assert client.get("/inbox/99999999999999999999999/").status_code == 404
    notification.refresh_from_db()
    assert notification.is_unread


def test_signed_out_the_inbox_asks_to_sign_in(client, reviewer, tell):
    notification = tell(reviewer)
    for url in (reverse("inbox:list"), reverse("inbox:open", args=[notification.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response.url


def test_the_header_count_is_one_query_and_in_words(client, reviewer, tell):
    # Any page but Home, which also lists what is addressed to the person.
    client.force_login(reviewer)
    page = client.get(reverse("accounts:account")).content.decode()
    assert ">Inbox</a>" in page
    for _ in range(3):
        tell(reviewer)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("accounts:account")).content.decode()
    assert "Inbox (3 unread)" in page
    inbox_queries = [q for q in captured.captured_queries if "inbox_notification" in q["sql"]]
    assert len(inbox_queries) == 1


def test_preferences_are_radios_and_saved(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("inbox:preferences")).content.decode()
    assert "govuk-radios" in page
    assert (
        'value="immediately" required class="govuk-radios__input" id="id_delivery_0" checked'
        in page
    )
    response = client.post(reverse("inbox:preferences"), {"delivery": "daily"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reviewer).delivery == Delivery.DAILY
    refused = client.post(reverse("inbox:preferences"), {"delivery": "hourly"})
    assert refused.status_code == 422
    assert "Choose how you want to be e-mailed." in refused.content.decode()
    assert NotificationPreference.objects.get(user=reviewer).delivery == Delivery.DAILY


def test_unsubscribing_needs_no_sign_in_and_a_bad_link_says_so(client, reviewer, monkeypatch):
    token = services.unsubscribe_token(reviewer)
    url = reverse("inbox:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and reviewer.email in page.content.decode()
    assert client.post(url).status_code == 200
    assert NotificationPreference.objects.get(user=reviewer).delivery == Delivery.OFF

    unsigned = signing.dumps({"user": reviewer.pk})  # signed, but not for this purpose
    for bad in (token[:-2] + "xx", "nonsense", unsigned):
        response = client.post(reverse("inbox:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    monkeypatch.setattr(services, "UNSUBSCRIBE_MAX_AGE", -1)  # every link is now too old
    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "gossip"},
        {"url": "https://elsewhere.example/"},
        {"url": "//elsewhere.example/"},
    ],
)
def test_the_database_refuses_a_bad_kind_or_a_link_off_the_site(fields, organisation, reviewer):
    values = {"kind": Kind.MENTION, "url": URL, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=reviewer, organisation=organisation, **values)


def test_the_database_refuses_an_unknown_delivery(reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationPreference.objects.create(user=reviewer, delivery="hourly")
