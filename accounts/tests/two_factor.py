"""Test support for two-factor authentication. Leads and administrators must pass a code after
their password; tests that sign people in with `client.force_login` or the e2e `sign_in` helper
do so with a real, confirmed authenticator (a TOTPDevice) and the session key django-otp sets
when a code is accepted. Nothing in the settings turns two-factor off for tests."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

TEST_DEVICE_NAME = "Test authenticator"


def needs_code(user) -> bool:
    return two_factor.required_for_user(user) or two_factor.has_device(user)


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)


def code_for(device: TOTPDevice, *, fresh: bool = True) -> str:
    """The code the authenticator app would show now. `fresh` forgets the last code the device
    accepted, so one test can sign the same person in twice within 30 seconds."""
    if fresh:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{value:0{device.digits}d}"


def mark_verified(client, user) -> None:
    """After `client.force_login(user)`: the session has passed two-factor with a real device,
    as if the user had typed the code."""
    if not needs_code(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
