import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import PASSWORD


@pytest.mark.django_db
def test_signing_in_with_an_email_address_lands_on_home(client, member):
    user = member("editor", full_name="Sam Servant")

    response = client.post(
        reverse("accounts:login"),
        {"username": user.email.upper(), "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welcome, Sam" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_the_page(client, member):
    user = member("editor")

    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})

    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_pages_need_sign_in_but_the_sign_in_page_does_not(client):
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:login")).status_code == 200


@pytest.mark.django_db
def test_signing_out_is_a_post_and_ends_the_session(client, member):
    client.force_login(member("viewer"))

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, member):
    user = member("viewer")

    client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-much-better-passphrase-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.gov"}, follow=True
    )
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_with_reasons(client, member):
    user = member("viewer")
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )

    page = response.content.decode()
    assert "This password is too short" in page
    assert "This password is entirely numeric" in page
