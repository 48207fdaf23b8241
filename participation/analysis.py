"""Helping staff read hundreds of ideas: near-duplicates grouped for merging, and the ideas as a
spreadsheet.

Similarity is PostgreSQL's trigram measure (pg_trgm's `similarity`: the share of three-letter
sequences two texts have in common, words padded as pg_trgm pads them), computed here in Python:
the embedded PostgreSQL that `make run` and CI fall back on has no pg_trgm, and a consultation's
ideas (hundreds) compare in well under a second.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from config.inputs import spreadsheet_cell
from participation.models import Answer, Idea

# Two ideas this similar (title and text together) are offered as one group to merge. pg_trgm's
# own default for its % operator is 0.3; ideas are short and worded differently, so a little lower.
SIMILAR_FROM = 0.25
WORD = re.compile(r"[^\W_]+")


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word in lower case, padded with two spaces in front and one
    behind, cut into every three-character sequence."""
    found: set[str] = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def near_duplicates(ideas: Iterable[Idea], threshold: float = SIMILAR_FROM) -> list[list[Idea]]:
    """Groups of two or more ideas that say much the same, among those shown and not yet merged
    (a group holds every idea linked to another by a similar pair), in the order sent in."""
    candidates = [idea for idea in ideas if not idea.is_hidden and idea.answer != Answer.MERGED]
    grams = [trigrams(f"{idea.title} {idea.body}") for idea in candidates]
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if similarity(grams[i], grams[j]) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[Idea]] = {}
    for i, idea in enumerate(candidates):
        groups.setdefault(root(i), []).append(idea)
    return [sorted(g, key=lambda idea: idea.number) for g in groups.values() if len(g) > 1]


def ideas_csv(ideas: Iterable[Idea]) -> str:
    """The consultation's ideas as a spreadsheet, for reading and tagging offline. Nothing
    personal: the organisation an idea was sent in for, not who sent it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Number"),
            _("Title"),
            _("Idea"),
            _("Place"),
            _("Theme"),
            _("On behalf of"),
            _("Sent in"),
            _("Supporters"),
            _("Comments"),
            _("Hidden because"),
            _("What came of it"),
            _("Response"),
            _("Merged with"),
            _("Became the project"),
        ]
    )
    for idea in ideas:
        row = [
            idea.number,
            idea.title,
            idea.body,
            idea.place,
            idea.theme,
            idea.on_behalf_of,
            idea.created_at.date().isoformat(),
            getattr(idea, "support_count", None),
            getattr(idea, "comment_count", None),
            idea.hidden_reason,
            idea.get_answer_display(),
            idea.response,
            idea.merged_into.number if idea.merged_into else None,
            idea.project.title if idea.project else None,
        ]
        writer.writerow([spreadsheet_cell(value) for value in row])
    return out.getvalue()
