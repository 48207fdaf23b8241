"""Demo data loaders. `seed_demo` creates the demo organisations and users, then calls every
registered loader, so apps higher up (missions, stakeholders, ...) add their demo data without
accounts importing them. Loaders must be idempotent."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import Organisation

DemoLoader = Callable[[dict[str, Organisation]], str]
_loaders: list[tuple[int, DemoLoader]] = []


def register(loader: DemoLoader, *, order: int = 100) -> DemoLoader:
    """Register `loader(organisations_by_slug) -> one-line summary`, called by seed_demo."""
    if all(existing is not loader for _order, existing in _loaders):
        _loaders.append((order, loader))
    return loader


def loaders() -> list[DemoLoader]:
    return [loader for _order, loader in sorted(_loaders, key=lambda item: item[0])]
