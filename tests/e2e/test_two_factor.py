"""Two-factor authentication in a browser: a lead sets up an authenticator app on first sign-in,
and a person who has one enters a code after their password."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from accounts.tests.two_factor import authenticator_for, code_for
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def password_step(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_lead_sets_up_two_factor_on_first_sign_in(live_server, page: Page, member):
    lead = member("lead", full_name="Lee Lead")

    password_step(page, live_server, lead)

    page.wait_for_url(re.compile(r".*/account/two-factor/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    # No navigation yet: every other page leads back here until the code is confirmed.
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path="/tmp/acct-two-factor-setup.png", full_page=True)

    # Another page is not reachable yet.
    page.goto(f"{live_server.url}/organisations/health/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")

    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the code as 6 digits")
    assert_accessible(page)

    # What the app shows after the person types in the key from the page.
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    code = f"{totp(b32decode(secret + '=' * (-len(secret) % 8))):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ministry of Health and Care")
    assert page.url == f"{live_server.url}/organisations/health/"
    expect(page.get_by_text("Two-factor authentication is on.")).to_be_visible()
    assert TOTPDevice.objects.get(user=lead).confirmed
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("On", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Remove Authenticator app 1")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path="/tmp/acct-account.png", full_page=True)


def test_someone_with_an_authenticator_enters_a_code_after_the_password(
    live_server, page: Page, member
):
    admin = member("admin", full_name="Ada Admin")
    device = authenticator_for(admin)

    password_step(page, live_server, admin)

    page.wait_for_url(re.compile(r".*/account/two-factor/code/"))
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That code did not work")
    expect(page).to_have_title(re.compile("^Error: Enter your code"))
    assert_accessible(page)
    page.screenshot(path="/tmp/acct-two-factor-code.png", full_page=True)

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ada")


def test_the_lockout_message_is_in_the_sign_in_page(live_server, page: Page, member):
    editor = member("editor")
    page.goto(f"{live_server.url}/sign-in/")
    for attempt in range(5):
        page.get_by_label("Email address").fill(editor.email)
        page.get_by_label("Password").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("This account is locked for 15 minutes")
    assert_accessible(page)
    page.screenshot(path="/tmp/acct-locked.png", full_page=True)
