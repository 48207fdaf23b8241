"""The one input boundary: what text, numbers and JSON Lodestar accepts from outside.

Every way in — form fields, query parameters, JSON bodies and files, CSV cells — uses these
rules, so a character PostgreSQL cannot store (NUL), one no encoder can write (a lone UTF-16
surrogate, which JSON's "\\ud800" escape can produce) or one that breaks a spreadsheet, an e-mail
header or a terminal (the other C0 control characters, DEL and the C1 range) is refused at the
door with a message naming the field, instead of surfacing later as a 500.

Tab and newline are text in a multi-line field; in a single-line field they are not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# C0 controls, DEL and C1 controls, less the whitespace a multi-line text may hold (\r arrives
# from every browser's textarea as part of \r\n).
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Limits for JSON documents: deep enough for every document Lodestar reads (an exchange file
# nests five levels), far from the interpreter's recursion limit.
JSON_MAX_DEPTH = 32
# A number's text longer than this is no measurement or budget; Python would refuse ints over
# 4,300 digits anyway, with an error that is not a message for a person.
JSON_MAX_NUMBER_LENGTH = 40


class InputRefused(ValueError):
    """Input refused at the boundary: `field` names where, `message` says why in plain words."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message
        self.code = code  # "not_a_number", "too_large", … for callers that word it their way

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Why `value` cannot be accepted as text, or None. The reason is a sentence for people."""
    if "\x00" in value:
        return _("contains a null character, which cannot be stored. Remove it and try again.")
    if _SURROGATE.search(value):
        return _("contains an incomplete character (half of an emoji or symbol). Remove it.")
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL_SINGLE_LINE
    match = pattern.search(value)
    if match is None:
        return None
    if match.group() in "\t\n\r":
        return _("must be on one line: remove the line breaks and tabs.")
    before = " ".join(value[max(0, match.start() - 24) : match.start()].split())
    if before:
        return _(
            "contains an invisible control character just after “%(before)s”, often left by "
            "copying from another program. Retype that part and try again."
        ) % {"before": before}
    return _(
        "starts with an invisible control character, often left by copying from another "
        "program. Retype the start and try again."
    )


# The HTML standard forbids the characters a multi-line text refuses in a page, so a form that
# shows back what a person pasted draws each as its Unicode "control picture" (U+240B ␋ for a
# vertical tab): the page stays valid and the person sees where the character was.
_CONTROL_PICTURE = re.compile(r"[\u2400-\u2421\u2426]")


def _picture_of(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\u2426"  # C1 controls have no picture of their own


def visible_controls(value: str) -> str:
    """`value` with every character a page may not hold drawn as its control picture."""
    return _CONTROL_MULTILINE.sub(_picture_of, value)


def control_picture_problem(value: str) -> str | None:
    """Why a form refuses `value` that still holds a control picture the form drew in place of
    an invisible character, or None."""
    match = _CONTROL_PICTURE.search(value)
    if match is None:
        return None
    before = " ".join(value[max(0, match.start() - 24) : match.start()].split())
    if before:
        return _(
            "still holds the sign %(sign)s where an invisible character was, just after "
            "“%(before)s”. Delete the sign or type a space in its place."
        ) % {"sign": match.group(), "before": before}
    return _("starts with the sign %(sign)s where an invisible character was. Delete the sign.") % {
        "sign": match.group()
    }


def first_bad_line(text: str) -> tuple[int, str] | None:
    """(line number, sentence) for the first line of a text file (a CSV upload) holding a
    character no text holds, or None. Tab and line breaks are the file's own."""
    match = _CONTROL_MULTILINE.search(text) or _SURROGATE.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    if match.group() == "\x00":
        # A text file has none: the file is probably a spreadsheet's own format, or UTF-16.
        return line, _(
            "Line %(line)s has a NUL character, which a CSV file never has. Save the file "
            "from your spreadsheet as “CSV UTF-8” and try again."
        ) % {"line": line}
    line_start = text.rfind("\n", 0, match.start()) + 1
    return line, _("Line %(line)s %(problem)s") % {
        "line": line,
        "problem": text_problem(text[line_start : match.start() + 1]),
    }


