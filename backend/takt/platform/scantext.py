"""Read the text a scanner delivers and tell what it is, by content alone.

Scanners (keyboard-wedge handhelds, phone cameras) hand Takt a string. This module decides
what the string means without asking which input field had focus:

* a Takt label: an uppercase URL ``<PUBLIC_URL>/S/<KIND>/<CODE>`` -> :class:`LabelRef`;
* a supplier label in GS1 form (element string with FNC1 as ASCII GS, the human-readable
  form with parentheses, or a GS1 Digital Link URI) -> :class:`Gs1`;
* anything else that is not empty -> :class:`BareCode`.

Only the standard library is used, so the same rules can be mirrored in the PWA's
``scan/parse.ts`` and checked against the same examples.

Example:
    >>> parse_scan("HTTP://TAKT.LOCAL:8000/S/WO/WO-2026-00001\\r\\n")
    LabelRef(kind='WO', code='WO-2026-00001')
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from takt.platform.i18n import Message

__all__ = [
    "gtin_check_digit_ok",
    "LABEL_KINDS",
    "MAX_SCAN_LENGTH",
    "BareCode",
    "Gs1",
    "LabelRef",
    "ScanTextError",
    "label_url",
    "parse_scan",
]

LABEL_KINDS: tuple[str, ...] = ("WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U")
"""The record kinds a Takt label can name, as they appear in ``/S/<KIND>/<CODE>``."""

MAX_SCAN_LENGTH = 512
"""The longest scan (after trimming) that :func:`parse_scan` reads."""

_GS = "\x1d"
"""ASCII group separator: how scanners transmit the GS1 FNC1 between variable fields."""


class ScanTextError(ValueError):
    """Scanned text that cannot be read; the message is a sentence for the person scanning.

    Args:
        sentence: That sentence, a :class:`~takt.platform.i18n.Message` so that the refusal
            it becomes is answered in the reader's language.
    """

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


@dataclass(frozen=True, slots=True)
class LabelRef:
    """A Takt label: the record kind and its code.

    Attributes:
        kind: One of :data:`LABEL_KINDS`, uppercase.
        code: The record's code, percent-decoded and uppercase.
    """

    kind: str
    code: str


@dataclass(frozen=True, slots=True)
class Gs1:
    """The parts of a GS1 supplier label that Takt uses.

    Attributes:
        gtin: AI (01), always 14 digits with a valid check digit, or None if absent.
        batch: AI (10), the batch or lot number as printed (case kept), or None.
        expiry: AI (17), the expiry date (DD "00" read as the month's last day), or None.
        serial: AI (21), the serial number as printed (case kept), or None.
        raw: The scanned text, trimmed of surrounding whitespace and control characters.
    """

    gtin: str | None
    batch: str | None
    expiry: date | None
    serial: str | None
    raw: str


@dataclass(frozen=True, slots=True)
class BareCode:
    """Any other scan: the text trimmed and uppercased.

    Attributes:
        code: The scanned text, trimmed and uppercased.
    """

    code: str


# --------------------------------------------------------------------------------------------
# Takt labels
# --------------------------------------------------------------------------------------------

_CODE_RE = re.compile(r"[A-Z0-9._-]+")
_KINDS_PATTERN = "|".join(sorted(LABEL_KINDS, key=len, reverse=True))
_LABEL_RE = re.compile(
    # Any prefix without whitespace, query or fragment (scheme, host, port, path), then
    # /S/<KIND>/<CODE>, an optional trailing slash, and an ignored query or fragment.
    rf"^[^\s?#]*?/S/(?P<kind>{_KINDS_PATTERN})/(?P<code>[^/?#\s]+)/?(?:[?#].*)?$",
    re.IGNORECASE | re.DOTALL,
)


def _code_problem(code: str) -> str | None:
    """Say what is wrong with an (already uppercased) Takt code, or return None if it is fine."""
    if not code:
        return Message("is empty", context="code")
    if code in (".", "..") or not _CODE_RE.fullmatch(code):
        return Message("may contain only letters, digits, '-', '_' and '.'")
    return None


def label_url(public_url: str, kind: str, code: str) -> str:
    """Build the uppercase URL that a Takt label encodes.

    Args:
        public_url: The public base URL of this Takt, e.g. ``https://takt.example.com``;
            trailing slashes are removed. May be empty, which gives the path alone.
        kind: One of :data:`LABEL_KINDS` (any case).
        code: The record's code (any case); letters, digits, ``-``, ``_`` and ``.`` only.

    Returns:
        ``<PUBLIC_URL>/S/<KIND>/<CODE>``, all uppercase, the code percent-encoded where needed.

    Raises:
        ValueError: If the kind is not a label kind, the code has characters Takt codes
            never contain, or the public URL has whitespace, a query or a fragment.

    Example:
        >>> label_url("https://takt.example.com/", "wo", "wo-2026-00001")
        'HTTPS://TAKT.EXAMPLE.COM/S/WO/WO-2026-00001'
    """
    base = public_url.strip().rstrip("/")
    if re.search(r"[\s?#]", base):
        raise ValueError(
            f"The public URL {public_url!r} cannot start a label URL: it must not contain "
            "whitespace, '?' or '#'."
        )
    kind_upper = kind.strip().upper()
    if kind_upper not in LABEL_KINDS:
        raise ValueError(f"{kind!r} is not a label kind; use one of {', '.join(LABEL_KINDS)}.")
    code_upper = code.strip().upper()
    problem = _code_problem(code_upper)
    if problem is not None:
        raise ValueError(f"The code {code!r} cannot go on a label: a Takt code {problem}.")
    return f"{base}/S/{kind_upper}/{quote(code_upper, safe='')}".upper()


def _parse_label(text: str) -> LabelRef | None:
    """Read a Takt label URL (or its path alone); None if the text is not one."""
    match = _LABEL_RE.match(text)
    if match is None:
        return None
    kind = match["kind"].upper()
    code = unquote(match["code"], errors="replace").strip().upper()
    problem = _code_problem(code)
    if problem is not None:
        raise ScanTextError(
            Message("This looks like a Takt label for a {kind}, but its code {code!r} cannot be "
                    "right: a Takt code {problem}.", kind=kind, code=code, problem=problem)
        )
    return LabelRef(kind=kind, code=code)


# --------------------------------------------------------------------------------------------
# GS1
# --------------------------------------------------------------------------------------------

# Length of the application identifier itself, by its first two digits (GS1 General
# Specifications, section 3). Prefixes missing here are not assigned: an unknown AI.
_AI_LENGTH_BY_PREFIX: dict[str, int] = {
    **dict.fromkeys(("00", "01", "02", "03", "10", "11", "12", "13", "15", "16", "17"), 2),
    **dict.fromkeys(("20", "21", "22", "30", "37"), 2),
    **{str(n): 2 for n in range(90, 100)},
    **dict.fromkeys(("23", "24", "25", "40", "41", "42", "71"), 3),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "39", "43"), 4),
    **dict.fromkeys(("70", "72", "80", "81", "82"), 4),
}

# The "predefined length" table (GS1 General Specifications, figure 7.8.5-2): AIs that start
# with these two digits have a fixed, numeric data length and need no separator after them.
# Every other element is variable or must be ended by FNC1 (GS) unless it is the last one.
_FIXED_DATA_LENGTH_BY_PREFIX: dict[str, int] = {
    "00": 18,
    "01": 14,
    "02": 14,
    "03": 14,
    **dict.fromkeys(("11", "12", "13", "15", "16", "17"), 6),
    "20": 2,
    **dict.fromkeys(("31", "32", "33", "34", "35", "36"), 6),
    "41": 13,
}

# Longest data of variable-length AIs; any AI not listed may hold up to 90 characters.
_MAX_DATA_LENGTH: dict[str, int] = {
    "10": 20,
    "21": 20,
    "22": 20,
    "30": 8,
    "37": 8,
    "90": 30,
    "235": 28,
    "240": 30,
    "241": 30,
    "250": 30,
    "251": 30,
    "400": 30,
    "401": 30,
    "403": 30,
}
_MAX_ANY_DATA_LENGTH = 90

_FIELD_NAMES: dict[str, str] = {"01": "GTIN", "10": Message("batch", context="GS1"),
                                 "17": Message("expiry date", context="GS1"),
                                 "21": Message("serial", context="GS1")}

# Symbology identifiers (ISO/IEC 15424) that announce GS1 data: GS1-128, GS1 DataMatrix,
# GS1 QR Code, GS1 DataBar, GS1 DotCode. Case matters: "]E0" is a plain EAN-13.
_GS1_SYMBOLOGY_IDS = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})
_SYMBOLOGY_ID_RE = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_LITERAL_GS_RE = re.compile(r"<GS>", re.IGNORECASE)
_PAREN_AI_RE = re.compile(r"\((\d+)\)")
_URI_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_DIGITS_RE = re.compile(r"[0-9]+")
_GTIN_IN_DIGITAL_LINK_LENGTHS = (8, 12, 13, 14)
# Short names that older GS1 Digital Link URIs use instead of AI numbers.
_DIGITAL_LINK_ALIASES = {"gtin": "01", "cpv": "22", "lot": "10", "ser": "21", "exp": "17"}


def gtin_check_digit_ok(gtin: str) -> bool:
    """Whether the last digit of a GTIN is its GS1 mod-10 check digit."""
    body, check = gtin[:-1], int(gtin[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _expiry_date(value: str, today: date) -> date:
    """Read a GS1 YYMMDD date with the century rule of GS1 General Specifications 7.12."""
    if not re.fullmatch(r"[0-9]{6}", value):
        raise ScanTextError(
            Message("The expiry date {value!r} on this GS1 label is not six digits (YYMMDD).",
                    value=value)
        )
    yy, month, day = int(value[:2]), int(value[2:4]), int(value[4:6])
    # The year lies from 49 years before to 50 years after the current year.
    difference = yy - today.year % 100
    century = today.year // 100 * 100
    if difference >= 51:
        century -= 100
    elif difference <= -50:
        century += 100
    year = century + yy
    if not 1 <= month <= 12:
        raise ScanTextError(
            Message("The expiry date {value} on this GS1 label is not a real date: there is no "
                    "month {month:02}.", value=value, month=month)
        )
    last_day = calendar.monthrange(year, month)[1]
    if day == 0:
        day = last_day
    if day > last_day:
        raise ScanTextError(
            Message("The expiry date {value} on this GS1 label is not a real date: "
                    "{year}-{month:02} has no day {day:02}.",
                    value=value, year=year, month=month, day=day)
        )
    return date(year, month, day)


def _ai_length(text: str, pos: int) -> int:
    """Length of the AI starting at ``pos``; raises ScanTextError if there is none we know."""
    prefix = text[pos : pos + 2]
    length = _AI_LENGTH_BY_PREFIX.get(prefix) if _DIGITS_RE.fullmatch(prefix) else None
    if length is None:
        raise ScanTextError(
            Message("This GS1 label has {prefix!r} where an application identifier should start, "
                    "and Takt does not know it, so the rest of the label cannot be read.",
                    prefix=prefix)
        )
    ai = text[pos : pos + length]
    if len(ai) < length or not _DIGITS_RE.fullmatch(ai):
        raise ScanTextError(
            Message("This GS1 label ends or breaks off in the application identifier {ai!r}.",
                    ai=ai)
        )
    return length


def _check_field(ai: str, value: str) -> None:
    """Check the length and characters of one element; raise ScanTextError if malformed."""
    fixed = _FIXED_DATA_LENGTH_BY_PREFIX.get(ai[:2])
    if fixed is not None:
        if len(value) != fixed or not _DIGITS_RE.fullmatch(value):
            raise ScanTextError(
                Message("The GS1 field ({ai}) needs exactly {fixed} digits, but this label has "
                        "{value!r}.", ai=ai, fixed=fixed, value=value)
            )
        return
    if not value:
        raise ScanTextError(Message("The GS1 field ({ai}) on this label is empty.", ai=ai))
    limit = _MAX_DATA_LENGTH.get(ai, _MAX_ANY_DATA_LENGTH)
    if len(value) > limit:
        name = _FIELD_NAMES.get(ai, Message("field ({ai})", ai=ai))
        raise ScanTextError(
            Message("The {name} on this GS1 label is longer than {limit} characters; the scanner "
                    "may have dropped a separator between two fields.", name=name, limit=limit)
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ScanTextError(Message("The GS1 field ({ai}) on this label contains control "
                                    "characters.", ai=ai))


def _split_element_string(data: str) -> list[tuple[str, str]]:
    """Split a GS1 element string (FNC1 sent as GS) into (AI, value) pairs.

    Fixed-length elements (the predefined-length table) are cut by length; every other
    element runs to the next GS or the end, which is what lets unknown-but-assigned AIs be
    skipped safely.
    """
    fields: list[tuple[str, str]] = []
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] == _GS:  # FNC1 in first position, after a fixed field, or doubled
            pos += 1
            continue
        ai_len = _ai_length(data, pos)
        ai = data[pos : pos + ai_len]
        start = pos + ai_len
        fixed = _FIXED_DATA_LENGTH_BY_PREFIX.get(ai[:2])
        if fixed is not None:
            stop = min(start + fixed, end)
            next_pos = stop
        else:
            gs = data.find(_GS, start)
            stop = end if gs < 0 else gs
            next_pos = stop + 1
        value = data[start:stop]
        _check_field(ai, value)
        fields.append((ai, value))
        pos = next_pos
    if not fields:
        raise ScanTextError(Message("This GS1 label holds no data."))
    return fields


def _split_parenthesised(data: str) -> list[tuple[str, str]]:
    """Split the human-readable form ``(01)09506000134352(10)ABC`` into (AI, value) pairs."""
    matches = list(_PAREN_AI_RE.finditer(data))
    fields: list[tuple[str, str]] = []
    for index, match in enumerate(matches):
        ai = match[1]
        if _AI_LENGTH_BY_PREFIX.get(ai[:2]) != len(ai):
            raise ScanTextError(
                Message("This GS1 label has the application identifier ({ai}), which Takt does "
                        "not know, so the rest of the label cannot be read.", ai=ai)
            )
        stop = matches[index + 1].start() if index + 1 < len(matches) else len(data)
        value = re.sub(r"[\s\x1d]", "", data[match.end() : stop])
        _check_field(ai, value)
        fields.append((ai, value))
    return fields


def _split_digital_link(text: str) -> list[tuple[str, str]] | None:
    """Read a GS1 Digital Link URI with primary key (01); None if the text is not one."""
    if not _URI_SCHEME_RE.match(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        # urlsplit refuses hosts like "a]b" or "[x]"; only the path and query matter here.
        raise ScanTextError(
            Message("This scan looks like a web address, but its host cannot be read.")) from None
    segments = parts.path.split("/")
    for index in range(len(segments) - 1):
        key = _DIGITAL_LINK_ALIASES.get(segments[index].lower(), segments[index])
        candidate = segments[index + 1]
        if (
            key == "01"
            and _DIGITS_RE.fullmatch(candidate)
            and len(candidate) in _GTIN_IN_DIGITAL_LINK_LENGTHS
        ):
            break
    else:
        return None  # not a Digital Link with a GTIN (8, 12, 13 or 14 digits) as primary key
    gtin = segments[index + 1]
    fields = [("01", gtin.zfill(14))]
    rest = segments[index + 2 :]
    if rest and rest[-1] == "":
        rest.pop()  # trailing slash
    if len(rest) % 2:
        raise ScanTextError(
            Message("This GS1 Digital Link has a path part without a value: {rest!r}.",
                    rest=unquote(rest[-1]))
        )
    for key_index in range(0, len(rest), 2):
        key = unquote(rest[key_index])
        ai = _DIGITAL_LINK_ALIASES.get(key.lower(), key)
        if not _DIGITS_RE.fullmatch(ai):
            raise ScanTextError(
                Message("This GS1 Digital Link has {key!r} in its path where an application "
                        "identifier should be.", key=key)
            )
        fields.append((ai, unquote(rest[key_index + 1])))
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        ai = _DIGITAL_LINK_ALIASES.get(key.lower(), key)
        if _DIGITS_RE.fullmatch(ai):  # other keys (linkType, context, ...) are not data
            fields.append((ai, value))
    return fields


def _gs1_from_fields(fields: list[tuple[str, str]], raw: str, today: date) -> Gs1:
    """Pick AIs 01, 10, 17 and 21 out of GS1 fields and check them."""
    found: dict[str, str] = {}
    for ai, value in fields:
        if ai not in _FIELD_NAMES:
            continue  # other AIs are skipped
        if ai in found and found[ai] != value:
            raise ScanTextError(
                Message("This GS1 label gives two different values for its {name}: {found!r} "
                        "and {value!r}.", name=_FIELD_NAMES[ai], found=found[ai], value=value)
            )
        found[ai] = value
    gtin = found.get("01")
    if gtin is not None:
        if not re.fullmatch(r"[0-9]{14}", gtin):
            raise ScanTextError(Message("The GTIN {gtin!r} on this GS1 label is not 14 digits.",
                                        gtin=gtin))
        if not gtin_check_digit_ok(gtin):
            raise ScanTextError(Message("The GTIN {gtin} on this GS1 label has a wrong check "
                                        "digit.", gtin=gtin))
    for ai in ("10", "21"):
        if ai in found:
            _check_field(ai, found[ai])
    expiry = _expiry_date(found["17"], today) if "17" in found else None
    return Gs1(
        gtin=gtin,
        batch=found.get("10"),
        expiry=expiry,
        serial=found.get("21"),
        raw=raw,
    )


def _parse_gs1(text: str, *, claimed: bool, raw: str, today: date) -> Gs1 | None:
    """Read GS1 data in any accepted form; None if the text is not GS1.

    Args:
        text: The scan with any symbology identifier removed.
        claimed: Whether a GS1 symbology identifier announced GS1 data.
        raw: The trimmed scan, kept on the result.
        today: The date that the expiry century rule counts from.
    """
    fields = _split_digital_link(text)
    if fields is not None:
        return _gs1_from_fields(fields, raw, today)
    data = _LITERAL_GS_RE.sub(_GS, text).strip(_GS)
    if re.match(r"\(\d+\)", data):
        return _gs1_from_fields(_split_parenthesised(data), raw, today)
    if claimed or (re.match(r"[0-9]{2}", data) and _GS in data):
        return _gs1_from_fields(_split_element_string(data), raw, today)
    if re.match(r"01[0-9]{14}", data):
        # Digits only count as GS1 when they start with (01) and the rest parses too;
        # a plain GTIN-8/12/13/14 stays a bare code.
        try:
            fields = _split_element_string(data)
        except ScanTextError:
            return None
        return _gs1_from_fields(fields, raw, today)
    return None


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _is_trimmable(ch: str) -> bool:
    """Whitespace, control characters and invisible marks that scanners add around data."""
    code = ord(ch)
    return ch.isspace() or code < 32 or 127 <= code <= 159 or ch in "\ufeff\u200b"


def _trim(text: str) -> str:
    """Remove whitespace and control characters from both ends."""
    start, end = 0, len(text)
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    return text[start:end]


def parse_scan(text: str, *, today: date | None = None) -> LabelRef | Gs1 | BareCode:
    """Tell what a scanned text is, by its content.

    The text is trimmed of surrounding whitespace and control characters (wedge scanners end
    with CR, LF or TAB). A leading AIM symbology identifier such as ``]C1``, ``]d2``,
    ``]Q3``, ``]e0`` or ``]J1`` is removed; the GS1 ones mark the rest as GS1 data. Then, in
    this order: a Takt label URL gives a :class:`LabelRef`; a GS1 Digital Link, a GS1
    element string or its parenthesised human-readable form gives a :class:`Gs1`; anything
    else gives a :class:`BareCode`.

    Args:
        text: What the scanner delivered.
        today: The date the GS1 expiry century rule counts from; defaults to today.

    Returns:
        The :class:`LabelRef`, :class:`Gs1` or :class:`BareCode` the text stands for.

    Raises:
        ScanTextError: If the text is empty, longer than 512 characters after trimming, a
            Takt label with an impossible code, or GS1 data that is malformed (wrong fixed
            length, unknown AI, bad date, wrong GTIN check digit, over-long batch/serial).

    Example:
        >>> parse_scan("(01)09506000134352(17)261200(10)ab1", today=date(2026, 1, 1))
        Gs1(gtin='09506000134352', batch='ab1', expiry=datetime.date(2026, 12, 31), \
serial=None, raw='(01)09506000134352(17)261200(10)ab1')
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_scan needs a str, not {type(text).__name__}.")
    raw = _trim(text)
    if not raw:
        raise ScanTextError(Message("The scan is empty; scan the label again."))
    if len(raw) > MAX_SCAN_LENGTH:
        raise ScanTextError(
            Message("The scan is {count} characters long; Takt reads at most {max_scan_length} "
                    "characters from one scan.", count=len(raw), max_scan_length=MAX_SCAN_LENGTH)
        )
    body = raw
    claimed = False
    if _SYMBOLOGY_ID_RE.match(body):
        claimed = body[:3] in _GS1_SYMBOLOGY_IDS
        body = _trim(body[3:])
        if not body:
            raise ScanTextError(Message("The scan holds only the scanner's prefix and no data."))

    label = _parse_label(body)
    if label is not None:
        return label
    gs1 = _parse_gs1(body, claimed=claimed, raw=raw, today=today or date.today())
    if gs1 is not None:
        return gs1
    return BareCode(code=body.upper())
