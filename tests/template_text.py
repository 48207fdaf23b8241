"""Finds words in templates that a person would see but that are outside the translation tags:
text between HTML tags and the attributes people read (alt, title, placeholder, aria-label) in
the template source, with Django's own tags and variables taken out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

READ_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "summary",
    "label",
    "content",
}
WORD = re.compile(r"[^\W\d_]{2,}")
# Entities and the like that are not words in any language.
NOT_WORDS = re.compile(r"&[a-zA-Z]+;|&#\d+;|https?://\S+|\bLodestar\b")
ATTRIBUTES = re.compile(r"""[\w.:-]+="[^"]*"|[\w.:-]+='[^']*'""")
# What people copy as it is (code, headers, addresses) is the same in every language.
CODE = {"code", "pre", "kbd", "samp"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"} | CODE:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and not (tag == "meta" and name == "content"):
                self._check(value)
            if (
                tag == "input"
                and name == "value"
                and dict(attrs).get("type") in {"submit", "button"}
            ):
                self._check(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} | CODE and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            # A partial that writes attributes into its includer's tag (name="{% translate %}").
            self._check(ATTRIBUTES.sub(" ", data))

    def _check(self, text: str) -> None:
        text = NOT_WORDS.sub(" ", text)
        if WORD.search(text):
            self.found.append(" ".join(text.split()))


def untranslated_text(source: str) -> Iterator[str]:
    """The visible words of one template outside {% translate %} and {% blocktranslate %}."""
    plain: list[str] = []
    depth = {"blocktranslate": 0, "comment": 0, "verbatim": 0, "class": 0}
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            for opener in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                key = "blocktranslate" if opener == "blocktrans" else opener
                if name == opener:
                    depth[key] += 1
                elif name == "end" + opener:
                    depth[key] -= 1
            # A block that fills in a class attribute holds names for CSS, not words.
            if name == "block" and token.contents.split()[1] in {"body_class", "workspace"}:
                depth["class"] += 1
            elif name == "endblock" and depth["class"]:
                depth["class"] -= 1
            plain.append(" ")  # a tag stands for text decided elsewhere
        elif token.token_type == TokenType.VAR:
            plain.append(" x ")
        elif token.token_type == TokenType.TEXT and not any(depth.values()):
            plain.append(token.contents)
        else:
            plain.append(" ")
    parser = _Text()
    parser.feed("".join(plain))
    parser.close()
    yield from parser.found


def templates_with_untranslated_text(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(root.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        words = list(untranslated_text(path.read_text()))
        if words:
            found[str(path.relative_to(root))] = words
    return found
