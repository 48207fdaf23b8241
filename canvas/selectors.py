"""Reads for the canvas. The page's data comes in a fixed number of queries however many boxes
are filled and however many comments there are: the mission (with targets and projects, from
`missions.selectors.mission_detail`), one query for all the box rows and one for all the
comments with their authors."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from canvas.boxes import BOXES, BY_KEY, Band, Box
from canvas.models import CanvasBox, CanvasBoxRevision, CanvasComment
from missions import selectors as mission_selectors
from missions.models import Mission
from missions.workflow import transitions_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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

    @property
    def open_comments(self) -> int:
        # `comments` holds the comments that open a discussion; replies hang under them.
        return sum(1 for comment in self.comments if comment.is_open)

    @property
    def resolved_comments(self) -> list[CanvasComment]:
        return [comment for comment in self.comments if not comment.is_open]

    @property
    def key(self) -> str:
        return str(self.box.key)

    @property
    def filled(self) -> bool:
        if self.text.strip():
            return True
        return bool(self.summary.get("count"))


def mission_for_canvas(*, user: User, org_slug: str, mission_key: str) -> Mission:
    """The mission with what the canvas shows; 404 if the user may not see it."""
    return mission_selectors.mission_detail(user=user, organisation=org_slug, key=mission_key)


def mission_for_save(*, user: User, org_slug: str, mission_key: str) -> Mission:
    """The mission alone (no targets or projects), for saving a box; 404 if not visible."""
    return get_object_or_404(
        Mission.objects.visible_to(user).select_related("organisation"),
        organisation__slug=org_slug,
        key=mission_key,
    )


def box_views(mission: Mission, *, summaries: bool = True) -> list[BoxView]:
    """The twelve boxes in canvas order, with text, version and the structured summaries.
    Expects a mission from `mission_for_canvas` (targets and projects prefetched)."""
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
            )
        if summaries:
            view.summary = _summary(box, mission)
        views.append(view)
    return views


def box_view(mission: Mission, key: str) -> BoxView:
    """One box, without the structured summary (the editor does not show it)."""
    return next(view for view in box_views(mission, summaries=False) if view.key == key)


def _summary(box: Box, mission: Mission) -> dict[str, Any]:
    if box.structured == "targets":
        targets = list(mission.targets.all())
        return {
            "count": len(targets),
            "headline": sum(1 for t in targets if t.is_headline),
            "targets": targets,
        }
    if box.structured == "portfolio":
        projects = list(mission.projects.all())
        covered = {c.target_id for p in projects for c in p.contributions.all()}
        stages = Counter(p.get_stage_display() for p in projects if p.stage)
        return {
            "count": len(projects),
            "projects": projects[:6],
            "more": max(0, len(projects) - 6),
            "stages": sorted(stages.items(), key=lambda item: -item[1]),
            "targets_covered": len(covered),
            "targets_total": len(mission.targets.all()),
        }
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
