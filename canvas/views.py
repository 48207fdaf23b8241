"""The canvas page, saving one box (autosave with htmx, or the box's Save button without
JavaScript), the conflict panel, and a box's history.

Saving answers, for htmx: 200 with the box's save state ("Saved 10:42") and its new version
swapped out of band; 422 for text that is too long (the text stays in the box); 409 with the
conflict panel in place of the editor. Without JavaScript the same outcomes come as the whole
page (a redirect after success).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, TypeGuard

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from canvas import presence, selectors, services
from canvas.boxes import BOXES, Box, get_box
from canvas.forms import BoxForm, CommentForm, ResolveForm
from canvas.models import COMMENT_LIMIT
from canvas.selectors import BoxView
from canvas.services import CanvasConflict
from missions.models import Mission
from missions.pages import mission_context, post_only


class MaybeSignedOutRequest(HttpRequest):
    """A request to a view open to people whose session has ended (`login_not_required`, so
    an autosave can say so): `user` may be anonymous, and `HtmxMiddleware` gives it `htmx`."""

    htmx: HtmxDetails


def _signed_in(request: MaybeSignedOutRequest) -> TypeGuard[HtmxHttpRequest]:
    return request.user.is_authenticated


def _mission(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> Mission:
    return selectors.mission_for_canvas(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )


def _context(request: AuthenticatedHttpRequest, mission: Mission) -> dict[str, Any]:
    return mission_context(
        request,
        mission,
        "canvas",
        edit_permission="canvas.change_box",
        can_comment=request.user.has_perm("canvas.comment_box", mission),
        comment_limit=COMMENT_LIMIT,
    )


def _box(box_key: str) -> Box:
    definition = get_box(box_key)
    if definition is None:
        raise Http404
    return definition


def _box_to_change(
    request: HtmxHttpRequest, org_slug: str, mission_key: str, box_key: str
) -> tuple[Mission, Box]:
    """The mission alone (all a save or a comment needs) and the box at this address."""
    mission = selectors.mission_for_save(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )
    return mission, _box(box_key)


def _signed_out(request: MaybeSignedOutRequest, problem: str) -> HttpResponse:
    # An autosave or a comment after the session ended: htmx is told so (the page keeps what
    # was typed), never answered with the sign-in page, which it would follow silently and
    # swap into the box.
    if request.htmx:
        return HttpResponse(problem, status=401)
    return redirect_to_login(request.get_full_path())


@dataclass(frozen=True)
class _Refused:
    """What came back refused on the canvas page without JavaScript: a box's `text`, a new
    `comment` on the box, or a `reply` to one of its comments; why, and what was typed."""

    form: str
    key: str
    problems: list[str]
    typed: str
    reply_to: int | None = None

    def show(self, view: BoxView) -> None:
        """Put what was typed and the problems back where the person wrote them."""
        if self.form == "text":
            view.text, view.errors = self.typed, self.problems
        elif self.form == "comment":
            view.comment_text, view.comment_errors = self.typed, self.problems
        else:
            view.reply_to, view.reply_errors, view.reply_text = (
                self.reply_to,
                self.problems,
                self.typed,
            )

    @property
    def field_id(self) -> str:
        """The field the page's error summary links to."""
        if self.form == "reply":
            return f"comment-{self.reply_to}-reply"
        return f"box-{self.key}-{self.form}"


def _here(
    request: AuthenticatedHttpRequest, mission: Mission, open_box: str = ""
) -> list[presence.Present]:
    """Record the viewer on the canvas (with `open_box` open); the others on it now."""
    presence.record(mission_id=mission.pk, user=request.user, box_key=open_box)
    return presence.others(mission_id=mission.pk, viewer_id=request.user.pk)


def _board(
    request: AuthenticatedHttpRequest, mission: Mission, people: list[presence.Present]
) -> tuple[list[BoxView], int, dict[str, Any]]:
    """The boxes with their comments, the number of open comments, and the page context with
    who else is on the canvas (the page marks the cards they have open)."""
    views = selectors.box_views(mission)
    open_total = selectors.attach_comments(mission, views)
    notes = selectors.notes_by_box(mission)
    for view in views:
        view.notes = notes.get(view.key, [])
    selectors.attach_facts(
        mission, views, can_edit=request.user.has_perm("canvas.change_box", mission)
    )
    context = _context(request, mission)
    context.update({"bands": selectors.bands(views), "present": presence.summary(people)})
    return views, open_total, context


