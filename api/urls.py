from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path

from accounts.routes import ORG
from api import views
from api.api import api

app_name = "api"


def _open_to_tokens(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API answers 401 itself; Django's sign-in redirect is for pages."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open_to_tokens(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(pattern.callback)
    return patterns


api_patterns, _app, _namespace = api.urls
_open_to_tokens(api_patterns)

urlpatterns = [
    path("api/v1/docs/", views.docs, name="docs"),
    path(ORG + "api-tokens/", views.tokens, name="tokens"),
    path(ORG + "api-tokens/<int:api_token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path(ORG + "webhooks/", views.webhook_list, name="webhooks"),
    path(ORG + "webhooks/<int:endpoint_id>/", views.webhook_detail, name="webhook"),
    path(
        ORG + "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/send-again/",
        views.webhook_resend,
        name="webhook_resend",
    ),
]