# --- CSV uploads: one error model and one way in, for every importer -------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of an uploaded file: its row (0: the whole file), column and message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


class CsvRejected(Exception):
    """The file is refused, with every problem found; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def not_a_choice(value: str, choices: Iterable[str]) -> str:
    """What a cell holding none of the `choices` is told (a sector, a level, a quality)."""
    return _("“%(value)s” is not one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(choices),
    }


def file_too_big(size: int, *, max_bytes: int) -> CsvRejected:
    return CsvRejected(
        [
            RowError(
                0,
                "",
                _("The file is %(size).0f KB; the limit is %(limit).0f KB.")
                % {"size": size / 1024, "limit": max_bytes / 1024},
            )
        ]
    )


def csv_text(raw: bytes, *, max_bytes: int) -> str:
    """An uploaded CSV file as text, or `CsvRejected`: within `max_bytes`, UTF-8 (a byte-order
    mark, as spreadsheets write, is dropped) and holding no character a text cannot hold."""
    if len(raw) > max_bytes:
        raise file_too_big(len(raw), max_bytes=max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvRejected([RowError(0, "", _("The file is not UTF-8 text."))]) from None
    bad = first_bad_line(text)
    if bad is not None:
        raise CsvRejected([RowError(bad[0], "", bad[1])])
    return text


def single_line(value: str, *, limit: int = 200) -> str:
    """`value` made safe for one line (an e-mail subject, a log field): every run of control
    characters and whitespace becomes one space, and the result is cut at `limit` characters."""
    flattened = " ".join(_CONTROL_SINGLE_LINE.sub(" ", _SURROGATE.sub("", value)).split())
    return flattened if len(flattened) <= limit else flattened[: limit - 1].rstrip() + "…"


def strip_control(value: str) -> str:
    """`value` without the characters a spreadsheet cell or document cannot hold (for writing
    out text stored before these rules existed); tab and newline stay."""
    return _CONTROL_MULTILINE.sub("", _SURROGATE.sub("", value))


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection; the
# list OWASP gives: equals, plus, minus, at, tab and carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """`value` made safe for a CSV or XLSX cell: text without control characters (an XLSX
    file cannot hold them at all), and a leading apostrophe where a spreadsheet would run it
    as a formula. Numbers and dates pass unchanged; None is an empty cell. The only escape:
    every CSV and XLSX writer calls it, and `spreadsheet_text` undoes it on the way back in."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = strip_control(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_text(cell: str) -> str:
    """A cell of an uploaded CSV file as the text it stands for: without the apostrophe
    `spreadsheet_cell` put before a formula's first character, so an exported file reads back
    as it was written."""
    if cell[:1] == "'" and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def whole_number(value: str | None) -> int | None:
    """A query parameter as a non-negative whole number, or None. Only ASCII digits count:
    `str.isdigit()` also accepts "²", which `int()` refuses."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def local_url(request: HttpRequest, candidate: str | None) -> str | None:
    """`candidate` if it is a path on this site (a `next` parameter), else None. Only a path
    that starts with one "/" counts: `redirect()` would take anything else for a view name."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return candidate


