"""Lodestar in the language of the person using it, clicked from the sign-in page: an editor
chooses Nederlands on the sign-in page and starts, fills and proposes a mission in Dutch; a
lead whose browser asks for German finds it on Home, decides on it and makes a briefing pack
in German. Every page is checked against the catalogue for English left on it, and with axe.
The labels the test clicks are the catalogue's own translations, read as the page shows them."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from accounts.tests.factories import PASSWORD
from accounts.tests.two_factor import authenticator_for, code_for
from config.wording import in_sentence
from missions.forms import ProjectForm, TargetForm
from missions.models import Mission, MissionStatus
from missions.tests.factories import ActorFactory
from portfolios.models import ReviewDecision
from tests.a11y import assert_accessible
from tests.english_left import english_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Vijf gezonde levensjaren erbij"


def say(language: str, english: str, **values: object) -> str:
    """The words a page in `language` shows for this English message."""
    with translation.override(language):
        text = translation.gettext(english)
    return text % values if values else text


def label_of(language: str, form_class: type, field: str) -> str:
    """A form field's label as the page in `language` shows it (model fields take theirs from
    the model's verbose name)."""
    with translation.override(language):
        return str(form_class.base_fields[field].label)


def field(page: Page, label: str):
    """The field whose label is `label`, perhaps followed by its "(optional)" mark."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(?: \(.*\))?$"))


def _in_language(page: Page, language: str) -> None:
    """The page is in `language`, has no English left on it, and passes axe."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert english_on(page, language) == [], page.url
    assert_accessible(page)


