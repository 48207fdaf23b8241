"""How single sign-on claims become a user, an organisation and a role (accounts/oidc.py). The
whole flow against a real provider is tests/e2e/test_sso.py."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role, User
from accounts.oidc import LodestarOIDCBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso(settings):
    settings.OIDC_RP_CLIENT_ID = "lodestar"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.gov/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://id.example.gov/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://id.example.gov/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://id.example.gov/jwks"
    settings.OIDC_PROVIDER_NAME = "Government ID"
    settings.OIDC_EMAIL_DOMAIN_ORGANISATIONS = {"transport.example.gov": "transport"}
    settings.OIDC_DEFAULT_ROLE = "viewer"
    return LodestarOIDCBackend()


def sign_in_with(backend, claims):
    users = backend.filter_users_by_claims(claims)
    if users:
        return backend.update_user(users[0], claims)
    return backend.create_user(claims)


def test_claims_name_the_organisation_and_role(sso, organisation):
    user = sign_in_with(
        sso,
        {
            "email": "Lena@Health.example.gov",
            "name": "Lena Lead",
            "organisation": "health",
            "lodestar_role": "lead",
        },
    )

    assert user.email == "lena@health.example.gov" and user.full_name == "Lena Lead"
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.LEAD


def test_the_role_claim_wins_on_every_sign_in_but_without_it_lodestar_keeps_its_role(
    sso, organisation, member
):
    user = member("editor", org=organisation)
    claims = {"email": user.email, "organisation": "health"}

    sign_in_with(sso, {**claims, "lodestar_role": "reviewer"})
    assert Membership.objects.get(user=user).role == Role.REVIEWER

    sign_in_with(sso, claims)  # no role claim: the role an administrator gave stays
    assert Membership.objects.get(user=user).role == Role.REVIEWER


def test_the_email_domain_maps_to_an_organisation_with_the_default_role(sso, other_organisation):
    user = sign_in_with(sso, {"email": "tom@transport.example.gov", "name": "Tom"})

    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (other_organisation, Role.VIEWER)


def test_unknown_organisations_and_roles_grant_nothing(sso, organisation):
    nowhere = sign_in_with(sso, {"email": "a@elsewhere.example", "organisation": "no-such-org"})
    assert not Membership.objects.filter(user=nowhere).exists()

    odd = sign_in_with(
        sso, {"email": "b@health.example.gov", "organisation": "health", "lodestar_role": "root"}
    )
    assert Membership.objects.get(user=odd).role == Role.VIEWER  # the default, not "root"


def test_only_a_verified_address_signs_in(sso):
    assert sso.verify_claims({"email": "a@example.gov", "email_verified": True})
    assert not sso.verify_claims({"email": "a@example.gov", "email_verified": False})
    assert not sso.verify_claims({"email": "a@example.gov"})
    assert not sso.verify_claims({"email_verified": True})


def test_the_sign_in_page_offers_single_sign_on_only_when_configured(client, settings):
    assert "Sign in with" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:oidc_start")).status_code == 404

    settings.OIDC_RP_CLIENT_ID = "lodestar"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.gov/authorize"
    settings.OIDC_PROVIDER_NAME = "Government ID"
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Government ID" in page
    start = client.get(reverse("accounts:oidc_start"))
    assert start.status_code == 302
    assert start.url.startswith("https://id.example.gov/authorize?")
    assert "code_challenge=" in start.url and "state=" in start.url and "nonce=" in start.url
    assert not User.objects.exists()
