"""Django's admin (/admin/) admits active staff who have passed two-factor, and nobody else;
LODESTAR_ADMIN=0 removes it (every /admin/ URL answers 404). config/urls.py wires both."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.http import HttpResponseBase
from django.test import Client, override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.two_factor import TEST_DEVICE_NAME, authenticator_for, code_for

pytestmark = pytest.mark.django_db

ADMIN_INDEX = "/admin/"
ADMIN_LOGIN = "/admin/login/"
# A model page as well as the index: ModelAdmin views are guarded on their own, not by the index.
ADMIN_PAGES = (ADMIN_INDEX, "/admin/accounts/user/", "/admin/otp_totp/totpdevice/")


def _reload_urls() -> None:
    """The URLconf reads LODESTAR_ADMIN once, at import: import it again, afresh."""
    clear_url_caches()
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def admin_switched_off() -> Iterator[None]:
    with override_settings(LODESTAR_ADMIN=False):
        _reload_urls()
        yield
    _reload_urls()  # the admin is back for the tests that run next in this process


def _staff(**fields: object) -> User:
    return UserFactory(is_staff=True, **fields)


def _assert_sent_to_sign_in(response: HttpResponseBase, page: str) -> None:
    """Django's answer to someone the admin does not admit: a sign-in page. The admin's own
    for its site-wide pages; model pages carry no login URL of their own, so the signed-out meet
    Lodestar's (LOGIN_URL, via LoginRequiredMiddleware). Both ask for the code as well."""
    assert response.status_code == 302, page
    assert response.url.startswith(
        (f"{ADMIN_LOGIN}?next=", f"{reverse('accounts:login')}?next=")
    ), response.url


def test_the_admin_is_on_by_default():
    assert settings.LODESTAR_ADMIN is True
    assert reverse("admin:index") == ADMIN_INDEX


def test_staff_who_passed_two_factor_use_the_admin(client):
    staff = _staff(is_superuser=True)  # plain staff also need each model's permissions
    authenticator_for(staff)
    client.force_login(staff)  # with a device, force_login passes two-factor (conftest.py)

    for page in ADMIN_PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
    assert "Site administration" in client.get(ADMIN_INDEX).content.decode()


def test_the_signed_out_are_sent_to_sign_in(client):
    for page in ADMIN_PAGES:
        _assert_sent_to_sign_in(client.get(page), page)


@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_staff_without_two_factor_cannot_open_the_admin(client, superuser):
    staff = _staff(is_superuser=superuser)  # no authenticator, no lead role: nothing asks for one
    client.force_login(staff)
    assert "_auth_user_id" in client.session

    for page in ADMIN_PAGES:
        _assert_sent_to_sign_in(client.get(page), page)
    sign_in_page = client.get(f"{ADMIN_LOGIN}?next={ADMIN_INDEX}").content.decode()
    assert "but are not authorized to" in sign_in_page
    assert "Site administration" not in sign_in_page


def test_staff_with_an_authenticator_pass_the_code_page_first(client):
    staff = _staff()
    client.force_login(staff)  # signed in with the password only ...
    TOTPDevice.objects.create(
        user=staff, name=TEST_DEVICE_NAME, confirmed=True
    )  # ... then a device

    for page in ADMIN_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        # accounts.middleware.TwoFactorMiddleware asks for the code before the admin answers.
        assert response.url.startswith(reverse("accounts:two_factor_verify")), response.url


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_people_who_are_not_staff_cannot_open_the_admin(client, member, role):
    person = member(role)  # an organisation's administrator is still not Django staff
    authenticator_for(person)
    client.force_login(person)  # two-factor passed

    for page in ADMIN_PAGES:
        _assert_sent_to_sign_in(client.get(page), page)


def test_inactive_staff_cannot_open_the_admin(client):
    staff = _staff()
    authenticator_for(staff)
    client.force_login(staff)
    User.objects.filter(pk=staff.pk).update(is_active=False)

    response = client.get(ADMIN_INDEX)

    assert response.status_code == 302
    assert "Site administration" not in client.get(response.url).content.decode()


def test_the_admin_sign_in_page_asks_for_the_code_too(client):
    staff = _staff()
    device = authenticator_for(staff)
    credentials = {"username": staff.email, "password": PASSWORD, "next": ADMIN_INDEX}

    password_only = client.post(ADMIN_LOGIN, credentials)

    assert password_only.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN_INDEX).status_code == 302

    # The page then lists the person's authenticators to choose from, as django-otp's form does.
    with_code = client.post(
        ADMIN_LOGIN,
        {**credentials, "otp_device": device.persistent_id, "otp_token": code_for(device)},
    )

    assert with_code.status_code == 302
    assert with_code.url == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_switched_off_every_admin_url_answers_404(admin_switched_off):
    staff = _staff(is_superuser=True)
    authenticator_for(staff)
    verified = Client()
    verified.force_login(staff)
    signed_out = Client()

    for page in (*ADMIN_PAGES, ADMIN_LOGIN):
        assert verified.get(page).status_code == 404, page
        assert signed_out.get(page).status_code == 404, page
        assert signed_out.post(page, {"username": staff.email}).status_code == 404, page
    with pytest.raises(NoReverseMatch):
        reverse("admin:index")
    # The rest of the site is unchanged.
    assert verified.get(reverse("home")).status_code == 200
