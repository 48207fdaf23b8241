"""API tokens and the answers kept for idempotent retries.

A token belongs to one organisation and acts there with a role (read-only or editor). Behind each
token is a user of its own, with no password and no membership: the token's middleware gives that
user its role for the request it authenticates (api/middleware.py), so every read and write goes
through the same `visible_to` scopes, services and permission rules as a page, and history and
the audit trail name the token ("Budget system (API)"). Having no membership row keeps the token
out of member lists, notifications and sign-in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice
from accounts.fields import organisation_reference
from accounts.models import Role


class TokenRole(models.TextChoices):
    READ = "read", _("Read only")
    EDIT = "edit", _("Editor")

    @property
    def member_role(self) -> Role:
        """The organisation role the token acts with."""
        return Role.EDITOR if self is TokenRole.EDIT else Role.VIEWER


class ApiToken(models.Model):
    organisation = organisation_reference("api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The system that uses it, such as “Budget system”.")
    )
    role = models.CharField(_("role"), max_length=10, choices=TokenRole.choices)
    # The user the token acts as: it has no password and no membership (see the module's text).
    client = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [check_choice("role", TokenRole, name="api_apitoken_role_valid")]

    def __str__(self) -> str:
        return self.name

    @property
    def member_role(self) -> Role:
        return TokenRole(self.role).member_role

    def is_live(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key`: a retry with the same key and
    the same body gets it again instead of doing the work twice; the same key with another body
    is refused. Kept for a day (api/services.py prunes older ones as it writes)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_key_unique")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.key


class WebhookEvent(models.TextChoices):
    MISSION_PROPOSED = "mission.proposed", _("A mission is proposed for approval")
    MISSION_DECIDED = "mission.decided", _("A lead decides on a mission")
    MISSION_STATUS_CHANGED = "mission.status_changed", _("A mission's status changes")
    ASSESSMENT_CHANGED = (
        "assessment.changed",
        _("A mission's assessment against the criteria changes"),
    )
    MEASUREMENT_ADDED = "measurement.added", _("Measurements are added or corrected")
    DOCUMENT_READY = "document.ready", _("A document is ready to download")


class WebhookEndpoint(models.Model):
    """An address of another system that is told, by a signed POST, when something happens in
    the organisation. Its secret signs every delivery; it is shown once, when it is made."""

    organisation = organisation_reference("webhook_endpoints")
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Deliveries that failed every retry, in a row; a success sets it back to 0.
    failures_in_a_row = models.PositiveIntegerField(_("failed deliveries in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [str(WebhookEvent(e).label) for e in self.events if e in WebhookEvent.values]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed; will be tried again")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed every try")


class WebhookDelivery(models.Model):
    """One event for one endpoint. Its id travels in the Lodestar-Delivery header and stays the
    same on every retry, so the receiver can act on each delivery once."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivery_id = models.UUIDField(_("delivery id"), unique=True)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.JSONField(_("attempts"), default=list)  # [{at, status, error, ms}]
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["endpoint", "-created_at"])]
        constraints = [
            check_choice("status", DeliveryStatus, name="api_delivery_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.delivery_id}"

    def tries(self) -> list[dict[str, object]]:
        """The attempts, each with its time as a datetime (stored as ISO text)."""
        return [
            {**attempt, "at": datetime.datetime.fromisoformat(str(attempt["at"]))}
            for attempt in self.attempts
        ]
