"""Reads for the canvas. The page's data comes in a fixed number of queries however many boxes
are filled and however many comments there are: the mission (with targets and projects, from
`missions.selectors.mission_detail`), one query for all the box rows and one for all the
comments with their authors."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts import languages
from accounts.models import User
from canvas import facts as box_facts
from canvas.boxes import BOXES, BY_KEY, Band, Box
from canvas.models import (
    CanvasBox,
    CanvasBoxRevision,
    CanvasComment,
    FactsStamp,
    NoteStatus,
    Workshop,
    WorkshopNote,
)
from missions import selectors as mission_selectors
from missions.exchange import export_mission
from missions.models import Mission
from missions.workflow import transitions_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How many of a box's facts its card on the board shows (the editor shows them all).
CARD_FACTS = 4

# The step that moves a mission forward from each status, for "what the next status needs".
FORWARD_STEPS = ("propose", "approve", "activate")


@dataclass
class BoxView:
    """One box as the page shows it."""

    box: Box
    text: str
    version: int
    updated_at: datetime.datetime | None
    updated_by: User | None
    summary: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    conflict: dict[str, Any] | None = None
    comments: list[CanvasComment] = field(default_factory=list)
    comment_errors: list[str] = field(default_factory=list)
    comment_text: str = ""
    # A refused reply: the comment it answered, why, and the text as typed.
    reply_to: int | None = None
    reply_errors: list[str] = field(default_factory=list)
    reply_text: str = ""
    # The boxes before and after this one, for the editor's "previous" and "next" links.
    previous_key: str = ""
    next_key: str = ""
    # Still the worked example the box was filled with, not the team's words.
    is_example: bool = False
    # What the mission's records say for the box (canvas.facts), and where to edit them.
    facts: list[str] = field(default_factory=list)
    records_url: str = ""
    records_label: StrOrPromise = ""
    # Workshop notes not yet added to the text (canvas.selectors.notes_by_box).
    notes: list[WorkshopNote] = field(default_factory=list)

    @property
    def open_comments(self) -> int:
        # `comments` holds the comments that open a discussion; replies hang under them.
        return sum(1 for comment in self.comments if comment.is_open)

    @property
    def card_facts(self) -> list[str]:
        """The first facts, for the board; the editor shows them all."""
        return self.facts[:CARD_FACTS]

    @property
    def more_facts(self) -> int:
        return max(0, len(self.facts) - CARD_FACTS)

    @property
    def new_notes(self) -> int:
        return sum(1 for note in self.notes if note.status == NoteStatus.NEW)

    @property
    def resolved_comments(self) -> list[CanvasComment]:
        return [comment for comment in self.comments if not comment.is_open]

    @property
    def key(self) -> str:
        return str(self.box.key)

    @property
    def filled(self) -> bool:
        if self.text.strip() and not self.is_example:
            return True
        return bool(self.summary.get("count"))


def mission_for_canvas(*, user: User, org_slug: str, mission_key: str) -> Mission:
    """The mission with its targets, which the next step's requirements read (`completeness`);
    404 if the user may not see it. The rest of what the boxes say of the mission's parts comes
    from their facts (`attach_facts`)."""
    return mission_selectors.mission_detail(
        user=user, organisation=org_slug, key=mission_key, parts="overview"
    )


def mission_for_save(*, user: User, org_slug: str, mission_key: str) -> Mission:
    """The mission alone (no targets or projects), for saving a box; 404 if not visible."""
    return get_object_or_404(
        Mission.objects.visible_to(user).select_related("organisation"),
        organisation__slug=org_slug,
        key=mission_key,
    )


def box_views(mission: Mission, *, summaries: bool = True) -> list[BoxView]:
    """The twelve boxes in canvas order, with text, version and the structured summaries.
    Expects a mission from `mission_for_canvas` (targets prefetched)."""
    rows = {
        row.box_key: row
        for row in CanvasBox.objects.filter(mission=mission).select_related("updated_by")
    }
    views = []
    for box in BOXES:
        if box.is_statement:
            view = BoxView(
                box, mission.statement, mission.version, mission.updated_at, mission.updated_by
            )
        else:
            row = rows.get(box.key)
            view = BoxView(
                box,
                row.text if row else "",
                row.version if row else 0,
                row.updated_at if row else None,
                row.updated_by if row else None,
                is_example=bool(row and row.is_example),
            )
        if summaries:
            view.summary = _summary(box, mission)
        views.append(view)
    for earlier, later in itertools.pairwise(views):
        earlier.next_key, later.previous_key = later.key, earlier.key
    return views


def board_stamp(mission: Mission) -> str:
    """A short text that changes whenever anything the board shows changes: a box's text, the
    mission (its statement, and every part the boxes summarise, which touch it), or a comment
    added, resolved or reopened, or a workshop note. Three small queries; the board is only rendered again when it differs."""
    row = (
        Mission.objects.filter(pk=mission.pk)
        .annotate(
            boxes_changed=Max("canvas_boxes__updated_at"),
            box_versions=Sum("canvas_boxes__version"),
        )
        .values("updated_at", "version", "boxes_changed", "box_versions")
        .get()
    )
    comments = CanvasComment.objects.filter(mission=mission).aggregate(
        count=Count("pk"),
        written=Max("created_at"),
        resolved=Max("resolved_at"),
        open=Count("pk", filter=Q(resolved_at__isnull=True)),
    )
    notes = WorkshopNote.objects.filter(mission=mission).aggregate(
        count=Count("pk"), new=Count("pk", filter=Q(status=NoteStatus.NEW))
    )
    return "|".join(str(value) for value in (*row.values(), *comments.values(), *notes.values()))


def box_view(mission: Mission, key: str) -> BoxView:
    """One box, without the structured summary (the editor does not show it)."""
    return next(view for view in box_views(mission, summaries=False) if view.key == key)


def _summary(box: Box, mission: Mission) -> dict[str, Any]:
    """How many records a structured box stands for: a box with targets or projects recorded
    counts as filled without text of its own."""
    if box.structured == "targets":
        return {"count": len(mission.targets.all())}
    if box.structured == "portfolio":
        return {"count": mission.projects.count()}
    return {}


def bands(views: list[BoxView]) -> list[tuple[str, StrOrPromise, list[BoxView]]]:
    """The boxes grouped by band, in canvas order: [(band key, band label, boxes)]."""
    return [
        (band.value, band.label, [view for view in views if view.box.band == band]) for band in Band
    ]


def completeness(*, mission: Mission, user: User, views: list[BoxView]) -> dict[str, Any]:
    """How full the canvas is, and what the mission's next status still needs."""
    filled = [view for view in views if view.filled]
    steps = transitions_for(mission=mission, user=user)
    next_step = next((s for name in FORWARD_STEPS for s in steps if s.name == name), None)
    return {
        "filled": len(filled),
        "total": len(views),
        "next_step": next_step,
    }


