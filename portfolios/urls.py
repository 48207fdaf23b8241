from django.urls import path

from portfolios import views

app_name = "portfolios"

ORG = "organisations/<slug:org_slug>/portfolio/"

urlpatterns = [
    path(ORG, views.dashboard, name="dashboard"),
    path(ORG + "portfolios/", views.portfolio_list, name="portfolios"),
    path(ORG + "portfolios/<slug:portfolio_slug>/", views.portfolio_edit, name="portfolio_edit"),
    path(ORG + "portfolios/<slug:portfolio_slug>/add/", views.portfolio_add, name="portfolio_add"),
    path(ORG + "facets/", views.facets, name="facets"),
    path(
        ORG + "facets/<slug:mission_key>/<slug:project_key>/",
        views.facet_edit,
        name="facet_edit",
    ),
    path(ORG + "initiatives/add/", views.initiative_edit, name="initiative_add"),
    path(ORG + "initiatives/<int:initiative_id>/", views.initiative_edit, name="initiative_edit"),
    path(ORG + "compare/", views.compare, name="compare"),
    path(ORG + "overlap/", views.overlap, name="overlap"),
    path(ORG + "decisions/", views.decision_log, name="decisions"),
    path(ORG + "missions/<slug:mission_key>/decide/", views.decide, name="decide"),
]
