"""Which language a page speaks (the person's choice, then the browser's, then the
organisation's), the switcher every page carries, and e-mails in the recipient's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import Organisation, User
from missions import formatting

pytestmark = pytest.mark.django_db


def _heading_language(response) -> str:
    return response.headers["Content-Language"]


def test_a_visitor_gets_the_first_language_their_browser_asks_for_that_is_offered(client):
    sign_in = reverse("accounts:login")
    assert _heading_language(client.get(sign_in, HTTP_ACCEPT_LANGUAGE="pl, de-AT;q=0.8")) == "de"
    response = client.get(sign_in, HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5")
    assert _heading_language(response) == "nl"
    assert '<html lang="nl"' in response.text
    assert _heading_language(client.get(sign_in, HTTP_ACCEPT_LANGUAGE="pl")) == "en-gb"


def test_the_switcher_on_the_sign_in_page_keeps_the_choice_in_a_cookie(client):
    sign_in = reverse("accounts:login")
    page = client.get(sign_in).text
    # Every offered language is a button named in its own language, the current one marked.
    for code, name in (("es", "Español"), ("nl", "Nederlands"), ("sv", "Svenska")):
        assert f'value="{code}" lang="{code}"' in page and name in page
    assert 'aria-current="true">English</span>' in page

    response = client.post(reverse("set_language"), {"language": "sv", "next": sign_in})
    assert response.status_code == 302 and response.url == sign_in
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    # The choice beats the browser's preference from now on.
    again = client.get(sign_in, HTTP_ACCEPT_LANGUAGE="de")
    assert _heading_language(again) == "sv"
    assert "Logga in" in again.text or 'lang="sv"' in again.text


def test_a_signed_in_persons_choice_is_kept_on_their_account_and_beats_everything(
    client, organisation, member
):
    Organisation.objects.filter(pk=organisation.pk).update(language="fr")
    editor = member("editor")
    client.force_login(editor)
    home = reverse("home")
    # No choice, a browser asking for nothing offered: the organisation's language.
    assert _heading_language(client.get(home, HTTP_ACCEPT_LANGUAGE="pl")) == "fr"
    # The browser's offered language comes before the organisation's.
    assert _heading_language(client.get(home, HTTP_ACCEPT_LANGUAGE="es")) == "es"

    client.post(reverse("set_language"), {"language": "de", "next": home})
    assert User.objects.get(pk=editor.pk).language == "de"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)  # another browser, same account
    assert _heading_language(client.get(home, HTTP_ACCEPT_LANGUAGE="es")) == "de"


def test_an_unknown_language_or_a_foreign_address_is_refused_plainly(client, member):
    client.force_login(member("viewer"))
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": reverse("home")}, follow=True
    )
    assert response.status_code == 200
    assert "Choose one of the languages Lodestar offers." in response.text
    response = client.post(
        reverse("set_language"), {"language": "nl", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("set_language")).status_code == 405


def test_choosing_the_language_one_has_changes_nothing(member):
    person = member("viewer")
    assert services.language_choose(user=person, language="nl")
    assert not services.language_choose(user=person, language="nl")


def test_an_invitation_is_written_in_the_recipients_language_not_the_senders(
    organisation, member, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    Organisation.objects.filter(pk=organisation.pk).update(language="nl")
    organisation.refresh_from_db()
    admin = member("admin", language="en-gb")
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        services.membership_add(
            by=admin,
            organisation=organisation,
            email="new.person@example.gov",
            full_name="New Person",
            role="editor",
            invite_url_base="https://lodestar.example",
        )
    message = mail.outbox[-1]
    with translation.override("nl"):
        expected = translation.gettext("You have been added to %(organisation)s in Lodestar") % {
            "organisation": organisation.name
        }
    assert message.subject == expected
    assert "You have been added" not in message.subject


@pytest.mark.parametrize(
    ("language", "amount", "number", "day"),
    [
        ("en-gb", "€12,500,000", "62.5", "6 December 2026"),
        ("de", "12.500.000\xa0€", "62,5", "6. Dezember 2026"),
        ("nl", "€\xa012.500.000", "62,5", "6 december 2026"),
        ("fr", "12\u202f500\u202f000\xa0€", "62,5", "6 décembre 2026"),
        ("es", "12.500.000\xa0€", "62,5", "6 de diciembre de 2026"),
        ("sv", "12\xa0500\xa0000\xa0€", "62,5", "6 december 2026"),
    ],
)
def test_money_numbers_and_dates_are_written_as_each_language_writes_them(
    language, amount, number, day
):
    with translation.override(language):
        assert formatting.money("12500000.00", "EUR") == amount
        assert formatting.number("62.50") == number
        assert formatting.day("2026-12-06") == day


def test_a_currency_without_a_symbol_stands_apart_from_its_digits():
    with translation.override("en-gb"):
        assert formatting.money("1234567.5", "SEK") == "SEK\xa01,234,567.50"


def test_the_account_page_says_whose_choice_the_language_is_and_forgets_it_on_request(
    client, member
):
    person = member("viewer")
    client.force_login(person)
    account = reverse("accounts:account")
    page = client.get(account, HTTP_ACCEPT_LANGUAGE="en").text
    assert "the first language your browser asks for" in page
    assert "Follow my browser instead" not in page

    client.post(reverse("set_language"), {"language": "sv", "next": account})
    page = client.get(account).text
    with translation.override("sv"):
        chosen = translation.gettext(
            "%(name)s, as you chose with the language links at the top of every page"
        ) % {"name": "Svenska"}
    assert chosen in page and "Svenska" in chosen

    response = client.post(reverse("set_language"), {"language": "", "next": account})
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).language == ""
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert _heading_language(client.get(account, HTTP_ACCEPT_LANGUAGE="fr")) == "fr"
