"""The inbox pages: the list, opening one notification, e-mail preferences, and unsubscribing
from an e-mail's link without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from config.inputs import local_url
from inbox import selectors, services
from inbox.forms import PreferenceForm


@require_http_methods(["GET", "HEAD"])
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = selectors.notification_page(user=request.user, page=request.GET.get("page"))
    return render(
        request,
        "inbox/inbox.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@require_GET
def open_notification(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Opening a notification marks it read and goes straight to what it is about. A link
    from the inbox, so a GET; what it changes (read or not) is the reader's own."""
    notification = selectors.notification_for(user=request.user, notification_id=notification_id)
    services.notification_mark_read(by=request.user, notification=notification)
    return redirect(local_url(request, notification.url) or "inbox:list")


@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect("inbox:list")


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            if services.preference_set(by=request.user, delivery=form.cleaned_data["delivery"]):
                messages.success(request, _("Your e-mail preference is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("inbox:preferences")
        status = 422
    else:
        form = PreferenceForm(initial={"delivery": selectors.delivery_for(request.user)})
        status = 200
    return render(request, "inbox/preferences.html", {"form": form}, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in every e-mail, signed in or not: a page with one button (a POST, so a
    mail scanner that follows links unsubscribes nobody). A changed or expired link gets a
    page saying so, answered 400."""
    user = services.unsubscribe_user(token)
    if user is None:
        return render(request, "inbox/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    return render(request, "inbox/unsubscribe.html", {"person": user, "done": done})