def _page(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    *,
    status: int = 200,
    conflict: dict[str, Any] | None = None,
    refused: _Refused | None = None,
) -> HttpResponse:
    views, open_total, context = _board(request, mission, _here(request, mission))
    for view in views:
        if conflict and conflict["key"] == view.key:
            view.conflict = conflict
        if refused and refused.key == view.key:
            refused.show(view)
    context.update(
        {
            "boxes": views,
            "completeness": selectors.completeness(mission=mission, user=request.user, views=views),
            "error_list": (
                [(refused.field_id, message) for message in refused.problems] if refused else []
            ),
            "comment_total": open_total,
            "comment_boxes": [
                (view.box, view.open_comments) for view in views if view.open_comments
            ],
        }
    )
    return render(request, "canvas/canvas.html", context, status=status)


@vary_on_headers("HX-Request")
def canvas_page(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    return _page(request, _mission(request, org_slug, mission_key))


def canvas_examples(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """POST: fill the empty boxes with their worked examples, marked as examples."""
    mission = selectors.mission_for_save(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )
    if refused := post_only(request):
        return refused
    filled = services.canvas_fill_examples(by=request.user, mission=mission)
    messages.success(
        request,
        ngettext(
            "%(count)s empty box now holds a worked example. Replace it with your own words.",
            "%(count)s empty boxes now hold a worked example. Replace each with your own words.",
            filled,
        )
        % {"count": filled},
    )
    return redirect("canvas:canvas", org_slug, mission_key)


def _tag(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@never_cache
def canvas_live(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    """What an open canvas asks every second or so (static/js/canvas.mjs): the board and who
    else is here. `?box=` names the box the asker has open, for the others' "open now by".

    Polling, not a held connection, so no web worker waits on an idle page. The ETag has two
    halves, the board's and the people's: when neither changed the answer is a 304 (two small
    queries and one Redis call); when only people came, went or moved, only the presence line
    is rendered; the board is rendered only when something on it changed."""
    mission = selectors.mission_for_save(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )
    open_box = request.GET.get("box", "")
    if get_box(open_box) is None:
        open_box = ""
    people = _here(request, mission, open_box)
    board_tag = _tag(f"{request.user.pk}|{selectors.board_stamp(mission)}")
    people_tag = _tag("|".join(f"{p.user_id}:{p.box_key}" for p in people))
    etag = quote_etag(f"{board_tag}.{people_tag}")
    known = request.headers.get("If-None-Match", "").strip('"').split(".")
    response: HttpResponse
    if known == [board_tag, people_tag]:
        response = HttpResponseNotModified()
    elif known[0] == board_tag:
        context = {"present": presence.summary(people)}
        response = render(request, "canvas/canvas.html#presence", context)
    else:
        full = _mission(request, org_slug, mission_key)
        context = _board(request, full, people)[2]
        response = render(request, "canvas/canvas.html#live", context)
    response["ETag"] = etag
    return response


def _canvas_url(mission: Mission, key: str) -> str:
    url = reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])
    return f"{url}#box-{key}"


@login_not_required
@vary_on_headers("HX-Request")
def box(
    request: MaybeSignedOutRequest, org_slug: str, mission_key: str, box_key: str
) -> HttpResponse:
    """GET: the box's editor (htmx, e.g. after "take theirs"), or the canvas at the box.
    POST: save the box."""
    if not _signed_in(request):
        return _signed_out(request, _("You are signed out. Sign in again to save."))
    mission, definition = _box_to_change(request, org_slug, mission_key, box_key)
    if request.method != "POST":
        if request.htmx:
            view = selectors.box_view(mission, definition.key)
            return render(
                request,
                "canvas/canvas.html#box-editor",
                {**_context(request, mission), "view": view},
            )
        return redirect(_canvas_url(mission, definition.key))

    if not request.user.has_perm("canvas.change_box", mission):
        raise PermissionDenied
    form = BoxForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The form was incomplete; reload the page."), status=400)
    text = services.normalise(form.cleaned_data["text"])
    resolution = form.cleaned_data["resolution"]
    try:
        saved = services.canvas_box_save(
            by=request.user,
            mission=mission,
            box_key=definition.key,
            text=text,
            expected_version=form.cleaned_data["version"],
        )
    except CanvasConflict as conflict:
        return _conflict(request, mission, definition.key, text, conflict)
    except ValidationError as error:
        problems = error.message_dict.get("text", error.messages)
        if request.htmx:
            view = selectors.box_view(mission, definition.key)
            view.text = text
            view.version = form.cleaned_data["version"]
            view.errors = problems
            template = "#box-editor" if resolution else "#save-failed"
            return render(
                request,
                f"canvas/canvas.html{template}",
                {**_context(request, mission), "view": view},
                status=422,
            )
        refused = _Refused("text", definition.key, problems, text)
        return _page(request, _mission(request, org_slug, mission_key), status=422, refused=refused)
    if request.htmx:
        if resolution:
            # The editor shows what this save stored, at the version it stored it as: not the
            # mission loaded before the save (the statement's version is the mission's), and
            # not a newer save by someone else, which the next autosave must not overwrite.
            view = selectors.box_view(mission, definition.key)
            view.text, view.version = saved.text, saved.version
            view.updated_at, view.updated_by = saved.updated_at, saved.updated_by
            return render(
                request,
                "canvas/canvas.html#box-editor",
                {**_context(request, mission), "view": view, "saved": saved},
            )
        return render(
            request,
            "canvas/canvas.html#save-result",
            {**_context(request, mission), "saved": saved, "view": {"key": definition.key}},
        )
    if saved.changed:
        messages.success(request, _("Saved: %(box)s.") % {"box": definition.title})
    else:
        messages.info(request, _("Nothing was changed: %(box)s.") % {"box": definition.title})
    return redirect(_canvas_url(mission, definition.key))


def _conflict(
    request: HtmxHttpRequest, mission: Mission, key: str, mine: str, conflict: CanvasConflict
) -> HttpResponse:
    details = {
        "key": key,
        "mine": mine,
        "theirs": conflict.current_text,
        "merged": f"{conflict.current_text.rstrip()}\n\n{mine.strip()}".strip(),
        "version": conflict.current_version,
        "by": conflict.updated_by,
        "at": conflict.updated_at,
    }
    if request.htmx:
        view = selectors.box_view(mission, key)
        view.conflict = details
        response = render(
            request,
            "canvas/canvas.html#box-editor",
            {**_context(request, mission), "view": view},
            status=409,
        )
        response["HX-Retarget"] = f"#box-{key}-editor"
        response["HX-Reswap"] = "outerHTML"
        return response
    full = selectors.mission_for_canvas(
        user=request.user, org_slug=mission.organisation.slug, mission_key=mission.key
    )
    return _page(request, full, status=409, conflict=details)


def box_history(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, box_key: str
) -> HttpResponse:
    mission = _mission(request, org_slug, mission_key)
    definition = _box(box_key)
    revisions = list(selectors.box_revisions(mission=mission, box_key=definition.key))
    from missions.snapshots import word_diff

    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1].text if index + 1 < len(revisions) else ""
        rows.append({"revision": revision, "parts": word_diff(previous, revision.text)})
    context = _context(request, mission)
    context.update({"box": definition, "rows": rows})
    return render(request, "canvas/history.html", context)


# --- comments ---------------------------------------------------------------------------------


def _comments_url(mission: Mission, key: str) -> str:
    url = reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])
    return f"{url}#box-{key}-comments"


