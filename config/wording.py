"""Words put inside another sentence ("Before you can propose for approval:"): lower case in the
languages that write a label's nouns in lower case mid-sentence, as written in German, which
capitalises every noun ("Bevor Sie „Zur Genehmigung vorschlagen“ können")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

CAPITALISED_NOUNS = ("de",)


def in_sentence(text: Any) -> str:
    words = str(text)
    if (get_language() or "").startswith(CAPITALISED_NOUNS):
        return words
    return words.lower()
