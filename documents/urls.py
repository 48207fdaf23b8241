from django.urls import path

from documents import views

app_name = "documents"

ORG = "organisations/<slug:org_slug>/"
DOCUMENTS = ORG + "documents/"
DOCUMENT = DOCUMENTS + "<int:document_id>/"

urlpatterns = [
    path(DOCUMENTS, views.document_list, name="list"),
    path(DOCUMENTS + "canvas/<slug:mission_key>/", views.request_canvas, name="canvas"),
    path(DOCUMENTS + "briefing/<slug:mission_key>/", views.request_briefing, name="briefing"),
    path(
        DOCUMENTS + "briefing/<slug:mission_key>/word/",
        views.briefing_word,
        name="briefing_word",
    ),
    path(
        DOCUMENTS + "briefing/<slug:mission_key>/write/",
        views.briefing_note,
        name="briefing_note",
    ),
    path(DOCUMENTS + "pack/", views.request_pack, name="pack"),
    path(DOCUMENT, views.document_detail, name="detail"),
    path(DOCUMENT + "retry/", views.document_retry, name="retry"),
    path(DOCUMENT + "download/", views.document_download, name="download"),
    path(DOCUMENT + "word/", views.document_word, name="word"),
]
