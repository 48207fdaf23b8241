"""Writes for API tokens: making, revoking, authenticating a request, recording each use, and
keeping answers for idempotent retries."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from api.models import ApiToken, IdempotentResponse, TokenRole
from audit import services as audit_services

TOKEN_PREFIX = "lsa_"  # noqa: S105 - a public marker that tells a token apart, not a secret
CLIENT_EMAIL_DOMAIN = "api.lodestar.invalid"  # .invalid never delivers: no mail, no sign-in
IDEMPOTENCY_KEPT = datetime.timedelta(hours=24)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_admin(by: User | None, organisation: Organisation) -> None:
    # None: the management command, run by whoever runs the server.
    if by is not None and not by.has_perm("api.manage_tokens", organisation):
        raise PermissionDenied(_("Only administrators can manage API tokens."))


@transaction.atomic
def token_create(
    *,
    by: User | None,
    organisation: Organisation,
    name: str,
    role: str,
    expires_on: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is stored only as a hash and cannot be shown again."""
    _require_admin(by, organisation)
    name = " ".join(name.split())
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("Give the token a name, such as the system that will use it.")
    elif len(name) > 100:
        problems["name"] = _("Keep the name to 100 characters or fewer.")
    if role not in TokenRole.values:
        problems["role"] = _("Choose whether the token only reads or may also edit.")
    if expires_on is not None and expires_on <= timezone.localdate():
        problems["expires_on"] = _("Choose an expiry date after today, or leave it empty.")
    if problems:
        raise ValidationError(problems)
    client = User.objects.create_user(
        f"token-{uuid.uuid4().hex}@{CLIENT_EMAIL_DOMAIN}",
        password=None,
        full_name=_("%(name)s (API)") % {"name": name},
    )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = None
    if expires_on is not None:
        # "Expires on 8 December": it works through that day and stops when it ends.
        expires_at = datetime.datetime.combine(
            expires_on + datetime.timedelta(days=1),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        role=role,
        client=client,
        token_hash=_hash(secret),
        prefix=secret[:10],
        created_by=by,
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, by: User | None, token: ApiToken) -> ApiToken:
    """Stops the token at once; its history stays."""
    _require_admin(by, token.organisation)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        User.objects.filter(pk=token.client_id).update(is_active=False)
    return token


@dataclass(frozen=True)
class Caller:
    """Who an API request acts as."""

    token: ApiToken
    user: User


def authenticate(secret: str) -> Caller | None:
    """The live token with this secret, its user given the token's role for this request; None
    for anything else. Lookup is by the hash of a 256-bit random secret."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("client", "organisation")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True, client__is_active=True)
        .first()
    )
    if token is None or not token.is_live():
        return None
    user = token.client
    membership = Membership(user=user, organisation=token.organisation, role=str(token.member_role))
    # What accounts.selectors.memberships_of and the permission rules read, for this request
    # only: the token's role in its organisation, and nothing anywhere else.
    user._lodestar_memberships = [membership]  # type: ignore[attr-defined]
    user._lodestar_roles = {token.organisation_id: membership.role}  # type: ignore[attr-defined]
    return Caller(token=token, user=user)


def record_use(*, caller: Caller, method: str, path: str, status: int) -> None:
    """Every call is on the organisation's audit trail, and moves the token's "last used"."""
    now = timezone.now()
    # At most once a minute: a busy integration's calls do not queue on the token's row.
    ApiToken.objects.filter(pk=caller.token.pk).exclude(
        last_used_at__gt=now - datetime.timedelta(minutes=1)
    ).update(last_used_at=now)
    audit_services.record_api_call(
        by=caller.user,
        obj=caller.token,
        organisation_id=caller.token.organisation_id,
        details={"method": method, "path": path, "status": status},
    )


# --- Idempotency-Key -------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptResponse:
    status: int
    headers: dict[str, str]
    body: bytes


class IdempotencyMismatch(Exception):
    """The key was used before with another request."""


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


def kept_response(*, token: ApiToken, key: str, fingerprint: str) -> KeptResponse | None:
    kept = IdempotentResponse.objects.filter(
        token=token, key=key, created_at__gte=timezone.now() - IDEMPOTENCY_KEPT
    ).first()
    if kept is None:
        return None
    if kept.request_hash != fingerprint:
        raise IdempotencyMismatch
    return KeptResponse(status=kept.status, headers=kept.headers, body=bytes(kept.body))


def keep_response(*, token: ApiToken, key: str, fingerprint: str, response: KeptResponse) -> None:
    """Keeps the first answer; a concurrent twin that finished first wins, and older ones go."""
    IdempotentResponse.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEPT).delete()
    try:
        with transaction.atomic():
            IdempotentResponse.objects.update_or_create(
                token=token,
                key=key,
                defaults={
                    "request_hash": fingerprint,
                    "status": response.status,
                    "headers": response.headers,
                    "body": response.body,
                    "created_at": timezone.now(),
                },
            )
    except IntegrityError:
        pass
