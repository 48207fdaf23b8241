"""Home, organisation and member management pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import oidc, services, two_factor
from accounts.forms import (
    EmailLoginForm,
    MemberAddForm,
    MemberRoleForm,
    OrganisationSettingsForm,
    TwoFactorCodeForm,
)
from accounts.http import AuthenticatedHttpRequest, HtmxHttpRequest
from accounts.mail import site_address
from accounts.models import ROLE_DESCRIPTIONS, Membership, Role
from accounts.sections import landing_entries
from accounts.selectors import (
    members_of,
    membership_for,
    organisation_for,
)
from config.forms import render_form, try_service
from config.inputs import local_url


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_sso_context()}


def _sso_context() -> dict:
    return {"sso_enabled": oidc.enabled(), "sso_name": oidc.provider_name()}


@login_not_required
def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes calls this instead of its bare 403 page: the sign-in page again, saying why the
    password was refused and when to try again (429 Too Many Requests)."""
    message = _(
        "This account is locked for %(minutes)s minutes after too many wrong passwords. "
        "Wait, then try again."
    ) % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(
        request,
        "accounts/login.html",
        {
            "form": EmailLoginForm(request, initial={"username": request.POST.get("username")}),
            "locked_out": message,
            "next": request.POST.get("next", ""),
            **_sso_context(),
        },
        status=429,
    )


def organisation_detail(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's landing page: every section its member's role may open, with what
    each holds (sections are registered by the apps that own them: accounts/sections.py)."""
    membership = membership_for(request, slug=org_slug)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "entries": landing_entries(membership),
        },
    )


def organisation_settings(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """Administrators name the organisation and record the language and currency its missions
    start in."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    if not request.user.has_perm("accounts.change_organisation", organisation):
        raise PermissionDenied
    initial = {
        "name": organisation.name,
        "language": organisation.language,
        "currency": organisation.currency,
    }
    form = OrganisationSettingsForm(request.POST or None, initial=initial)
    changed = try_service(
        form,
        lambda: services.organisation_update(
            by=request.user, organisation=organisation, **form.cleaned_data
        ),
    )
    if changed is not None:
        if changed:
            messages.success(request, _("The organisation's settings are saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("accounts:organisation_settings", org_slug=organisation.slug)
    return render_form(
        request,
        "accounts/organisation_settings.html",
        {"organisation": organisation, "form": form},
        form,
    )


def _members_context(request: AuthenticatedHttpRequest, organisation, add_form=None) -> dict:
    return {
        "organisation": organisation,
        "memberships": members_of(organisation=organisation),
        "can_manage": request.user.has_perm("accounts.manage_members", organisation),
        "add_form": add_form or MemberAddForm(),
        "role_choices": Role.choices,
        "role_descriptions": [(Role(r).label, d) for r, d in ROLE_DESCRIPTIONS.items()],
    }


def members(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """Everyone in the organisation can see who else is in it; only administrators change it."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    add_form = None
    if request.method == "POST":
        if not request.user.has_perm("accounts.manage_members", organisation):
            raise PermissionDenied
        # `form` for the service call: `add_form` may be None, which the lambda cannot tell.
        add_form = form = MemberAddForm(request.POST)
        membership = try_service(
            form,
            lambda: services.membership_add(
                by=request.user,
                organisation=organisation,
                invite_url_base=site_address(request),
                **form.cleaned_data,
            ),
        )
        if membership is not None:
            _say_role(request, _("%(person)s was added as %(role)s."), membership)
            return redirect("accounts:members", org_slug=organisation.slug)
    return render_form(
        request,
        "accounts/members.html",
        _members_context(request, organisation, add_form),
        add_form,
    )


def _say_role(request: HttpRequest, sentence: str, membership: Membership) -> None:
    """ "Ada was added as editor", "Ada is now lead": `sentence` with the person and the role."""
    messages.success(
        request, sentence % {"person": membership.user, "role": membership.get_role_display()}
    )


@vary_on_headers("HX-Request")
def member_role(request: HtmxHttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    # Scope first: another organisation's members answer 404 whatever the method.
    organisation = organisation_for(user=request.user, slug=org_slug)
    membership = get_object_or_404(members_of(organisation=organisation), pk=membership_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied
    form = MemberRoleForm(request.POST)
    error = None
    unchanged = form.is_valid() and form.cleaned_data["role"] == membership.role
    if form.is_valid():
        try:
            services.membership_change_role(
                by=request.user, membership=membership, role=form.cleaned_data["role"]
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
                "row_unchanged": unchanged,
            },
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    elif unchanged:
        messages.info(request, _("Nothing was changed."))
    else:
        _say_role(request, _("%(person)s is now %(role)s."), membership)
    return redirect("accounts:members", org_slug=organisation.slug)


def member_remove(
    request: AuthenticatedHttpRequest, org_slug: str, membership_id: int
) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    membership = get_object_or_404(members_of(organisation=organisation), pk=membership_id)
    if not request.user.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.membership_remove(by=request.user, membership=membership)
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


# --- Your account: password and two-factor authentication ------------------------------------


def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "devices": two_factor.confirmed_devices(user),
            "two_factor_required": two_factor.required_for(request),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, _("Your new password is saved."))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


def _next_url(request: HttpRequest, default: str) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next")) or default


def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show a new authenticator's secret (QR code and text) and confirm it with a code from it."""
    if two_factor.has_device(request.user) and not request.user.is_verified():
        # Someone with only the password must not add their own authenticator to get past the
        # code page: adding one needs a code from an existing one first.
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(request)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_device(request, device, form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request, reverse("accounts:account")))
        form.add_error("code", _code_refused())
    return render_form(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "required": two_factor.required_for(request),
            "verified": request.user.is_verified(),
            # The navigation would only lead back here until the code is confirmed.
            "two_factor_pending": not request.user.is_verified(),
            "next": _next_url(request, ""),
        },
        form,
    )


def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app after the password, once per sign-in."""
    if not two_factor.has_device(request.user):
        return redirect("accounts:two_factor_setup")
    if request.user.is_verified():
        return redirect(_next_url(request, reverse("home")))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify_session(request, form.cleaned_data["code"]):
            return redirect(_next_url(request, reverse("home")))
        form.add_error("code", _code_refused())
    return render_form(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request, ""), "two_factor_pending": True},
        form,
    )


def _code_refused() -> str:
    return _(
        "That code did not work. Codes change every 30 seconds: wait for a new one and enter "
        "it. If it still fails, check the time on your phone is set automatically."
    )


def two_factor_remove(request: AuthenticatedHttpRequest, device_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        two_factor.remove_device(user=request.user, device_id=device_id)
    except two_factor.LastDeviceError:
        messages.error(
            request,
            _(
                "Leads and administrators must keep two-factor authentication on. Set up "
                "another authenticator app before removing this one."
            ),
        )
    except two_factor.TOTPDevice.DoesNotExist:
        raise Http404 from None
    else:
        messages.success(request, _("The authenticator app is removed."))
    return redirect("accounts:account")


@login_not_required
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switcher on every page: the language is kept on the person's account when
    they are signed in, and in the language cookie either way (the sign-in and public pages);
    then back to the page they were on, now in that language. No language: the choice is
    forgotten and the browser's preference counts again (the account page offers it)."""
    language = request.POST.get("language", "")
    back = local_url(request, request.POST.get("next")) or reverse("home")
    if language and language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose one of the languages Lodestar offers."))
        return redirect(back)
    if request.user.is_authenticated:
        services.language_choose(user=request.user, language=language)
    response = redirect(back)
    if not language:  # "follow my browser" again: the choice is forgotten
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response
