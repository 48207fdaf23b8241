"""The audit trail in Django's admin: django-auditlog's own list, searched by our user fields.

django-auditlog registers its admin for the entry model (ours, audit.AuditEntry), searching
`actor__first_name` and `actor__last_name`, which our user model does not have: every search
answered 500. Registered again here with the names our users do have.
"""

from auditlog.admin import LogEntryAdmin
from django.contrib import admin

from audit.models import AuditEntry

admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(LogEntryAdmin):
    search_fields = ["timestamp", "object_repr", "changes", "actor__full_name", "actor__email"]
