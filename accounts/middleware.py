"""Two-factor authentication on every request, at the cost of no query once a session knows
where it stands (accounts/two_factor.py remembers it under the user's security stamp)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from accounts import languages, two_factor
from accounts.models import User

# Pages a signed-in but not yet verified person may reach: the two-factor pages themselves,
# signing out, and what pages load or monitors poll.
ALLOWED_URL_NAMES = (
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:logout",
    "healthz",
    "robots",
)


class RememberingOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, which reads the session's authenticator on every request,
    except that a session whose verified state is remembered under the user's current security
    stamp loads the authenticator only if something asks for it. The stamp moves whenever an
    authenticator is saved or deleted, so a removed or replaced one is never trusted."""

    def _verify_user_sync(self, request: HttpRequest, user: User) -> User:
        persistent_id = (
            request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        )
        if persistent_id and two_factor.remembered_state(request, user) == (
            two_factor.VERIFIED_WITH + persistent_id
        ):
            self._init_user_fields(user)
            user.otp_device = SimpleLazyObject(  # type: ignore[attr-defined]
                lambda: self._device_from_persistent_id(persistent_id)
            )
            return user
        user = super()._verify_user_sync(request, user)
        device = getattr(user, "otp_device", None)
        if device is not None:
            two_factor.remember_state(
                request, user, two_factor.VERIFIED_WITH + device.persistent_id
            )
        return user


class TwoFactorMiddleware:
    """Sends a signed-in person who has not passed their second factor to the code page: leads
    and administrators always (to set one up if they have none), others once they have one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def allowed_paths(self) -> tuple[str, ...]:
        if self._allowed is None:  # URLs resolve once the URLconf has loaded, not at start-up
            self._allowed = tuple(reverse(name) for name in ALLOWED_URL_NAMES)
        return self._allowed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path_info not in self.allowed_paths()
            and not request.path_info.startswith(settings.STATIC_URL)
            and two_factor.remembered_state(request, user) != two_factor.NOT_NEEDED
        ):
            if two_factor.has_device(user):
                return self._redirect(request, "accounts:two_factor_verify")
            if two_factor.required_for(request):
                return self._redirect(request, "accounts:two_factor_setup")
            two_factor.remember_state(request, user, two_factor.NOT_NEEDED)
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest, name: str) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET" and not getattr(request, "htmx", False):
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (Content-Language, Vary), choosing the language the way
    accounts/languages.py says instead of from the browser alone."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(languages.for_request(request))
        request.LANGUAGE_CODE = translation.get_language()
