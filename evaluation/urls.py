"""Criteria pages. Included at the site root: `path("", include("evaluation.urls"))`."""

from django.urls import path

from accounts.routes import ORG
from evaluation import views
from evaluation.indicators import api as indicator_api
from evaluation.indicators import steward_views
from evaluation.indicators import views as indicator_views
from evaluation.reviews import views as review_views
from evaluation.toc import views as toc_views
from missions.routes import MISSION

app_name = "evaluation"

CRITERIA = f"{MISSION}criteria/"
INDICATORS = f"{MISSION}indicators/"
INDICATOR = f"{INDICATORS}<slug:indicator_key>/"
TOC = f"{MISSION}theory-of-change/"

urlpatterns = [
    path(CRITERIA, views.criteria, name="criteria"),
    path(f"{CRITERIA}status/", views.criteria_status, name="criteria_status"),
    path(f"{CRITERIA}assess/", views.assess, name="assess"),
    path(f"{CRITERIA}summary/", views.criteria_summary, name="criteria_summary"),
    path(f"{CRITERIA}go-no-go/", views.gonogo, name="gonogo"),
    path(f"{CRITERIA}readiness/", views.mission_readiness, name="mission_readiness"),
    path(f"{ORG}readiness-check/", views.readiness, name="readiness"),
    path(f"{ORG}readiness-check/<int:check_id>/", views.readiness_result, name="readiness_result"),
    path(
        f"{ORG}readiness-check/<int:check_id>/start-mission/",
        views.readiness_start_mission,
        name="readiness_start_mission",
    ),
    path(f"{CRITERIA}<str:criterion>/verdict/", views.verdict, name="verdict"),
    path(f"{CRITERIA}warnings/<int:finding_id>/decide/", views.decide, name="decide"),
    path(INDICATORS, indicator_views.indicators, name="indicators"),
    path(f"{MISSION}reviews/", review_views.reviews, name="reviews"),
    path(INDICATOR, indicator_views.indicator, name="indicator"),
    path(f"{INDICATOR}edit/", indicator_views.indicator_edit, name="indicator_edit"),
    path(f"{INDICATOR}import/", indicator_views.measurements_import, name="measurements_import"),
    path(f"{INDICATOR}export/", indicator_views.measurements_export, name="measurements_export"),
    path(
        f"{INDICATOR}values/<int:measurement_id>/correct/",
        indicator_views.measurement_correct,
        name="measurement_correct",
    ),
    # Indicator stewards: the mission team invites and revokes on the indicator's page; the
    # steward's own pages and push tokens live outside the organisation's addresses.
    path(f"{INDICATOR}stewards/", steward_views.steward_invite, name="steward_invite"),
    path(
        f"{INDICATOR}stewards/<int:steward_id>/revoke/",
        steward_views.steward_revoke,
        name="steward_revoke",
    ),
    path("stewarding/", steward_views.stewarding, name="stewarding"),
    path("stewarding/tokens/", steward_views.push_tokens, name="push_tokens"),
    path(
        "stewarding/tokens/<int:token_id>/revoke/",
        steward_views.push_token_revoke,
        name="push_token_revoke",
    ),
    path(
        "stewarding/<int:indicator_id>/",
        steward_views.steward_indicator,
        name="steward_indicator",
    ),
    path(
        "stewarding/<int:indicator_id>/import/",
        steward_views.steward_import,
        name="steward_import",
    ),
    path(
        "stewarding/<int:indicator_id>/values/<int:measurement_id>/correct/",
        steward_views.steward_correct,
        name="steward_correct",
    ),
    path("api/v1/measurements/", indicator_api.push_measurements, name="api_measurements"),
    path(TOC, toc_views.toc, name="toc"),
    path(f"{TOC}steps/add/", toc_views.step_add, name="toc_step_add"),
    path(f"{TOC}steps/<slug:step_key>/", toc_views.step_edit, name="toc_step_edit"),
    path(f"{TOC}steps/<slug:step_key>/delete/", toc_views.step_delete, name="toc_step_delete"),
    path(f"{TOC}links/add/", toc_views.link_add, name="toc_link_add"),
    path(f"{TOC}links/<int:link_id>/", toc_views.link_edit, name="toc_link_edit"),
    path(f"{TOC}links/<int:link_id>/delete/", toc_views.link_delete, name="toc_link_delete"),
]
