"""Document pages: ask for a canvas, briefing or pack PDF; follow its progress; download it.

Exporting is reading, so every member of the organisation may ask for and download documents;
anyone else gets 404. The state of a document is a partial (`#document-status`) that polls
itself every two seconds with htmx until the document is ready or has failed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.vary import vary_on_headers

from accounts import languages
from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.models import Organisation
from accounts.selectors import organisation_for
from documents import layout, queueing, selectors, services
from documents.forms import BriefingNoteForm
from documents.models import (
    BriefingNote,
    BriefingPiece,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
)
from missions import selectors as mission_selectors
from missions.models import Mission

STATUS_TEMPLATE = "documents/document.html#document-status"


def _status(request: HttpRequest, document: GeneratedDocument, status: int = 200) -> HttpResponse:
    return render(
        request,
        STATUS_TEMPLATE,
        {
            "organisation": document.organisation,
            "document": document,
            "progress": selectors.pack_progress(document),
        },
        status=status,
    )


def _requested(
    request: HtmxHttpRequest, org_slug: str, kind: str, keys: list[str], back: str
) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    covering_note = request.POST.get("covering_note", "")
    # The language chosen for the document (its labels, dates and numbers); the page's own
    # when none is chosen or one Lodestar does not offer.
    language = languages.offered(request.POST.get("language")) or translation.get_language()
    try:
        with translation.override(language):
            document = services.document_request(
                by=request.user,
                organisation=organisation,
                kind=kind,
                missions=keys,
                decision=request.POST.get("decision", ""),
                covering_note=covering_note if kind == DocumentKind.PACK else "",
            )
    except ValidationError as error:
        if kind == DocumentKind.PACK and not request.htmx and keys:
            return _pack_refused(request, organisation, keys, covering_note, error)
        if request.htmx:
            return render(
                request,
                "documents/document.html#request-error",
                {"errors": error.messages},
                status=422,
            )
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    if request.htmx:
        return _status(request, document)
    return redirect("documents:detail", org_slug=org_slug, document_id=document.pk)


def _pack_refused(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    keys: list[str],
    covering_note: str,
    error: ValidationError,
) -> HttpResponse:
    """A pack request that was refused (a covering note over its limit, too many missions):
    the request again, as it was sent, with what to change, so nothing typed is lost."""
    found = {
        mission.key: mission
        for mission in Mission.objects.visible_to(request.user).filter(
            organisation=organisation, key__in=keys[: queueing.PACK_MAX_MISSIONS * 2]
        )
    }
    note_errors = [
        e.message % (e.params or {}) for e in error.error_list if e.code == "covering_note"
    ]
    return render(
        request,
        "documents/pack_request.html",
        {
            "organisation": organisation,
            "missions": [found[key] for key in dict.fromkeys(keys) if key in found],
            "covering_note": covering_note,
            "note_errors": note_errors,
            "other_errors": [m for m in error.messages if m not in note_errors],
            "note_limit": queueing.COVERING_NOTE_MAX_LENGTH,
        },
        status=422,
    )


def request_canvas(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    back = reverse("missions:overview", args=[org_slug, mission_key])
    return _requested(request, org_slug, DocumentKind.CANVAS, [mission_key], back)


def request_briefing(request: HtmxHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    back = reverse("missions:overview", args=[org_slug, mission_key])
    return _requested(request, org_slug, DocumentKind.BRIEFING, [mission_key], back)


def request_pack(request: HtmxHttpRequest, org_slug: str) -> HttpResponse:
    keys = request.POST.getlist("missions") if request.method == "POST" else []
    back = reverse("missions:list", args=[org_slug])
    return _requested(request, org_slug, DocumentKind.PACK, keys, back)


@vary_on_headers("HX-Request")
def document_detail(request: HtmxHttpRequest, org_slug: str, document_id: int) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    document = selectors.document_for(
        user=request.user, organisation=organisation, document_id=document_id
    )
    if request.htmx and not request.htmx.boosted:
        return _status(request, document)
    return render(
        request,
        "documents/document.html",
        {
            "organisation": organisation,
            "document": document,
            "progress": selectors.pack_progress(document),
        },
    )


def document_retry(request: HtmxHttpRequest, org_slug: str, document_id: int) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    document = selectors.document_for(
        user=request.user, organisation=organisation, document_id=document_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    document = services.document_retry(by=request.user, document=document)
    if request.htmx:
        return _status(request, document)
    return redirect("documents:detail", org_slug=org_slug, document_id=document.pk)


def document_download(
    request: AuthenticatedHttpRequest, org_slug: str, document_id: int
) -> FileResponse:
    """The PDF itself, for members only: files are never served from a public /media/ URL."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    document = selectors.document_for(
        user=request.user, organisation=organisation, document_id=document_id
    )
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404(_("This document is not ready."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This document's file is missing; ask for it again.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename(), content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@vary_on_headers("HX-Request")
def document_list(request: HtmxHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    documents = selectors.document_list(user=request.user, organisation=organisation)
    mission_key = request.GET.get("mission", "")[:80]
    if mission_key:
        documents = documents.filter(mission__key=mission_key)
    template = "documents/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#document-table"
    mission = (
        Mission.objects.visible_to(request.user)
        .filter(organisation=organisation, key=mission_key)
        .first()
        if mission_key
        else None
    )
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "documents": documents[:50],
            "mission_key": mission_key,
            "mission": mission,
        },
    )


# Said when a form comes back exactly as it was shown: nothing was written.
NOTHING_CHANGED = gettext_lazy("Nothing was changed.")


def briefing_note(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The briefing page: what the author writes for the mission's ministerial briefing, in
    the order a submission is read. Saving says whether the briefing still fits on two
    pages, and what to shorten if not; the export refuses a longer one."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    mission = mission_selectors.mission_detail(
        user=request.user, organisation=organisation, key=mission_key
    )
    if not request.user.has_perm("missions.change_mission", mission):
        raise PermissionDenied
    note = BriefingNote.objects.filter(mission=mission).first() or BriefingNote(mission=mission)
    form = BriefingNoteForm(request.POST if request.method == "POST" else None, instance=note)
    here = reverse("documents:briefing_note", args=[org_slug, mission_key])
    if request.method == "POST" and form.is_valid():
        if form.unchanged():
            messages.info(request, NOTHING_CHANGED)
            return redirect(here)
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.briefing_note_save(by=request.user, mission=mission, fields=fields)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            problem = services.briefing_length_problem(
                by=request.user, organisation=organisation, key=mission_key
            )
            if problem:
                messages.warning(
                    request,
                    _("Saved, but too long to export. %(problem)s") % {"problem": problem},
                )
            else:
                messages.success(request, _("Saved. The briefing fits on two pages."))
            return redirect(here)
    return render(
        request,
        "documents/briefing_note.html",
        {
            "organisation": organisation,
            "mission": mission,
            "section": "overview",
            "can_edit": True,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def briefing_word(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    """The mission's briefing as an editable Word document, made now from the same data as
    the PDF (documents.word); every member may, as for the PDF. Nothing is stored."""
    from documents import word

    organisation = organisation_for(user=request.user, slug=org_slug)
    context = queueing.build_context(
        by=request.user,
        organisation=organisation,
        kind=DocumentKind.BRIEFING,
        missions=[mission_key],
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    document = GeneratedDocument(
        organisation=organisation,
        kind=DocumentKind.BRIEFING,
        context=context,
        title=layout.title(DocumentKind.BRIEFING, context),
        extras={
            "prepared_on": selectors.today_text(timezone.localdate()),
            "previous_date": "",
            "changes": [],
        },
    )
    response = HttpResponse(word.briefing_docx(layout.render_context(document)), WORD_TYPE)
    filename = f"{organisation.slug}-briefing-{mission_key}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def document_word(
    request: AuthenticatedHttpRequest, org_slug: str, document_id: int
) -> HttpResponse:
    """An editable Word copy of a briefing or pack document, made now from the inputs stored
    with it (documents.services.document_word); members only, as the PDF. Nothing is stored."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    document = selectors.document_for(
        user=request.user, organisation=organisation, document_id=document_id
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if document.kind not in services.WORD_KINDS:
        raise Http404(_("There is no Word copy of a canvas."))
    try:
        data = services.document_word(document)
    except BriefingPiece.DoesNotExist:
        raise Http404(
            _("A mission's briefing is no longer there; ask for the pack again.")
        ) from None
    response = HttpResponse(data, WORD_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{services.word_filename(document)}"'
    response["Cache-Control"] = "private, no-store"
    return response
