from django.urls import path

from accounts.routes import ORG
from config.routes import under
from missions.routes import MISSION
from rewards import views

app_name = "rewards"

urlpatterns = [
    *under(ORG + "risks-and-rewards/", path("", views.portfolio, name="portfolio")),
    *under(
        MISSION + "risks-and-rewards/",
        path("", views.mission_page, name="mission"),
        path("conditions/<slug:condition_key>/", views.condition_edit, name="condition_edit"),
        path(
            "conditions/<slug:condition_key>/delete/",
            views.condition_delete,
            name="condition_delete",
        ),
        path("projects/<slug:project_key>/terms/", views.terms_edit, name="terms_edit"),
        path(
            "projects/<slug:project_key>/terms/delete/",
            views.terms_delete,
            name="terms_delete",
        ),
        path(
            "projects/<slug:project_key>/conditions/add/",
            views.condition_add,
            name="condition_add",
        ),
    ),
]
