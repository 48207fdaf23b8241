"""The rest of a participant's pages, reached by clicking from the link in their e-mail: their
contributions, the download of their data, the privacy notice, reporting an idea, deleting their
data, and a link that no longer works. axe on each, at 1366 and at 390 px."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from missions.tests.factories import MissionFactory
from participation import services
from participation.models import Idea, Participant, Report
from participation.tests.factories import participant, published_consultation
from tests.e2e.test_participation import _accessible_at_both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_participant_reads_reports_downloads_and_deletes(
    live_server, page: Page, organisation, member
):
    mission = MissionFactory(organisation=organisation, key="food", title="Healthy school food")
    consultation = published_consultation(mission, member("lead"))
    other = services.idea_submit(
        participant=participant(), consultation=consultation, title="Adverts", body="Buy now!"
    )
    ana = participant(display_name="Ana")
    mine = services.idea_submit(
        participant=ana, consultation=consultation, title="School gardens", body="Grow food."
    )

    # A link that no longer works says so.
    page.goto(live_server.url + "/public/take-part/link/not-a-real-link/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    _accessible_at_both_widths(page)
    page.get_by_role("link", name="Ask for a new link").click()
    expect(page.get_by_role("heading", name="Take part", exact=True)).to_be_visible()

    # The link from her e-mail signs her in.
    page.goto(live_server.url + "/public/take-part/link/" + services.sign_in_token(ana) + "/")
    page.get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    _accessible_at_both_widths(page)

    page.get_by_role("link", name="Your contributions (Ana)").click()
    expect(page.get_by_role("link", name="School gardens")).to_be_visible()
    _accessible_at_both_widths(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything we hold about you").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["display_name"] == "Ana" and data["ideas"][0]["title"] == "School gardens"

    # She reports someone else's idea.
    page.get_by_role("link", name="Missions in public").first.click()
    page.get_by_role("link", name="Healthy school food").click()
    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("link", name="Adverts").click()
    page.get_by_role("link", name="Report this idea to a moderator").click()
    _accessible_at_both_widths(page)
    page.get_by_label("What is wrong with it?").fill("It is advertising.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you: a moderator will look at it.")).to_be_visible()
    assert Report.objects.get(idea=other).reason == "It is advertising."

    # She deletes her personal data: her idea stays, without her name.
    page.get_by_role("link", name="Your contributions (Ana)").click()
    page.get_by_role("link", name="Delete your personal data").click()
    _accessible_at_both_widths(page)
    page.get_by_role("button", name="Delete my personal data").click()
    expect(page.get_by_text("Your personal data is deleted.")).to_be_visible()
    assert not Participant.objects.filter(pk=ana.pk).exists()
    kept = Idea.objects.get(pk=mine.pk)
    assert kept.participant is None and kept.author_name == "" and kept.title == "School gardens"
    expect(page.get_by_role("link", name="Take part")).to_be_visible()  # signed out
