"""The full-text search document of each mission: title (weight A), statement and challenge
(B), canvas text (C), in the 'simple' configuration so Dutch, Swedish and Spanish missions are
found by their own words."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.expressions import CombinedExpression

from canvas.models import CanvasBox
from missions.models import Mission
from portfolios.models import MissionSearch


def _document() -> CombinedExpression:
    canvas_text = Subquery(
        CanvasBox.objects.filter(mission_id=OuterRef("pk"))
        .order_by()
        .values("mission_id")
        .annotate(text=StringAgg("text", Value(" ")))
        .values("text"),
        output_field=TextField(),
    )
    return (
        SearchVector("title", config="simple", weight="A")
        + SearchVector("statement", config="simple", weight="B")
        + SearchVector("challenge__title", config="simple", weight="B")
        + SearchVector(canvas_text, config="simple", weight="C")
    )


def refresh(
    *, mission_ids: Iterable[int] | None = None, organisation_id: int | None = None
) -> None:
    """(Re)build the search documents of these missions, or of a whole organisation: two
    queries (the documents are computed in the database, read, and written back)."""
    if mission_ids is not None:
        ids = list(mission_ids)
        if not ids:
            return
        missions = Mission.objects.filter(pk__in=ids)
    elif organisation_id is not None:
        missions = Mission.objects.filter(organisation_id=organisation_id)
    else:
        return
    documents = missions.order_by().annotate(document=_document()).values_list("pk", "document")
    MissionSearch.objects.bulk_create(
        [MissionSearch(mission_id=pk, document=document) for pk, document in documents],
        update_conflicts=True,
        unique_fields=["mission"],
        update_fields=["document"],
    )
