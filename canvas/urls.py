from django.urls import path

from canvas import example_views, views, workshop_views
from missions.routes import MISSION

app_name = "canvas"

CANVAS = MISSION + "canvas/"
BOX = CANVAS + "<slug:box_key>/"

urlpatterns = [
    path(CANVAS, views.canvas_page, name="canvas"),
    path(CANVAS + "live/", views.canvas_live, name="live"),
    path(CANVAS + "examples/", views.canvas_examples, name="examples"),
    path(CANVAS + "blank/", workshop_views.blank_canvas, name="blank"),
    path(CANVAS + "workshop/", workshop_views.workshop_board, name="workshop"),
    path(CANVAS + "workshop/start/", workshop_views.workshop_start, name="workshop_start"),
    path(
        CANVAS + "workshop/<int:workshop_id>/end/",
        workshop_views.workshop_end,
        name="workshop_end",
    ),
    path(CANVAS + "notes/<int:note_id>/", workshop_views.note_sort, name="note_sort"),
    # After the fixed addresses above: a box address would take "live", "blank" and the rest
    # as box keys.
    path(BOX, views.box, name="box"),
    path(BOX + "history/", views.box_history, name="box_history"),
    path(BOX + "comments/", views.box_comments, name="box_comments"),
    path(BOX + "comments/<int:comment_id>/resolve/", views.comment_resolve, name="comment_resolve"),
    # The example missions shipped with Lodestar, for everyone signed in.
    path("examples/", example_views.example_list, name="example_list"),
    path("examples/<slug:example_key>/", example_views.example, name="example"),
    # The link participants of a workshop open, with or without an account.
    path("workshop/<str:token>/", workshop_views.workshop_join, name="workshop_join"),
]
