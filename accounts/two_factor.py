"""Two-factor authentication with authenticator apps (TOTP, django-otp).

Leads and administrators must use it: they approve, stop and re-prioritise missions and manage
members. Anyone else may turn it on; once someone has a confirmed authenticator, every new sign-in
asks for a code. `accounts.middleware.TwoFactorMiddleware` enforces this on every request.
"""

from __future__ import annotations

import time
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role, User
from accounts.selectors import memberships_for_request

REQUIRED_ROLES = frozenset({Role.LEAD, Role.ADMIN})
SETUP_DEVICE_NAME = "Authenticator app"
PENDING_KEY_SESSION_KEY = "lodestar_two_factor_pending_key"
# What this session last learned of its two-factor state, with the user and security stamp it
# learned it under: [user id, stamp, state]. Sessions live on the server, so no one can write it.
STATE_SESSION_KEY = "lodestar_two_factor_state"
# The states remembered: no second factor needed (no authenticator, no role that needs one),
# or verified with the authenticator whose persistent id follows the prefix.
NOT_NEEDED = "not-needed"
VERIFIED_WITH = "verified:"


def remembered_state(request: HttpRequest, user: User) -> str | None:
    """The state this session remembered for `user`, if nothing that decides it changed since."""
    state = request.session.get(STATE_SESSION_KEY)
    if (
        isinstance(state, list)
        and len(state) == 3
        and state[0] == user.pk
        and state[1] == user.security_stamp
    ):
        return str(state[2])
    return None


def remember_state(request: HttpRequest, user: User, state: str) -> None:
    if request.session.get(STATE_SESSION_KEY) != [user.pk, user.security_stamp, state]:
        request.session[STATE_SESSION_KEY] = [user.pk, user.security_stamp, state]


def required_for(request: HttpRequest) -> bool:
    """Does the signed-in user hold a role that needs a second factor in any organisation?
    Reads the memberships the navigation reads anyway (one query per request, shared)."""
    return any(m.role in REQUIRED_ROLES for m in memberships_for_request(request))


def required_for_user(user: User) -> bool:
    return user.memberships.filter(role__in=REQUIRED_ROLES).exists()


def confirmed_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(request: HttpRequest) -> TOTPDevice:
    """The authenticator being set up, not saved until a code from it confirms it. Its secret
    stays in the session, so reloading the page keeps a QR code that was already scanned, and
    looking at the page writes nothing."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY_SESSION_KEY] = key
    return TOTPDevice(user=request.user, name=SETUP_DEVICE_NAME, key=key, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for people who type it into their app."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG: no image library, and no inline style for the CSP."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # drop the XML declaration: it is embedded in HTML


def _verify(device: TOTPDevice, token: str) -> bool:
    allowed, _details = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(token)


def normalise_token(token: str) -> str:
    return "".join(token.split()).replace("-", "")


def confirm_device(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Save a new authenticator once a code from it matches; the session then counts as
    verified. Checked without django-otp's throttling, which would save the unconfirmed device on
    a miss: whoever sees this page already holds the secret, so guessing gains nothing."""
    token = normalise_token(token)
    if not token.isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance, device.last_t + 1):
        return False
    device.last_t = totp.t()
    device.confirmed = True
    device.save()
    request.session.pop(PENDING_KEY_SESSION_KEY, None)
    otp_login(request, device)
    return True


def verify_session(request: AuthenticatedHttpRequest, token: str) -> bool:
    """Check a code against the user's authenticators; on success the session is verified."""
    token = normalise_token(token)
    for device in confirmed_devices(request.user):
        if _verify(device, token):
            otp_login(request, device)
            return True
    return False


class LastDeviceError(Exception):
    """A lead or administrator tried to remove their only authenticator."""


@transaction.atomic
def remove_device(*, user: User, device_id: int) -> None:
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    device = next((d for d in devices if d.pk == device_id), None)
    if device is None:
        raise TOTPDevice.DoesNotExist
    if len(devices) == 1 and required_for_user(user):
        raise LastDeviceError
    device.delete()
