"""Writes for the canvas: saving a box's text, with optimistic concurrency, and comments.

`canvas_box_save` is the only way text gets into a box. It refuses a save based on an older
version with `CanvasConflict` (a `missions.services.ConflictError` that also carries the newer
text, who wrote it and when), so nobody's words are ever overwritten without them seeing it.
"""

from __future__ import annotations

import copy
import datetime
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditlog import get_logentry_model
from auditlog.diff import model_instance_diff
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from canvas import signals
from canvas.boxes import BOXES, STATEMENT, get_box
from canvas.mentions import mentioned_members
from canvas.models import (
    COMMENT_LIMIT,
    NOTE_LIMIT,
    CanvasBox,
    CanvasBoxRevision,
    CanvasComment,
    NoteStatus,
    Workshop,
    WorkshopNote,
)
from missions import hooks, parts
from missions.exchange.bulk import AuditTrail
from missions.models import Mission
from missions.parts import ConflictError
from missions.services import mission_update

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CanvasConflict(ConflictError):
    """The box changed since the page showed version `expected_version`. Carries the current
    version, text, and who saved it when, for the conflict panel."""

    def __init__(
        self,
        *,
        obj: CanvasBox | Mission,
        expected_version: int,
        current_version: int,
        current_text: str,
        updated_by: User | None,
        updated_at: datetime.datetime | None,
    ):
        super().__init__(
            obj=obj, expected_version=expected_version, current_version=current_version
        )
        self.current_text = current_text
        self.updated_by = updated_by
        self.updated_at = updated_at


@dataclass(frozen=True)
class SavedBox:
    """What a save left in the box (the same for the statement and the other boxes)."""

    key: str
    text: str
    version: int
    updated_at: datetime.datetime | None
    updated_by: User | None
    changed: bool


