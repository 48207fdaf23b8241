"""The full-text search document of each mission: title (weight A), statement and challenge
(B), canvas text (C), in the 'simple' configuration so Dutch, Swedish and Spanish missions are
found by their own words. The canvas app's table is read if it exists, so this works before
(and without) the canvas app."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

_CANVAS = """
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(box.text, ' ') FROM canvas_canvasbox box WHERE box.mission_id = m.id
    ), '')), 'C')"""

_SQL = """
INSERT INTO portfolios_missionsearch (mission_id, document)
SELECT m.id,
       setweight(to_tsvector('simple', coalesce(m.title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(m.statement, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(c.title, '')), 'B'){canvas}
FROM missions_mission m JOIN missions_grandchallenge c ON c.id = m.challenge_id
WHERE {where}
ON CONFLICT (mission_id) DO UPDATE SET document = EXCLUDED.document
"""


def _has_canvas(cursor) -> bool:
    cursor.execute("SELECT to_regclass('canvas_canvasbox') IS NOT NULL")
    return bool(cursor.fetchone()[0])


def refresh(
    *, mission_ids: Iterable[int] | None = None, organisation_id: int | None = None
) -> None:
    """(Re)build the search documents of these missions, or of a whole organisation."""
    with connection.cursor() as cursor:
        canvas = _CANVAS if _has_canvas(cursor) else ""
        if mission_ids is not None:
            ids = list(mission_ids)
            if not ids:
                return
            cursor.execute(_SQL.format(canvas=canvas, where="m.id = ANY(%s)"), [ids])
        else:
            cursor.execute(
                _SQL.format(canvas=canvas, where="m.organisation_id = %s"), [organisation_id]
            )
