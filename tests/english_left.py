"""Finds English left on a page shown in another language, checked against the catalogue: any
phrase of an English message (two words or more, between its placeholders and tags) whose
translation says something else, found in the page's text. Text marked as being in
another language (`lang`: the language switcher, a mission written in English) is left out."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
SPLIT = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|%\{[a-z]+\}|\{[a-z_]+\}|<[^>]+>|[“”\"«»:;()]"
)

# The page's text, read or heard (hidden parts, screen-reader text, labels in attributes),
# without what is marked as written in another language.
TEXT_IN_PAGE_LANGUAGE = """() => {
  const page = document.documentElement.lang;
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang], script, style, template').forEach(el => {
    if (el.getAttribute('lang') !== page) el.remove();
  });
  const said = [];
  body.querySelectorAll('[aria-label], [title], [placeholder], [alt]').forEach(el => {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.getAttribute(name)) said.push(el.getAttribute(name));
    }
  });
  return body.textContent + ' ' + said.join(' ');
}"""


@functools.cache
def english_phrases(code: str) -> tuple[str, ...]:
    path = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=code)
    phrases = set()
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        translated = " ".join(strings)
        for english in ids:
            for piece in SPLIT.split(english):
                phrase = " ".join(piece.split()).strip(" .,!?—–-·")
                if len(phrase.split()) >= 2 and len(phrase) >= 8 and phrase not in translated:
                    phrases.add(phrase)
    return tuple(sorted(phrases, key=len, reverse=True))


def english_in(text: str, code: str) -> list[str]:
    """The English phrases (of messages translated otherwise into `code`) found in `text`."""
    text = " ".join(text.split())
    return [
        phrase
        for phrase in english_phrases(code)
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    ]


def english_on(page: Page, code: str) -> list[str]:
    """The English phrases the page shows outside the text marked as another language's."""
    return english_in(page.evaluate(TEXT_IN_PAGE_LANGUAGE), code)