def decimal_value(
    value: str | int | float | Decimal, *, field: str, max_digits: int, decimal_places: int
) -> Decimal:
    """`value` as the Decimal its column stores: rounded to `decimal_places` first, then checked
    against `max_digits` — so 999999999999999.99999 is refused rather than stored as 10^15."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InputRefused(field, _("is not a number."), "not_a_number") from None
    if not number.is_finite():
        raise InputRefused(field, _("is not a number."), "not_a_number")
    if number.adjusted() >= max_digits - decimal_places:
        raise InputRefused(field, _out_of_range(max_digits, decimal_places), "too_large")
    if number.adjusted() < -decimal_places - 1:
        # Far below the stored precision: it rounds to zero. Quantising such an exponent would
        # raise instead (1e-999999999 has a billion-digit coefficient at 4 places).
        return Decimal(0).quantize(Decimal(1).scaleb(-decimal_places))
    rounded = number.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_EVEN)
    if rounded.adjusted() >= max_digits - decimal_places:
        raise InputRefused(field, _out_of_range(max_digits, decimal_places), "too_large")
    return rounded


def _out_of_range(max_digits: int, decimal_places: int) -> str:
    return _("is too large: at most %(digits)s digits before the decimal point.") % {
        "digits": max_digits - decimal_places
    }


def load_json(raw: bytes | str, *, max_bytes: int, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """Parse a JSON document from outside, or raise `InputRefused` with a plain message.

    Numbers come back as int or Decimal (never float: a value arrives exactly as sent), NaN and
    Infinity are refused, and every string (keys too) passes `text_problem` as multi-line text:
    the field's own rules then decide whether a line break is allowed. A refusal of the whole
    document has an empty `field` and a message that follows "the document is" or "the body
    is"; a refusal of one value names its path ("missions[0].title")."""
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise InputRefused(
            "",
            _("%(size)s bytes; the limit is %(limit)s.") % {"size": size, "limit": max_bytes},
        )
    try:
        data = json.loads(
            raw,
            parse_int=_json_int,
            parse_float=_json_decimal,
            parse_constant=_json_constant,
        )
    except RecursionError:
        raise InputRefused("", _too_deep(max_depth)) from None
    except UnicodeDecodeError:
        raise InputRefused("", _("not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise InputRefused(
            "",
            _("not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno},
        ) from None
    except _NumberRefused as refused:
        raise InputRefused("", str(refused)) from None
    for path, problem in unreadable_texts(data, max_depth=max_depth):
        raise InputRefused(path or _("the document"), problem)
    return data


class _NumberRefused(ValueError):
    pass


def _json_int(text: str) -> int:
    if len(text) > JSON_MAX_NUMBER_LENGTH:
        raise _NumberRefused(
            _(
                "out of range: the number %(start)s… has %(length)s digits; at most %(limit)s are read."
            )
            % {"start": text[:12], "length": len(text), "limit": JSON_MAX_NUMBER_LENGTH}
        )
    return int(text)


def _json_decimal(text: str) -> Decimal:
    number = Decimal(text)
    # The exponent bound keeps later arithmetic finite and fast; values this large or small
    # are never a measurement, a budget or a year.
    if len(text) > JSON_MAX_NUMBER_LENGTH or not -100 <= number.adjusted() <= 100:
        raise _NumberRefused(
            _("out of range: the number %(number)s is too large or too small to read.")
            % {"number": text[:24]}
        )
    return number


def _json_constant(name: str) -> Any:
    raise _NumberRefused(_("not valid JSON: %(name)s is not a number.") % {"name": name})


def _too_deep(max_depth: int) -> str:
    return _("nested more than %(depth)s levels deep.") % {"depth": max_depth}


def unreadable_texts(data: Any, *, max_depth: int | None = None) -> Iterator[tuple[str, str]]:
    """(path, sentence) for every key and string of parsed JSON that `text_problem` refuses, in
    document order, and (with `max_depth`) where it nests deeper. Walks without recursion, so a
    document nested a million levels deep costs a loop, not a crash."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem is not None:
                yield path, problem
            continue
        if not isinstance(node, dict | list):
            continue
        if max_depth is not None and depth >= max_depth:
            yield path, _too_deep(max_depth)
            continue
        children: list[tuple[Any, str, int]] = []
        if isinstance(node, dict):
            for key, value in node.items():
                shown = single_line(key.replace("\x00", "\\u0000"), limit=80)
                item_path = f"{path}.{shown}" if path else shown
                key_problem = text_problem(key, multiline=False)
                if key_problem is not None:
                    yield item_path, key_problem
                children.append((value, item_path, depth + 1))
        else:
            children = [(value, f"{path}[{i}]", depth + 1) for i, value in enumerate(node)]
        stack.extend(reversed(children))  # popped in document order