def normalise(text: str) -> str:
    """Browsers send line breaks as CRLF; store LF, so lengths match the page's counter."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A box goes through the kernel's permission step only. The rest of a box save is its own: a
# box keeps revisions of its text (the history page would drown in autosaves) and an identical
# text is a success whatever version the page sent, so the kernel's update does not apply.
BOX = parts.PartKind(
    "canvas box",
    frozenset(),
    permission="canvas.change_box",
    refusal=gettext_lazy(
        "You can read this canvas but not change it. Ask an editor of the organisation."
    ),
)


def _check_permission(by: User, mission: Mission) -> None:
    parts.require_kind_editable(BOX, by, mission)


def _check_length(box_title: StrOrPromise, text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationError(
            {
                "text": ngettext(
                    "%(box)s can be at most %(limit)s characters long; this text has "
                    "%(length)s. Shorten it by %(over)s character and it will save.",
                    "%(box)s can be at most %(limit)s characters long; this text has "
                    "%(length)s. Shorten it by %(over)s characters and it will save.",
                    len(text) - limit,
                )
                % {
                    "box": box_title,
                    "limit": f"{limit:,}",
                    "length": f"{len(text):,}",
                    "over": f"{len(text) - limit:,}",
                }
            }
        )


@transaction.atomic
def canvas_box_save(
    *, by: User, mission: Mission, box_key: str, text: str, expected_version: int
) -> SavedBox:
    """Save the text of one box of `mission`, based on the version the page showed.

    - Text identical to what is stored is a success that changes nothing (a repeated autosave).
    - Otherwise `expected_version` must be the current version, or `CanvasConflict` is raised.
    - The mission statement box goes through `missions.services.mission_update` (its version
      is the mission's); every other box is a `CanvasBox` row.
    - Every save that changes the text records a `CanvasBoxRevision` and tells
      `missions.hooks` listeners (the criteria engine) that the mission changed.

    Raises `ValidationError` ({"text": ...}) for over-long text and `PermissionDenied` for
    viewers and archived missions."""
    box = get_box(box_key)
    if box is None:
        raise ValidationError(
            {"box_key": _("There is no canvas box called “%(key)s”.") % {"key": box_key}}
        )
    _check_permission(by, mission)
    text = normalise(text)
    _check_length(box.title, text, box.limit)
    if box.is_statement:
        return _save_statement(by, mission, text, expected_version)

    saved = _save_over_expected_version(by, mission, box.key, text, expected_version)
    if saved is not None:
        return saved
    # Anything else (a new row, unchanged text, a conflict): read the row, locked, and decide.
    row = _locked_box(mission, box.key)
    if row is None:
        if not text:
            # An empty box saved empty: nothing to keep, so no row (its version stays 0).
            return SavedBox(box.key, "", 0, None, None, False)
        created, _new = CanvasBox.objects.get_or_create(mission=mission, box_key=box.key)
        row = _locked_box(mission, box.key) or created  # made just now, in this transaction
    if row.text == text:
        return _saved(row, changed=False)
    _refuse_over_newer(row, row.text, expected_version)
    # Someone's own words now, even when they kept the example's.
    _store(row, text, by, example=False)
    # An autosave's answer shows none of what the listeners change: they wait for it to go.
    hooks.mission_changed(mission.pk, after_response=True, records=False)
    return _saved(row, changed=True)


# Autosave's usual case in one statement: the row at the version the page showed, with other
# text, takes the new text as its next version; the old text comes back for the audit trail.
_UPDATE_OVER_VERSION = """
    UPDATE canvas_canvasbox AS box
       SET text = %(text)s, version = box.version + 1, updated_at = %(now)s,
           updated_by_id = %(user)s, is_example = false
      FROM (SELECT id, text, is_example FROM canvas_canvasbox
             WHERE mission_id = %(mission)s AND box_key = %(key)s AND version = %(version)s
               FOR UPDATE) AS before
     WHERE box.id = before.id AND before.text <> %(text)s
 RETURNING box.id, before.text, before.is_example
"""


def _save_over_expected_version(
    by: User, mission: Mission, box_key: str, text: str, expected_version: int
) -> SavedBox | None:
    """The save of an autosave, as short as a transaction can be: the conditional UPDATE and
    the revision's INSERT. The audit entry and the listeners come after the commit (history and
    hooks are no part of the save). None when the row is missing, holds this text already, or
    moved on from `expected_version`: the caller then reads it and decides."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _UPDATE_OVER_VERSION,
            {
                "text": text,
                "now": now,
                "user": by.pk,
                "mission": mission.pk,
                "key": box_key,
                "version": expected_version,
            },
        )
        updated = cursor.fetchone()
    if updated is None:
        return None
    box_id, old_text, old_example = updated
    version = expected_version + 1
    CanvasBoxRevision.objects.create(
        mission=mission, box_key=box_key, version=version, text=text, user=by
    )
    after = CanvasBox(
        pk=box_id,
        mission=mission,
        box_key=box_key,
        text=text,
        version=version,
        updated_at=now,
        updated_by=by,
        is_example=False,
    )
    before = copy.copy(after)
    before.text, before.is_example, before.version = old_text, old_example, expected_version
    transaction.on_commit(lambda: _record_in_audit_trail(before, after, by))
    hooks.mission_changed(mission.pk, after_response=True, records=False)
    return SavedBox(box_key, text, version, now, by, True)


def _record_in_audit_trail(before: CanvasBox, after: CanvasBox, by: User) -> None:
    """The entry django-auditlog would have written had the row been saved with `save()`, by
    `by` (named here: after the commit, the request's actor may be gone)."""
    trail = AuditTrail()
    trail.updated([(before, after)])
    for entry in trail.entries:
        entry.actor = by
    trail.write()


def _locked_box(mission: Mission, box_key: str) -> CanvasBox | None:
    row = (
        CanvasBox.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(mission=mission, box_key=box_key)
        .first()
    )
    if row is not None:
        # The mission already loaded: the audit trail reads the row's organisation through it.
        row.mission = mission
    return row


def _store(row: CanvasBox, text: str, by: User, *, example: bool) -> None:
    """Write a box's new text as its next version, with its revision. The callers have checked
    the text (`_check_length`) and the box key (the registry); the table's constraints hold the
    rest, so no model validation here: it would cost the save three queries."""
    row.text = text
    row.is_example = example
    row.version += 1
    row.updated_at = timezone.now()
    row.updated_by = by
    row.save()
    CanvasBoxRevision.objects.create(
        mission=row.mission, box_key=row.box_key, version=row.version, text=text, user=by
    )


