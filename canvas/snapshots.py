"""The canvas in snapshot comparisons: each box's text, diffed word by word, in canvas order
(the mission statement at its place as box 2)."""

from __future__ import annotations

from typing import Any

from canvas.boxes import BOXES
from missions import snapshots


def canvas_texts(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    boxes = (document.get("canvas") or {}).get("boxes") or {}
    texts = []
    for box in BOXES:
        label = f"{box.number}. {box.title}"
        if box.is_statement:
            texts.append(("statement", label, document.get("statement") or ""))
        else:
            item = boxes.get(str(box.key)) or {}
            texts.append((str(box.key), label, item.get("text") or ""))
    return texts


def register() -> None:
    snapshots.register_texts("canvas", canvas_texts)
