"""Pages about the API: its documentation, and administrators' API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import organisation_for
from api import selectors, services
from api.api import api
from api.forms import TokenForm
from config.forms import render_form, try_service


@login_not_required
def docs(request: HttpRequest) -> HttpResponse:
    """The API's description as a page: each operation, what it takes and what it answers.
    The machine-readable description is /api/v1/openapi.json."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return render(
        request,
        "api/docs.html",
        {"info": schema.get("info", {}), "groups": selectors.operations(schema)},
    )


def tokens(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    if not request.user.has_perm("api.manage_tokens", organisation):
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    created = try_service(
        form,
        lambda: services.token_create(
            by=request.user,
            organisation=organisation,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            expires_on=form.cleaned_data["expires_on"],
        ),
    )
    if created is not None:
        token, secret = created
        # Shown once, on the page the POST answers, never stored: a reload does not show it.
        return render(
            request,
            "api/token_created.html",
            {"organisation": organisation, "token": token, "secret": secret},
        )
    return render_form(
        request,
        "api/tokens.html",
        {
            "organisation": organisation,
            "tokens": selectors.tokens_of(user=request.user, organisation=organisation),
            "form": form,
        },
        form,
    )


def token_revoke(
    request: AuthenticatedHttpRequest, org_slug: str, api_token_id: int
) -> HttpResponse:
    # Scope first: another organisation's token answers 404 whatever the method.
    organisation = organisation_for(user=request.user, slug=org_slug)
    token = selectors.token_for(user=request.user, organisation=organisation, token_id=api_token_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.token_revoke(by=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("api:tokens", org_slug=organisation.slug)
