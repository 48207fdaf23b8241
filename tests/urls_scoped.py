"""Find every URL of the app, for the permission matrix (tests/test_role_matrix.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = namespace + pattern.name if pattern.name else None
            yield name, prefix + str(pattern.pattern), pattern


def app_urls(excluded_prefixes=()) -> list[tuple[str | None, str, list[str]]]:
    """(URL name or None, route, parameter names) for every route, except those under an
    excluded prefix (the Django admin site)."""
    found = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(tuple(excluded_prefixes)):
            continue
        found.append((name, route, list(pattern.pattern.converters)))
    return sorted(found, key=lambda row: (row[0] or "", row[1]))


def organisation_scoped_urls() -> list[tuple[str, list[str]]]:
    """(URL name, its parameter names) for every route with an <org_slug> parameter."""
    return [
        (name, params)
        for name, _route, params in app_urls(excluded_prefixes=("admin/",))
        if name and "org_slug" in params
    ]
