from django.urls import path

from accounts.routes import ORG
from config.routes import under
from portfolios import views

app_name = "portfolios"

urlpatterns = under(
    ORG + "portfolio/",
    path("", views.dashboard, name="dashboard"),
    path("portfolios/", views.portfolio_list, name="portfolios"),
    path("portfolios/<slug:portfolio_slug>/", views.portfolio_edit, name="portfolio_edit"),
    path("portfolios/<slug:portfolio_slug>/add/", views.portfolio_add, name="portfolio_add"),
    path("facets/", views.facets, name="facets"),
    path("facets/<slug:mission_key>/<slug:project_key>/", views.facet_edit, name="facet_edit"),
    path("initiatives/add/", views.initiative_edit, name="initiative_add"),
    path("initiatives/<int:initiative_id>/", views.initiative_edit, name="initiative_edit"),
    path("compare/", views.compare, name="compare"),
    path("overlap/", views.overlap, name="overlap"),
    path("decisions/", views.decision_log, name="decisions"),
    path("missions/<slug:mission_key>/decide/", views.decide, name="decide"),
)
