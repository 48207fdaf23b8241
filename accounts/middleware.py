"""Two-factor authentication on every request (after AuthenticationMiddleware and OTPMiddleware)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts import two_factor

# Pages a signed-in but not yet verified person may reach: the two-factor pages themselves,
# signing out, and what pages load or monitors poll.
ALLOWED_URL_NAMES = (
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:logout",
    "healthz",
    "robots",
)


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
        ):
            if two_factor.has_device(user):
                return self._redirect(request, "accounts:two_factor_verify")
            if two_factor.required_for(request):
                return self._redirect(request, "accounts:two_factor_setup")
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest, name: str) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET" and not getattr(request, "htmx", False):
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
