"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set.

Endpoints come from the provider's discovery document (OIDC_OP_DISCOVERY, the issuer URL) unless
given one by one. A sign-in creates or updates the Lodestar user with the same e-mail address and
their membership:

- organisation: the claim named by OIDC_ORGANISATION_CLAIM ("organisation", an organisation's
  short name), else the e-mail domain looked up in OIDC_EMAIL_DOMAIN_ORGANISATIONS. Organisations
  are never created from claims: an unknown one is logged and the person gets no membership.
- role: the claim named by OIDC_ROLE_CLAIM ("lodestar_role": viewer, editor, reviewer, lead or
  admin). When the provider sends it, it wins on every sign-in; without it a new membership gets
  OIDC_DEFAULT_ROLE and an existing one keeps the role administrators gave it in Lodestar.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import services
from accounts.models import Organisation, Role, User

logger = logging.getLogger(__name__)

_DISCOVERED_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered: dict[str, dict[str, Any]] = {}


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, read once per process."""
    url = issuer.rstrip("/")
    if not url.endswith("/.well-known/openid-configuration"):
        url += "/.well-known/openid-configuration"
    if url not in _discovered:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        _discovered[url] = response.json()
    return _discovered[url]


def setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings lookup, with endpoints filled from discovery. An empty value
    (NAME= in an env file) counts as unset."""
    value = getattr(settings, attr, None)
    if value in (None, "") and attr in _DISCOVERED_KEYS and settings.OIDC_OP_DISCOVERY:
        value = discovery(settings.OIDC_OP_DISCOVERY).get(_DISCOVERED_KEYS[attr])
    if value in (None, ""):
        if default:
            return default[0]
        raise ImproperlyConfigured(f"Single sign-on needs {attr}.")
    return value


def _claim_text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def membership_from_claims(claims: dict[str, Any]) -> tuple[Organisation | None, str | None]:
    """The organisation and role the provider asks for; the role is None when it sent none."""
    slug = _claim_text(claims, settings.OIDC_ORGANISATION_CLAIM).lower()
    if not slug:
        domain = _claim_text(claims, "email").rpartition("@")[2].lower()
        slug = settings.OIDC_EMAIL_DOMAIN_ORGANISATIONS.get(domain, "")
    organisation = Organisation.objects.filter(slug=slug).first() if slug else None
    if slug and organisation is None:
        logger.warning("single sign-on: no organisation %r; no membership given", slug)
    role = _claim_text(claims, settings.OIDC_ROLE_CLAIM).lower() or None
    if role is not None and role not in Role.values:
        logger.warning("single sign-on: unknown role %r ignored", role)
        role = None
    return organisation, role


class LodestarOIDCBackend(OIDCAuthenticationBackend):
    """Signs people in with the provider's claims: e-mail address, name, organisation, role."""

    get_settings = staticmethod(setting)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not _claim_text(claims, "email"):
            return False
        # Only a provider-confirmed address may take over the Lodestar account with that address.
        return not settings.OIDC_REQUIRE_EMAIL_VERIFIED or claims.get("email_verified") is True

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks the signature and nonce; also check the token is for us and,
        # with discovery, from the provider we asked.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        if settings.OIDC_OP_DISCOVERY:
            issuer = discovery(settings.OIDC_OP_DISCOVERY).get("issuer")
            if payload.get("iss") != issuer:
                raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def filter_users_by_claims(self, claims: dict[str, Any]):
        return User.objects.filter(email__iexact=_claim_text(claims, "email"))

    def create_user(self, claims: dict[str, Any]) -> User:
        user = User.objects.create_user(  # no password: they sign in through the provider
            email=_claim_text(claims, "email"), full_name=_claim_text(claims, "name")[:150]
        )
        return self.update_user(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        name = _claim_text(claims, "name")[:150]
        if name and name != user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])
        organisation, role = membership_from_claims(claims)
        if organisation is not None:
            services.membership_sync_from_sso(user=user, organisation=organisation, role=role)
        return user


class _StartView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(setting)


class _CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(setting)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Signing in with %(provider)s did not work. Try again, or sign in with your password."
            )
            % {"provider": provider_name()},
        )
        return redirect("accounts:login")


@login_not_required
def sso_start(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return _StartView.as_view()(request)


@login_not_required
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return _CallbackView.as_view()(request)
