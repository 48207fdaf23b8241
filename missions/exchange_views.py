"""Exchange-format export and import of an organisation's missions (docs/exchange-format.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import organisation_for
from missions import exchange
from missions.forms import ImportForm
from missions.pages import mission_from_url, require_permission


def missions_export(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's missions (or those ticked/asked for with ?mission=KEY) as one
    exchange-format file."""
    organisation = organisation_for(user=request.user, slug=org_slug)
    require_permission(request, "missions.export_missions", organisation)
    keys = request.GET.getlist("mission")
    try:
        document = exchange.export_document(
            organisation=organisation, mission_keys=keys or None, user=request.user
        )
    except LookupError as error:
        messages.error(request, str(error.args[0] if error.args else error))
        return redirect("missions:list", org_slug=org_slug)
    return _json_download(document, f"{organisation.slug}-missions.json")


def mission_export(
    request: AuthenticatedHttpRequest, org_slug: str, mission_key: str
) -> HttpResponse:
    mission = mission_from_url(request, org_slug, mission_key)
    require_permission(request, "missions.export_missions", mission.organisation)
    document = exchange.export_document(
        organisation=mission.organisation, mission_keys=[mission.key], user=request.user
    )
    return _json_download(document, f"{mission.organisation.slug}-{mission.key}.json")


def _json_download(document: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(exchange.dumps(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def missions_import(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisation_for(user=request.user, slug=org_slug)
    require_permission(request, "missions.import_missions", organisation)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[exchange.ExchangeError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > exchange.max_import_bytes():
                raise exchange.too_big(upload.size)
            summary = exchange.import_document(
                document=exchange.parse(upload.read()), organisation=organisation, user=request.user
            )
        except exchange.ImportRejected as rejected:
            errors = rejected.errors
            form.add_error(
                "file",
                ngettext(
                    "Nothing was imported: the file has %(count)s problem, listed below.",
                    "Nothing was imported: the file has %(count)s problems, listed below.",
                    len(errors),
                )
                % {"count": len(errors)},
            )
        else:
            messages.success(request, _("Imported: %(summary)s") % {"summary": summary})
            return redirect("missions:list", org_slug=org_slug)
    return render(
        request,
        "missions/import.html",
        {
            "organisation": organisation,
            "form": form,
            "import_errors": errors[:200],
            "more_errors": max(0, len(errors) - 200),
        },
        status=422 if form.errors else 200,
    )