def _comment_url(mission: Mission, key: str, comment_id: int | None) -> str:
    """The canvas at one comment (a reply just added), or at the box's comments."""
    if comment_id is None:
        return _comments_url(mission, key)
    url = reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])
    return f"{url}#comment-{comment_id}"


def _comments_panel(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    key: str,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    text: str = "",
    announcement: str = "",
    reply_to: int | None = None,
) -> HttpResponse:
    """The box's comment panel, with its open-comment count and the canvas header's total
    swapped out of band, and `announcement` for screen readers. `errors` and `text` belong to
    the reply to `reply_to` when it is given, else to the new-comment form."""
    view = selectors.box_view(mission, key)
    view.comments = selectors.threads(selectors.mission_comments(mission, key))
    if reply_to is None:
        view.comment_errors = errors or []
        view.comment_text = text
    else:
        view.reply_to, view.reply_errors, view.reply_text = reply_to, errors or [], text
    counts = selectors.open_comments_by_box(mission)
    context = _context(request, mission)
    context.update(
        {
            "view": view,
            "oob": True,
            "announcement": announcement,
            "comment_total": sum(counts.values()),
            "comment_boxes": [
                (definition, counts[definition.key])
                for definition in BOXES
                if definition.key in counts
            ],
        }
    )
    return render(request, "canvas/canvas.html#comments-response", context, status=status)


