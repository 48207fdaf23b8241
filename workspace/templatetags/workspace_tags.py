import datetime

from django import template
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.models import ChangeAction, MissionChange
from workspace.selectors import GREATER_THAN, LESS_THAN, MATCH_END, MATCH_START

register = template.Library()


@register.filter
def highlight(excerpt: str) -> SafeString:
    """A search excerpt with its matched words in <mark>: the text is escaped first, and only
    the markers PostgreSQL put around the matches (characters no stored text holds) become
    tags."""
    text = escape(excerpt or "")
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        text.replace(MATCH_START, "<mark>")
        .replace(MATCH_END, "</mark>")
        .replace(LESS_THAN, "&lt;")
        .replace(GREATER_THAN, "&gt;")
    )


@register.filter
def ago(moment: datetime.datetime | None) -> str:
    """ "just now", "5 minutes ago", "2 days ago"."""
    if moment is None:
        return ""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, depth=1)}


# What someone did to a mission, as a verb phrase before the mission's title (lazy: translated
# when a page shows it, in that page's language, not once at import).
_ACTIVITY_VERBS: dict[str, Promise] = {
    ChangeAction.CREATED: gettext_lazy("added to"),
    ChangeAction.UPDATED: gettext_lazy("changed"),
    ChangeAction.DELETED: gettext_lazy("removed part of"),
    ChangeAction.TRANSITIONED: gettext_lazy("changed the status of"),
    ChangeAction.ARCHIVED: gettext_lazy("archived"),
    ChangeAction.RESTORED: gettext_lazy("restored"),
    ChangeAction.IMPORTED: gettext_lazy("imported"),
}


@register.filter
def activity_verb(change: MissionChange) -> str:
    if change.action == ChangeAction.CREATED and change.object_type == "mission":
        return _("started")
    return str(_ACTIVITY_VERBS.get(change.action, _("changed")))
