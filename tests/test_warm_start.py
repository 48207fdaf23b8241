"""A web process is warmed before its first request (config/warm.py): the pages' templates are
compiled and the views imported then, so the first people after a start or a worker's recycling
do not wait for it, and the warming leaves no database connection behind for a preloading
gunicorn master to hand its forked workers."""

from django.db import connection
from django.template import engines

from config.warm import warm_up


def _compiled_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]  # the cached loader
    return {
        template.origin.template_name
        for template in loader.get_template_cache.values()
        if hasattr(template, "origin")  # not a remembered TemplateDoesNotExist
    }


def test_warming_compiles_the_pages_templates_before_any_request():
    engines["django"].engine.template_loaders[0].reset()
    assert "canvas/canvas.html" not in _compiled_names()
    assert warm_up() > 100
    names = _compiled_names()
    for page in ("canvas/canvas.html", "base.html", "missions/overview.html"):
        assert page in names
    assert connection.connection is None
