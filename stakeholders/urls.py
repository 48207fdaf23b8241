from django.urls import path

from config.routes import under
from missions.routes import MISSION
from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    *under(
        MISSION + "stakeholders/",
        path("", views.stakeholder_map, name="map"),
        path("add/", views.stakeholder_add, name="add"),
        path("actors/", views.actor_suggestions, name="actor_suggestions"),
        path("export/", views.csv_export, name="export"),
        path("import/", views.csv_import, name="import"),
        path("reviewed/", views.map_reviewed, name="reviewed"),
        # After the fixed addresses above: a stakeholder's key could spell any of them.
        path("<slug:stakeholder_key>/", views.stakeholder_detail, name="detail"),
        path("<slug:stakeholder_key>/change/", views.stakeholder_edit, name="edit"),
        path("<slug:stakeholder_key>/move/", views.stakeholder_move, name="move"),
        path("<slug:stakeholder_key>/delete/", views.stakeholder_delete, name="delete"),
    ),
    *under(
        MISSION + "engagement/",
        path("", views.activities, name="activities"),
        path("<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    ),
]
