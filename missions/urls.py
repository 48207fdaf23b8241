from django.urls import path

from accounts.routes import ORG
from config.routes import under
from missions import actor_views, exchange_views, snapshot_views, views
from missions.routes import MISSION

app_name = "missions"

urlpatterns = [
    *under(
        ORG,
        path("missions/", views.mission_list, name="list"),
        path("start-mission/", views.mission_start, name="start"),
        path("start-mission/copy/", views.mission_copy, name="copy"),
        path("export/", exchange_views.missions_export, name="export"),
        path("import/", exchange_views.missions_import, name="import"),
        path("actors/", actor_views.actor_list, name="actors"),
        path("actors/<int:actor_id>/", actor_views.actor_edit, name="actor_edit"),
    ),
    *under(
        MISSION,
        path("", views.mission_overview, name="overview"),
        path("change/<slug:group>/", views.mission_group_edit, name="edit_group"),
        path("status/<slug:transition>/", views.mission_transition, name="transition"),
        path("archive/", views.mission_archive, name="archive"),
        path("delete/", views.mission_delete, name="delete"),
        path("export/", exchange_views.mission_export, name="mission_export"),
        path("targets/", views.mission_targets, name="targets"),
        *under(
            "targets/<slug:target_key>/",
            path("change/", views.target_edit, name="target_edit"),
            path("delete/", views.target_delete, name="target_delete"),
            path("milestones/", views.milestone_add, name="milestone_add"),
            path("milestones/<int:milestone_id>/", views.milestone_edit, name="milestone_edit"),
            path(
                "milestones/<int:milestone_id>/delete/",
                views.milestone_delete,
                name="milestone_delete",
            ),
        ),
        path("projects/", views.mission_projects, name="projects"),
        path("projects/<slug:project_key>/change/", views.project_edit, name="project_edit"),
        path("projects/<slug:project_key>/delete/", views.project_delete, name="project_delete"),
        path("map/", views.mission_map, name="map"),
        path("history/", views.mission_history, name="history"),
        path("snapshots/", snapshot_views.snapshot_list, name="snapshots"),
        path("snapshots/compare/", snapshot_views.snapshot_compare, name="snapshot_compare"),
    ),
]
