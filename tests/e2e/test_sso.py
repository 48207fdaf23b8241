"""Single sign-on through a real OpenID Connect provider (oidc-provider on loopback, started by the
test): the person lands on Lodestar's home page in the organisation and role their claims name."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role, User
from tests.a11y import assert_accessible
from tests.oidc.provider import running_provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {
    "rosa": {
        "email": "Rosa.Reviewer@health.example.gov",
        "email_verified": True,
        "name": "Rosa Reviewer",
        "organisation": "health",
        "lodestar_role": "reviewer",
    },
    "unverified": {
        "email": "someone@health.example.gov",
        "email_verified": False,
        "name": "Someone Unverified",
        "organisation": "health",
        "lodestar_role": "admin",
    },
}


@pytest.fixture
def provider(live_server, settings):
    """The provider, and Lodestar configured for it the way the environment would configure it."""
    with running_provider(
        redirect_uri=f"{live_server.url}/sign-in/sso/callback/", accounts=ACCOUNTS
    ) as provider:
        settings.OIDC_RP_CLIENT_ID = provider.client_id
        settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
        settings.OIDC_OP_DISCOVERY = provider.issuer
        settings.OIDC_RP_SCOPES = "openid email profile lodestar"
        settings.OIDC_PROVIDER_NAME = "Health Identity"
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "accounts.oidc.LodestarOIDCBackend",
        ]
        yield provider


def sign_in_at_provider(page: Page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Sign in with Health Identity").click()
    # oidc-provider's own sign-in and consent pages, on the provider's address.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider takes any")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_signing_in_through_the_provider_lands_in_the_right_organisation_and_role(
    live_server, page: Page, organisation, provider
):
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    page.screenshot(path="/tmp/acct-sso-sign-in.png", full_page=True)

    sign_in_at_provider(page, live_server, "rosa")

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa")
    expect(page.get_by_text("Your role: Reviewer")).to_be_visible()
    expect(page.get_by_role("link", name="Ministry of Health and Care").first).to_be_visible()
    user = User.objects.get(email="rosa.reviewer@health.example.gov")
    assert user.full_name == "Rosa Reviewer"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (organisation, Role.REVIEWER)


def test_an_address_the_provider_has_not_verified_is_refused(
    live_server, page: Page, organisation, provider
):
    sign_in_at_provider(page, live_server, "unverified")

    page.wait_for_url(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("alert")).to_contain_text(
        "Signing in with Health Identity did not work"
    )
    assert not User.objects.filter(email="someone@health.example.gov").exists()


def test_without_configuration_there_is_no_single_sign_on(live_server, page: Page):
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("link", name="Sign in with")).to_have_count(0)
    assert page.goto(f"{live_server.url}/sign-in/sso/").status == 404
