"""Warming a web process before it serves anyone.

A new process's first requests each pay for what every later one finds ready: importing every
view module when the URLs are first resolved (the API's schemas are built then), compiling
each page's templates, and reading the translation catalogues. Measured on the canvas page,
the first request took 815 ms against 50 ms for the next ones. Under load that lands on the
first visitors after a start, and again after every worker gunicorn recycles (--max-requests),
so config.wsgi does it here, once, before the process takes a request. With gunicorn's
--preload (the Dockerfile's) it happens once in the master and every worker is forked warm.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def warm_up() -> int:
    """Import the views, compile our templates, read the static files' manifest and every
    language's catalogue. Returns how
    many templates were compiled. Touches neither the database nor the broker, and closes any
    connection an import opened, so a preloading master hands its workers none to share."""
    get_resolver().url_patterns  # noqa: B018 - reading it imports every URLconf and view
    compiled = sum(_compile_templates(engine) for engine in engines.all())
    staticfiles_storage.url("css/lodestar.css")  # reads the manifest of hashed file names
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Lodestar")
    connections.close_all()
    return compiled


def _compile_templates(engine: object) -> int:
    """Every template of ours the engine can find, through its cached loader, so the pages find
    them compiled. Third-party templates (outside the project) are left to their first use."""
    django_engine = getattr(engine, "engine", None)
    if django_engine is None:
        return 0
    base = Path(settings.BASE_DIR).resolve()
    count = 0
    for directory in _template_dirs(django_engine):
        root = Path(directory).resolve()
        if not root.is_dir() or not root.is_relative_to(base) or ".venv" in root.parts:
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            try:
                django_engine.get_template(name)
            except TemplateSyntaxError:
                # Not ours to stop the start for: the page using it reports it as before.
                logger.warning("template could not be compiled ahead", extra={"name": name})
                continue
            count += 1
    return count


def _template_dirs(django_engine: object) -> list[str]:
    dirs: list[str] = []
    for loader in getattr(django_engine, "template_loaders", []):
        for inner in getattr(loader, "loaders", [loader]):
            get_dirs = getattr(inner, "get_dirs", None)
            if get_dirs is not None:
                dirs.extend(str(d) for d in get_dirs())
    return dirs
