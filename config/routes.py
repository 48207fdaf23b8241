"""Writing a shared prefix once for a group of routes, in the apps' URL modules."""

from django.urls import URLPattern, path
from django.urls.resolvers import RoutePattern


def under(prefix: str, *patterns: URLPattern) -> list[URLPattern]:
    """The path() `patterns` with `prefix` in front of each route, as if each had been written
    out in full.

    Unlike include(), this keeps each app's URL list flat: every pattern holds its whole route
    and all its parameters, which is what the permission matrix reads (tests/urls_scoped.py),
    and resolve() and reverse() work exactly as they did when every route was spelt out.
    """
    prefixed = []
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            raise TypeError(f"under() takes path() routes, not {pattern.pattern!r}")
        route = prefix + str(pattern.pattern)
        prefixed.append(path(route, pattern.callback, pattern.default_args, pattern.name))
    return prefixed
