from django.urls import path

from accounts.routes import ORG
from audit import views
from missions.routes import MISSION

app_name = "audit"

urlpatterns = [
    path(ORG + "audit/", views.organisation_audit, name="organisation"),
    path(MISSION + "audit/", views.mission_audit, name="mission"),
]
