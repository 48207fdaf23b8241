"""Criteria pages. Included at the site root: `path("", include("evaluation.urls"))`."""

from django.urls import path

from evaluation import views
from evaluation.indicators import views as indicator_views
from evaluation.reviews import views as review_views

app_name = "evaluation"

ORG = "organisations/<slug:org_slug>/"
MISSION = "organisations/<slug:org_slug>/missions/<slug:mission_key>/criteria/"
INDICATORS = "organisations/<slug:org_slug>/missions/<slug:mission_key>/indicators/"
INDICATOR = f"{INDICATORS}<slug:indicator_key>/"

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
    path(INDICATORS, indicator_views.indicators, name="indicators"),
    path(
        "organisations/<slug:org_slug>/missions/<slug:mission_key>/reviews/",
        review_views.reviews,
        name="reviews",
    ),
    path(INDICATOR, indicator_views.indicator, name="indicator"),
    path(f"{INDICATOR}edit/", indicator_views.indicator_edit, name="indicator_edit"),
    path(f"{INDICATOR}import/", indicator_views.measurements_import, name="measurements_import"),
    path(f"{INDICATOR}export/", indicator_views.measurements_export, name="measurements_export"),
    path(
        f"{INDICATOR}values/<int:measurement_id>/correct/",
        indicator_views.measurement_correct,
        name="measurement_correct",
    ),
]
