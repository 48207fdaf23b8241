from django.urls import path

from accounts.routes import ORG
from config.routes import under
from missions.routes import MISSION
from participation import views

app_name = "participation"

IDEA = "participation/consultations/<slug:key>/ideas/<int:number>/"

urlpatterns = [
    *under(ORG + "participation/", path("", views.moderation, name="moderation")),
    *under(
        MISSION,
        path("participation/", views.mission_page, name="mission"),
        path("participation/publish/", views.publish, name="publish"),
        path("participation/withdraw/", views.withdraw, name="withdraw"),
        path("participation/consultations/add/", views.consultation_add, name="consultation_add"),
        path(
            "participation/consultations/<slug:key>/",
            views.consultation_page,
            name="consultation",
        ),
        path(
            "participation/consultations/<slug:key>/ideas.csv",
            views.consultation_csv,
            name="consultation_csv",
        ),
        path(
            "participation/consultations/<slug:key>/edit/",
            views.consultation_edit,
            name="consultation_edit",
        ),
        path(IDEA, views.idea_page, name="idea"),
        path(IDEA + "answer/", views.idea_answer, name="idea_answer"),
        path(IDEA + "hide/", views.idea_hide, name="idea_hide"),
        path(IDEA + "restore/", views.idea_restore, name="idea_restore"),
        path(IDEA + "ban/", views.idea_ban, name="idea_ban"),
        path(IDEA + "verify/", views.idea_verify, name="idea_verify"),
        path(IDEA + "project/", views.idea_project, name="idea_project"),
        path(IDEA + "stakeholder/", views.idea_stakeholder, name="idea_stakeholder"),
        path(IDEA + "canvas/", views.idea_canvas, name="idea_canvas"),
        path(
            IDEA + "reports/<int:report_id>/",
            views.report_dismiss,
            name="report_dismiss",
        ),
    ),
]
