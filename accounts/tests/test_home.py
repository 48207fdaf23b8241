import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_home_lists_only_the_users_organisations_with_their_role(
    client, member, organisation, other_organisation
):
    client.force_login(member("reviewer"))

    page = client.get(reverse("home")).content.decode()

    assert "Ministry of Health and Care" in page
    assert "Your role: Reviewer" in page
    assert "Ministry of Transport" not in page


@pytest.mark.django_db
def test_someone_without_an_organisation_gets_a_helpful_empty_state(client):
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    assert "You are not a member of any organisation yet" in page
    assert "Ask an administrator" in page


@pytest.mark.django_db
def test_organisation_names_are_escaped(client, member, organisation):
    organisation.name = "<script>alert(1)</script> Ministry"
    organisation.save()
    client.force_login(member("viewer"))

    page = client.get(reverse("home")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ministry" in page


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_with_a_nonce(client, member):
    client.force_login(member("viewer"))

    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


@pytest.mark.django_db
def test_unknown_pages_use_the_services_own_404(client, member):
    client.force_login(member("viewer"))

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_query_count_does_not_grow_with_organisations(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import MembershipFactory, OrganisationFactory

    user = member("viewer")
    client.force_login(user)
    client.get(reverse("home"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        return len(captured)

    one = queries()
    for _ in range(5):
        MembershipFactory(user=user, organisation=OrganisationFactory())
    # New memberships make the session check its two-factor state once more, on the next
    # request only (accounts/two_factor.py); the count after that is what must not grow.
    client.get(reverse("home"))
    assert queries() == one
