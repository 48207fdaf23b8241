from django.urls import path

from missions import actor_views, exchange_views, snapshot_views, views

app_name = "missions"

ORG = "organisations/<slug:org_slug>/"
MISSION = ORG + "missions/<slug:mission_key>/"
TARGET = MISSION + "targets/<slug:target_key>/"

urlpatterns = [
    path(ORG + "missions/", views.mission_list, name="list"),
    path(ORG + "start-mission/", views.mission_start, name="start"),
    path(ORG + "export/", exchange_views.missions_export, name="export"),
    path(ORG + "import/", exchange_views.missions_import, name="import"),
    path(ORG + "actors/", actor_views.actor_list, name="actors"),
    path(ORG + "actors/<int:actor_id>/", actor_views.actor_edit, name="actor_edit"),
    path(MISSION, views.mission_overview, name="overview"),
    path(MISSION + "change/<slug:group>/", views.mission_group_edit, name="edit_group"),
    path(MISSION + "status/<slug:transition>/", views.mission_transition, name="transition"),
    path(MISSION + "archive/", views.mission_archive, name="archive"),
    path(MISSION + "delete/", views.mission_delete, name="delete"),
    path(MISSION + "export/", exchange_views.mission_export, name="mission_export"),
    path(MISSION + "targets/", views.mission_targets, name="targets"),
    path(TARGET + "change/", views.target_edit, name="target_edit"),
    path(TARGET + "delete/", views.target_delete, name="target_delete"),
    path(TARGET + "milestones/", views.milestone_add, name="milestone_add"),
    path(
        TARGET + "milestones/<int:milestone_id>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        TARGET + "milestones/<int:milestone_id>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path(MISSION + "projects/", views.mission_projects, name="projects"),
    path(MISSION + "projects/<slug:project_key>/change/", views.project_edit, name="project_edit"),
    path(
        MISSION + "projects/<slug:project_key>/delete/", views.project_delete, name="project_delete"
    ),
    path(MISSION + "map/", views.mission_map, name="map"),
    path(MISSION + "history/", views.mission_history, name="history"),
    path(MISSION + "snapshots/", snapshot_views.snapshot_list, name="snapshots"),
    path(MISSION + "snapshots/compare/", snapshot_views.snapshot_compare, name="snapshot_compare"),
]
