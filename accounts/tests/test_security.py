"""Sign-in security: lockout after wrong passwords, strong passwords, two-factor authentication."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from accounts.tests.two_factor import authenticator_for, code_for

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=PASSWORD, email=None):
    return client.post(
        reverse("accounts:login"), {"username": email or user.email, "password": password}
    )


# --- Lockout ---------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, member):
    user = member("editor")
    for attempt in range(5):
        # Capitals change nothing: people type their address as they like, so do attackers.
        email = user.email.upper() if attempt % 2 else user.email
        response = sign_in(client, user, password=f"wrong-{attempt}", email=email)
        if attempt < 4:
            assert response.status_code == 200
            assert "Enter a correct email address and password" in response.content.decode()
    assert response.status_code == 429  # the fifth wrong password locks

    response = sign_in(client, user)

    page = response.content.decode()
    assert response.status_code == 429
    assert "There is a problem" in page
    assert "This account is locked for 15 minutes after too many wrong passwords" in page
    assert 'name="username"' in page  # the sign-in page, not a bare error page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_a_lockout_does_not_touch_other_people(client, member):
    locked, other = member("editor"), member("viewer", full_name="Olu Other")
    for attempt in range(5):
        sign_in(client, locked, password=f"wrong-{attempt}")

    response = sign_in(client, other)

    assert response.status_code == 302
    assert "Welcome, Olu" in client.get(reverse("home")).content.decode()


def test_four_wrong_passwords_then_the_right_one_signs_in(client, member):
    user = member("editor")
    for attempt in range(4):
        sign_in(client, user, password=f"wrong-{attempt}")

    assert sign_in(client, user).status_code == 302
    assert client.get(reverse("home")).status_code == 200


# --- Strong passwords ------------------------------------------------------------------------


def test_changing_to_a_weak_password_is_refused_with_the_reasons(client, member):
    user = member("editor")
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert "This password is too short. It must contain at least 12 characters." in page
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_strong_new_password_is_saved(client, member):
    user = member("editor")
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "quiet-lantern-orbit-1987",
            "new_password2": "quiet-lantern-orbit-1987",
        },
        follow=True,
    )

    assert "Your new password is saved." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("quiet-lantern-orbit-1987")


def test_accepting_an_invitation_with_a_password_like_the_address_is_refused(client, organisation):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = UserFactory(email="margaret.hamilton@example.gov")
    MembershipFactory(user=user, organisation=organisation)
    link = reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    form_url = client.get(link).url

    response = client.post(
        form_url,
        {"new_password1": "margaret.hamilton", "new_password2": "margaret.hamilton"},
    )

    assert "The password is too similar to the email address." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- Two-factor authentication ---------------------------------------------------------------


def code_from_page(html: str) -> str:
    """What the person's authenticator app shows after they type in the key from the page."""
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_a_lead_without_an_authenticator_must_set_one_up_before_anything_else(
    client, member, organisation
):
    lead = member("lead")

    response = sign_in(client, lead)
    setup = client.get(response.url, follow=True)

    assert setup.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    page = setup.content.decode()
    assert "Leads and administrators must use two-factor authentication" in page
    assert "<svg" in page and 'id="two-factor-secret"' in page
    for url in (
        reverse("home"),
        reverse("accounts:organisation", args=[organisation.slug]),
        reverse("accounts:account"),
        reverse("portfolios:dashboard", args=[organisation.slug]),
    ):
        blocked = client.get(url)
        assert blocked.status_code == 302
        assert blocked.url.startswith(reverse("accounts:two_factor_setup"))
    # Signing out still works.
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_setting_up_with_the_code_from_the_app_lets_the_lead_in(client, member, organisation):
    lead = member("lead", full_name="Lee Lead")
    sign_in(client, lead)
    next_url = reverse("accounts:organisation", args=[organisation.slug])
    page = client.get(reverse("accounts:two_factor_setup"), {"next": next_url}).content.decode()

    response = client.post(
        reverse("accounts:two_factor_setup"), {"code": code_from_page(page), "next": next_url}
    )

    assert response.status_code == 302 and response.url == next_url
    assert client.get(next_url).status_code == 200
    assert "Welcome, Lee" in client.get(reverse("home")).content.decode()
    assert TOTPDevice.objects.get(user=lead).confirmed


