"""Listeners for "a mission changed", so higher apps react without missions importing them.

The criteria engine (evaluation/) registers a listener in its AppConfig.ready() that queues an
assessment. Listeners run after the transaction commits, with the mission's id only (or,
where the caller asks, once the request's response has been sent).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

MissionListener = Callable[[int], None]
MissionsListener = Callable[[list[int]], None]
_listeners: list[MissionListener] = []
_many: dict[MissionListener, MissionsListener] = {}  # a listener's form for many missions
_records_only: set[MissionListener] = set()  # not told when only a canvas box's text changed


def on_mission_changed(
    listener: MissionListener,
    *,
    many: MissionsListener | None = None,
    records_only: bool = False,
) -> MissionListener:
    """Register `listener(mission_id)`; usable as a decorator. Registering twice is harmless.
    `many(mission_ids)`, if given, does the same for many missions at once (a bulk import).
    `records_only`: the listener summarises the mission's records, not the canvas's free text,
    and is not told of a box's autosave (dozens a minute while someone types)."""
    if listener not in _listeners:
        _listeners.append(listener)
    if many is not None:
        _many[listener] = many
    if records_only:
        _records_only.add(listener)
    return listener


def mission_changed(mission_id: int, *, after_response: bool = False, records: bool = True) -> None:
    """Tell every listener, once the current transaction has committed, that a mission changed.
    Services call this for every write to anything a mission's assessment reads.

    `after_response`: in a request, the listeners wait until its response has been sent (an
    autosave, which answers a person typing, and whose answer shows nothing they change).
    `records=False`: only a canvas box's own text changed, none of the mission's records."""

    def notify() -> None:
        for listener in list(_listeners):
            if records or listener not in _records_only:
                listener(mission_id)

    if after_response:
        transaction.on_commit(lambda: after_this_response(notify))
    else:
        transaction.on_commit(notify)


# --- Work that waits for the response ---------------------------------------------------------
# The WSGI server closes a response once it has sent it, and Django then sends
# `request_finished`: work kept until then costs the person who asked nothing. Outside a
# request (a task, a command) there is nothing to wait for, and it runs at once.

_after_response: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "lodestar_after_response", default=None
)


def after_this_response(work: Callable[[], None]) -> None:
    waiting = _after_response.get()
    if waiting is None:
        work()
    else:
        waiting.append(work)


def _request_started(**_kwargs: Any) -> None:
    _after_response.set([])


def _request_finished(**_kwargs: Any) -> None:
    waiting = _after_response.get()
    _after_response.set(None)
    for work in waiting or ():
        try:
            work()
        except Exception:
            # The response is gone: nobody else will hear of it.
            logger.exception("work after a response failed")


request_started.connect(_request_started, dispatch_uid="lodestar_after_response_start")
request_finished.connect(_request_finished, dispatch_uid="lodestar_after_response_finish")


def missions_changed(mission_ids: list[int]) -> None:
    """`mission_changed` for many missions, told once after commit: a listener with a `many`
    form hears of them all in one call, others once per mission."""
    ids = sorted(set(mission_ids))
    if not ids:
        return

    def notify() -> None:
        for listener in list(_listeners):
            many = _many.get(listener)
            if many is not None:
                many(ids)
            else:
                for mission_id in ids:
                    listener(mission_id)

    transaction.on_commit(notify)


# --- Before a draft mission is deleted ------------------------------------------------------
# A higher app whose rows would stop the database's cascade (indicator values protect the
# versions and values they refer to) clears them first, inside the deletion's transaction.

_before_delete: list[Callable[[Any], None]] = []


def register_before_mission_delete(prepare: Callable[[Any], None]) -> None:
    if prepare not in _before_delete:
        _before_delete.append(prepare)


def before_mission_delete(mission: Any) -> None:
    for prepare in list(_before_delete):
        prepare(mission)


# --- Panels in the mission header and on each target ----------------------------------------
# Higher apps show a compact summary at the top of every mission page (the criteria engine shows
# the five criteria), and something on every target card of the targets page (the evaluation
# app shows the target's indicator as a sparkline with its latest values), without missions
# importing them: they register a template and a function that builds its context from the
# mission or the target.

Panel = tuple[str, Callable[[Any], dict[str, Any]]]
HeaderPanel = TargetPanel = Panel


class _Panels:
    """The panels registered for one place, in the order they were; a template registered
    again is not added twice."""

    def __init__(self) -> None:
        self._panels: list[Panel] = []

    def register(self, template_name: str, context: Callable[[Any], dict[str, Any]]) -> None:
        if all(existing != template_name for existing, _context in self._panels):
            self._panels.append((template_name, context))

    def all(self) -> list[Panel]:
        return list(self._panels)


_header_panels = _Panels()
_target_panels = _Panels()
register_header_panel = _header_panels.register
header_panels = _header_panels.all
register_target_panel = _target_panels.register
target_panels = _target_panels.all


# --- Facts in canvas boxes -----------------------------------------------------------------
# What a box says from records another app owns (canvas.facts): that app registers a builder
# that reads the mission's exchange export and returns plain sentences.

_box_facts: dict[str, Callable[[Any, dict[str, Any]], list[str]]] = {}


def register_box_facts(box_key: str, build: Callable[[Any, dict[str, Any]], list[str]]) -> None:
    _box_facts[box_key] = build


def box_facts(box_key: str) -> Callable[[Any, dict[str, Any]], list[str]] | None:
    return _box_facts.get(box_key)


# --- Sections of a mission --------------------------------------------------------------------
# The mission pages' sub-navigation, built from what each app registers (missions would otherwise
# name higher apps' URLs). A page marks its own item by passing `section` = the item's `name`.


@dataclass(frozen=True)
class MissionSection:
    name: str  # the `section` a page's context carries when it is this item
    label: Promise
    url_name: str  # reversed with (organisation slug, mission key)
    order: int  # position in the navigation, smallest first
    permission: str = ""  # shown only to people with this permission on the mission


_sections: dict[str, MissionSection] = {}


def register_section(section: MissionSection) -> None:
    _sections[section.name] = section


def sections() -> list[MissionSection]:
    return sorted(_sections.values(), key=lambda section: section.order)
