"""What happened to a mission: the history every service writes, and the named snapshots."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fields import person_reference
from missions.models.base import MissionPart, mission_reference, unique_per_mission


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Changed")
    DELETED = "deleted", _("Deleted")
    TRANSITIONED = "transitioned", _("Status changed")
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Restored")
    IMPORTED = "imported", _("Imported")


class MissionChange(MissionPart):
    """One entry in a mission's history: who did what to which part, and the fields' values
    before and after (`{"field": [before, after]}`), written by every service."""

    mission = mission_reference("changes")
    user = person_reference(_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    object_type = models.CharField(_("part"), max_length=30)
    object_key = models.CharField(_("key"), max_length=80, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("mission change")
        verbose_name_plural = _("mission changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["mission", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}"


class MissionSnapshot(MissionPart):
    """A named, immutable copy of a whole mission as the exchange format exports it (core
    fields plus every registered section: targets, projects, canvas, ...), e.g. "Cabinet
    submission v3". Taken through `missions.snapshots.snapshot_take`; never changed after."""

    mission = mission_reference("snapshots")
    name = models.CharField(_("name"), max_length=120)
    taken_by = person_reference(_("taken by"))
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    document = models.JSONField(_("document"))

    class Meta:
        verbose_name = _("mission snapshot")
        verbose_name_plural = _("mission snapshots")
        ordering = ["-taken_at", "-pk"]
        constraints = [
            unique_per_mission("name", name="missions_snapshot_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Snapshots are immutable; take a new one instead.")
        super().save(*args, **kwargs)
