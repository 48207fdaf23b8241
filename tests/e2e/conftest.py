import pytest
from playwright.sync_api import Page

from accounts.tests.factories import PASSWORD


@pytest.fixture
def sign_in(live_server, page: Page):
    """sign_in(user) → the browser is signed in and on the home page."""

    def do(user):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
