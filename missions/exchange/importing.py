"""Importing a document, all or nothing: read and check it whole (`checking`), then write
actors, challenges, missions and every section in one transaction. Files are size-checked before
they are read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from config.inputs import InputRefused, load_json
from missions import parts
from missions.exchange.checking import check_document
from missions.exchange.registry import SectionContext, save_if_changed, sections
from missions.exchange.results import ExchangeError, ImportRejected, ImportSummary
from missions.models import Actor, ChangeAction, GrandChallenge, Mission

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_import_bytes() -> int:
    """The largest file the importer reads (setting LODESTAR_IMPORT_MAX_BYTES, default 10 MB)."""
    return int(getattr(settings, "LODESTAR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@transaction.atomic
def import_document(
    *,
    document: Any,
    organisation: Organisation,
    user: User | None = None,
    permission: str = "missions.import_missions",
) -> ImportSummary:
    """Import a parsed document into `organisation`, all or nothing. Existing actors,
    challenges, missions, targets, milestones and projects with the same keys are updated; rows
    of an imported section that the document no longer lists are removed. Raises
    `ImportRejected` (nothing written) listing every problem. `user=None` is a system import
    (management command, demo data); a user needs `permission`: importing a file needs
    `missions.import_missions`; a copy of one mission (missions.copying) needs only the right
    to start a mission, which its caller checks."""
    if user is not None and not user.has_perm(permission, organisation):
        raise PermissionDenied(_("Only leads and administrators can import missions."))
    plan, errors = check_document(document, organisation, user)
    if errors:
        raise ImportRejected(errors)
    summary = plan.summary

    actors = {a.key: a for a in Actor.objects.filter(organisation=organisation)}
    for values in plan.actors:
        actor = actors.get(values["key"]) or Actor(organisation=organisation, created_by=user)
        save_if_changed(actor, values, "actors", summary)
        actors[actor.key] = actor
    challenges = {c.key: c for c in GrandChallenge.objects.filter(organisation=organisation)}
    for values in plan.challenges:
        challenge = challenges.get(values["key"]) or GrandChallenge(
            organisation=organisation, created_by=user
        )
        save_if_changed(challenge, values, "challenges", summary)
        challenges[challenge.key] = challenge

    stored = {m.key: m for m in Mission.objects.filter(organisation=organisation)}
    loaded: list[
        tuple[Mission, dict[str, Any], dict[str, Any], SectionContext, dict[str, Any]]
    ] = []
    for values, raw, context in plan.missions:
        values = dict(values)
        parent_key = values.pop("parent")
        values["challenge"] = challenges[values["challenge"]]
        values["owner"] = actors[values["owner"]] if values["owner"] else None
        values["coordinator"] = actors[values["coordinator"]] if values["coordinator"] else None
        mission = stored.get(values["key"])
        before = parts.snapshot(mission, values) if mission else {}
        if mission is None:
            mission = Mission(organisation=organisation, created_by=user)
        if "language" not in raw:  # a file from before the field: nothing to change
            values["language"] = mission.language if mission.pk else organisation.language
        mission.updated_by = user
        save_if_changed(mission, values, "missions", summary)
        stored[mission.key] = mission
        loaded.append((mission, raw, values, context, before))
        values["parent"] = parent_key
    for mission, _raw, values, _context, _before in loaded:
        parent = stored[values["parent"]] if values["parent"] else None
        if mission.parent_id != (parent.pk if parent else None):
            mission.parent = parent
            mission.save(update_fields=["parent"])
    for mission, raw, values, context, before in loaded:
        context.actors = actors
        for section in sections():
            if section.name in raw:
                section.load(mission, raw[section.name], context)
        after = parts.snapshot(mission, [name for name in values if name != "parent"])
        parts.record_change(
            mission=mission,
            user=user,
            action=ChangeAction.IMPORTED,
            object_type="mission",
            object_key=mission.key,
            changes=parts.changes_between(before, after),
        )
    return summary


# --- Reading files ------------------------------------------------------------------------------


def too_big(size: int) -> ImportRejected:
    limit = max_import_bytes()
    return ImportRejected(
        [
            ExchangeError(
                "document",
                _("the file is %(size).1f MB; the limit is %(limit).1f MB.")
                % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
            )
        ]
    )


def parse(raw: bytes | str) -> Any:
    """JSON text or bytes → Python data. Raises `ImportRejected` for oversized or malformed
    input, with the line and column of a syntax error."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > max_import_bytes():
        raise too_big(size)
    try:
        return load_json(raw, max_bytes=max_import_bytes())
    except InputRefused as refused:
        raise ImportRejected(
            [ExchangeError(refused.field or "document", refused.message)]
        ) from None


def read_file(path: str | os.PathLike[str]) -> Any:
    """Read and parse a document file, checking its size before reading any of it."""
    size = os.path.getsize(path)
    if size > max_import_bytes():
        raise too_big(size)
    return parse(Path(path).read_bytes())


def import_file(
    path: str | os.PathLike[str], *, organisation: Organisation, user: User | None = None
) -> ImportSummary:
    """`read_file` then `import_document`."""
    return import_document(document=read_file(path), organisation=organisation, user=user)
