"""Home, organisation and member management pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from accounts import services
from accounts.forms import EmailLoginForm, MemberAddForm, MemberRoleForm
from accounts.models import ROLE_DESCRIPTIONS, Role
from accounts.selectors import members_of, memberships_for_request, organisation_for


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"memberships": memberships_for_request(request)})


def organisation_detail(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "role": request.user.memberships.get(organisation=organisation),
            "member_count": organisation.memberships.count(),
            "can_manage": request.user.has_perm("accounts.manage_members", organisation),
        },
    )


def _members_context(request: HttpRequest, organisation, add_form=None) -> dict:
    return {
        "organisation": organisation,
        "memberships": members_of(organisation=organisation),
        "can_manage": request.user.has_perm("accounts.manage_members", organisation),
        "add_form": add_form or MemberAddForm(),
        "role_choices": Role.choices,
        "role_descriptions": [(Role(r).label, d) for r, d in ROLE_DESCRIPTIONS.items()],
    }


def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Everyone in the organisation can see who else is in it; only administrators change it."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    add_form = None
    if request.method == "POST":
        if not request.user.has_perm("accounts.manage_members", organisation):
            raise PermissionDenied
        add_form = MemberAddForm(request.POST)
        if add_form.is_valid():
            try:
                membership = services.membership_add(
                    actor=request.user,
                    organisation=organisation,
                    invite_url_base=request.build_absolute_uri("/")[:-1],
                    **add_form.cleaned_data,
                )
            except ValidationError as error:
                add_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(person)s was added as %(role)s.")
                    % {"person": membership.user, "role": membership.get_role_display()},
                )
                return redirect("accounts:members", org_slug=organisation.slug)
    status = 422 if add_form is not None and add_form.errors else 200
    return render(
        request,
        "accounts/members.html",
        _members_context(request, organisation, add_form),
        status=status,
    )


@vary_on_headers("HX-Request")
def member_role(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    # Scope first: another organisation's members answer 404 whatever the method.
    organisation = organisation_for(user=request.user, slug=org_slug)
    membership = get_object_or_404(members_of(organisation=organisation), pk=membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied
    form = MemberRoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            error = exc.message_dict["role"][0]
            membership.refresh_from_db()
    else:
        error = _("Choose a role from the list.")
    if request.htmx:
        return render(
            request,
            "accounts/members.html#member-row",
            {
                **_members_context(request, organisation),
                "membership": membership,
                "row_error": error,
                "row_saved": error is None,
            },
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {"person": membership.user, "role": membership.get_role_display()},
        )
    return redirect("accounts:members", org_slug=organisation.slug)


def member_remove(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    membership = get_object_or_404(members_of(organisation=organisation), pk=membership_id)
    if not request.user.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("%(person)s was removed from %(organisation)s.")
                % {"person": membership.user, "organisation": organisation.name},
            )
        return redirect("accounts:members", org_slug=organisation.slug)
    return render(
        request,
        "accounts/member_remove.html",
        {"organisation": organisation, "membership": membership},
    )


@login_not_required
def robots(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out; also the benchmarks' trivial page (the floor)."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
