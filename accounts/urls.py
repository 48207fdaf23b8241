from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBase
from django.urls import path, reverse_lazy
from django.views import View

from accounts import oidc, views
from accounts.routes import ORG
from config.routes import under

app_name = "accounts"


def _public(view_class: type[View[Any]], **initkwargs: Any) -> Callable[..., HttpResponseBase]:
    """The view of `view_class`, open to anyone, signed in or not."""
    return login_not_required(view_class.as_view(**initkwargs))


urlpatterns = [
    path("sign-in/", _public(views.LoginView), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/sso/", oidc.sso_start, name="oidc_start"),
    path("sign-in/sso/callback/", oidc.sso_callback, name="oidc_callback"),
    *under(
        "account/",
        path("", views.account, name="account"),
        path("password/", views.PasswordChangeView.as_view(), name="password_change"),
        path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
        path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
        path(
            "two-factor/<int:device_id>/remove/", views.two_factor_remove, name="two_factor_remove"
        ),
    ),
    *under(
        "password/reset/",
        path(
            "",
            _public(
                auth_views.PasswordResetView,
                template_name="registration/password_reset_form.html",
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            ),
            name="password_reset",
        ),
        path("sent/", _public(auth_views.PasswordResetDoneView), name="password_reset_done"),
        path(
            "<uidb64>/<token>/",
            _public(
                auth_views.PasswordResetConfirmView,
                success_url=reverse_lazy("accounts:password_reset_complete"),
            ),
            name="password_reset_confirm",
        ),
        path(
            "done/", _public(auth_views.PasswordResetCompleteView), name="password_reset_complete"
        ),
    ),
    *under(
        ORG,
        path("", views.organisation_detail, name="organisation"),
        path("settings/", views.organisation_settings, name="organisation_settings"),
        path("members/", views.members, name="members"),
        path("members/<int:membership_id>/role/", views.member_role, name="member_role"),
        path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    ),
]
