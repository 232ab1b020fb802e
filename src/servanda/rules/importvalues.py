"""Reading spreadsheet values as the mapping declares them (DESIGN.md convention 9).

Pure functions, no Django. Every failure raises ImportValueError whose message
quotes the offending text, so an import report can show it as it is.

Decisions (docs/IMPORT.md):
- Dates are read only with the declared formats, tried in order; day-first and
  month-first are never guessed.
- Two-digit years: `century="past"` (birth dates) takes the latest year that is not
  in the future; otherwise the POSIX pivot: 69–99 → 19xx, 00–68 → 20xx.
- Dates with unknown parts (CUAD `[]/[]/2020`) are rejected: a made-up day is
  worse than no date.
- Excel serials follow Excel's 1900 calendar, including its phantom 1900-02-29
  (serial 60), which is rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from .durations import CalendarDuration


class ImportValueError(ValueError):
    """A value that cannot be read as declared; the message quotes the text."""


class _OpenEnded:
    """`perpetual`: a term with no end."""

    _instance: _OpenEnded | None = None

    def __new__(cls) -> _OpenEnded:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OPEN_ENDED"


OPEN_ENDED = _OpenEnded()
OPEN_WORDS = frozenset({"perpetual", "perpetually", "indefinite", "indefinitely", "evergreen"})

# ---------------------------------------------------------------- dates

_TOKENS = [
    ("yyyy", r"(?P<Y>\d{4})"),
    ("yy", r"(?P<y>\d{2})"),
    ("mm", r"(?P<m>\d{2})"),
    ("m", r"(?P<m>\d{1,2})"),
    ("dd", r"(?P<d>\d{2})"),
    ("d", r"(?P<d>\d{1,2})"),
    ("hh", r"(?P<H>\d{2})"),
    ("h", r"(?P<H>\d{1,2})"),
    ("nn", r"(?P<M>\d{2})"),
    ("ss", r"(?P<S>\d{2})"),
]
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_compiled: dict[str, re.Pattern[str]] = {}


def compile_format(spec: str) -> re.Pattern[str]:
    """`m/d/yyyy`, `dd/mm/yy`, `yyyy-mm-dd hh:nn:ss` → a regex; `iso` is ISO 8601 date or instant."""
    if spec in _compiled:
        return _compiled[spec]
    out, i, seen = "", 0, set()
    while i < len(spec):
        for token, pattern in _TOKENS:
            if spec.startswith(token, i):
                group = pattern[4]
                if group in seen:
                    raise ImportValueError(f"date format {spec!r} names a part twice")
                seen.add(group)
                out += pattern
                i += len(token)
                break
        else:
            out += re.escape(spec[i])
            i += 1
    if not {"d", "m"} <= seen or not seen & {"Y", "y"}:
        raise ImportValueError(f"date format {spec!r} needs a day, a month and a year")
    _compiled[spec] = re.compile(f"^{out}$")
    return _compiled[spec]


def _full_year(two: int, *, century: str, pivot: int, month: int, day: int, today: dt.date) -> int:
    if century == "past":
        year = today.year // 100 * 100 + two
        # Never in the future: a date after today falls back a century.
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
        return year
    return (1900 if two >= pivot else 2000) + two


def _iso(text: str) -> dt.date | None:
    match = _ISO_DATE.match(text)
    if match:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    try:
        instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if instant.tzinfo is not None:
        instant = instant.astimezone(dt.UTC)
    return instant.date()


def parse_date(
    text: str,
    formats: Sequence[str],
    *,
    century: str = "pivot",
    pivot: int = 69,
    today: dt.date | None = None,
) -> dt.date:
    """A calendar date read with the first declared format that matches."""
    raw = text.strip()
    if "[" in raw:
        raise ImportValueError(f"{text!r} has unknown parts ([]); a date needs day, month and year")
    today = today or dt.date.today()
    for spec in formats:
        if spec == "iso":
            try:
                found = _iso(raw)
            except ValueError:
                raise ImportValueError(f"{text!r} is not a day in the calendar") from None
            if found is not None:
                return found
            continue
        match = compile_format(spec).match(raw)
        if not match:
            continue
        parts = match.groupdict()
        month, day = int(parts["m"]), int(parts["d"])
        if parts.get("Y"):
            year = int(parts["Y"])
        else:
            year = _full_year(
                int(parts["y"]), century=century, pivot=pivot, month=month, day=day, today=today
            )
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ImportValueError(f"{text!r} read as {spec} is not a day in the calendar") from None
    raise ImportValueError(f"{text!r} does not match the declared date format(s) {', '.join(formats)}")


def format_date(day: dt.date, spec: str) -> str:
    """The inverse of parse_date for one format (used to describe and to test formats)."""
    values = {
        "yyyy": f"{day.year:04d}",
        "yy": f"{day.year % 100:02d}",
        "mm": f"{day.month:02d}",
        "m": str(day.month),
        "dd": f"{day.day:02d}",
        "d": str(day.day),
    }
    if spec == "iso":
        return day.isoformat()
    out, i = "", 0
    while i < len(spec):
        for token, _ in _TOKENS:
            if spec.startswith(token, i) and token in values:
                out += values[token]
                i += len(token)
                break
        else:
            out += spec[i]
            i += 1
    return out


def parse_instant(text: str, formats: Sequence[str], *, zone: str = "UTC") -> dt.datetime:
    """An aware UTC instant; naive values are read in the declared IANA zone."""
    raw = text.strip()
    tz = ZoneInfo(zone)
    for spec in formats:
        if spec == "iso":
            try:
                value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                continue
            if value.tzinfo is None:
                value = value.replace(tzinfo=tz)
            return value.astimezone(dt.UTC)
        match = compile_format(spec).match(raw)
        if not match:
            continue
        p = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        year = (
            p["Y"]
            if "Y" in p
            else _full_year(p["y"], century="pivot", pivot=69, month=1, day=1, today=dt.date.today())
        )
        try:
            local = dt.datetime(year, p["m"], p["d"], p.get("H", 0), p.get("M", 0), p.get("S", 0), tzinfo=tz)
        except ValueError:
            raise ImportValueError(f"{text!r} read as {spec} is not a moment in the calendar") from None
        return local.astimezone(dt.UTC)
    raise ImportValueError(f"{text!r} does not match the declared format(s) {', '.join(formats)}")


# ---------------------------------------------------------------- Excel serials

_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial_to_date(serial: float, *, cell: str = "") -> dt.date:
    """Excel's 1900 date system: 1 = 1900-01-01; 60 is Excel's non-existent 1900-02-29."""
    where = f"cell {cell}: " if cell else ""
    if isinstance(serial, bool) or serial != int(serial):
        raise ImportValueError(f"{where}Excel serial {serial!r} has a time of day; a date was expected")
    n = int(serial)
    if n < 1:
        raise ImportValueError(f"{where}Excel serial {n} is before 1900-01-01")
    if n == 60:
        raise ImportValueError(f"{where}Excel serial 60 is 1900-02-29, a day that does not exist")
    # Before the phantom leap day Excel's count is one ahead of the real calendar.
    return _EXCEL_EPOCH + dt.timedelta(days=n + 1 if n < 60 else n)


def excel_number_text(value: float, number_format: str = "General") -> str:
    """A numeric cell as the text a person sees: `0000000` formats keep their leading zeros."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value)
    fmt = (number_format or "").split(";")[0]
    if isinstance(value, int) and re.fullmatch(r"0+", fmt):
        text = f"{value:0{len(fmt)}d}" if value >= 0 else text
    return text


