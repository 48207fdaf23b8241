"""Criteria pages. Included at the site root: `path("", include("evaluation.urls"))`."""

from django.urls import path

from evaluation import views

app_name = "evaluation"

ORG = "organisations/<slug:org_slug>/"
MISSION = "organisations/<slug:org_slug>/missions/<slug:mission_key>/criteria/"

urlpatterns = [
    path(MISSION, views.criteria, name="criteria"),
    path(f"{MISSION}status/", views.criteria_status, name="criteria_status"),
    path(f"{MISSION}assess/", views.assess, name="assess"),
    path(f"{MISSION}summary/", views.criteria_summary, name="criteria_summary"),
    path(f"{MISSION}go-no-go/", views.gonogo, name="gonogo"),
    path(f"{MISSION}readiness/", views.mission_readiness, name="mission_readiness"),
    path(f"{ORG}readiness-check/", views.readiness, name="readiness"),
    path(f"{ORG}readiness-check/<int:check_id>/", views.readiness_result, name="readiness_result"),
    path(
        f"{ORG}readiness-check/<int:check_id>/start-mission/",
        views.readiness_start_mission,
        name="readiness_start_mission",
    ),
    path(f"{MISSION}<str:criterion>/verdict/", views.verdict, name="verdict"),
    path(f"{MISSION}warnings/<int:finding_id>/decide/", views.decide, name="decide"),
]