def _refuse_over_newer(current: CanvasBox | Mission, text: str, expected_version: int) -> None:
    """`CanvasConflict` when someone saved the box (its `current` row, holding `text`) since
    the page showed version `expected_version`."""
    if current.version != expected_version:
        raise CanvasConflict(
            obj=current,
            expected_version=expected_version,
            current_version=current.version,
            current_text=text,
            updated_by=current.updated_by,
            updated_at=current.updated_at,
        )


def _saved(row: CanvasBox, *, changed: bool) -> SavedBox:
    return SavedBox(row.box_key, row.text, row.version, row.updated_at, row.updated_by, changed)


def _save_statement(by: User, mission: Mission, text: str, expected_version: int) -> SavedBox:
    current = (
        Mission.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=mission.pk)
    )
    if current.statement == text:
        return SavedBox(
            STATEMENT, text, current.version, current.updated_at, current.updated_by, False
        )
    _refuse_over_newer(current, current.statement, expected_version)
    try:
        saved = mission_update(
            by=by, mission=current, expected_version=expected_version, statement=text
        )
    except ValidationError as error:
        messages = error.message_dict.get("statement") if hasattr(error, "error_dict") else None
        raise ValidationError({"text": messages or error.messages}) from error
    CanvasBoxRevision.objects.create(
        mission=mission, box_key=STATEMENT, version=saved.version, text=text, user=by
    )
    # mission_update has told the hooks already (through record_change).
    return SavedBox(STATEMENT, text, saved.version, saved.updated_at, by, True)


@transaction.atomic
def canvas_fill_examples(*, by: User, mission: Mission) -> int:
    """Fill every empty box (the statement aside) with its worked example from a real mission
    and its source, marked as an example until someone changes it. Returns how many boxes were
    filled; boxes with text are left alone."""
    _check_permission(by, mission)
    rows = {
        row.box_key: row for row in CanvasBox.objects.select_for_update().filter(mission=mission)
    }
    filled = 0
    for box in BOXES:
        row = rows.get(box.key)
        if box.is_statement or not box.example or (row is not None and row.text.strip()):
            continue
        text = _("%(example)s\n\n(Example from a real mission. Source: %(source)s.)") % {
            "example": box.example,
            "source": box.example_source,
        }
        _store(row or CanvasBox(mission=mission, box_key=box.key), text, by, example=True)
        filled += 1
    return filled


# --- comments ---------------------------------------------------------------------------------


def _check_comment_permission(by: User, mission: Mission) -> None:
    if mission.archived_at is not None:
        raise PermissionDenied(_("This mission is archived. Restore it before commenting."))
    if not by.has_perm("canvas.comment_box", mission):
        raise PermissionDenied(
            _("You can read the comments but not add or resolve them. Editors and reviewers can.")
        )


def clean_comment(text: str) -> str:
    """The comment as stored: line breaks as LF, no blank lines around it. Raises
    `ValidationError` ({"text": ...}) when it is empty or over `COMMENT_LIMIT` characters."""
    text = normalise(text).strip()
    if not text:
        raise ValidationError({"text": _("Enter a comment.")})
    if len(text) > COMMENT_LIMIT:
        raise ValidationError(
            {
                "text": ngettext(
                    "A comment can be at most %(limit)s characters long; this one has "
                    "%(length)s. Shorten it by %(over)s character.",
                    "A comment can be at most %(limit)s characters long; this one has "
                    "%(length)s. Shorten it by %(over)s characters.",
                    len(text) - COMMENT_LIMIT,
                )
                % {
                    "limit": f"{COMMENT_LIMIT:,}",
                    "length": f"{len(text):,}",
                    "over": f"{len(text) - COMMENT_LIMIT:,}",
                }
            }
        )
    return text


