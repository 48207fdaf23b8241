"""Pages about the API: its documentation, and administrators' API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation
from accounts.selectors import organisation_for
from api import selectors, services, webhooks
from api.api import api
from api.forms import TokenForm, WebhookForm
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


def _admin_organisation(request: AuthenticatedHttpRequest, org_slug: str) -> Organisation:
    organisation = organisation_for(user=request.user, slug=org_slug)
    if not request.user.has_perm("api.manage_tokens", organisation):
        raise PermissionDenied
    return organisation


def webhook_list(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    organisation = _admin_organisation(request, org_slug)
    form = WebhookForm(request.POST or None)
    endpoint = try_service(
        form,
        lambda: webhooks.endpoint_create(
            by=request.user,
            organisation=organisation,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
        ),
    )
    if endpoint is not None:
        # The signing secret is shown on the page the POST answers, once.
        return render(
            request,
            "api/webhook_created.html",
            {"organisation": organisation, "endpoint": endpoint},
        )
    return render_form(
        request,
        "api/webhooks.html",
        {
            "organisation": organisation,
            "endpoints": selectors.webhooks_of(organisation=organisation),
            "form": form,
        },
        form,
    )


def webhook_detail(
    request: AuthenticatedHttpRequest, org_slug: str, endpoint_id: int
) -> HttpResponse:
    organisation = _admin_organisation(request, org_slug)
    endpoint = selectors.webhook_for(organisation=organisation, endpoint_id=endpoint_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "enable":
            webhooks.endpoint_enable(by=request.user, endpoint=endpoint)
            messages.success(request, _("The webhook is on again: new events will be sent."))
        elif action == "delete":
            webhooks.endpoint_delete(by=request.user, endpoint=endpoint)
            messages.success(request, _("The webhook is deleted: nothing more will be sent there."))
            return redirect("api:webhooks", org_slug=organisation.slug)
        return redirect("api:webhook", org_slug=organisation.slug, endpoint_id=endpoint.pk)
    return render(
        request,
        "api/webhook.html",
        {
            "organisation": organisation,
            "endpoint": endpoint,
            "deliveries": selectors.deliveries_of(endpoint),
        },
    )


def webhook_resend(
    request: AuthenticatedHttpRequest, org_slug: str, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    # Scope first: another organisation's delivery answers 404 whatever the method.
    organisation = organisation_for(user=request.user, slug=org_slug)
    endpoint = selectors.webhook_for(organisation=organisation, endpoint_id=endpoint_id)
    delivery = selectors.delivery_for(endpoint=endpoint, delivery_id=delivery_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    webhooks.delivery_resend(by=request.user, delivery=delivery)
    messages.success(request, _("The delivery will be sent again, with the same delivery id."))
    return redirect("api:webhook", org_slug=organisation.slug, endpoint_id=endpoint.pk)
