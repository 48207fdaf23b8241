"""Plain-language checks on a mission statement (criteria C1 and C2), by the grammar of six languages.

The mission's language (English, Spanish, Dutch, Swedish, French or German) selects the rules; a
mission without a recorded language is read in the language its function words suggest (the
organisation records no language of its own). The rubric behind each check, and the public case
library it is measured against, are in docs/criteria-rubric.md and evaluation/criteria/cases/.

What is measured, and how honest each measure is:

- **Words and length**: tokens of letters or digits (a hyphenated word counts once).
- **Readability**: LIX (Björnsson, 1968) = words per sentence + 100 × share of words longer than
  six letters. It counts letters, not syllables, so it works the same way in all six languages.
  Rough bands: under 40 easy, 40–50 plain, 50–60 hard, over 60 very hard. For English we also
  report Flesch reading ease (vowel-group syllables), for information only.
- **Unexplained acronyms**: tokens of two or more capitals (digits allowed: CO2), not in the
  glossary, not Roman numerals, and neither written in brackets themselves ("… Agency (CDTI)")
  nor followed by a bracketed explanation ("CDTI (the innovation agency)").
- **Activity-verb opening**: the statement opens with a verb of activity (promote, support,
  foster, boost, stimulate, strengthen, encourage, enhance, accelerate, facilitate and their
  equivalents), in any person or as a noun ("Stärkung der", "bevordering van", "främjande av",
  "fomento de", "promotion de"), after lead-ins such as "We will", "Wir wollen", "Nous allons"
  or a leading deadline ("By 2030, …"). German and Dutch put the infinitive at the end of the
  clause ("Wir wollen die Krebsforschung stärken") and split separable verbs ("Wir treiben die
  Energiewende voran"): for them the clause's last word, and particle + opening verb, count too.
- **Deadlines**: four-digit years from 1900 to 2100, and relative deadlines resolved against the
  mission's start year: the end of the decade ("before this decade is out", "bis Ende des
  Jahrzehnts", the decade's last year: 1961 → 1969), a number of years ("binnen tien jaar",
  "within ten years", start + n), the middle of the century (2050).
- **Measurable end state**: a percentage, a number with what it counts ("100 cities",
  "3 million people"), a number word ("five", "halve", "tien", "fünf") or an evidently yes/no
  outcome (every / all / no …, climate-neutral, net-zero, plastic-free), quoted as the whole
  phrase: a comparator before it ("under", "at least", "mindestens") and the words after it up to
  the next comma, conjunction or deadline ("under 75 in every region"). This is a lint, not
  understanding: a human reviewer has the last word (docs/domain.md §7.4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "es", "nl", "sv", "fr", "de")

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
SENTENCE_END_RE = re.compile(r"[.!?;]+(?:\s|$)")
YEAR_RE = re.compile(r"(?<!\d)(?<!\d[.,])(19\d\d|20\d\d|2100)(?!\d)(?![.,]\d)")
ACRONYM_RE = re.compile(r"(?<![\w&])([A-Z][A-Z0-9&]*[A-Z0-9])(s?)(?![\w&])")
ROMAN_RE = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
CLAUSE_END_RE = re.compile(r"[,;:.!?()\u2013\u2014]")

# Words skipped before the opening verb: subjects, modals, "aim to", "Ziel ist es".
LEAD_INS: dict[str, set[str]] = {
    "en": {
        "to", "we", "will", "shall", "must", "should", "want", "the", "our", "aim", "aims",
        "goal", "is", "mission", "government", "this", "intends", "seeks", "i", "us", "let",
    },
    "es": {
        "para", "vamos", "a", "queremos", "debemos", "el", "la", "objetivo", "es", "nuestro",
        "nuestra", "misión", "se", "trata", "de", "pretende", "busca",
    },
    "nl": {
        "te", "om", "wij", "we", "willen", "gaan", "zullen", "moeten", "het", "doel", "is",
        "ons", "onze", "de", "missie",
    },
    "sv": {"att", "vi", "ska", "skall", "vill", "kommer", "målet", "är", "vårt", "om", "uppdraget"},
    "fr": {
        "pour", "nous", "allons", "voulons", "devons", "il", "s'agit", "s’agit", "de", "d'",
        "l'objectif", "l’objectif", "est", "notre", "objectif", "vise", "à", "la", "mission",
    },
    "de": {
        "zu", "wir", "wollen", "werden", "möchten", "sollen", "müssen", "unser", "unsere",
        "ziel", "ist", "es", "das", "die", "mission",
    },
}  # fmt: skip
# Modal verbs after which the activity verb follows (or, in German and Dutch, ends the clause).
MODALS = {
    "will", "shall", "must", "should", "wants", "aims", "vamos", "queremos", "debe", "debemos",
    "va", "gaan", "willen", "zullen", "moet", "wil", "zal", "ska", "skall", "vill", "allons",
    "voulons", "devons", "doit", "wollen", "werden", "wird", "soll", "sollen",
    "möchten",
}  # fmt: skip
# A deadline the statement may open with ("By 2030, …", "Bis 2030 …", "D'ici 2030, …").
LEADING_DEADLINE_RE = re.compile(
    r"^\s*(?:by|until|before|in|bis|ab|tot|in|uiterlijk|senast|till|år|d[’']ici|en|avant|"
    r"para|antes\s+de|hasta|en\s+el\s+año|à\s+l[’']horizon)\s+(?:19|20)\d\d\s*,?\s*",
    re.IGNORECASE,
)

# Activity verbs with their inflections and nouns, per language (docs/domain.md §5.4).
ACTIVITY_VERB_PATTERNS: dict[str, str] = {
    "en": r"(promot|support|foster|boost|stimulat|strengthen|encourag|enhanc|accelerat|facilitat)"
    r"(e|es|ed|ing|s)?|promotion|support|acceleration|stimulation",
    "es": r"(impuls|foment|apoy|estimul|potenci|aceler|facilit)(ar|a|an|amos|ando|ado|ados|ada|adas)"
    r"|promov(er|emos|iendo|ido|ida)|promuev(e|en)|fortalec(er|emos|iendo|ido)|fortalezc(a|amos)"
    r"|reforz(ar|amos|ando|ado)|refuerz(a|an)|impulso|fomento|apoyo|promoción|fortalecimiento"
    r"|refuerzo|estímulo|aceleración",
    "nl": r"stimule(er|ert|ren)|gestimuleerd|bevorder(en|t|d)?|bevordering|stimulering"
    r"|ondersteun(en|t|d)?|ondersteuning|versterk(en|t)?|versterking|versterkt"
    r"|versnel(len|t|d)?|versnelling|aanjag(en)|aanjaagt?|aangejaagd",
    "sv": r"främja(r|t|nde|s)?|stödj(a|er|ande)|stöder|stöd|stötta(r)?|stimulera(r|t|nde|s)?"
    r"|stimulans|stärk(a|er|t|s|ande|ning)|påskynda(r|nde)?|underlätta(r|nde)?",
    "fr": r"promouvoir|promeu(t|vent)|promouvons|promu|promotion"
    r"|souten(ir|u|ons)|soutien(t|nent)?|favoris(er|e|ent|ons|é|ée)"
    r"|encourag(er|e|ent|é|ée|eons|ement)|renforc(er|e|ent|é|ée)|renfor[cç]ons|renforcement"
    r"|stimul(er|e|ent|ons)|accélér(er|e|ent|ons)|accélération|facilit(er|e|ent|ons)",
    "de": r"förder(n|t|e|ung)|gefördert|unterstütz(en|t|e|ung)|stärk(en|t|e|ung)|gestärkt"
    r"|ausbau(en|t|e)?|auszubauen|ausgebaut|vorantreib(en|t|e)|voranzutreiben|vorangetrieben"
    r"|voranbring(en|t|e)|voranzubringen|vorangebracht|beschleunig(en|t|e|ung)"
    r"|stimulier(en|t|e|ung)",
}
ACTIVITY_VERB_RE = {
    language: re.compile(rf"^(?:{pattern})$", re.IGNORECASE)
    for language, pattern in ACTIVITY_VERB_PATTERNS.items()
}
# Separable particles at the end of a German or Dutch clause ("treiben … voran", "jagen … aan").
PARTICLES = {
    "de": {"voran", "aus", "an", "bei", "vor", "auf", "mit", "ein", "zu"},
    "nl": {"aan", "bij", "op", "uit", "in", "voor", "mee", "door"},
}
# Languages whose infinitive ends the clause ("die Krebsforschung stärken").
VERB_FINAL = {"de", "nl"}
# Words that open a subordinate clause, whose verb is not the statement's own.
SUBORDINATORS = {"um", "damit", "dass", "indem", "om", "zodat", "door", "dat", "wodurch"}

# Function words to guess the language, and letters only one of them uses.
STOPWORDS: dict[str, set[str]] = {
    "en": {"the", "and", "of", "to", "in", "for", "by", "is", "are", "with", "all", "every",
           "their", "this", "will", "we", "our", "be", "at", "least", "than"},
    "es": {"el", "la", "los", "las", "y", "del", "en", "para", "por", "con", "una", "un",
           "más", "que", "al", "menos", "todos"},
    "nl": {"de", "het", "een", "en", "van", "voor", "met", "is", "zijn", "alle", "elke", "wij",
           "in", "naar", "tot", "binnen", "jaar", "ten", "minste"},
    "sv": {"och", "i", "att", "för", "med", "som", "är", "alla", "varje", "ett", "av", "ska",
           "till", "senast", "år", "inom", "från"},
    "fr": {"le", "la", "les", "et", "de", "des", "du", "pour", "en", "un", "une", "avec",
           "d'ici", "au", "aux", "dans", "sur", "nous", "notre"},
    "de": {"der", "die", "das", "und", "für", "mit", "ist", "sind", "ein", "eine", "alle", "bis",
           "zum", "des", "den", "dem", "wir", "von", "zu", "im"},
}  # fmt: skip
LETTER_HINTS = {"es": "ñ¿¡", "sv": "å", "fr": "çœèêàù", "de": "ßü"}

NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
           "twenty-five": 25, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
           "thousand": 1000, "million": 10**6, "billion": 10**9},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
           "nueve": 9, "diez": 10, "doce": 12, "quince": 15, "veinte": 20, "treinta": 30,
           "cincuenta": 50, "cien": 100, "mil": 1000, "millón": 10**6, "millones": 10**6},
    "nl": {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
           "negen": 9, "tien": 10, "twaalf": 12, "vijftien": 15, "twintig": 20, "dertig": 30,
           "vijftig": 50, "honderd": 100, "duizend": 1000, "miljoen": 10**6},
    "sv": {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
           "tio": 10, "tolv": 12, "femton": 15, "tjugo": 20, "trettio": 30, "femtio": 50,
           "hundra": 100, "tusen": 1000, "miljon": 10**6, "miljoner": 10**6},
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
           "cinquante": 50, "cent": 100, "mille": 1000, "million": 10**6, "millions": 10**6},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
           "neun": 9, "zehn": 10, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30,
           "fünfzig": 50, "hundert": 100, "tausend": 1000, "million": 10**6,
           "millionen": 10**6},
}  # fmt: skip
# Words that state a quantity without a digit: halve, double, half …
QUANTITY_WORDS: dict[str, set[str]] = {
    "en": {"half", "halve", "halved", "halving", "double", "doubled", "triple", "tripled"},
    "es": {"mitad", "duplicar", "triplicar"},
    "nl": {"helft", "halveren", "gehalveerd", "verdubbelen", "verdubbeld"},
    "sv": {"hälften", "halvera", "halveras", "fördubbla", "fördubblas"},
    "fr": {"moitié", "doubler", "tripler"},
    "de": {"hälfte", "halbieren", "halbiert", "verdoppeln", "verdoppelt", "verdreifachen"},
}
# Words before a quantity that belong to its phrase ("at least 150", "unter 75").
COMPARATORS: dict[str, list[str]] = {
    "en": ["at least", "more than", "fewer than", "less than", "up to", "under", "below",
           "over", "above", "at most", "by", "to", "no more than", "nearly", "almost"],
    "es": ["al menos", "más de", "menos de", "por debajo de", "hasta", "un", "casi"],
    "nl": ["ten minste", "tenminste", "minstens", "meer dan", "minder dan", "onder", "boven",
           "tot", "met", "bijna"],
    "sv": ["minst", "mer än", "fler än", "mindre än", "under", "över", "med", "till", "nästan"],
    "fr": ["au moins", "plus de", "moins de", "jusqu'à", "sous", "de", "près de"],
    "de": ["mindestens", "mehr als", "weniger als", "unter", "über", "bis zu", "um", "fast"],
}  # fmt: skip


def _comparator_before(comparators: set[str]) -> re.Pattern[str]:
    """One of the comparators just before the end of a text. Any two found there end at the same
    place, so the one that starts first, the match, is the longest."""
    alternatives = "|".join(re.escape(c) for c in sorted(comparators, key=len, reverse=True))
    return re.compile(rf"(?:^|\s)({alternatives})\s+$", re.IGNORECASE)


# Per language, and "" for a text in a language without comparators of its own (any language's).
COMPARATOR_BEFORE_RE = {lang: _comparator_before(set(words)) for lang, words in COMPARATORS.items()}
COMPARATOR_BEFORE_RE[""] = _comparator_before({c for words in COMPARATORS.values() for c in words})
# Words that end a quoted end-state phrase: conjunctions and deadline prepositions.
PHRASE_STOPS = {
    "and", "or", "while", "through", "by", "before", "until", "y", "o", "mediante", "antes",
    "en", "tegen", "uiterlijk", "och", "eller", "senast", "genom", "et", "ou", "d'ici",
    "avant", "und", "oder", "bis", "durch", "spätestens", "para", "so", "that", "with",
    "före", "innan", "vóór", "voor", "l'horizon", "l’horizon", "horizonte", "compared", "relative", "respecto", "opzichte", "jämfört", "gegenüber", "verglichen",
}  # fmt: skip
# Words a quoted phrase does not end on ("… in every region of the" → "… in every region").
TRAILING = {
    "the", "a", "an", "of", "to", "in", "at", "year", "el", "la", "los", "las", "del", "de",
    "año", "het", "van", "jaar", "år", "le", "les", "des", "du", "l'année", "der", "die", "das",
    "den", "dem", "im", "jahr", "am", "i", "av", "för", "en", "à",
}  # fmt: skip
PHRASE_MAX_WORDS = 10

_NUMBER = r"\d{1,3}(?:[ \u00a0.,]\d{3})+|\d+(?:[.,]\d+)?"
PERCENT_RE = re.compile(
    rf"(?<![\w.,])(?:{_NUMBER})\s?(?:%|(?:per ?cent|percent|por ciento|procent|prozent|"
    rf"pour cent)\b|pct\b\.?)",
    re.IGNORECASE,
)
NUMBER_UNIT_RE = re.compile(
    rf"(?<![\w.,])({_NUMBER})(?!\d|st\b|nd\b|rd\b|th\b|º|ª|e\b|er\b|ème\b)"
    r"\s+((?:million|millions|billion|thousand|millones|millón|miljoen|miljoner|miljon|"
    r"millionen|milliards?|mil)\s+(?:de\s+)?)?"
    r"([^\W\d_]{2,})",
    re.IGNORECASE,
)
# Money is what a mission spends, not what it achieves: "$100 million", "5 billion euros".
_SCALE = (
    r"(?:\s+(?:million|millions|billion|billions|thousand|millones|millón|miljoen|miljoner|"
    r"miljard|miljarder|millionen|milliarden?|milliards?|mil)(?:\s+de)?)?"
)
MONEY_RE = re.compile(
    rf"[$€£]\s?(?:{_NUMBER}){_SCALE}|(?<![\w.,])(?:{_NUMBER}){_SCALE}\s+"
    r"(?:euros?|eur|dollars?|usd|pounds?|kronor|kronen|kroner|francs?|sek|dkk|nok)\b",
    re.IGNORECASE,
)
BINARY_RE = re.compile(
    r"\b(every|all|each|no|zero|none|todos|todas|cada|ningún|ninguna|cero|elke|iedere?|alle|"
    r"geen|nul|varje|alla|ingen|inga|noll|chaque|tous|toutes|aucun|aucune|zéro|jede[rs]?|"
    r"kein|keine|null)\b|(\b[\w-]*neutra[a-z]*|\bnet[- ]zero\b|\bnetto-?null\b|[\w-]+-free\b|"
    r"\b[\w-]*-?vrij(?:e)?\b|\b[\w-]*fri(?:a|tt)?\b|\bsans\s+\w+|\bsin\s+\w+|"
    # Eradication, and the whole of something, are yes/no outcomes too.
    r"\b(?:eradicat|erradica|éradiqu|uitgeroeid|uitroei|utrot|ausgerottet|ausrott|ausrottung)\w*|"
    r"\b(?:entire|intégralité|totalité)\b|\binte\s+(?:\w+\s+)?(?:några|någon|något)\b)",
    re.IGNORECASE,
)

# Relative deadlines, per language: (pattern, kind). Kinds: decade_end, years (group n),
# mid_century, century_end.
_N = r"(?P<n>\d{1,3}|[^\W\d_]+)"
RELATIVE_DEADLINES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"before (?:this|the) decade is out", "decade_end"),
        (r"(?:by|before|until) the end of (?:this|the) decade", "decade_end"),
        (r"within (?:this|the) decade", "decade_end"),
        (rf"(?:within|in|over) (?:the next )?{_N} years", "years"),
        (r"by (?:the )?(?:mid-century|middle of the century|mid-?century)", "mid_century"),
        (r"by the end of the century", "century_end"),
    ],
    "es": [
        (r"(?:antes de|para|a|hasta) (?:el )?(?:final|fin|finales) de (?:la|esta) década",
         "decade_end"),
        (r"antes de que (?:termine|acabe) (?:la|esta) década", "decade_end"),
        (r"en (?:esta|la presente) década", "decade_end"),
        (rf"(?:en|dentro de) (?:los próximos )?{_N} años", "years"),
        (r"(?:a|para) mediados de(?:l)? siglo", "mid_century"),
        (r"(?:a|para) finales de(?:l)? siglo", "century_end"),
    ],
    "nl": [
        (r"(?:voor|vóór|tegen|aan) het einde van (?:dit|het|deze) decennium", "decade_end"),
        (r"binnen (?:dit|het) decennium", "decade_end"),
        (rf"(?:binnen|in) (?:de komende )?{_N} jaar", "years"),
        (r"(?:rond|tegen|in) het midden van de(?:ze)? eeuw", "mid_century"),
    ],
    "sv": [
        (r"(?:före|till|innan|vid) (?:slutet av )?(?:detta|decenniet)(?: decennium)?s? slut",
         "decade_end"),
        (r"innan decenniet är slut", "decade_end"),
        (r"(?:till|före|vid) slutet av (?:detta )?decenni(?:um|et)", "decade_end"),
        (r"inom (?:detta|det här) decennium", "decade_end"),
        (rf"(?:inom|på) (?:de närmaste |de kommande )?{_N} år", "years"),
        (r"(?:till|vid) mitten av (?:seklet|århundradet)", "mid_century"),
    ],
    "fr": [
        (r"(?:d[’']ici|avant) (?:à )?la fin de (?:la|cette) décennie", "decade_end"),
        (r"(?:au cours de|dans) (?:cette|la) décennie", "decade_end"),
        (rf"(?:d[’']ici|en|dans|sous) (?:les )?{_N} (?:prochaines )?(?:ans|années)", "years"),
        (r"(?:d[’']ici|vers) (?:le )?(?:milieu du siècle|la mi-siècle)", "mid_century"),
    ],
    "de": [
        (r"(?:bis|vor) (?:zum )?Ende (?:des|dieses) Jahrzehnts", "decade_end"),
        (r"(?:noch )?(?:in|innerhalb) diese[sm] Jahrzehnts?", "decade_end"),
        (rf"(?:innerhalb von|in den nächsten|binnen|in) {_N} Jahren", "years"),
        (r"bis (?:zur )?Mitte des Jahrhunderts", "mid_century"),
        (r"bis (?:zum )?Ende des Jahrhunderts", "century_end"),
    ],
}  # fmt: skip
RELATIVE_DEADLINE_RE = {
    language: [(re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in patterns]
    for language, patterns in RELATIVE_DEADLINES.items()
}


@dataclass(frozen=True)
class StatementAnalysis:
    """What the checks found in one statement."""

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
    # Years the statement names: written ones, plus a relative deadline resolved against the
    # start year ("before this decade is out" in 1961 → 1969).
    years: list[int] = field(default_factory=list)
    end_state: str = ""  # the whole phrase that shows a measurable end state, or ""
    language_source: str = "guessed"  # "mission" when the mission records its language
    relative_deadline: str = ""  # the words of a relative deadline, as written
    deadline_year: int | None = None  # the latest year named or resolved, if any
    quantities: list[str] = field(default_factory=list)  # percentages and counted numbers

    @property
    def is_empty(self) -> bool:
        return self.word_count == 0

    @property
    def opens_with_activity_verb(self) -> bool:
        return bool(self.activity_verb)

    @property
    def has_measurable_end_state(self) -> bool:
        return bool(self.end_state)

    @property
    def has_deadline(self) -> bool:
        """A year or a relative deadline ("within ten years"), resolved or not."""
        return bool(self.years or self.relative_deadline)


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text)


def guess_language(words: list[str]) -> str:
    """The language whose function words (and letters) are most frequent, or "und"."""
    lowered = [w.casefold() for w in words]
    text = " ".join(lowered)
    scores = {
        lang: sum(w in stop for w in lowered)
        + 2 * sum(c in text for c in LETTER_HINTS.get(lang, ""))
        for lang, stop in STOPWORDS.items()
    }
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else "und"


def start_year_of(mission: Mapping[str, Any]) -> int | None:
    """The year a relative deadline counts from: the start year, else the approval or mandate."""
    if mission.get("start_year"):
        return int(mission["start_year"])
    for name in ("approved_on", "mandate_date"):
        value = mission.get(name)
        if value:
            return int(str(value)[:4])
    return None


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


def _is_activity(word: str, languages: list[str]) -> bool:
    return any(ACTIVITY_VERB_RE[lang].match(word) for lang in languages)


def find_activity_verb(text_or_words: str | list[str], language: str = "und") -> tuple[str, str]:
    """(opening word, the activity verb if the statement opens with one, else "").

    `language` selects the rules; "und" (unknown) tries every language's verbs at the opening."""
    text = " ".join(text_or_words) if isinstance(text_or_words, list) else text_or_words
    text = LEADING_DEADLINE_RE.sub("", text, count=1)
    clause = CLAUSE_END_RE.split(text, maxsplit=1)[0]
    words = words_of(clause) or words_of(text)
    if not words:
        return "", ""
    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    lead_ins = set().union(*(LEAD_INS[lang] for lang in languages))
    index = 0
    while index < min(len(words), 6) and words[index].casefold() in lead_ins:
        index += 1
    if index >= len(words):
        return words[0], ""
    opening = words[index]
    if _is_activity(opening, languages):
        return opening, opening
    # "Sweden will promote …": a subject, then a modal, then the verb.
    if index + 2 < len(words) and words[index + 1].casefold() in MODALS:
        following = words[index + 2]
        if _is_activity(following, languages):
            return opening, following
    # German and Dutch: the infinitive ends the clause (or, after a list, the sentence), and
    # separable particles end it too. "…, um die Wirtschaft zu stärken" is a purpose, not the
    # statement's verb.
    sentence = words_of(re.split(r"[.!?;:]", text, maxsplit=1)[0])
    for lang in [lang for lang in languages if lang in VERB_FINAL]:
        last = words[-1]
        if len(words) > index + 1 and ACTIVITY_VERB_RE[lang].match(last):
            return opening, last
        final = sentence[-1] if sentence else ""
        subordinate = {w.casefold() for w in sentence} & SUBORDINATORS
        if (
            len(sentence) > len(words)
            and ACTIVITY_VERB_RE[lang].match(final)
            and sentence[-2].casefold() not in {"zu", "te"}
            and not subordinate
        ):
            return opening, final
        if last.casefold() in PARTICLES[lang] and len(words) > index + 1:
            combined = last.casefold() + opening.casefold()
            if ACTIVITY_VERB_RE[lang].match(combined):
                return opening, f"{opening} … {last}"
    return opening, ""


