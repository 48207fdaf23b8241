from django.urls import path

from accounts.routes import ORG
from config.routes import under
from documents import views

app_name = "documents"

urlpatterns = under(
    ORG + "documents/",
    path("", views.document_list, name="list"),
    path("canvas/<slug:mission_key>/", views.request_canvas, name="canvas"),
    path("briefing/<slug:mission_key>/", views.request_briefing, name="briefing"),
    path("briefing/<slug:mission_key>/word/", views.briefing_word, name="briefing_word"),
    path("briefing/<slug:mission_key>/write/", views.briefing_note, name="briefing_note"),
    path("pack/", views.request_pack, name="pack"),
    path("<int:document_id>/", views.document_detail, name="detail"),
    path("<int:document_id>/retry/", views.document_retry, name="retry"),
    path("<int:document_id>/download/", views.document_download, name="download"),
    path("<int:document_id>/word/", views.document_word, name="word"),
)