def box_revisions(
    *, mission: Mission, box_key: str, limit: int = 100
) -> QuerySet[CanvasBoxRevision]:
    """A box's saved versions, newest first, with who saved each."""
    if box_key not in BY_KEY:
        return CanvasBoxRevision.objects.none()
    return (
        CanvasBoxRevision.objects.filter(mission=mission, box_key=box_key)
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )


def mission_comments(mission: Mission, box_key: str | None = None) -> QuerySet[CanvasComment]:
    """The mission's comments (or one box's), oldest first, with who wrote and resolved them."""
    comments = CanvasComment.objects.filter(mission=mission).select_related("author", "resolved_by")
    if box_key is not None:
        comments = comments.filter(box_key=box_key)
    return comments.order_by("created_at", "pk")


def threads(comments: Iterable[CanvasComment]) -> list[CanvasComment]:
    """The comments that open a discussion, oldest first, each with its replies under it
    (`comment.thread`): replies are one level deep. Reads no more than `comments`."""
    top: list[CanvasComment] = []
    replies: dict[int, list[CanvasComment]] = {}
    for comment in comments:
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in top:
        comment._thread = replies.get(comment.pk, [])
    return top


def attach_comments(mission: Mission, views: list[BoxView]) -> int:
    """Give every box its comments, each with its replies, in one query however many there
    are. Returns the number of open discussions (comments, not counting replies) on the
    whole canvas."""
    by_box: dict[str, list[CanvasComment]] = {}
    for comment in threads(mission_comments(mission)):
        by_box.setdefault(comment.box_key, []).append(comment)
    for view in views:
        view.comments = by_box.get(view.key, [])
    return sum(view.open_comments for view in views)


def comment_for(*, mission: Mission, comment_id: int) -> CanvasComment:
    """One comment of `mission`, or 404 (a comment of another mission or organisation)."""
    return get_object_or_404(
        CanvasComment.objects.select_related("mission__organisation"),
        pk=comment_id,
        mission=mission,
    )


