from django.urls import path

from canvas import views

app_name = "canvas"

CANVAS = "organisations/<slug:org_slug>/missions/<slug:mission_key>/canvas/"

urlpatterns = [
    path(CANVAS, views.canvas_page, name="canvas"),
    path(CANVAS + "<slug:box_key>/", views.box, name="box"),
    path(CANVAS + "<slug:box_key>/history/", views.box_history, name="box_history"),
    path(CANVAS + "<slug:box_key>/comments/", views.box_comments, name="box_comments"),
    path(
        CANVAS + "<slug:box_key>/comments/<int:comment_id>/resolve/",
        views.comment_resolve,
        name="comment_resolve",
    ),
]
