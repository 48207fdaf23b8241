import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Role, User
from accounts.tests.factories import UserFactory


def members_url(org):
    return reverse("accounts:members", args=[org.slug])


@pytest.mark.django_db
def test_every_member_sees_who_is_in_the_organisation_but_only_admins_get_controls(
    client, member, organisation
):
    admin = member("admin", full_name="Ada Admin")
    client.force_login(member("viewer"))

    page = client.get(members_url(organisation)).content.decode()

    assert "Ada Admin" in page
    assert admin.email in page
    assert "Add a member" not in page
    assert "Change role" not in page

    client.force_login(admin)
    page = client.get(members_url(organisation)).content.decode()
    assert "Add a member" in page
    assert "Change role" in page


@pytest.mark.django_db(transaction=True)
def test_an_admin_adds_an_existing_user_without_sending_an_invitation(client, member, organisation):
    client.force_login(member("admin"))
    existing = UserFactory(email="known@example.gov", full_name="Kim Known")

    response = client.post(
        members_url(organisation),
        {"email": "Known@Example.gov", "full_name": "", "role": "editor"},
        follow=True,
    )

    assert "Kim Known was added as Editor." in response.content.decode()
    assert Membership.objects.get(user=existing, organisation=organisation).role == Role.EDITOR
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_new_person_gets_an_account_and_an_invitation_to_choose_a_password(
    client, member, organisation, worker_mail
):
    client.force_login(member("admin", full_name="Ada Admin"))

    client.post(
        members_url(organisation),
        {"email": "new.person@example.gov", "full_name": "Nia New", "role": "reviewer"},
    )

    user = User.objects.get(email="new.person@example.gov")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.REVIEWER
    [sent] = worker_mail()  # sent by the Celery worker, after the commit
    assert sent["To"] == "new.person@example.gov"
    assert "Ada Admin has added you to Ministry of Health and Care" in sent.get_content()
    link = re.search(r"http://testserver(/password/reset/\S+/)", sent.get_content()).group(1)
    client.logout()
    assert "Choose a new password" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_adding_someone_twice_or_with_a_bad_address_is_explained(client, member, organisation):
    client.force_login(member("admin"))
    existing = member("viewer")

    twice = client.post(members_url(organisation), {"email": existing.email, "role": "editor"})
    bad = client.post(members_url(organisation), {"email": "not-an-address", "role": "editor"})

    assert twice.status_code == 422
    assert f"{existing.email} is already a member of Ministry of Health and Care." in (
        twice.content.decode()
    )
    assert bad.status_code == 422
    assert "Enter a valid email address." in bad.content.decode()
    assert Membership.objects.get(user=existing).role == Role.VIEWER


@pytest.mark.django_db
def test_changing_a_role_with_htmx_returns_the_updated_row(client, member, organisation):
    client.force_login(member("admin"))
    viewer = member("viewer")
    membership = Membership.objects.get(user=viewer)

    response = client.post(
        reverse("accounts:member_role", args=[organisation.slug, membership.pk]),
        {"role": "lead"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith(f'<tr class="govuk-table__row" id="member-{membership.pk}">')
    assert "Saved: Lead" in page
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


@pytest.mark.django_db
def test_the_last_administrator_cannot_be_demoted_or_removed(client, member, organisation):
    admin = member("admin")
    client.force_login(admin)
    membership = Membership.objects.get(user=admin)

    demote = client.post(
        reverse("accounts:member_role", args=[organisation.slug, membership.pk]),
        {"role": "viewer"},
        headers={"HX-Request": "true"},
    )
    remove = client.post(
        reverse("accounts:member_remove", args=[organisation.slug, membership.pk]), follow=True
    )

    assert demote.status_code == 422
    assert "needs at least one administrator" in demote.content.decode()
    assert "needs at least one administrator" in remove.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


@pytest.mark.django_db
def test_an_admin_removes_a_member_after_confirming(client, member, organisation):
    client.force_login(member("admin"))
    leaver = member("editor", full_name="Lou Leaver")
    membership = Membership.objects.get(user=leaver)
    url = reverse("accounts:member_remove", args=[organisation.slug, membership.pk])

    confirm = client.get(url)
    done = client.post(url, follow=True)

    assert "Remove Lou Leaver?" in confirm.content.decode()
    assert "Lou Leaver was removed from Ministry of Health and Care." in done.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=leaver.pk).exists()


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer", "lead"])
@pytest.mark.django_db
def test_only_admins_may_change_members(client, member, organisation, role):
    client.force_login(member(role))
    target = Membership.objects.get(user=member("viewer"))

    add = client.post(members_url(organisation), {"email": "x@example.gov", "role": "admin"})
    change = client.post(
        reverse("accounts:member_role", args=[organisation.slug, target.pk]), {"role": "admin"}
    )
    remove = client.post(reverse("accounts:member_remove", args=[organisation.slug, target.pk]))

    assert (add.status_code, change.status_code, remove.status_code) == (403, 403, 403)
    assert "You cannot do this" in add.content.decode()
    target.refresh_from_db()
    assert target.role == Role.VIEWER
    assert not User.objects.filter(email="x@example.gov").exists()
