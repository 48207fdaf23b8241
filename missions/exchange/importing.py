"""Importing a document, all or nothing: read and check it whole (`checking`), then write
actors, challenges, missions and every section in one transaction. Files are size-checked before
they are read."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from config.inputs import InputRefused, load_json
from missions import hooks, parts
from missions.exchange.bulk import BATCH, BulkWrites, insert
from missions.exchange.checking import check_document
from missions.exchange.registry import SectionContext, sections
from missions.exchange.results import ExchangeError, ImportRejected, ImportSummary
from missions.models import Actor, ChangeAction, GrandChallenge, Mission, MissionChange

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
    writes = BulkWrites(summary)

    # Each kind of row in a few set-based queries, whatever the number of missions: read what
    # the organisation has, then create what is new and update what differs (bulk.BulkWrites).
    actors = {a.key: a for a in Actor.objects.filter(organisation=organisation)}
    actor_rows = [
        (actors.get(values["key"]) or Actor(organisation=organisation, created_by=user), values)
        for values in plan.actors
    ]
    writes.save(Actor, actor_rows, "actors")
    actors.update((actor.key, actor) for actor, _values in actor_rows)
    challenges = {c.key: c for c in GrandChallenge.objects.filter(organisation=organisation)}
    challenge_rows = [
        (
            challenges.get(values["key"])
            or GrandChallenge(organisation=organisation, created_by=user),
            values,
        )
        for values in plan.challenges
    ]
    writes.save(GrandChallenge, challenge_rows, "challenges")
    challenges.update((challenge.key, challenge) for challenge, _values in challenge_rows)

    # With what the history's "before" names (a challenge, owner, coordinator by key).
    stored = {
        m.key: m
        for m in Mission.objects.filter(organisation=organisation).select_related(
            "challenge", "owner", "coordinator"
        )
    }
    loaded: list[tuple[Mission, dict[str, Any], list[str], SectionContext, dict[str, Any]]] = []
    mission_rows: list[tuple[Mission, dict[str, Any]]] = []
    parents: dict[str, str | None] = {}
    for values, raw, context in plan.missions:
        values = dict(values)
        parents[values["key"]] = values.pop("parent")
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
        mission_rows.append((mission, values))
        stored[values["key"]] = mission
        loaded.append((mission, raw, list(values), context, before))
    writes.save(Mission, mission_rows, "missions")
    reparented = []
    for mission, _values in mission_rows:
        parent_key = parents[mission.key]
        parent = stored[parent_key] if parent_key else None
        if mission.parent_id != (parent.pk if parent else None):
            before_parent = copy.copy(mission)
            mission.parent = parent
            mission.version += 1  # what Versioned.save does
            mission.updated_at = writes.now
            reparented.append((before_parent, mission))
    if reparented:
        Mission.objects.bulk_update(
            [mission for _before, mission in reparented],
            ["parent", "version", "updated_at"],
            batch_size=BATCH,
        )
        writes.audit.updated(reparented)

    for _mission, _raw, _names, context, _before in loaded:
        context.actors = actors
        context.writes = writes
    for section in sections():
        items = [
            (mission, raw[section.name], context)
            for mission, raw, _names, context, _before in loaded
            if section.name in raw
        ]
        if not items:
            continue
        if section.load_many is not None:
            section.load_many(items)
        else:
            for mission, data, context in items:
                section.load(mission, data, context)

    # One "imported" entry in each mission's history, written together; the listeners (the
    # criteria engine queues assessments) hear of every mission once, in one batch, after commit.
    insert(
        MissionChange,
        [
            MissionChange(
                mission=mission,
                user=user,
                action=ChangeAction.IMPORTED,
                object_type="mission",
                object_key=mission.key,
                changes=parts.changes_between(
                    before, parts.snapshot(mission, [n for n in names if n != "parent"])
                ),
            )
            for mission, _raw, names, _context, before in loaded
        ],
    )
    hooks.missions_changed([mission.pk for mission, *_rest in loaded])
    writes.audit.write()
    summary.tables |= {MissionChange._meta.db_table, writes.audit.table()}
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
