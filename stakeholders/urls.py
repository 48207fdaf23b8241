from django.urls import path

from stakeholders import views

app_name = "stakeholders"

MISSION = "organisations/<slug:org_slug>/missions/<slug:mission_key>/"
MAP = MISSION + "stakeholders/"
ONE = MAP + "<slug:stakeholder_key>/"

urlpatterns = [
    path(MAP, views.stakeholder_map, name="map"),
    path(MAP + "add/", views.stakeholder_add, name="add"),
    path(MAP + "actors/", views.actor_suggestions, name="actor_suggestions"),
    path(MAP + "export/", views.csv_export, name="export"),
    path(MAP + "import/", views.csv_import, name="import"),
    path(MAP + "reviewed/", views.map_reviewed, name="reviewed"),
    path(ONE, views.stakeholder_detail, name="detail"),
    path(ONE + "change/", views.stakeholder_edit, name="edit"),
    path(ONE + "move/", views.stakeholder_move, name="move"),
    path(ONE + "delete/", views.stakeholder_delete, name="delete"),
    path(MISSION + "engagement/", views.activities, name="activities"),
    path(
        MISSION + "engagement/<int:activity_id>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
]
