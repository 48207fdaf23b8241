"""The app's URLs plus /bench-floor/, a constant page that only asks who is signed in.

bench/middleware_worker.py times it through the whole middleware stack and through Django's
default one: the difference is what Lodestar's own middleware costs every request.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    # Every real page asks who is signed in, so both stacks pay for the session and the user.
    return HttpResponse("signed in" if request.user.is_authenticated else "signed out")


urlpatterns = [path("bench-floor/", floor), *app_urlpatterns]
