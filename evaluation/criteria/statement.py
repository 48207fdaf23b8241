"""Plain-language checks on a mission statement (criteria C1 and C2), in several languages.

What is measured, and how honest each measure is:

- **Words and length**: tokens of letters or digits (a hyphenated word counts once).
- **Readability**: LIX (Björnsson, 1968) = words per sentence + 100 × share of words longer than
  six letters. It counts letters, not syllables, so it works the same way in English, Spanish,
  Dutch, Swedish, French and German. Rough bands: under 40 easy, 40–50 plain, 50–60 hard, over
  60 very hard. For English we also report Flesch reading ease with a simple vowel-group syllable
  count; it is shown for information, the checks use LIX only. Both were built for longer texts:
  on one sentence they are indicative, not precise.
- **Unexplained acronyms**: tokens of two or more capitals (digits allowed: CO2), not in the
  glossary, not Roman numerals, and neither written in brackets themselves ("… Agency (CDTI)")
  nor followed by a bracketed explanation ("CDTI (the innovation agency)").
- **Activity-verb opening**: the first word (after "to", "we will" and similar) is a verb of
  activity — promote, support, foster, boost, stimulate, strengthen, encourage, enhance — or
  its equivalent in Spanish, Dutch, Swedish, French or German, with common inflections. German
  nominal openings ("Förderung der …") count too. A statement that opens this way describes what
  government will do, not what will be true.
- **Years**: four-digit years from 1990 to 2100.
- **Measurable end state**: a percentage, a number with a unit ("100 cities", "5 years",
  "3 million people"), a few number words ("five years", "halve"), or an evidently yes/no
  outcome (every / all / no …, climate-neutral, net-zero, plastic-free). This is a lint, not
  understanding: a human reviewer has the last word (docs/domain.md §7.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
SENTENCE_END_RE = re.compile(r"[.!?;]+(?:\s|$)")
YEAR_RE = re.compile(r"(?<!\d)(?<!\d[.,])(199\d|20\d\d|2100)(?!\d)(?![.,]\d)")
ACRONYM_RE = re.compile(r"(?<![\w&])([A-Z][A-Z0-9&]*[A-Z0-9])(s?)(?![\w&])")
ROMAN_RE = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# Leading words skipped before looking for the verb: "To promote …", "We will support …".
LEAD_INS = {
    "to", "we", "will", "shall", "must", "should", "the", "our", "aim", "aims",
    "para", "vamos", "a", "om", "te", "wij", "att", "vi", "ska", "pour", "nous",
    "allons", "zu", "wir", "wollen", "werden",
}  # fmt: skip

# Activity verbs with cheap inflections, per language (docs/domain.md §5.4).
ACTIVITY_VERB_PATTERNS: dict[str, str] = {
    "en": r"(promot|support|foster|boost|stimulat|strengthen|encourag|enhanc)"
    r"(e|es|ed|ing|s)?|promotion|support",
    "es": r"(impuls|foment|apoy)(ar|a|an|amos|ando|ado|ados|ada|adas)"
    r"|promov(er|emos|iendo|ido|ida)|promuev(e|en)|impulso|fomento|apoyo",
    "nl": r"stimule(er|ert|ren)|gestimuleerd|bevorder(en|t|d)?|ondersteun(en|t|d)?",
    "sv": r"främja(r|t|nde|s)?|stödj(a|er|ande)|stöder|stötta(r)?|stimulera(r|t|nde)?",
    "fr": r"promouvoir|promeu(t|vent)|promouvons|promu|promotion"
    r"|souten(ir|u|ons)|soutien(t|nent)?|favoris(er|e|ent|ons|é|ée)"
    r"|encourag(er|e|ent|é|ée|eons)",
    "de": r"förder(n|t|e|ung)|unterstütz(en|t|e|ung)|stärk(en|t|e|ung)",
}
ACTIVITY_VERB_RE = {
    language: re.compile(rf"^(?:{pattern})$", re.IGNORECASE)
    for language, pattern in ACTIVITY_VERB_PATTERNS.items()
}

# Small function-word lists to guess the language (for reporting and for Flesch on English).
STOPWORDS: dict[str, set[str]] = {
    "en": {
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "by",
        "is",
        "are",
        "with",
        "all",
        "every",
        "their",
    },
    "es": {"el", "la", "los", "las", "y", "de", "del", "en", "para", "por", "con", "una", "un"},
    "nl": {"de", "het", "een", "en", "van", "voor", "in", "met", "is", "zijn", "alle", "elke"},
    "sv": {"och", "i", "att", "för", "med", "som", "är", "alla", "varje", "en", "ett", "av"},
    "fr": {"le", "la", "les", "et", "de", "des", "du", "pour", "en", "un", "une", "avec"},
    "de": {"der", "die", "das", "und", "für", "mit", "ist", "sind", "ein", "eine", "alle", "bis"},
}

PERCENT_RE = re.compile(
    r"\d+(?:[.,]\d+)?\s?(?:%|(?:per ?cent|percent|por ciento|procent|prozent|pour cent)\b)",
    re.IGNORECASE,
)
NUMBER_UNIT_RE = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)(?!\d|st\b|nd\b|rd\b|th\b|º|ª|e\b)"
    r"\s+((?:million|millions|billion|thousand|millones|miljoen|miljoner|millionen|milliards?)\s+)?"
    r"([^\W\d_]{2,})",
    re.IGNORECASE,
)
NUMBER_WORDS_RE = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|"
    r"hundred|thousand|million|half|halve|halved|double|doubled|triple|tripled)\b",
    re.IGNORECASE,
)
BINARY_RE = re.compile(
    r"\b(every|all|each|no|zero|none|todos|todas|cada|ningún|ninguna|cero|elke|iedere?|alle|"
    r"geen|nul|varje|alla|ingen|inga|noll|chaque|tous|toutes|aucun|aucune|zéro|jede[rs]?|"
    r"kein|keine|null)\b|\b(net[- ]zero|[\w-]*neutral[\w-]*|[\w-]+-free|neutr[ao]s?|"
    r"klimaatneutraal|klimatneutral[a]?|klimaneutral)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StatementAnalysis:
    """What the checks found in one statement; `as_evidence()` is JSON-ready."""

    text: str
    language: str
    word_count: int
    char_count: int
    sentence_count: int
    lix: float | None
    flesch: float | None
    acronyms: list[str] = field(default_factory=list)
    unexplained_acronyms: list[str] = field(default_factory=list)
    opening_word: str = ""
    activity_verb: str = ""
    years: list[int] = field(default_factory=list)
    end_state: str = ""  # the words that show a measurable end state, or ""

    @property
    def is_empty(self) -> bool:
        return self.word_count == 0

    @property
    def opens_with_activity_verb(self) -> bool:
        return bool(self.activity_verb)

    @property
    def has_measurable_end_state(self) -> bool:
        return bool(self.end_state)


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text)


def guess_language(words: list[str]) -> str:
    """The language whose function words are most frequent, or "und" if none is found."""
    lowered = [w.casefold() for w in words]
    scores = {lang: sum(w in stop for w in lowered) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else "und"


def count_syllables(word: str) -> int:
    """English syllables, roughly: groups of vowels, minus a silent final e."""
    word = word.casefold()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def lix(words: list[str], sentences: int) -> float | None:
    if not words:
        return None
    long_words = sum(1 for w in words if sum(c.isalpha() for c in w) > 6)
    return round(len(words) / max(sentences, 1) + 100 * long_words / len(words), 1)


def flesch_reading_ease(words: list[str], sentences: int) -> float | None:
    if not words:
        return None
    syllables = sum(count_syllables(w) for w in words)
    score = 206.835 - 1.015 * (len(words) / max(sentences, 1)) - 84.6 * (syllables / len(words))
    return round(score, 1)


def find_acronyms(text: str, glossary: set[str]) -> tuple[list[str], list[str]]:
    """(all acronyms, the unexplained ones), each listed once in order of appearance."""
    found: list[str] = []
    unexplained: list[str] = []
    for match in ACRONYM_RE.finditer(text):
        token = match.group(1)
        if ROMAN_RE.match(token) or token in found:
            continue
        found.append(token)
        if token in glossary or token.rstrip("S") in glossary:
            continue
        before = text[: match.start()].rstrip()
        after = text[match.end() :].lstrip()
        in_brackets = before.endswith("(") and after.startswith(")")
        explained_after = after.startswith("(") and len(after) > 2 and after[1] != ")"
        if not (in_brackets or explained_after):
            unexplained.append(token)
    return found, unexplained


def find_activity_verb(words: list[str]) -> tuple[str, str]:
    """(opening word, the activity verb if the opening is one, else "")."""
    for word in words[:4]:
        if word.casefold() in LEAD_INS:
            continue
        for pattern in ACTIVITY_VERB_RE.values():
            if pattern.match(word):
                return word, word
        return word, ""
    return (words[0] if words else ""), ""


def find_end_state(text: str) -> str:
    """The first words that show a measurable or evidently yes/no end state, or ""."""
    match = PERCENT_RE.search(text)
    if match:
        return match.group(0)
    for match in NUMBER_UNIT_RE.finditer(text):
        number = match.group(1)
        if YEAR_RE.fullmatch(number):
            continue
        return match.group(0)
    match = NUMBER_WORDS_RE.search(text)
    if match:
        return match.group(0)
    match = BINARY_RE.search(text)
    if match:
        return match.group(0)
    return ""


def analyse(text: str, *, glossary: list[str] | set[str] | None = None) -> StatementAnalysis:
    """Analyse a mission statement. Pure: no database, no settings."""
    text = (text or "").strip()
    words = words_of(text)
    sentences = max(len(SENTENCE_END_RE.findall(text + " ")), 1) if words else 0
    language = guess_language(words)
    acronyms, unexplained = find_acronyms(text, set(glossary or ()))
    opening, verb = find_activity_verb(words)
    years = sorted({int(y) for y in YEAR_RE.findall(text)})
    return StatementAnalysis(
        text=text,
        language=language,
        word_count=len(words),
        char_count=len(text),
        sentence_count=sentences,
        lix=lix(words, sentences),
        flesch=flesch_reading_ease(words, sentences) if language == "en" else None,
        acronyms=acronyms,
        unexplained_acronyms=unexplained,
        opening_word=opening,
        activity_verb=verb,
        years=years,
        end_state=find_end_state(text),
    )
