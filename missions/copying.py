"""Starting a mission from a copy of another: the chosen parts of an existing mission (its
targets, projects, canvas text, stakeholders, theory of change) under a new title, as a draft.

A copy is the source written in the exchange format and read back under a new key, so every
part copies exactly as an export and import would, including the parts higher apps own
(registered exchange sections), and nothing is written unless all of it is.
Decisions about the source stay with the source: its status, approval, mandate, place in a
mission hierarchy, archive, reviews and indicator values are not copied.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from missions.exchange import export_document, import_document
from missions.models import Mission, MissionStatus
from missions.parts import unique_key

# The parts a person may choose to copy: exchange section → what the form calls it.
COPYABLE = {
    "targets": gettext_lazy("Targets and milestones"),
    "projects": gettext_lazy("Projects"),
    "canvas": gettext_lazy("The canvas's text"),
    "stakeholders": gettext_lazy("Stakeholders and engagement"),
    "theory_of_change": gettext_lazy("Theory of change"),
}
# Sections never copied: they record what happened to the source, not a plan.
NOT_COPIED = ("indicators", "reviews")
# What a new draft starts with, whatever the source had decided.
FRESH = {
    "status": MissionStatus.DRAFT,
    "paused_from": None,
    "approved_on": None,
    "archived_at": None,
    "parent": None,
    "mandate_source": "",
    "mandate_reference": "",
    "mandate_date": None,
}


@transaction.atomic
def mission_copy(*, by: User, source: Mission, title: str, parts: Iterable[str]) -> Mission:
    """A new draft mission titled `title` with the chosen `parts` (keys of COPYABLE) of
    `source`; anyone who may start a mission in the source's organisation may copy one."""
    organisation = source.organisation
    if not by.has_perm("missions.add_mission", organisation):
        raise PermissionDenied(_("You can read missions here but not start one."))
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Enter a title for the new mission.")})
    chosen = set(parts)
    if unknown := chosen - set(COPYABLE):
        raise ValidationError(
            {
                "parts": _("There is no part called %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            }
        )
    document = export_document(organisation=organisation, mission_keys=[source.key])
    entry = next(item for item in document["missions"] if item["key"] == source.key)
    key = unique_key(organisation.missions.all(), title, fallback="mission")
    entry.update(FRESH, key=key, title=title)
    for section in (*COPYABLE, *NOT_COPIED):
        if section not in chosen:
            entry.pop(section, None)
    document["missions"] = [entry]
    import_document(
        document=document, organisation=organisation, user=by, permission="missions.add_mission"
    )
    return Mission.objects.get(organisation=organisation, key=key)
