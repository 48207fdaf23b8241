import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Membership, Organisation, Role, User


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_gives_the_documented_roles():
    call_command("seed_demo")
    call_command("seed_demo")

    assert Organisation.objects.filter(slug__startswith="demo-").count() == 2
    roles = {m.user.email: (m.organisation.slug, m.role) for m in Membership.objects.all()}
    assert roles["servant@demo.example"] == ("demo-unit", Role.EDITOR)
    assert roles["lead@demo.example"] == ("demo-unit", Role.LEAD)
    assert roles["reviewer@demo.example"] == ("demo-unit", Role.REVIEWER)
    assert roles["outsider@demo.example"] == ("demo-other", Role.EDITOR)
    assert User.objects.filter(email__endswith="@demo.example").count() == len(roles)


@pytest.mark.django_db
@override_settings(DEBUG=False, DEMO_PASSWORD="demo-password-for-tests")
def test_seed_demo_refuses_on_a_real_deployment_unless_forced():
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()

    call_command("seed_demo", "--force")
    assert User.objects.get(email="servant@demo.example").check_password("demo-password-for-tests")