def _sign_in(page: Page, base_url: str, user, language: str, device=None) -> None:
    """The sign-in page, and the code page when the person has an authenticator, as a person
    fills them in `language`; ends on Home."""
    page.get_by_label(say(language, "Email address")).fill(user.email)
    page.get_by_label(say(language, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=say(language, "Sign in"), exact=True).click()
    if device is not None:
        page.wait_for_url(f"{base_url}/account/two-factor/code/**")
        _in_language(page, language)
        page.get_by_label(say(language, "Code from your authenticator app")).fill(code_for(device))
        page.get_by_role("button", name=say(language, "Continue")).click()
    page.wait_for_url(f"{base_url}/")
    _in_language(page, language)


def _editor_in_dutch(page: Page, base_url: str, editor) -> None:
    nl = "nl"
    page.goto(f"{base_url}/")
    # The sign-in page speaks the browser's English; the switcher is at the top.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lodestar")
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say(nl, "Sign in to Lodestar"))
    _in_language(page, nl)
    _sign_in(page, base_url, editor, nl)

    page.get_by_role(
        "link", name=say(nl, "Start a mission in %(name)s", name="Ministry of Health and Care")
    ).click()
    _in_language(page, nl)
    page.get_by_label(say(nl, "Grand challenge")).fill("Gezond ouder worden")
    page.get_by_label(say(nl, "Mission title")).fill(TITLE)
    page.get_by_label(say(nl, "Mission statement")).fill(
        "In 2040 leven alle Nederlanders ten minste vijf jaar langer in goede gezondheid."
    )
    page.get_by_label(say(nl, "Deadline year")).fill("2040")
    page.get_by_role("button", name=say(nl, "Start the draft")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    _in_language(page, nl)

    page.get_by_role("link", name=say(nl, "Targets and milestones")).click()
    _in_language(page, nl)
    field(page, label_of(nl, TargetForm, "title")).fill("Gezonde levensverwachting bij geboorte")
    field(page, label_of(nl, TargetForm, "direction")).select_option("increase")
    field(page, label_of(nl, TargetForm, "baseline_value")).fill("62.5")
    field(page, label_of(nl, TargetForm, "baseline_year")).fill("2018")
    field(page, label_of(nl, TargetForm, "target_value")).fill("67")
    field(page, label_of(nl, TargetForm, "target_year")).fill("2040")
    field(page, label_of(nl, TargetForm, "unit")).fill("jaren in goede gezondheid")
    page.get_by_role("button", name=say(nl, "Add target")).click()
    target = page.locator("#target-gezonde-levensverwachting-bij-geboorte")
    # The number is shown back the Dutch way, with a decimal comma.
    expect(target).to_contain_text("62,5")
    _in_language(page, nl)

    page.get_by_role("link", name=say(nl, "Projects"), exact=True).click()
    field(page, label_of(nl, ProjectForm, "title")).fill("Gezondheidslabs in de wijk")
    page.get_by_label(say(nl, "Lead actor")).select_option(label="GGD Nederland")
    field(page, label_of(nl, ProjectForm, "instrument")).select_option("grant")
    field(page, label_of(nl, ProjectForm, "stage")).select_option("demonstration")
    field(page, label_of(nl, ProjectForm, "origin")).select_option("open_call")
    page.get_by_role("button", name=say(nl, "Add project")).click()
    expect(page.locator("#project-gezondheidslabs-in-de-wijk")).to_be_visible()
    _in_language(page, nl)

    page.get_by_role("link", name=say(nl, "Canvas"), exact=True).click()
    _in_language(page, nl)
    page.locator("#canvas-board").get_by_role(
        "link", name=say(nl, "Governance and mandate"), exact=True
    ).click()
    box = page.locator("#box-governance")
    box.get_by_role("textbox").first.fill("Het kabinet geeft het mandaat; VWS coördineert.")
    saved = say(nl, "Saved %(time)s", time="").strip()
    expect(box.locator(".lodestar-save-state")).to_contain_text(saved, timeout=15000)
    _in_language(page, nl)

    page.get_by_role("link", name=say(nl, "Overview"), exact=True).click()
    page.get_by_role("button", name=say(nl, "Propose for approval")).click()
    with translation.override(nl):
        proposed = say(
            nl, "The mission is now %(status)s.", status=in_sentence(say(nl, "Proposed"))
        )
    expect(page.get_by_text(proposed)).to_be_visible()
    _in_language(page, nl)
    page.get_by_role("button", name=say(nl, "Sign out")).click()


def _lead_in_german(page: Page, base_url: str, lead) -> None:
    de = "de"
    device = authenticator_for(lead)
    page.goto(f"{base_url}/")
    # The browser asks for German: the sign-in page is German before anything is chosen.
    expect(page.get_by_role("heading", level=1)).to_have_text(say(de, "Sign in to Lodestar"))
    _in_language(page, de)
    _sign_in(page, base_url, lead, de, device=device)

    page.get_by_role("link", name=say(de, "Decide on “%(title)s”", title=TITLE)).click()
    _in_language(page, de)
    page.get_by_label(say(de, "Request changes")).check()
    page.get_by_label(say(de, "Comments for the mission's owners")).fill(
        "Bitte das Mandat des Kabinetts eintragen und erneut vorlegen."
    )
    page.get_by_role("button", name=say(de, "Record the decision")).click()
    expect(page.locator(".govuk-notification-banner__heading")).to_contain_text(TITLE)
    _in_language(page, de)

    page.get_by_role("link", name=say(de, "Missions"), exact=True).first.click()
    _in_language(page, de)
    page.locator("#pack-vijf-gezonde-levensjaren-erbij").check()
    page.get_by_role(
        "button", name=say(de, "Make a briefing pack of the chosen missions (PDF)")
    ).click()
    status = page.locator("#document-status")
    # "„…“ herunterladen (PDF)": the words around the pack's title.
    download = max(say(de, "Download “%(title)s” (PDF)").split("%(title)s"), key=len).strip()
    expect(status.get_by_role("link", name=re.compile(re.escape(download)))).to_be_visible(
        timeout=60000
    )
    _in_language(page, de)


def test_an_editor_works_in_dutch_and_a_lead_decides_in_german(
    live_server, browser: Browser, member, organisation, celery_worker
):
    editor = member("editor", full_name="Sam Servant")
    lead = member("lead", full_name="Lee Lead")
    ActorFactory(organisation=organisation, name="GGD Nederland")

    english_browser = browser.new_context(locale="en-GB")
    _editor_in_dutch(english_browser.new_page(), live_server.url, editor)
    english_browser.close()
    mission = Mission.objects.get(title=TITLE)
    assert mission.status == MissionStatus.PROPOSED

    german_browser = browser.new_context(locale="de-DE")
    _lead_in_german(german_browser.new_page(), live_server.url, lead)
    german_browser.close()
    assert ReviewDecision.objects.get(mission=mission).decision == "request_changes"
    # The pack was made in German: its inputs record the language it was asked in.
    from documents.models import DocumentKind, GeneratedDocument

    pack = GeneratedDocument.objects.get(kind=DocumentKind.PACK)
    assert pack.context["language"] == "de"
