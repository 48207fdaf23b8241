"""Workshop mode: the board on a projector, the link participants add quick notes with, what
the facilitator does with the notes, and the blank canvas for paper workshops.

The link page is the only page open without an account: it shows the mission's title and the
boxes' questions, takes notes for that mission's canvas while the workshop is open (410 after),
and answers 404 for a link that never existed. Everything else needs a member of the mission's
organisation, as on the canvas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from canvas import selectors, services
from canvas.boxes import BOXES, get_box
from canvas.forms import NoteForm, NoteSortForm, WorkshopStartForm
from canvas.models import NOTE_LIMIT, NoteStatus, Workshop
from config.forms import render_form, try_service
from missions.models import Mission
from missions.pages import mission_context, post_only


def _canvas_at(mission: Mission, box_key: str = "") -> str:
    url = reverse("canvas:canvas", args=[mission.organisation.slug, mission.key])
    return f"{url}#box-{box_key}" if box_key else url


def _facilitating(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> Mission | HttpResponse:
    """The mission a facilitator's POST acts on, or the answer that refuses it: 404 for
    another organisation's address (whatever the method), then 405, then 403."""
    mission = selectors.mission_for_save(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )
    if refused := post_only(request):
        return refused
    if not request.user.has_perm("canvas.change_box", mission):
        raise PermissionDenied
    return mission


def _join_url(request: HttpRequest, workshop: Workshop) -> str:
    return request.build_absolute_uri(reverse("canvas:workshop_join", args=[workshop.token]))


def workshop_board(
    request: HtmxHttpRequest,
    org_slug: str,
    mission_key: str,
    *,
    form: WorkshopStartForm | None = None,
) -> HttpResponse:
    """The board for a projector: every box in large type with its text and the notes that
    came in, refreshed every few seconds; the workshop link, or the form that starts one."""
    mission = selectors.mission_for_canvas(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )
    views = selectors.box_views(mission, summaries=False)
    notes = selectors.notes_by_box(mission)
    for view in views:
        view.notes = notes.get(view.key, [])
    workshop = selectors.current_workshop(mission)
    context = mission_context(
        request,
        mission,
        "canvas",
        edit_permission="canvas.change_box",
        bands=selectors.bands(views),
        workshop=workshop,
        join_url=_join_url(request, workshop) if workshop else "",
        form=form or WorkshopStartForm(),
    )
    if request.htmx and request.GET.get("part") == "board":
        return render(request, "canvas/workshop.html#board", context)
    return render_form(request, "canvas/workshop.html", context, form)


def workshop_start(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = _facilitating(request, org_slug, mission_key)
    if isinstance(mission, HttpResponse):
        return mission
    form = WorkshopStartForm(request.POST)
    started = try_service(
        form,
        lambda: services.workshop_start(by=request.user, mission=mission, **form.cleaned_data),
    )
    if started is None:
        return workshop_board(request, org_slug, mission_key, form=form)
    messages.success(request, _("The workshop link works now. Show it to the participants."))
    return redirect("canvas:workshop", org_slug, mission_key)


def workshop_end(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, workshop_id: int
) -> HttpResponse:
    mission = _facilitating(request, org_slug, mission_key)
    if isinstance(mission, HttpResponse):
        return mission
    workshop = selectors.workshop_of(mission=mission, workshop_id=workshop_id)
    services.workshop_end(by=request.user, workshop=workshop)
    messages.success(request, _("The workshop has ended: its link no longer takes notes."))
    return redirect("canvas:workshop", org_slug, mission_key)


@login_not_required
def workshop_join(request: HttpRequest, token: str) -> HttpResponse:
    """The page a workshop's link opens: add a note to a box of the mission's canvas."""
    workshop = selectors.workshop_for_link(token)
    mission = workshop.mission
    context = {"workshop": workshop, "mission": mission, "boxes": BOXES, "limit": NOTE_LIMIT}
    if not workshop.is_open(timezone.now()):
        return render(request, "canvas/workshop_join.html", {**context, "ended": True}, status=410)
    signed_in = request.user if request.user.is_authenticated else None
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        note = try_service(
            form,
            lambda: services.workshop_note_add(
                workshop=workshop, by=signed_in, **form.cleaned_data
            ),
        )
        if note is not None:
            box = get_box(note.box_key)
            messages.success(
                request,
                _("Your note is on the board, in %(box)s. Add another if you like.")
                % {"box": box.title if box else ""},
            )
            return redirect("canvas:workshop_join", token)
    return render_form(
        request,
        "canvas/workshop_join.html",
        {**context, "form": form, "signed_in": signed_in},
        form,
    )


def note_sort(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, note_id: int
) -> HttpResponse:
    """What the facilitator does with a note (the button's `action`): add it to its box's
    text, set it aside or bring it back, or move it to another box. Then back to the box."""
    mission = _facilitating(request, org_slug, mission_key)
    if isinstance(mission, HttpResponse):
        return mission
    note = selectors.note_for(mission=mission, note_id=note_id)
    form = NoteSortForm(request.POST)
    if not form.is_valid():
        return redirect(_canvas_at(mission, note.box_key))
    action, box_key = form.cleaned_data["action"], form.cleaned_data["box_key"]
    if action != "use":
        moved_to = box_key if action == "move" and box_key else None
        status = {"set_aside": NoteStatus.SET_ASIDE, "back": NoteStatus.NEW}.get(action)
        services.workshop_note_sort(by=request.user, note=note, box_key=moved_to, status=status)
        return redirect(_canvas_at(mission, note.box_key))
    try:
        services.workshop_note_use(by=request.user, note=note)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    except services.CanvasConflict:
        messages.error(
            request, _("Someone changed this box just now. Look at its text, then try again.")
        )
    else:
        messages.success(request, _("The note is now part of the box's text."))
    return redirect(_canvas_at(mission, note.box_key))


def blank_canvas(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The twelve boxes with their questions and room to write, to print on A3 for a workshop
    on paper."""
    mission = selectors.mission_for_canvas(
        user=request.user, org_slug=org_slug, mission_key=mission_key
    )
    views = selectors.box_views(mission, summaries=False)
    context = mission_context(request, mission, "canvas", bands=selectors.bands(views))
    return render(request, "canvas/blank.html", context)