# ---------------------------------------------------------------- numbers

_ACCOUNTING_ZERO = re.compile(r"^[-–]+$")


def parse_decimal(
    text: str,
    *,
    decimal: str = ".",
    thousands: str = ",",
    places: int | None = None,
) -> Decimal:
    """A decimal with the declared separators; `-` (accounting zero) is 0, `(1.00)` is -1.00.

    Thousands separators must group by three; scientific notation (`1.1E7`, as
    exported from spreadsheets) is read when the decimal mark is a point.
    `places` rounds half-even (money in cents: binary float artefacts such as
    1234.5699999999 become 1234.57).
    """
    raw = text.strip().replace("$", "").replace("€", "").replace("£", "").strip()
    if _ACCOUNTING_ZERO.match(raw.replace(" ", "")):
        return Decimal(0) if places is None else Decimal(0).quantize(Decimal(1).scaleb(-places))
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    if raw and raw[0] in "+-":
        negative, raw = negative != (raw[0] == "-"), raw[1:].strip()
    number: Decimal | None = None
    if decimal == "." and re.fullmatch(r"\d+(\.\d+)?[eE][+-]?\d+", raw):
        number = Decimal(raw)
    else:
        d = re.escape(decimal)
        if thousands and thousands in raw:
            pattern = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{d}\d+)?"
        else:
            pattern = rf"\d+(?:{d}\d*)?|{d}\d+"
        if re.fullmatch(pattern, raw):
            plain = raw.replace(thousands, "") if thousands else raw
            number = Decimal(plain.replace(decimal, "."))
    if number is None:
        raise ImportValueError(
            f"{text!r} is not a number with decimal mark {decimal!r} and thousands separator {thousands!r}"
        )
    if negative:
        number = -number
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    return number


def decimal_text(number: Decimal) -> str:
    """Plain decimal text without exponent: Decimal('1.1E+7') → '11000000'."""
    text = format(number, "f")
    return "0" if text in {"-0", "-0.0"} else text


def parse_integer(text: str, *, thousands: str = ",") -> int:
    try:
        number = parse_decimal(text, thousands=thousands)
    except ImportValueError:
        raise ImportValueError(f"{text!r} is not a whole number") from None
    if number != number.to_integral_value():
        raise ImportValueError(f"{text!r} is not a whole number")
    return int(number)