@transaction.atomic
def canvas_comment_add(
    *,
    by: User,
    mission: Mission,
    box_key: str,
    text: str,
    parent: CanvasComment | None = None,
) -> CanvasComment:
    """Add a comment by `by` to one box of `mission`, or, with `parent`, a reply to a
    comment on that box. Replies are one level deep: a reply to a reply goes under the comment
    that opened the discussion. Editors, reviewers, leads and admins may; viewers and archived
    missions raise `PermissionDenied`; empty or over-long text, or a `parent` on another box,
    raises `ValidationError`. The members it @mentions (canvas.mentions) and the author of
    the comment it answers are told through `canvas.signals.comment_added`."""
    box = get_box(box_key)
    if box is None:
        raise ValidationError(
            {"box_key": _("There is no canvas box called “%(key)s”.") % {"key": box_key}}
        )
    _check_comment_permission(by, mission)
    if parent is not None and (parent.mission_id != mission.pk or parent.box_key != box.key):
        raise ValidationError({"parent": _("You can only reply to a comment on this box.")})
    comment = CanvasComment(
        mission=mission,
        box_key=box.key,
        text=clean_comment(text),
        author=by,
        parent_id=(parent.parent_id or parent.pk) if parent is not None else None,
    )
    comment.full_clean()
    comment.save()
    signals.comment_added.send(
        sender=CanvasComment,
        comment=comment,
        actor=by,
        replied_to=parent,
        mentioned=mentioned_members(comment.text, organisation_id=mission.organisation_id),
    )
    return comment


def canvas_comment_resolve(
    *, by: User, comment: CanvasComment, resolved: bool = True
) -> CanvasComment:
    """Resolve (or, with `resolved=False`, reopen) a comment. Anyone who may comment on the
    mission may. Resolving a resolved comment (or reopening an open one) changes nothing, so
    two people clicking at once both succeed."""
    _check_comment_permission(by, comment.mission)
    before = copy.copy(comment)
    if resolved:
        changed = CanvasComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=by
        )
    else:
        changed = CanvasComment.objects.filter(pk=comment.pk, resolved_at__isnull=False).update(
            resolved_at=None, resolved_by=None
        )
    comment.refresh_from_db(fields=["resolved_at", "resolved_by"])
    if changed:
        # A conditional UPDATE (so two clicks at once both succeed) sends no save signal: the
        # audit trail is told directly, with the before and after of what changed.
        get_logentry_model().objects.log_create(
            comment,
            action=get_logentry_model().Action.UPDATE,
            changes=model_instance_diff(before, comment, fields_to_check=_RESOLUTION_FIELDS),
        )
    return comment


# django-auditlog names a foreign key by its column attribute here.
_RESOLUTION_FIELDS = ("resolved_at", "resolved_by_id")


# --- workshops ---------------------------------------------------------------------------------
# Notes come from people with the workshop's link who may have no account, so they do not go
# through the kernel's create (which needs a person with a role); what the facilitator does
# with them (start, end, add a note to a box, move it, set it aside) takes the kernel's
# permission step, and adding a note to a box is an ordinary box save, with its revision.

WORKSHOP_HOURS = range(1, 13)
# A link may be passed around a room and beyond: a workshop takes at most this many notes.
WORKSHOP_NOTE_CAP = 500


class WorkshopEnded(ValidationError):
    """The workshop's link has expired or the facilitator ended it."""


