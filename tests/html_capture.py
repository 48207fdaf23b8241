"""Keeps a copy of every whole HTML page the live server sends to the browser tests, so that
`scripts/check-html` can run the Nu HTML Checker over the pages people actually meet.

Test settings only (config/settings_test.py). Requests from Django's test client (host
"testserver") are left alone: only what a real browser was shown is kept. Fragments that htmx
swaps in are not whole documents and are not kept; axe checks them in the browser.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

# At most this many different pages per URL name: enough to see each state of a page.
PER_ROUTE = 4
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": ")[^"&]+')


def pages_folder() -> Path:
    return Path(settings.BASE_DIR) / ".data" / "html-pages"


class CaptureHtmlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.get_host().startswith("testserver")
            or request.headers.get("HX-Request")
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        body = response.content
        if not body.lstrip()[:15].lower().startswith(b"<!doctype html"):
            return response
        try:
            route = resolve(request.path_info).view_name.replace(":", "-")
        except Resolver404:
            route = "not-found"
        folder = pages_folder()
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(_TOKEN.sub(rb"\1", body), usedforsecurity=False).hexdigest()[:12]
        if len(list(folder.glob(f"{route}--*.html"))) < PER_ROUTE:
            # The address goes in the file name's companion, for the checker's report.
            (folder / f"{route}--{digest}.html").write_bytes(body)
            (folder / f"{route}--{digest}.url").write_text(request.get_full_path())
        return response