def open_comments_by_box(mission: Mission) -> dict[str, int]:
    """{box key: open comments} for the boxes that have any, in one query. Replies are part
    of their comment's discussion and are not counted on their own."""
    return dict(
        CanvasComment.objects.filter(mission=mission, resolved_at__isnull=True, parent__isnull=True)
        .values("box_key")
        .annotate(open=Count("pk"))
        .values_list("box_key", "open")
        .order_by()
    )


def notes_by_box(mission: Mission) -> dict[str, list[WorkshopNote]]:
    """The workshop notes not yet used, by box ({key: notes}), new ones before those set
    aside, oldest first; one query."""
    by_box: dict[str, list[WorkshopNote]] = {}
    notes = (
        WorkshopNote.objects.filter(mission=mission)
        .exclude(status=NoteStatus.USED)
        .select_related("author")
        .order_by("status", "created_at", "pk")
    )
    for note in notes:
        by_box.setdefault(note.box_key, []).append(note)
    return by_box


def note_for(*, mission: Mission, note_id: int) -> WorkshopNote:
    """One note of `mission`, or 404."""
    return get_object_or_404(
        WorkshopNote.objects.select_related("mission__organisation"), pk=note_id, mission=mission
    )


def current_workshop(mission: Mission) -> Workshop | None:
    """The mission's workshop whose link still works, if any."""
    return (
        Workshop.objects.filter(mission=mission, ended_at__isnull=True, ends_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


def workshop_for_link(token: str) -> Workshop:
    """The workshop a link names, ended or not, or 404 for a link that never existed."""
    return get_object_or_404(Workshop.objects.select_related("mission__organisation"), token=token)


def workshop_of(*, mission: Mission, workshop_id: int) -> Workshop:
    """One workshop of `mission`, or 404."""
    return get_object_or_404(Workshop, pk=workshop_id, mission=mission)


# How long a process keeps a mission's box facts it is not asked for again.
FACTS_SECONDS = 600


def _facts_key(mission: Mission, stamp: int | None) -> str:
    """Everything the box facts depend on: the records (through their stamp), the mission, the
    language and the currency they are written in, and the challenge, which changes without
    the mission."""
    challenge = mission.challenge
    return (
        "canvas:facts:"
        + hashlib.sha256(
            "|".join(
                (
                    str(mission.pk),
                    str(stamp),
                    str(mission.version),
                    mission.updated_at.isoformat() if mission.updated_at else "",
                    languages.current(),
                    str(mission.organisation.currency),
                    f"{challenge.pk}|{challenge.title}|{challenge.sdgs}",
                )
            ).encode()
        ).hexdigest()
    )


def facts_by_box(mission: Mission) -> dict[str, list[str]]:
    """{box key: its facts} for every box but the statement. Exporting the mission is most of
    a canvas page's work (twenty queries), so the facts are kept in the cache under the
    mission's `FactsStamp` (one small query): a record's change moves the stamp once its
    transaction has committed, and the next page in any process builds them again."""
    stamp = FactsStamp.objects.filter(mission=mission).values_list("version", flat=True).first()
    facts = cache.get_or_set(_facts_key(mission, stamp), lambda: _facts_now(mission), FACTS_SECONDS)
    return cast(dict[str, list[str]], facts)


def _facts_now(mission: Mission) -> dict[str, list[str]]:
    exported = export_mission(mission)
    return {
        str(box.key): box_facts.for_box(box, mission, exported)
        for box in BOXES
        if not box.is_statement
    }


def attach_facts(mission: Mission, views: list[BoxView], *, can_edit: bool) -> None:
    """Give every box what the mission's records say for it (the same sentences as the canvas
    PDF) and the link to where those records are kept."""
    facts = facts_by_box(mission)
    org, key = mission.organisation.slug, mission.key
    for view in views:
        if not view.box.is_statement:
            view.facts = list(facts.get(view.key, []))
        if view.box.records is None:
            continue
        url_name, group, edit_label, read_label = view.box.records
        if url_name == "missions:edit_group" and not can_edit:
            view.records_url = reverse("missions:overview", args=[org, key])
        else:
            view.records_url = reverse(url_name, args=[org, key, *([group] if group else [])])
        view.records_label = edit_label if can_edit else read_label