def _number_value(token: str, language: str) -> int | None:
    if token.isdigit():
        return int(token)
    token = token.casefold()
    for lang in [language] if language in NUMBER_WORDS else list(NUMBER_WORDS):
        if token in NUMBER_WORDS[lang]:
            return NUMBER_WORDS[lang][token]
    return None


def find_relative_deadline(
    text: str, language: str, start_year: int | None
) -> tuple[str, int | None]:
    """(the relative deadline's words, its year against `start_year` or None)."""
    languages = [language] if language in RELATIVE_DEADLINE_RE else list(RELATIVE_DEADLINE_RE)
    for lang in languages:
        for pattern, kind in RELATIVE_DEADLINE_RE[lang]:
            match = pattern.search(text)
            if not match:
                continue
            if kind == "years":
                years = _number_value(match.group("n"), lang)
                if years is None or not 1 <= years <= 100:
                    continue
                year = start_year + years if start_year else None
            elif kind == "decade_end":
                year = start_year // 10 * 10 + 9 if start_year else None
            elif kind == "mid_century":
                year = start_year // 100 * 100 + 50 if start_year else None
            else:
                year = start_year // 100 * 100 + 100 if start_year else None
            return match.group(0), year
    return "", None


def _phrase(text: str, start: int, end: int, language: str) -> str:
    """The quantity at text[start:end] with its comparator before it and its words after it, up
    to a comma, a conjunction or a deadline."""
    match = COMPARATOR_BEFORE_RE.get(language, COMPARATOR_BEFORE_RE[""]).search(text[:start])
    if match:
        start = match.start(1)
    rest = text[end:]
    clause = CLAUSE_END_RE.split(rest, maxsplit=1)[0]
    taken = 0
    words = len(words_of(text[start:end]))
    for match in re.finditer(r"\S+", clause):
        token = match.group(0)
        bare = token.strip("\"'“”’").casefold()
        if bare in PHRASE_STOPS or YEAR_RE.fullmatch(bare) or words >= PHRASE_MAX_WORDS:
            break
        taken = match.end()
        words += 1
    phrase = text[start : end + taken].strip()
    while True:
        head, _space, last = phrase.rpartition(" ")
        if not head or last.casefold() not in TRAILING or len(words_of(head)) < 1:
            return phrase
        if len(head) < end - start:
            return phrase
        phrase = head.rstrip()


