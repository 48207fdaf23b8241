"""The audit trail: one `AuditEntry` per create, update or delete of an audited model, and per
event (a download, a sign-in). It is django-auditlog's log entry (`AbstractLogEntry`: actor,
timestamp, action, content type, object, `changes` as `{"field": [before, after]}`) plus the
organisation and mission the object belongs to, so a page filters on indexed columns.

Neither column is a database constraint: the trail outlives what it describes, so an entry about
a deleted mission (or a deleted organisation) stays, and deleting never has to touch the trail.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.selectors import member_organisation_ids


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditEntryQuerySet:
        """Entries of organisations the user is a member of (pages add the role check)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(organisation_id__in=member_organisation_ids(user))


# django-auditlog ships no types, so its manager is Any to mypy: named here for the class below.
_LogEntryManager: Any = LogEntryManager.from_queryset(AuditEntryQuerySet)


class AuditEntryManager(_LogEntryManager):
    """django-auditlog writes every entry through `log_create` (and `log_m2m_changes`): this is
    where the entry learns its organisation and mission, from the registry."""

    def _with_owner(self, instance: models.Model, kwargs: dict[str, Any]) -> None:
        from audit.registry import owner_of

        organisation_id, mission_id = owner_of(instance)
        kwargs.setdefault("organisation_id", organisation_id)
        kwargs.setdefault("mission_id", mission_id)

    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> Any:
        changes = kwargs.get("changes")
        if changes:
            # On create and delete django-auditlog diffs reverse relations too ("targets":
            # "missions.Target.None"): keep the object's own fields only.
            own = {f.name for f in instance._meta.concrete_fields}
            kwargs["changes"] = {name: value for name, value in changes.items() if name in own}
        if kwargs.get("changes") is not None or force_log:
            self._with_owner(instance, kwargs)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(
        self,
        changed_queryset: Any,
        instance: models.Model,
        operation: str,
        field_name: str,
        **kwargs: Any,
    ) -> Any:
        if changed_queryset:
            self._with_owner(instance, kwargs)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEvent(models.TextChoices):
    """What an entry records beyond a model change (blank for a plain create/update/delete)."""

    DOWNLOAD = "download", _("Download")
    SIGN_IN = "sign_in", _("Sign-in")
    API_CALL = "api_call", _("API call")


class AuditEntry(AbstractLogEntry):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # A plain id, not a foreign key: entries about a deleted mission keep it.
    mission_id = models.BigIntegerField(_("mission"), null=True, blank=True)
    event = models.CharField(_("event"), max_length=20, choices=AuditEvent.choices, blank=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        abstract = False
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-timestamp"], name="audit_entry_org_time"),
            models.Index(fields=["mission_id", "-timestamp"], name="audit_entry_mission_time"),
        ]
