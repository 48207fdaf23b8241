from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from accounts import views as account_views
from api import urls as api_urls
from config import health
from workspace import views as workspace_views

# The admin lets staff change anyone's data, so it wants two factors like a lead's pages do.
# django-otp's site admits active staff whose session passed a code (request.user.is_verified())
# in has_permission, which every admin view checks, and its own sign-in page asks for the code
# too. Everyone else is sent to a sign-in page, as Django's admin does: no new pages to keep.
# Swapping the class (django-otp's documented way) keeps the default site's models and name.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", account_views.robots, name="robots"),
    path("language/", account_views.choose_language, name="set_language"),
    *([path("admin/", admin.site.urls)] if settings.LODESTAR_ADMIN else []),  # else 404
    path("", include("accounts.urls")),
    path("", include("missions.urls")),
    path("", include("documents.urls")),
    path("", include("canvas.urls")),
    path("", include("evaluation.urls")),
    path("", include("stakeholders.urls")),
    path("", include("rewards.urls")),
    path("", include("participation.urls")),
    path("public/", include("participation.public_urls")),
    path("", include("portfolios.urls")),
    path("", include("audit.urls")),
    path("inbox/", include("inbox.urls")),
    path("api/v1/", include((api_urls.api_patterns, "api-v1"))),
    path("", include("api.urls")),
    path("", include("workspace.urls")),
]
