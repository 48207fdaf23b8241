from django.urls import path

from audit import views

app_name = "audit"

ORG = "organisations/<slug:org_slug>/"

urlpatterns = [
    path(ORG + "audit/", views.organisation_audit, name="organisation"),
    path(ORG + "missions/<slug:mission_key>/audit/", views.mission_audit, name="mission"),
]
