"""Criteria pages. Included at the site root: `path("", include("evaluation.urls"))`."""

from django.urls import path

from evaluation import views

app_name = "evaluation"

MISSION = "organisations/<slug:org_slug>/missions/<slug:mission_key>/criteria/"

urlpatterns = [
    path(MISSION, views.criteria, name="criteria"),
    path(f"{MISSION}status/", views.criteria_status, name="criteria_status"),
    path(f"{MISSION}assess/", views.assess, name="assess"),
    path(f"{MISSION}<str:criterion>/verdict/", views.verdict, name="verdict"),
    path(f"{MISSION}warnings/<int:finding_id>/decide/", views.decide, name="decide"),
]
