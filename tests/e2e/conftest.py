import pytest
from playwright.sync_api import Page

from accounts.tests.factories import PASSWORD
from accounts.tests.two_factor import authenticator_for, code_for, needs_code


def sign_in_through_the_pages(page: Page, base_url: str, user) -> Page:
    """Sign `user` in as a person does: password, then (leads, administrators and anyone with an
    authenticator) the code their app shows, from a real confirmed authenticator
    (accounts/tests/two_factor.py). Ends on the home page."""
    device = authenticator_for(user) if needs_code(user) else None
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url(f"{base_url}/account/two-factor/code/**")
        page.get_by_label("Code from your authenticator app").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base_url}/")
    return page


@pytest.fixture
def sign_in(live_server, page: Page):
    """sign_in(user) → the browser is signed in and on the home page."""

    def do(user):
        return sign_in_through_the_pages(page, live_server.url, user)

    return do