TRUE_WORDS = ("yes", "y", "true", "t", "1", "x", "ja", "oui")
FALSE_WORDS = ("no", "n", "false", "f", "0", "nee", "non")


def parse_boolean(text: str, *, true: Sequence[str] = TRUE_WORDS, false: Sequence[str] = FALSE_WORDS) -> bool:
    word = text.strip().lower()
    if word in {w.lower() for w in true}:
        return True
    if word in {w.lower() for w in false}:
        return False
    raise ImportValueError(f"{text!r} is neither yes ({', '.join(true)}) nor no ({', '.join(false)})")


# ---------------------------------------------------------------- durations

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    "one hundred twenty": 120,
    "one hundred eighty": 180,
}
_UNITS = {"day": (0, 1), "week": (0, 7), "month": (1, 0), "year": (12, 0)}
_AMOUNT = r"(?P<n>\d+(?:\.\d+)?)"
_PART = re.compile(rf"^{_AMOUNT}\s*(?:calendar\s+)?(?P<unit>day|week|month|year)s?$")
# "successive" and the ways people misspell it (succesive, successine, succsive, sucessive).
_SUCCESSIVE = re.compile(r"\bsuc\w*(?:ive|ine)\b|\bconsecutive\b|\badditional\b|\bperiods?\s+of\b")


def _words_to_digits(text: str) -> str:
    # "one (1) year" / "(6) months" / "60) days": the digits in brackets are the number.
    text = re.sub(r"\b[a-z-]+(?:\s+[a-z-]+)*\s*\((\d+)\)", lambda m: _bracketed(m), text)
    text = re.sub(r"\(\s*(\d+)\s*\)", r"\1", text)
    text = re.sub(r"(\d+)\s*\)", r"\1", text)
    for word in sorted(_NUMBER_WORDS, key=len, reverse=True):
        text = re.sub(
            rf"\b{word}\b(?=\s*(?:calendar\s+)?(?:day|week|month|year))", str(_NUMBER_WORDS[word]), text
        )
    return text


def _bracketed(match: re.Match[str]) -> str:
    words, digits = match.group(0).split("(")[0].strip(), match.group(1)
    # Keep leading words that are not the number ("successive one (1)" → "successive 1").
    tokens = words.split()
    while tokens and " ".join(tokens) not in _NUMBER_WORDS:
        tokens.pop(0)
    said = " ".join(tokens)
    if said and _NUMBER_WORDS[said] != int(digits):
        raise ImportValueError(f"number in words and in digits disagree: {match.group(0)!r}")
    prefix = words[: len(words) - len(said)].strip() if said else words
    return f"{prefix} {digits}".strip()


def parse_duration_text(text: str) -> CalendarDuration | _OpenEnded:
    """Free-text terms: `2 years`, `successive 1 year`, `12 months`, `60) days`, `perpetual`.

    A count of renewals (`3 successive 1 year`) is dropped: the term is the length
    of one renewal. Several alternatives (`6 months; 12 months`), unknown parts
    (`successive [] years`) and anything else are rejected quoting the text.
    """
    raw = text.strip()
    low = re.sub(r"\s+", " ", raw.lower()).strip(" .;,")
    if not low:
        raise ImportValueError("empty duration")
    if low in OPEN_WORDS:
        return OPEN_ENDED
    if "[" in low:
        raise ImportValueError(f"{raw!r} has unknown parts ([])")
    if re.search(r"[;/]|\bor\b", low):
        raise ImportValueError(f"{raw!r} names several durations; one is needed")
    try:
        low = _words_to_digits(low)
    except ImportValueError as exc:
        raise ImportValueError(f"{raw!r}: {exc}") from None
    # "3 successive 1 year": a renewal count before the word successive.
    low = re.sub(r"^(?:\d+|[a-z]+)\s+(?=suc\w*(?:ive|ine)\b)", "", low)
    low = _SUCCESSIVE.sub(" ", low)
    low = re.sub(r"\s+", " ", low).strip()
    parts = [p.strip() for p in re.split(r",|\band\b", low) if p.strip()]
    months = days = 0
    for part in parts or [low]:
        match = _PART.match(part)
        if not match:
            raise ImportValueError(f"{raw!r} is not a duration such as '2 years', '12 months' or '30 days'")
        amount, (per_m, per_d) = Decimal(match["n"]), _UNITS[match["unit"]]
        m, d = amount * per_m, amount * per_d
        if m != int(m) or d != int(d):
            raise ImportValueError(f"{raw!r} is not a whole number of months or days")
        months, days = months + int(m), days + int(d)
    if months == 0 and days == 0:
        raise ImportValueError(f"{raw!r} is a zero duration")
    return CalendarDuration(months=months, days=days)


def years_before(reference: dt.date, years: int) -> dt.date:
    """`reference` minus whole years; 29 Feb falls back to 28 Feb."""
    if years < 0:
        raise ImportValueError(f"an age of {years} years is negative")
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)
