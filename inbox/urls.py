from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:notification_id>/", views.open_notification, name="open"),
]
