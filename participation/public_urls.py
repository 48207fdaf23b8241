"""The public pages, under /public/: no sign-in needed (each view is `login_not_required`)."""

from django.urls import path

from participation import public_views as views

app_name = "public"

PUBLIC_MISSION = "missions/<slug:org_slug>/<slug:mission_key>/"
CONSULTATION = PUBLIC_MISSION + "<slug:key>/"
IDEA = CONSULTATION + "ideas/<int:number>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("privacy/", views.privacy, name="privacy"),
    path("take-part/", views.take_part, name="take_part"),
    path("take-part/sent/", views.link_sent, name="link_sent"),
    path("take-part/link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("you/", views.you, name="you"),
    path("you/data/", views.your_data, name="your_data"),
    path("you/delete/", views.forget_me, name="forget_me"),
    path("you/sign-out/", views.sign_out, name="sign_out"),
    path(PUBLIC_MISSION, views.mission, name="mission"),
    path(CONSULTATION, views.consultation, name="consultation"),
    path(CONSULTATION + "ideas/new/", views.idea_new, name="idea_new"),
    path(IDEA, views.idea, name="idea"),
    path(IDEA + "support/", views.idea_support, name="idea_support"),
    path(IDEA + "comment/", views.comment, name="comment"),
    path(IDEA + "report/", views.report, name="report"),
]
