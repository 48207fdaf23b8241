"""What an exchange reports: a problem at a path, a refused document, and what an import did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class ExchangeError:
    """One problem in a document: where (a JSON path such as `missions[0].title`) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportRejected(Exception):
    """The document was refused; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[ExchangeError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


# Each kind of record an import counts, in words that agree with the number ("1 target").
_COUNTED: dict[str, Callable[[int], str]] = {
    "actors": lambda n: ngettext("%(n)s actor", "%(n)s actors", n),
    "canvas boxes": lambda n: ngettext("%(n)s canvas box", "%(n)s canvas boxes", n),
    "challenges": lambda n: ngettext("%(n)s challenge", "%(n)s challenges", n),
    "contributions": lambda n: ngettext("%(n)s contribution", "%(n)s contributions", n),
    "engagement activities": lambda n: ngettext(
        "%(n)s engagement activity", "%(n)s engagement activities", n
    ),
    "indicator versions": lambda n: ngettext(
        "%(n)s indicator version", "%(n)s indicator versions", n
    ),
    "indicators": lambda n: ngettext("%(n)s indicator", "%(n)s indicators", n),
    "measurements": lambda n: ngettext("%(n)s measurement", "%(n)s measurements", n),
    "milestones": lambda n: ngettext("%(n)s milestone", "%(n)s milestones", n),
    "missions": lambda n: ngettext("%(n)s mission", "%(n)s missions", n),
    "projects": lambda n: ngettext("%(n)s project", "%(n)s projects", n),
    "reviews": lambda n: ngettext("%(n)s review", "%(n)s reviews", n),
    "stakeholders": lambda n: ngettext("%(n)s stakeholder", "%(n)s stakeholders", n),
    "targets": lambda n: ngettext("%(n)s target", "%(n)s targets", n),
    "theory of change links": lambda n: ngettext(
        "%(n)s theory of change link", "%(n)s theory of change links", n
    ),
    "theory of change steps": lambda n: ngettext(
        "%(n)s theory of change step", "%(n)s theory of change steps", n
    ),
}


def counted(kind: str, n: int) -> str:
    """ "1 target", "3 targets": a count of records of one kind, in words."""
    words = _COUNTED.get(kind)
    return words(n) % {"n": n} if words else f"{n} {kind}"


@dataclass
class ImportSummary:
    """What an import did, for the command's output and the page's message."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    warnings: list[ExchangeError] = field(default_factory=list)
    # The tables the import wrote in bulk, for `bulk.analyze` once it has committed.
    tables: set[str] = field(default_factory=set)

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + n

    def __str__(self) -> str:
        def part(counts: dict[str, int]) -> str:
            return ", ".join(counted(kind, n) for kind, n in sorted(counts.items())) or _("nothing")

        return _("Imported: created %(created)s; updated %(updated)s; removed %(deleted)s.") % {
            "created": part(self.created),
            "updated": part(self.updated),
            "deleted": part(self.deleted),
        }