def find_end_state(text: str, language: str = "und") -> tuple[str, list[str]]:
    """(the first whole phrase that shows a measurable or yes/no end state, or "";
    the percentages and counted numbers found)."""
    text = MONEY_RE.sub(lambda m: ";" * len(m.group(0)), text)
    quantities = [_phrase(text, m.start(), m.end(), language) for m in PERCENT_RE.finditer(text)]
    numbers = []
    for match in NUMBER_UNIT_RE.finditer(text):
        if YEAR_RE.fullmatch(match.group(1)):
            continue
        if PERCENT_RE.match(text, match.start()):
            continue
        numbers.append(match)
        quantities.append(_phrase(text, match.start(), match.end(1), language))
    percent = PERCENT_RE.search(text)
    if percent:
        return _phrase(text, percent.start(), percent.end(), language), quantities
    if numbers:
        first = numbers[0]
        return _phrase(text, first.start(), first.end(1), language), quantities
    languages = [language] if language in NUMBER_WORDS else list(NUMBER_WORDS)
    words = {w for lang in languages for w in NUMBER_WORDS[lang]} | {
        w for lang in languages for w in QUANTITY_WORDS[lang]
    }
    for token in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)*", text):
        if token.group(0).casefold() in words:
            return _phrase(text, token.start(), token.end(), language), quantities
    binary = BINARY_RE.search(text)
    if binary:
        return _phrase(text, binary.start(), binary.end(), language), quantities
    return "", quantities


