"""When a person last looked at Home, so it can say what changed since their last visit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """A visit is a run of Home views with less than `workspace.selectors.VISIT_GAP` between
    them: `previous_at` is when the visit before this one began, `current_at` this one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    previous_at = models.DateTimeField(_("visit before"), null=True, blank=True)
    current_at = models.DateTimeField(_("this visit"))

    class Meta:
        verbose_name = _("visit to Home")
        verbose_name_plural = _("visits to Home")

    def __str__(self) -> str:
        return f"visit of {self.user_id} at {self.current_at:%Y-%m-%d %H:%M}"
