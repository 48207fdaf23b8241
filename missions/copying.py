"""Starting a mission from a copy of another: the chosen parts of an existing mission (its
targets, projects, canvas text, stakeholders, theory of change) under a new title, as a draft.

A copy is the source written in the exchange format and read back under a new key, so every
part copies exactly as an export and import would, including the parts higher apps own
(registered exchange sections), and nothing is written unless all of it is.
Decisions about the source stay with the source: its status, approval, mandate, place in a
mission hierarchy, archive, reviews and indicator values are not copied.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from missions import examples
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
# Sections never copied: they record what happened to the source, not a plan (the public's
# ideas were sent in to the source's consultations).
NOT_COPIED = ("indicators", "reviews", "participation")
# Sections that belong to one of the parts above and go with it: a project's public-value terms
# and conditions (the rewards app's section) name its projects.
GOES_WITH = {"rewards": "projects"}
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
    document = export_document(organisation=source.organisation, mission_keys=[source.key])
    return _copy_entry(by, source.organisation, document, source.key, title, parts)


@transaction.atomic
def example_copy(
    *, by: User, organisation: Organisation, example_key: str, title: str, parts: Iterable[str]
) -> Mission:
    """A new draft mission in `organisation` from one of the example missions shipped with
    Lodestar (missions.examples). The organisation's own actors and challenges are never
    changed: only those the example names and the organisation lacks are added."""
    document = examples.document()
    if not any(entry["key"] == example_key for entry in document["missions"]):
        raise ValidationError({"example": _("There is no example mission called that.")})
    actors = set(organisation.actors.values_list("key", flat=True))
    challenges = set(organisation.challenges.values_list("key", flat=True))
    document = {
        **document,
        "actors": [a for a in document["actors"] if a["key"] not in actors],
        "challenges": [c for c in document["challenges"] if c["key"] not in challenges],
    }
    return _copy_entry(by, organisation, document, example_key, title, parts)


def _copy_entry(
    by: User,
    organisation: Organisation,
    document: dict[str, Any],
    source_key: str,
    title: str,
    parts: Iterable[str],
) -> Mission:
    """Import the mission `source_key` of `document` into `organisation` as a new draft titled
    `title`, with only the chosen parts."""
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
    entry = copy.deepcopy(next(item for item in document["missions"] if item["key"] == source_key))
    key = unique_key(organisation.missions.all(), title, fallback="mission")
    entry.update(FRESH, key=key, title=title)
    for section in (*COPYABLE, *NOT_COPIED):
        if section not in chosen:
            entry.pop(section, None)
    for section, part in GOES_WITH.items():
        if part not in chosen:
            entry.pop(section, None)
    import_document(
        document={**document, "missions": [entry]},
        organisation=organisation,
        user=by,
        permission="missions.add_mission",
    )
    return Mission.objects.get(organisation=organisation, key=key)