def _comments_changed(
    request: HtmxHttpRequest, mission: Mission, key: str, done: str, url: str
) -> HttpResponse:
    """After a comment was added, resolved or reopened: htmx gets the box's comments again,
    announcing `done`; a plain form goes to `url`, saying `done`."""
    if request.htmx:
        return _comments_panel(request, mission, key, announcement=done)
    messages.success(request, done)
    return redirect(url)


@login_not_required
@vary_on_headers("HX-Request")
def box_comments(
    request: MaybeSignedOutRequest, org_slug: str, mission_key: str, box_key: str
) -> HttpResponse:
    """GET: the box's comments (htmx), or the canvas at them. POST: add a comment."""
    if not _signed_in(request):
        return _signed_out(request, _("You are signed out. Sign in again to comment."))
    mission, definition = _box_to_change(request, org_slug, mission_key, box_key)
    if request.method != "POST":
        if request.htmx:
            return _comments_panel(request, mission, definition.key)
        return redirect(_comments_url(mission, definition.key))
    if not request.user.has_perm("canvas.comment_box", mission):
        raise PermissionDenied
    form = CommentForm(request.POST)
    text = form.data.get("text", "")  # shown back as typed if refused
    form.is_valid()
    if "parent" in form.errors:
        return HttpResponse(_("The form was incomplete; reload the page."), status=400)
    parent_id = form.cleaned_data.get("parent")
    # A reply to a comment of another mission answers 404, like the comment itself would.
    parent = selectors.comment_for(mission=mission, comment_id=parent_id) if parent_id else None
    try:
        if not form.is_valid():  # characters no text holds (config/inputs.py)
            raise ValidationError({"text": form.errors["text"]})
        comment = services.canvas_comment_add(
            by=request.user,
            mission=mission,
            box_key=definition.key,
            text=form.cleaned_data["text"],
            parent=parent,
        )
    except ValidationError as error:
        problems = error.message_dict.get("text", error.messages)
        if request.htmx:
            return _comments_panel(
                request,
                mission,
                definition.key,
                status=422,
                errors=problems,
                text=text,
                reply_to=parent.pk if parent else None,
            )
        if parent is not None:
            refused = _Refused("reply", definition.key, problems, text, reply_to=parent.pk)
        else:
            refused = _Refused("comment", definition.key, problems, text)
        return _page(request, _mission(request, org_slug, mission_key), status=422, refused=refused)
    if parent is not None:
        done = _("Reply added on %(box)s.") % {"box": definition.title}
    else:
        done = _("Comment added to %(box)s.") % {"box": definition.title}
    url = _comment_url(mission, definition.key, comment.pk if parent else None)
    return _comments_changed(request, mission, definition.key, done, url)


@login_not_required
@vary_on_headers("HX-Request")
def comment_resolve(
    request: MaybeSignedOutRequest, org_slug: str, mission_key: str, box_key: str, comment_id: int
) -> HttpResponse:
    """POST: resolve a comment (`resolved=1`, the default) or reopen it (`resolved=0`)."""
    if not _signed_in(request):
        return _signed_out(request, _("You are signed out. Sign in again to comment."))
    mission, definition = _box_to_change(request, org_slug, mission_key, box_key)
    comment = selectors.comment_for(mission=mission, comment_id=comment_id)
    if comment.box_key != definition.key:
        raise Http404
    if request.method != "POST":
        return redirect(_comments_url(mission, definition.key))
    if not request.user.has_perm("canvas.comment_box", mission):
        raise PermissionDenied
    form = ResolveForm(request.POST)
    resolved = form.cleaned_data["resolved"] if form.is_valid() else True
    services.canvas_comment_resolve(by=request.user, comment=comment, resolved=resolved)
    if resolved:
        done = _("Comment resolved on %(box)s.") % {"box": definition.title}
    else:
        done = _("Comment reopened on %(box)s.") % {"box": definition.title}
    return _comments_changed(
        request, mission, definition.key, done, _comments_url(mission, definition.key)
    )


__all__ = [
    "BoxView",
    "box",
    "box_comments",
    "box_history",
    "canvas_examples",
    "canvas_live",
    "canvas_page",
    "comment_resolve",
]
