"""The public pages: published missions, their consultations and ideas, and what a participant
does there. Readable without signing in; nothing here shows a draft or an internal page."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.mail import site_address
from config.forms import add_service_error
from participation import selectors, services, session
from participation.forms import CommentForm, IdeaForm, ReportForm, TakePartForm
from participation.models import Consultation, Idea, Participant, Publication

# Visitors without a session (nearly all of them) share one rendered copy of each public page
# for this long: a crowd arriving from a news article costs one render per page and process.
# Signed-in participants and staff always get a fresh page; so does anyone with a message
# waiting (it would otherwise be shown to the next visitor).
SHARED_FOR_SECONDS = 30


def _shared_with_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cookies = (settings.SESSION_COOKIE_NAME, "messages")
        if request.method != "GET" or any(name in request.COOKIES for name in cookies):
            return view(request, *args, **kwargs)
        # One copy per address and language: a visitor reading Swedish never gets German.
        page = f"{translation.get_language()} {request.get_full_path()}"
        key = "public-page:" + hashlib.sha256(page.encode()).hexdigest()
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response, SHARED_FOR_SECONDS)
        return response

    return serve


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    participant = session.current_participant(request)
    response = render(request, template, {"participant": participant, **context}, status=status)
    if participant is None and not request.user.is_authenticated and request.method == "GET":
        # The same for every visitor without a session: shared caches may keep it as long as
        # this server keeps its own shared copy.
        response.headers.setdefault("Cache-Control", f"public, max-age={SHARED_FOR_SECONDS}")
        # The language comes from the browser or the language cookie (accounts/languages.py):
        # a shared cache keeps one copy per both.
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _mission_url(publication: Publication) -> str:
    mission = publication.mission
    return reverse("public:mission", args=[mission.organisation.slug, mission.key])


def _consultation_url(consultation: Consultation) -> str:
    mission = consultation.mission
    return reverse(
        "public:consultation", args=[mission.organisation.slug, mission.key, consultation.key]
    )


def _idea_url(idea: Idea) -> str:
    return services.idea_link(idea)


def _take_part_url(request: HttpRequest) -> str:
    return reverse("public:take_part") + "?" + urlencode({"next": request.get_full_path()})


@login_not_required
@_shared_with_visitors
def index(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "participation/public/index.html", {"publications": selectors.published()}
    )


@login_not_required
@_shared_with_visitors
def mission(request: HttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    publication = selectors.publication(org_slug, mission_key)
    mission = publication.mission
    return _page(
        request,
        "participation/public/mission.html",
        {
            "publication": publication,
            "doc": publication.document,
            "mission": mission,
            "consultations": selectors.public_consultations(mission),
            "answered": selectors.you_said_we_did(mission),
            "page_url": request.build_absolute_uri(),
        },
    )


def _consultation(org_slug: str, mission_key: str, key: str) -> tuple[Publication, Consultation]:
    publication = selectors.publication(org_slug, mission_key)
    consultation = selectors.public_consultation(publication.mission, key)
    consultation.mission = publication.mission
    return publication, consultation


@login_not_required
@_shared_with_visitors
def consultation(request: HttpRequest, org_slug: str, mission_key: str, key: str) -> HttpResponse:
    publication, found = _consultation(org_slug, mission_key, key)
    participant = session.current_participant(request)
    ideas = selectors.public_ideas(found)
    return _page(
        request,
        "participation/public/consultation.html",
        {
            "publication": publication,
            "consultation": found,
            "ideas": ideas,
            "supported": selectors.supported_by(participant, ideas),
            "take_part_url": _take_part_url(request),
        },
    )


@login_not_required
def idea_new(request: HttpRequest, org_slug: str, mission_key: str, key: str) -> HttpResponse:
    publication, found = _consultation(org_slug, mission_key, key)
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    form = IdeaForm(
        request.POST or None,
        consultation=found,
        represents=participant.organisation_name,
        verified=participant.organisation_verified_at is not None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.is_robot():
                return redirect(_consultation_url(found))
            try:
                idea = services.idea_submit(
                    participant=participant,
                    consultation=found,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    place=form.cleaned_data["place"],
                    theme=form.cleaned_data.get("theme") or "",
                    on_behalf=bool(form.cleaned_data.get("on_behalf")),
                )
            except ValidationError as refused:
                add_service_error(form, refused)
            else:
                messages.success(request, _("Thank you: your idea is published."))
                return redirect(_idea_url(idea))
        status = 422
    return _page(
        request,
        "participation/public/idea_new.html",
        {"publication": publication, "consultation": found, "form": form},
        status=status,
    )


def _idea(
    org_slug: str, mission_key: str, key: str, number: int, participant: Participant | None
) -> tuple[Publication, Idea]:
    publication, found = _consultation(org_slug, mission_key, key)
    idea = selectors.public_idea(found, number)
    if idea.is_hidden and (participant is None or idea.participant_id != participant.pk):
        raise Http404
    return publication, idea


@login_not_required
@_shared_with_visitors
def idea(
    request: HttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    participant = session.current_participant(request)
    publication, found = _idea(org_slug, mission_key, key, number, participant)
    return _idea_page(request, publication, found, CommentForm())


def _idea_page(
    request: HttpRequest, publication: Publication, idea: Idea, form: CommentForm, status: int = 200
) -> HttpResponse:
    participant = session.current_participant(request)
    return _page(
        request,
        "participation/public/idea.html",
        {
            "publication": publication,
            "consultation": idea.consultation,
            "idea": idea,
            "comments": selectors.public_comments(idea),
            "supported": idea.pk in selectors.supported_by(participant, [idea]),
            "form": form,
            "take_part_url": _take_part_url(request),
        },
        status=status,
    )


@login_not_required
@require_POST
def idea_support(
    request: HttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    _publication, found = _idea(org_slug, mission_key, key, number, participant)
    try:
        if services.idea_support(participant=participant, idea=found):
            messages.success(request, _("You support this idea."))
        else:
            messages.info(request, _("You already support this idea."))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect(_idea_url(found))


@login_not_required
@require_POST
def comment(
    request: HttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    publication, found = _idea(org_slug, mission_key, key, number, participant)
    form = CommentForm(request.POST)
    if form.is_valid():
        if form.is_robot():
            return redirect(_idea_url(found))
        try:
            services.comment_add(
                participant=participant, idea=found, body=form.cleaned_data["body"]
            )
        except ValidationError as refused:
            add_service_error(form, refused)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(_idea_url(found) + "#comments")
    return _idea_page(request, publication, found, form, status=422)


@login_not_required
def report(
    request: HttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    publication, found = _idea(org_slug, mission_key, key, number, participant)
    comment_id = request.GET.get("comment") or request.POST.get("comment") or ""
    reported_comment = (
        next((c for c in selectors.public_comments(found) if str(c.pk) == comment_id), None)
        if comment_id
        else None
    )
    if comment_id and reported_comment is None:
        raise Http404
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report(
                    participant=participant,
                    idea=found,
                    comment=reported_comment,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as refused:
                add_service_error(form, refused)
            else:
                messages.success(request, _("Thank you: a moderator will look at it."))
                return redirect(_idea_url(found))
        status = 422
    return _page(
        request,
        "participation/public/report.html",
        {
            "publication": publication,
            "consultation": found.consultation,
            "idea": found,
            "reported_comment": reported_comment,
            "form": form,
        },
        status=status,
    )


# --- Taking part -------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("public:index")


@login_not_required
def take_part(request: HttpRequest) -> HttpResponse:
    """Sign up, or sign in again: either way a link goes to the address."""
    next_path = _safe_next(request, request.GET.get("next") or request.POST.get("next") or "")
    form = TakePartForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not form.is_robot():
                try:
                    services.send_sign_in_link(
                        email=form.cleaned_data["email"],
                        display_name=form.cleaned_data["display_name"],
                        organisation_name=form.cleaned_data["organisation_name"],
                        site=site_address(request),
                        next_path=next_path,
                    )
                except ValidationError as refused:
                    add_service_error(form, refused)
            if not form.errors:
                return redirect("public:link_sent")
        status = 422
    return _page(
        request,
        "participation/public/take_part.html",
        {"form": form, "next": next_path},
        status=status,
    )


@login_not_required
def link_sent(request: HttpRequest) -> HttpResponse:
    return _page(request, "participation/public/link_sent.html", {})


@login_not_required
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    participant = services.participant_from_token(token)
    if participant is None:
        return _page(request, "participation/public/link_expired.html", {}, status=400)
    session.sign_in(request, participant)
    if participant.is_banned:
        # Signed in all the same: they may still read, download and delete their data.
        messages.error(
            request,
            _("You can no longer take part: %(reason)s") % {"reason": participant.ban_reason},
        )
        return redirect("public:you")
    messages.success(
        request,
        _("Welcome, %(name)s: you are signed in and can take part.")
        % {"name": participant.display_name},
    )
    return redirect(_safe_next(request, request.GET.get("next") or ""))


@login_not_required
def you(request: HttpRequest) -> HttpResponse:
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    ideas = list(
        participant.ideas.select_related("consultation", "mission__organisation").order_by("-pk")
    )
    return _page(request, "participation/public/you.html", {"ideas": ideas})


@login_not_required
def your_data(request: HttpRequest) -> HttpResponse:
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    response = HttpResponse(
        json.dumps(selectors.participant_data(participant), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-lodestar-data.json"'
    return response


@login_not_required
def forget_me(request: HttpRequest) -> HttpResponse:
    participant = session.current_participant(request)
    if participant is None:
        return redirect(_take_part_url(request))
    if request.method == "POST":
        services.participant_forget(participant=participant)
        session.sign_out(request)
        messages.success(
            request,
            _("Your personal data is deleted. What you sent in stays, without your name."),
        )
        return redirect("public:index")
    return _page(request, "participation/public/forget_me.html", {})


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session.sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("public:index")


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return _page(request, "participation/public/privacy.html", {})
