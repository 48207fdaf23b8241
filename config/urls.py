from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import health

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", account_views.robots, name="robots"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("missions.urls")),
    path("", include("documents.urls")),
    path("", include("canvas.urls")),
    path("", include("evaluation.urls")),
    path("", include("stakeholders.urls")),
    path("", include("portfolios.urls")),
    path("", include("audit.urls")),
]
