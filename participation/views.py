"""Staff's pages for a mission's public side: publishing, consultations, and reading,
moderating and answering the ideas that come in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from config.forms import add_service_error, render_form
from missions.editing import edit_page, saved_and_back
from missions.models import Mission
from missions.pages import (
    mission_context,
    mission_from_url,
    organisation_from_url,
    post_only,
    require_permission,
)
from participation import analysis, selectors, services
from participation.forms import (
    AnswerForm,
    BanForm,
    CanvasEvidenceForm,
    ConsultationForm,
    HideForm,
    ProjectFromIdeaForm,
    PublishForm,
)
from participation.models import Consultation, Idea

EDIT = "missions.change_mission"
PUBLISH = "participation.publish_mission"
MODERATE = "participation.moderate"


def _page_url(mission: Mission) -> str:
    return reverse("participation:mission", args=[mission.organisation.slug, mission.key])


def _consultation_url(consultation: Consultation) -> str:
    mission = consultation.mission
    return reverse(
        "participation:consultation",
        args=[mission.organisation.slug, mission.key, consultation.key],
    )


def _idea_url(idea: Idea) -> str:
    mission = idea.mission
    return reverse(
        "participation:idea",
        args=[mission.organisation.slug, mission.key, idea.consultation.key, idea.number],
    )


def _context(request: AuthenticatedHttpRequest, mission: Mission, **extra: Any) -> dict[str, Any]:
    return mission_context(
        request,
        mission,
        "participation",
        can_publish=request.user.has_perm(PUBLISH, mission),
        can_moderate=request.user.has_perm(MODERATE, mission),
        **extra,
    )


def mission_page(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    return render(
        request,
        "participation/mission.html",
        _context(
            request,
            mission,
            publication=selectors.mission_publication(mission),
            rows=selectors.mission_consultations(mission),
        ),
    )


def publish(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    require_permission(request, PUBLISH, mission, _("Only leads and administrators publish."))
    publication = selectors.mission_publication(mission)
    form = PublishForm(
        request.POST or None,
        initial={
            field: getattr(publication, field) if publication else ""
            for field in PublishForm.base_fields
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(by=request.user, mission=mission, **form.cleaned_data)
        except ValidationError as refused:
            add_service_error(form, refused)
        else:
            messages.success(
                request,
                _("“%(title)s” is published: the public page shows it as it is now.")
                % {"title": mission.title},
            )
            return redirect(_page_url(mission))
    return render_form(
        request,
        "participation/publish.html",
        _context(request, mission, publication=publication, form=form),
        form,
    )


def withdraw(request: AuthenticatedHttpRequest, org_slug: str, mission_key: str) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    if refused := post_only(request):
        return refused
    require_permission(request, PUBLISH, mission)
    services.withdraw(by=request.user, mission=mission)
    messages.success(request, _("The public page is withdrawn."))
    return redirect(_page_url(mission))


def consultation_add(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    require_permission(request, EDIT, mission)
    form = ConsultationForm(request.POST or None, instance=Consultation(mission=mission))

    def save(fields: Mapping[str, Any], _expected: int) -> Consultation:
        values = dict(fields)
        return services.consultation_create(
            by=request.user, mission=mission, title=values.pop("title"), **values
        )

    return edit_page(
        request,
        form,
        save,
        template="participation/consultation_form.html",
        context=_context(request, mission, consultation=None),
        done=lambda result: saved_and_back(
            request,
            result,
            _("Consultation “%(title)s” added.") % {"title": form.cleaned_data["title"]},
            _page_url(mission),
        ),
    )


def consultation_edit(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    consultation = selectors.consultation_of(mission, key)
    require_permission(request, EDIT, mission)
    form = ConsultationForm(
        request.POST or None, instance=consultation, initial={"version": consultation.version}
    )

    def save(fields: Mapping[str, Any], expected: int) -> Consultation:
        return services.consultation_update(
            by=request.user,
            consultation=selectors.consultation_of(mission, key),
            expected_version=expected,
            **fields,
        )

    return edit_page(
        request,
        form,
        save,
        template="participation/consultation_form.html",
        context=_context(request, mission, consultation=consultation),
        done=lambda result: saved_and_back(
            request,
            result,
            _("Consultation “%(title)s” saved.") % {"title": consultation.title},
            _consultation_url(consultation),
        ),
        shown_version=consultation.version,
    )


def consultation_page(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    consultation = selectors.consultation_of(mission, key)
    filters = {
        "theme": request.GET.get("theme", "")[:80],
        "place": request.GET.get("place", "")[:80],
        "status": request.GET.get("status", "")[:20],
    }
    ideas = selectors.staff_ideas(consultation, **filters)
    return render(
        request,
        "participation/consultation.html",
        _context(
            request,
            mission,
            consultation=consultation,
            ideas=ideas,
            similar=analysis.near_duplicates(ideas),
            filters=filters,
            statuses=[
                ("", _("Any")),
                ("pending", _("Not answered yet")),
                ("answered", _("Answered")),
                ("reported", _("Reported")),
                ("hidden", _("Hidden")),
            ],
        ),
    )


def consultation_csv(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str
) -> HttpResponse:
    """The consultation's ideas as a CSV file (hidden ones too, with the reason)."""
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    consultation = selectors.consultation_of(mission, key)
    response = HttpResponse(
        analysis.ideas_csv(selectors.staff_ideas(consultation)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{consultation.key}-ideas.csv"'
    return response


def _idea_from_url(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> tuple[Mission, Idea]:
    mission = mission_from_url(request, org_slug, mission_key, parts="none")
    consultation = selectors.consultation_of(mission, key)
    idea = selectors.staff_idea(consultation, number)
    idea.mission = mission
    return mission, idea


def _posted_to_idea(
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    key: str,
    number: int,
    permission: str,
) -> tuple[Mission, Idea] | HttpResponse:
    """The idea a button's form was sent for, once the method and the person's right are
    checked (in that order, after the idea is found: another organisation's answers 404)."""
    mission, idea = _idea_from_url(request, org_slug, mission_key, key, number)
    if refused := post_only(request):
        return refused
    require_permission(request, permission, mission)
    return mission, idea


def _idea_page(
    request: AuthenticatedHttpRequest,
    mission: Mission,
    idea: Idea,
    *,
    answer_form: AnswerForm | None = None,
    hide_form: HideForm | None = None,
    ban_form: BanForm | None = None,
    project_form: ProjectFromIdeaForm | None = None,
    canvas_form: CanvasEvidenceForm | None = None,
) -> HttpResponse:
    others = selectors.staff_ideas(idea.consultation)
    answer_form = answer_form or AnswerForm(
        idea=idea,
        others=others,
        initial={
            "answer": idea.answer,
            "response": idea.response,
            "merged_into": str(idea.merged_into.number) if idea.merged_into else "",
            "version": idea.version,
        },
    )
    return render_form(
        request,
        "participation/idea.html",
        _context(
            request,
            mission,
            consultation=idea.consultation,
            idea=idea,
            reports=selectors.open_reports(idea),
            comments=list(idea.comments.all()),
            answer_form=answer_form,
            hide_form=hide_form or HideForm(),
            ban_form=ban_form or BanForm(),
            project_form=project_form or ProjectFromIdeaForm(initial={"title": idea.title}),
            canvas_form=canvas_form or CanvasEvidenceForm(),
            can_ban=request.user.has_perm("participation.ban_participant", mission),
        ),
        answer_form,
        hide_form,
        ban_form,
        project_form,
        canvas_form,
    )


def idea_page(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    mission, idea = _idea_from_url(request, org_slug, mission_key, key, number)
    return _idea_page(request, mission, idea)


def idea_answer(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, EDIT)
    if isinstance(found, HttpResponse):
        return found
    mission, idea = found
    form = AnswerForm(request.POST, idea=idea, others=selectors.staff_ideas(idea.consultation))
    if form.is_valid():
        try:
            answered = services.idea_answer(
                by=request.user,
                idea=idea,
                expected_version=form.cleaned_data.get("version") or idea.version,
                answer=form.cleaned_data["answer"],
                response=form.cleaned_data["response"],
                merged_into=form.merged_idea(),
            )
        except (ValidationError, services.parts.ConflictError) as error:
            add_service_error(form, error)
        else:
            if answered.version != idea.version:
                messages.success(request, _("The response is published beside the idea."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(_idea_url(idea))
    return _idea_page(request, mission, idea, answer_form=form)


def idea_hide(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, MODERATE)
    if isinstance(found, HttpResponse):
        return found
    mission, idea = found
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.idea_hide(
                by=request.user, idea=idea, reason=form.cleaned_data["hidden_reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The idea is hidden; its author is told why."))
            return redirect(_idea_url(idea))
    return _idea_page(request, mission, idea, hide_form=form)


def idea_restore(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, MODERATE)
    if isinstance(found, HttpResponse):
        return found
    _mission, idea = found
    services.idea_restore(by=request.user, idea=idea)
    messages.success(request, _("The idea is shown to the public again."))
    return redirect(_idea_url(idea))


def idea_ban(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(
        request, org_slug, mission_key, key, number, "participation.ban_participant"
    )
    if isinstance(found, HttpResponse):
        return found
    mission, idea = found
    form = BanForm(request.POST)
    if form.is_valid():
        services.participant_ban(by=request.user, idea=idea, reason=form.cleaned_data["ban_reason"])
        messages.success(request, _("The author can no longer take part; they are told why."))
        return redirect(_idea_url(idea))
    return _idea_page(request, mission, idea, ban_form=form)


def idea_verify(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(
        request, org_slug, mission_key, key, number, "participation.verify_representative"
    )
    if isinstance(found, HttpResponse):
        return found
    _mission, idea = found
    services.representative_verify(by=request.user, idea=idea)
    messages.success(request, _("The author is shown as speaking for their organisation."))
    return redirect(_idea_url(idea))


def idea_project(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, EDIT)
    if isinstance(found, HttpResponse):
        return found
    mission, idea = found
    form = ProjectFromIdeaForm(request.POST)
    if form.is_valid():
        try:
            project = services.idea_to_project(
                by=request.user, idea=idea, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Project “%(title)s” added to the mission. Publish a response to tell the author."
                )
                % {"title": project.title},
            )
            return redirect(_idea_url(idea) + "#answer")
    return _idea_page(request, mission, idea, project_form=form)


def idea_stakeholder(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, EDIT)
    if isinstance(found, HttpResponse):
        return found
    _mission, idea = found
    try:
        stakeholder = services.idea_to_stakeholder(by=request.user, idea=idea)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(name)s” is on the stakeholder map.") % {"name": stakeholder},
        )
    return redirect(_idea_url(idea))


def idea_canvas(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, key: str, number: int
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, EDIT)
    if isinstance(found, HttpResponse):
        return found
    mission, idea = found
    form = CanvasEvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.idea_to_canvas(by=request.user, idea=idea, box_key=form.cleaned_data["box"])
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The idea is quoted on the canvas box."))
            return redirect(_idea_url(idea))
    return _idea_page(request, mission, idea, canvas_form=form)


def report_dismiss(
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    key: str,
    number: int,
    report_id: int,
) -> HttpResponse:
    found = _posted_to_idea(request, org_slug, mission_key, key, number, MODERATE)
    if isinstance(found, HttpResponse):
        return found
    _mission, idea = found
    report = next((r for r in selectors.open_reports(idea) if r.pk == report_id), None)
    if report is not None:
        report.idea = idea
        if report.comment is not None and request.POST.get("hide_comment"):
            services.comment_hide(
                by=request.user,
                comment=report.comment,
                reason=request.POST.get("reason") or _("Broke the rules of the consultation."),
            )
        else:
            services.report_dismiss(by=request.user, report=report)
    messages.success(request, _("Report handled."))
    return redirect(_idea_url(idea))


def moderation(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's moderation queue: reports nobody has handled yet."""
    organisation = organisation_from_url(request, org_slug)
    return render(
        request,
        "participation/moderation.html",
        {
            "organisation": organisation,
            "reports": selectors.moderation_queue(request.user, organisation.pk),
            "publications": selectors.organisation_publications(request.user, organisation.pk),
        },
    )