def analyse(
    text: str,
    *,
    glossary: list[str] | set[str] | None = None,
    language: str = "",
    start_year: int | None = None,
) -> StatementAnalysis:
    """Analyse a mission statement. Pure: no database, no settings.

    `language` (en, es, nl, sv, fr, de) selects the grammar; blank or unknown: guessed from the
    text. `start_year` resolves relative deadlines ("within ten years")."""
    text = (text or "").strip()
    words = words_of(text)
    sentences = max(len(SENTENCE_END_RE.findall(text + " ")), 1) if words else 0
    chosen = language if language in LANGUAGES else ""
    rules_language = chosen or guess_language(words)
    acronyms, unexplained = find_acronyms(text, set(glossary or ()))
    # A guessed language can be wrong on one sentence: then every language's verbs count.
    opening, verb = find_activity_verb(text, chosen or "und")
    written = {int(y) for y in YEAR_RE.findall(text)}
    relative, resolved = find_relative_deadline(text, rules_language, start_year)
    years = sorted(written | ({resolved} if resolved else set()))
    # The words of a relative deadline ("binnen tien jaar") are a date, not a quantity.
    masked = text
    if relative:
        at = text.find(relative)
        masked = text[:at] + ";" * len(relative) + text[at + len(relative) :]
    end_state, quantities = find_end_state(masked, chosen or "und")
    if start_year:
        later = [y for y in years if y >= start_year]
        deadline = max(later) if later else None
    else:
        deadline = max(years) if years else None
    return StatementAnalysis(
        text=text,
        language=rules_language,
        word_count=len(words),
        char_count=len(text),
        sentence_count=sentences,
        lix=lix(words, sentences),
        flesch=flesch_reading_ease(words, sentences) if rules_language == "en" else None,
        acronyms=acronyms,
        unexplained_acronyms=unexplained,
        opening_word=opening,
        activity_verb=verb,
        years=years,
        end_state=end_state,
        language_source="mission" if chosen else "guessed",
        relative_deadline=relative,
        deadline_year=deadline,
        quantities=quantities,
    )