def workshop_start(*, by: User, mission: Mission, title: str, hours: int) -> Workshop:
    """Start a workshop on `mission`'s canvas: a link that lets anyone who has it add notes to
    the boxes for `hours` hours (1 to 12). Editors only."""
    _check_permission(by, mission)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Enter a title for the workshop.")})
    if hours not in WORKSHOP_HOURS:
        raise ValidationError({"hours": _("Choose how long the link works: 1 to 12 hours.")})
    workshop = Workshop(
        mission=mission,
        title=title,
        token=secrets.token_urlsafe(32),
        created_by=by,
        ends_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    workshop.full_clean()
    workshop.save()
    return workshop


def workshop_end(*, by: User, workshop: Workshop) -> None:
    """End the workshop now: its link stops working at once."""
    _check_permission(by, workshop.mission)
    if workshop.ended_at is None:
        Workshop.objects.filter(pk=workshop.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


def clean_note(text: str) -> str:
    """The note as stored: one paragraph of at most NOTE_LIMIT characters."""
    text = " ".join(normalise(text).split())
    if not text:
        raise ValidationError({"text": _("Write your note.")})
    if len(text) > NOTE_LIMIT:
        raise ValidationError(
            {
                "text": _(
                    "A note can be at most %(limit)s characters long; this one has %(length)s. "
                    "Keep it short: one idea per note."
                )
                % {"limit": NOTE_LIMIT, "length": f"{len(text):,}"}
            }
        )
    return text


@transaction.atomic
def workshop_note_add(
    *, workshop: Workshop, box_key: str, text: str, by: User | None = None, name: str = ""
) -> WorkshopNote:
    """Add a quick note to a box of the workshop's canvas while the workshop is open: by
    someone signed in (`by`), or by a participant without an account (who may give a `name`)."""
    box = get_box(box_key)
    if box is None:
        raise ValidationError({"box_key": _("Choose the box your note is about.")})
    # Locked so that the cap holds when many people send at once.
    workshop = Workshop.objects.select_for_update().select_related("mission").get(pk=workshop.pk)
    if not workshop.is_open(timezone.now()):
        raise WorkshopEnded(_("This workshop has ended, so its link no longer takes notes."))
    if workshop.notes.count() >= WORKSHOP_NOTE_CAP:
        raise ValidationError(
            _("This workshop already has %(cap)s notes, as many as it takes.")
            % {"cap": WORKSHOP_NOTE_CAP}
        )
    note = WorkshopNote(
        mission=workshop.mission,
        workshop=workshop,
        box_key=box.key,
        text=clean_note(text),
        author=by,
        author_name="" if by else " ".join(name.split())[:80],
    )
    note.full_clean()
    note.save()
    return note


def _box_now(mission: Mission, key: str) -> tuple[str, int]:
    """A box's stored text and version, for a save based on them."""
    if key == STATEMENT:
        current = Mission.objects.get(pk=mission.pk)
        return current.statement, current.version
    row = CanvasBox.objects.filter(mission=mission, box_key=key).first()
    return (row.text, row.version) if row else ("", 0)


@transaction.atomic
def workshop_note_use(*, by: User, note: WorkshopNote) -> SavedBox:
    """Add the note's text to the end of its box's text (a new paragraph), as a save by `by`
    with its revision, and mark the note as used."""
    mission = note.mission
    _check_permission(by, mission)
    note = WorkshopNote.objects.select_for_update().get(pk=note.pk)
    text, version = _box_now(mission, note.box_key)
    joined = f"{text.rstrip()}\n\n{note.text}" if text.strip() else note.text
    saved = canvas_box_save(
        by=by, mission=mission, box_key=note.box_key, text=joined, expected_version=version
    )
    note.status = NoteStatus.USED
    note.save(update_fields=["status"])
    return saved


def workshop_note_sort(
    *, by: User, note: WorkshopNote, box_key: str | None = None, status: str | None = None
) -> None:
    """Move a note to another box, set it aside, or bring it back (`status`)."""
    _check_permission(by, note.mission)
    changes: dict[str, str] = {}
    if box_key is not None:
        box = get_box(box_key)
        if box is None:
            raise ValidationError({"box_key": _("Choose a box of the canvas.")})
        changes["box_key"] = box.key
    if status is not None:
        if status not in (NoteStatus.NEW, NoteStatus.SET_ASIDE):
            raise ValidationError({"status": _("A note is either new or set aside.")})
        changes["status"] = status
    if changes:
        WorkshopNote.objects.filter(pk=note.pk).update(**changes)


# --- The box facts' stamp ---------------------------------------------------------------------


def records_changed(mission_id: int) -> None:
    """A record of the mission changed (a `missions.hooks` listener, after the commit): the box
    facts every process keeps for it are stale from now on (canvas.selectors.facts_by_box)."""
    records_changed_many([mission_id])


def records_changed_many(mission_ids: list[int]) -> None:
    """`records_changed` for many missions in one statement. Only missions still there get a
    stamp: one deleted since is skipped."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO canvas_factsstamp (mission_id, version)
            SELECT id, 1 FROM missions_mission WHERE id = ANY(%s)
            ON CONFLICT (mission_id) DO UPDATE SET version = canvas_factsstamp.version + 1
            """,
            [mission_ids],
        )