def test_a_wrong_set_up_code_is_explained_and_lets_nobody_in(client, member):
    lead = member("admin")
    sign_in(client, lead)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    right = code_from_page(page)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two_factor_setup"), {"code": wrong})

    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    assert "That code did not work" in html
    assert client.get(reverse("home")).status_code == 302
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()
    letters = client.post(reverse("accounts:two_factor_setup"), {"code": "abc"})
    assert "Enter the code as 6 digits, for example 123456." in letters.content.decode()


def test_an_editor_is_not_asked_for_a_second_factor(client, member):
    editor = member("editor", full_name="Eddie Editor")

    response = sign_in(client, editor)

    assert response.url == reverse("home")
    assert "Welcome, Eddie" in client.get(reverse("home")).content.decode()


def test_a_lead_with_an_authenticator_enters_a_code_after_the_password(client, member):
    lead = member("lead", full_name="Lee Lead")
    device = authenticator_for(lead)

    sign_in(client, lead)
    asked = client.get(reverse("home"))
    assert asked.url.startswith(reverse("accounts:two_factor_verify"))
    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert wrong.status_code == 422
    assert "That code did not work" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302

    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(
        reverse("accounts:two_factor_verify"), {"code": code_for(device), "next": "/"}
    )

    assert right.status_code == 302 and right.url == "/"
    assert "Welcome, Lee" in client.get(reverse("home")).content.decode()


def test_the_password_alone_cannot_add_a_new_authenticator(client, member):
    """Someone who has stolen only the password must not get past the code page by setting up
    their own authenticator app."""
    editor = member("editor")
    authenticator_for(editor)
    sign_in(client, editor)

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response.url == reverse("accounts:two_factor_verify")
    assert client.post(reverse("accounts:two_factor_setup"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_an_editor_turns_two_factor_on_and_off_in_their_account(client, member):
    editor = member("editor")
    client.force_login(editor)
    assert "Off" in client.get(reverse("accounts:account")).content.decode()
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    client.post(reverse("accounts:two_factor_setup"), {"code": code_from_page(page)})
    device = TOTPDevice.objects.get(user=editor, confirmed=True)
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Two-factor authentication is on." in account

    response = client.post(reverse("accounts:two_factor_remove", args=[device.pk]), follow=True)

    assert "The authenticator app is removed." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_a_lead_cannot_remove_their_last_authenticator(client, member):
    lead = member("lead")
    client.force_login(lead)
    device = TOTPDevice.objects.get(user=lead)

    response = client.post(reverse("accounts:two_factor_remove", args=[device.pk]), follow=True)

    assert "Leads and administrators must keep two-factor authentication on" in (
        response.content.decode()
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_nobody_removes_another_persons_authenticator(client, member):
    victim = member("editor")
    device = authenticator_for(victim)
    client.force_login(member("admin"))

    response = client.post(reverse("accounts:two_factor_remove", args=[device.pk]))

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- A session remembers its two-factor state until something that decides it changes ----------


def _device_queries(client, path: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "otp_totp_totpdevice" in q["sql"]]


def test_a_session_that_passed_reads_no_authenticator_on_later_requests(client, member):
    lead = member("lead", full_name="Lee Lead")
    device = authenticator_for(lead)
    sign_in(client, lead)
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device), "next": "/"})
    client.get(reverse("home"))

    assert _device_queries(client, reverse("home")) == []
    editor_client = type(client)()
    sign_in(editor_client, member("editor"))
    editor_client.get(reverse("home"))
    assert _device_queries(editor_client, reverse("home")) == []


def test_an_editor_made_lead_is_sent_to_set_up_a_code_on_the_next_click(client, member):
    editor = member("editor")
    sign_in(client, editor)
    assert client.get(reverse("home")).status_code == 200

    membership = editor.memberships.get()
    membership.role = "lead"  # an administrator changes the role, in their own session
    membership.save()

    assert client.get(reverse("home")).url.startswith(reverse("accounts:two_factor_setup"))


def test_an_authenticator_added_elsewhere_asks_this_session_for_a_code(client, member):
    editor = member("editor")
    sign_in(client, editor)
    assert client.get(reverse("home")).status_code == 200

    authenticator_for(editor)  # set up from another browser

    assert client.get(reverse("home")).url.startswith(reverse("accounts:two_factor_verify"))


def test_removing_the_authenticator_a_session_passed_with_unverifies_it(client, member):
    lead = member("lead")
    device = authenticator_for(lead)
    sign_in(client, lead)
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device), "next": "/"})
    assert client.get(reverse("home")).status_code == 200

    device.delete()  # say an administrator removed it in the admin site

    assert client.get(reverse("home")).url.startswith(reverse("accounts:two_factor_setup"))
