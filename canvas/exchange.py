"""The canvas as a section of the exchange format (and so of snapshots and the assessment
input). Shape, relied on by the PDF documents:

    "canvas": {"boxes": {"<box_key>": {"text": "...", "version": 3,
                                       "updated_at": "ISO-8601" | null,
                                       "updated_by": "email" | null}}}

All eleven boxes other than the mission statement are present, in canvas order; a box nobody
has written in has `"text": ""`, `"version": 0` and nulls. The statement is the mission's own
`statement` field. A box whose text is still the worked example it was filled with also has
`"example": true`. On import only `text` and `example` are loaded
(versions, dates and authors describe the exporting system); boxes the document leaves out are
left as they are.

Comments on boxes (`CanvasComment`) are deliberately not part of this section, nor of snapshots:
they are the team's working discussion, not the canvas, and adding them would change the agreed
shape of `boxes`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from canvas.boxes import BOXES, ROW_KEYS, STATEMENT, TEXT_LIMIT
from canvas.models import CanvasBox, CanvasBoxRevision
from missions import exchange
from missions.exchange import ExchangeError, SectionContext
from missions.models import Mission

BOX_FIELDS = {"text", "example", "version", "updated_at", "updated_by"}


def export_canvas(mission: Mission) -> dict[str, Any]:
    rows = {
        row.box_key: row
        for row in CanvasBox.objects.filter(mission=mission).select_related("updated_by")
    }
    boxes: dict[str, Any] = {}
    for box in BOXES:
        if box.is_statement:
            continue
        row = rows.get(box.key)
        boxes[str(box.key)] = {
            "text": row.text if row else "",
            "version": row.version if row else 0,
            "updated_at": row.updated_at.isoformat() if row and row.updated_at else None,
            "updated_by": row.updated_by.email if row and row.updated_by else None,
        }
        if row and row.is_example:
            boxes[str(box.key)]["example"] = True
    return {"boxes": boxes}


def validate_canvas(data: Any, path: str, context: SectionContext) -> list[ExchangeError]:
    errors: list[ExchangeError] = []
    if not isinstance(data, dict):
        return [exchange.type_error(path, _("an object"), data)]
    for name in sorted(set(data) - {"boxes"}):
        errors.append(ExchangeError(f"{path}.{name}", _("is not part of the canvas section.")))
    boxes = data.get("boxes", {})
    if not isinstance(boxes, dict):
        return [*errors, exchange.type_error(f"{path}.boxes", _("an object"), boxes)]
    for key, item in boxes.items():
        box_path = f"{path}.boxes.{key}"
        if key == STATEMENT:
            errors.append(
                ExchangeError(
                    box_path,
                    _("the mission statement is the mission's “statement” field; put it there."),
                )
            )
            continue
        if key not in ROW_KEYS:
            errors.append(
                ExchangeError(
                    box_path,
                    _("is not a canvas box; the boxes are: %(keys)s.")
                    % {"keys": ", ".join(ROW_KEYS)},
                )
            )
            continue
        if not isinstance(item, dict):
            errors.append(exchange.type_error(box_path, _("an object"), item))
            continue
        for name in sorted(set(item) - BOX_FIELDS):
            errors.append(ExchangeError(f"{box_path}.{name}", _("is not a field of a canvas box.")))
        if "text" not in item:
            errors.append(ExchangeError(f"{box_path}.text", _("is required (it may be empty).")))
        exchange.read_object(
            item,
            box_path,
            [
                exchange.FieldSpec("text", "str", max_length=TEXT_LIMIT, default=""),
                exchange.FieldSpec("example", "bool"),
                exchange.FieldSpec("version", "int"),
                exchange.FieldSpec("updated_at", "datetime"),
                exchange.FieldSpec("updated_by", "str"),
            ],
            errors,
        )
    return errors


def load_canvas(mission: Mission, data: dict[str, Any], context: SectionContext) -> None:
    rows = {row.box_key: row for row in CanvasBox.objects.filter(mission=mission)}
    for key, item in (data.get("boxes") or {}).items():
        text = (item.get("text") or "").replace("\r\n", "\n")
        example = bool(item.get("example")) and bool(text)
        row = rows.get(key) or CanvasBox(mission=mission, box_key=key)
        if row.pk and row.text == text and row.is_example == example:
            continue
        if not row.pk and not text:
            continue
        row.text = text
        row.is_example = example
        row.version += 1
        row.updated_at = timezone.now()
        row.updated_by = context.user
        row.save()
        CanvasBoxRevision.objects.create(
            mission=mission, box_key=key, version=row.version, text=text, user=context.user
        )
        context.summary.count("updated", "canvas boxes")


def register() -> None:
    exchange.register_section(
        exchange.Section("canvas", export_canvas, validate_canvas, load_canvas), order=200
    )
