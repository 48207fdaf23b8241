from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from accounts import oidc, views

app_name = "accounts"


def _public(view):
    return login_not_required(view)


urlpatterns = [
    path("sign-in/", _public(views.LoginView.as_view()), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/sso/", oidc.sso_start, name="oidc_start"),
    path("sign-in/sso/callback/", oidc.sso_callback, name="oidc_callback"),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path(
        "account/two-factor/<int:device_id>/remove/",
        views.two_factor_remove,
        name="two_factor_remove",
    ),
    path(
        "password/reset/",
        _public(
            auth_views.PasswordResetView.as_view(
                template_name="registration/password_reset_form.html",
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        _public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        _public(
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        _public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("organisations/<slug:org_slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:org_slug>/settings/",
        views.organisation_settings,
        name="organisation_settings",
    ),
    path("organisations/<slug:org_slug>/members/", views.members, name="members"),
    path(
        "organisations/<slug:org_slug>/members/<int:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "organisations/<slug:org_slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
