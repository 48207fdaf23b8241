"""Find every URL of the app that is scoped to an organisation, for the role-matrix tests."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, prefix + str(pattern.pattern), pattern


def organisation_scoped_urls() -> list[tuple[str, list[str]]]:
    """(URL name, its parameter names) for every route with an <org_slug> parameter."""
    found = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        params = list(pattern.pattern.converters)
        if "org_slug" in params:
            found.append((name, params))
    return sorted(found)
