"""Reads for API tokens and the API's own description."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Organisation, User
from api.models import ApiToken, WebhookDelivery, WebhookEndpoint


def tokens_of(*, user: User, organisation: Organisation) -> QuerySet[ApiToken]:
    """The organisation's tokens, newest first, for one of its administrators."""
    return (
        ApiToken.objects.filter(organisation=organisation, organisation__memberships__user=user)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def token_for(*, user: User, organisation: Organisation, token_id: int) -> ApiToken:
    return get_object_or_404(
        ApiToken.objects.filter(organisation=organisation).select_related("organisation"),
        pk=token_id,
    )


def inline_code(text: str) -> SafeString:
    """The description's `names` as code, everything else escaped."""
    return mark_safe(  # noqa: S308 - every part is escaped first
        re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text)))
    )


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The description's operations grouped by tag, in its order, for the docs page."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for address, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or ["API"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": "/api/v1" + address if not address.startswith("/api/") else address,
                    "summary": operation.get("summary", ""),
                    "description": inline_code(operation.get("description", "")),
                    "parameters": [
                        {
                            "name": p.get("name"),
                            "where": p.get("in"),
                            "required": p.get("required", False),
                            "description": inline_code(
                                p.get("description", "")
                                or p.get("schema", {}).get("description", "")
                            ),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "responses": [
                        {"status": status, "meaning": answer.get("description", "")}
                        for status, answer in sorted(operation.get("responses", {}).items())
                    ],
                    "id": operation.get("operationId", ""),
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


def webhooks_of(*, organisation: Organisation) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation=organisation).order_by("created_at", "pk")


def webhook_for(*, organisation: Organisation, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.filter(organisation=organisation).select_related("organisation"),
        pk=endpoint_id,
    )


def deliveries_of(endpoint: WebhookEndpoint, *, limit: int = 50) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")[:limit]
    )


def delivery_for(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(
        WebhookDelivery.objects.filter(endpoint=endpoint).select_related("endpoint__organisation"),
        pk=delivery_id,
    )
