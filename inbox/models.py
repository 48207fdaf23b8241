"""The inbox: one `Notification` per person told about something that waits for them (a proposal
to review, a decision, a reply or @mention, a steward invitation, a long PDF), and each person's
`NotificationPreference` for e-mail. Writes go through `inbox.services`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constraints import check_choice
from accounts.fields import organisation_reference, person_reference
from missions.models import mission_reference


class Kind(models.TextChoices):
    MISSION_PROPOSED = "mission_proposed", _("Mission proposed")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    DECISION_RECORDED = "decision_recorded", _("Decision recorded")
    COMMENT_REPLY = "comment_reply", _("Reply to your comment")
    MENTION = "mention", _("Mention in a comment")
    STEWARD_INVITED = "steward_invited", _("Invitation to steward an indicator")
    REVIEW_DUE = "review_due", _("Review due")
    DOCUMENT_READY = "document_ready", _("PDF ready")


# The sentence a person reads, in their language at the time they read it; the names in it
# (`Notification.params`) are kept as they were when it happened.
SENTENCES: dict[str, Any] = {
    Kind.MISSION_PROPOSED: _("%(actor)s proposed the mission “%(mission)s” for approval."),
    Kind.CHANGES_REQUESTED: _("%(actor)s asked for changes to the mission “%(mission)s”."),
    Kind.DECISION_RECORDED: _(
        "%(actor)s recorded a decision on the mission “%(mission)s”: %(decision)s."
    ),
    Kind.COMMENT_REPLY: _("%(actor)s replied to your comment on %(box)s in “%(mission)s”."),
    Kind.MENTION: _("%(actor)s mentioned you in a comment on %(box)s in “%(mission)s”."),
    Kind.STEWARD_INVITED: _(
        "%(actor)s invited you to add values for the indicator “%(indicator)s” of %(organisation)s."
    ),
    Kind.REVIEW_DUE: _("%(actor)s started a review of the mission “%(mission)s”: it is due."),
    Kind.DOCUMENT_READY: _("Your PDF “%(title)s” is ready to download."),
}


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately, one e-mail for each notification")
    DAILY = "daily", _("Once a day, in one e-mail")
    OFF = "off", _("No e-mails: I read them in Lodestar")


class Notification(models.Model):
    """Something that waits for `recipient`, with the link straight to it. Unread until they
    open it; `emailed_at` is set once an e-mail (immediate or the daily digest) has taken it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organisation = organisation_reference("+")
    mission = mission_reference("+", optional=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = person_reference(_("by"))
    params = models.JSONField(_("names in the sentence"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox page: a person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="inbox_recipient_newest"),
            # The header's count on every page: a person's unread ones only.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="inbox_unread_for_recipient",
            ),
            # The e-mail tasks: what no e-mail has taken yet.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(emailed_at__isnull=True, read_at__isnull=True),
                name="inbox_not_emailed",
            ),
        ]
        constraints = [
            check_choice("kind", Kind, name="inbox_kind_valid"),
            # A path on this site only: opening a notification redirects there.
            models.CheckConstraint(
                condition=Q(url__startswith="/") & ~Q(url__startswith="//"),
                name="inbox_url_local",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence

    @property
    def sentence(self) -> str:
        template = SENTENCES.get(self.kind)
        if template is None:
            return str(self.get_kind_display())
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            # A translation that names a missing value must not break the inbox page.
            return str(self.get_kind_display())

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed about their notifications. No row means the default,
    immediately; the inbox itself always shows everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("e-mails"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            check_choice("delivery", Delivery, name="inbox_delivery_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_delivery_display()}"
