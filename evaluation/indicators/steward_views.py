"""Pages for indicator stewards (people outside the mission's organisation who add values to one
indicator), and the mission team's invite and revoke actions on an indicator's page.

A steward's pages live under /stewarding/ and start from `stewards.indicators_stewarded_by`:
they show the indicator, its history of values and the forms to add, correct and import values,
and never a mission page (which would answer 404 to them anyway)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.mail import site_address
from config.forms import render_form, try_service
from evaluation.indicators import selectors, stewards, value_pages
from evaluation.indicators.forms import (
    MeasurementForm,
    PushTokenForm,
    StewardInviteForm,
)
from evaluation.indicators.models import Indicator, IndicatorPushToken, IndicatorSteward
from evaluation.indicators.views import (
    current_measurement,
    indicator_from_url,
    indicator_page,
    indicator_url,
    require_edit,
)


def _entry_url(indicator: Indicator) -> str:
    return reverse("evaluation:steward_indicator", args=[indicator.pk])


# --- The steward's pages --------------------------------------------------------------------


def stewarding(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your indicators: the ones the signed-in user stewards, and nothing else."""
    return render(
        request,
        "evaluation/indicators/stewarding.html",
        {"indicators": stewards.stewarded_list(request.user)},
    )


def _entry(
    request: AuthenticatedHttpRequest,
    indicator: Indicator,
    *,
    form: MeasurementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.indicator_page(indicator)
    # One reverse() for every row's "Correct" link, not one per row in the template.
    page.link_corrections(reverse("evaluation:steward_correct", args=[indicator.pk, 0]))
    return render(
        request,
        "evaluation/indicators/steward_indicator.html",
        {
            "indicator": indicator,
            "page": page,
            "measurement_form": form or MeasurementForm(),
            "steward": True,
            "can_edit": True,
        },
        status=status,
    )


def steward_indicator(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    """The indicator's definition and history of values; POST adds a value."""
    indicator = stewards.stewarded_indicator(request.user, indicator_id)
    if request.method != "POST":
        return _entry(request, indicator)
    form = MeasurementForm(request.POST)
    added = try_service(
        form,
        lambda: stewards.steward_measurement_add(
            by=request.user, indicator=indicator, **form.cleaned_data
        ),
    )
    if added is not None:
        messages.success(request, _("Value added."))
        return redirect(_entry_url(indicator) + "#values")
    return _entry(request, indicator, form=form, status=422)


def steward_correct(
    request: AuthenticatedHttpRequest, indicator_id: int, measurement_id: int
) -> HttpResponse:
    indicator = stewards.stewarded_indicator(request.user, indicator_id)
    return value_pages.correct_value(
        request,
        current_measurement(indicator, measurement_id),
        partial(stewards.steward_measurement_correct, by=request.user),
        done_url=_entry_url(indicator) + "#values",
        template="evaluation/indicators/steward_correct.html",
        context={"indicator": indicator},
    )


def steward_import(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    indicator = stewards.stewarded_indicator(request.user, indicator_id)
    return value_pages.import_values(
        request,
        lambda raw: stewards.steward_import_csv(by=request.user, indicator=indicator, raw=raw),
        done_url=_entry_url(indicator) + "#values",
        template="evaluation/indicators/steward_import.html",
        context={"indicator": indicator},
    )


def push_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The steward's tokens for the push API; POST makes one and shows its secret once."""
    if not stewards.indicators_stewarded_by(request.user).exists():
        raise Http404
    form = PushTokenForm(request.POST or None)
    created, secret = try_service(
        form, lambda: stewards.push_token_create(by=request.user, name=form.cleaned_data["name"])
    ) or (None, None)
    if created is not None:
        form = PushTokenForm()
    response = render_form(
        request,
        "evaluation/indicators/push_tokens.html",
        {
            "form": form,
            "tokens": stewards.push_tokens_of(request.user),
            "created": created,
            "secret": secret,
            "endpoint": request.build_absolute_uri(reverse("evaluation:api_measurements")),
            "indicators": stewards.stewarded_list(request.user),
        },
        form,
    )
    # The secret is in this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


def push_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(IndicatorPushToken, pk=token_id, user=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    stewards.push_token_revoke(by=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("evaluation:push_tokens")


# --- The mission team's side: invite and revoke on the indicator's page ---------------------


def steward_invite(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str, indicator_key: str
) -> HttpResponse:
    mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    if request.method != "POST":
        return redirect(indicator_url(item) + "#stewards")
    require_edit(request, mission)
    form = StewardInviteForm(request.POST)
    steward = try_service(
        form,
        lambda: stewards.steward_invite(
            by=request.user,
            indicator=item,
            invite_url_base=site_address(request),
            **form.cleaned_data,
        ),
    )
    if steward is not None:
        messages.success(
            request,
            _("%(person)s can now add values to this indicator.") % {"person": steward.user.email},
        )
        return redirect(indicator_url(item) + "#stewards")
    return indicator_page(request, mission, item, steward_form=form, status=422)


def steward_revoke(
    request: AuthenticatedHttpRequest,
    org_slug: str,
    mission_key: str,
    indicator_key: str,
    steward_id: int,
) -> HttpResponse:
    _mission, item = indicator_from_url(request, org_slug, mission_key, indicator_key)
    steward = get_object_or_404(
        IndicatorSteward.objects.select_related("user"),
        pk=steward_id,
        indicator=item,
        revoked_at__isnull=True,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    steward.indicator = item
    stewards.steward_revoke(by=request.user, steward=steward)
    messages.success(
        request,
        _("%(person)s can no longer add values to this indicator.")
        % {"person": steward.user.email},
    )
    return redirect(indicator_url(item) + "#stewards")
