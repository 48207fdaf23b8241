"""The translation catalogues stay complete and faithful: every language Lodestar offers has a
catalogue in which every entry is translated and none is fuzzy (GNU msgfmt's own count), each
translation keeps its English placeholders and HTML tags (a dropped `%(name)s` would show a
wrong number or fail the page), and no template shows words outside the translation tags."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from tests.template_text import templates_with_untranslated_text

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [code for code, _name in settings.LANGUAGES if not code.startswith("en")]
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0+]*\d*(?:\.\d+)?[sdif]|\{[a-z_]+\}"
)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue(code: str) -> Path:
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("code", TRANSLATED)
def test_msgfmt_finds_every_entry_translated_and_none_fuzzy(code):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is missing (scripts/system-packages installs it)"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(catalogue(code))],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    # "3785 translated messages." and nothing else: no fuzzy, no untranslated ones.
    assert re.fullmatch(r"\d+ translated messages?\.\s*", result.stderr), result.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_translation_keeps_the_placeholders_and_tags_of_its_english(code):
    with catalogue(code).open("rb") as f:
        entries = [m for m in read_po(f, locale=code) if m.id]
    wrong = []
    for message in entries:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        allowed = {p for text in ids for p in PLACEHOLDER.findall(text)}
        for n, text in enumerate(strings):
            if not text:
                continue  # untranslated: the msgfmt test above counts those
            source = ids[0] if n == 0 or len(ids) == 1 else ids[-1]
            placeholders = PLACEHOLDER.findall(text)
            if (
                (len(ids) == 1 and sorted(placeholders) != sorted(PLACEHOLDER.findall(source)))
                or not set(placeholders) <= allowed
                or sorted(TAG.findall(text)) != sorted(TAG.findall(source))
            ):
                wrong.append((ids[0], text))
    assert wrong == []


def test_every_offered_language_has_its_catalogue():
    assert TRANSLATED == ["es", "nl", "sv", "fr", "de"]
    for code in TRANSLATED:
        assert catalogue(code).is_file(), code


def test_no_template_shows_words_outside_the_translation_tags():
    assert templates_with_untranslated_text(ROOT) == {}


def test_the_template_check_finds_words_left_untranslated():
    from tests.template_text import untranslated_text

    source = (
        '{% load i18n %}<p>{% translate "Saved" %}</p><button title="Close it">x</button>'
        "<p>Nothing recorded yet.</p>{% blocktranslate %}Kept{% endblocktranslate %}"
        "<code>Authorization: Bearer</code>"
    )
    assert list(untranslated_text(source)) == ["Close it", "Nothing recorded yet."]


def test_the_english_check_of_the_browser_journeys_finds_english_left_on_a_page():
    from tests.english_left import english_in

    dutch = "Start de conceptversie. Voeg een doel toe."
    assert english_in(dutch, "nl") == []
    assert "Start the draft" in english_in(dutch + " Start the draft", "nl")
    # A phrase between placeholders counts too ("Signed in as %(name)s").
    assert "Signed in as" in english_in("Signed in as Sam Servant", "nl")
