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

from .textdurations import OPEN_ENDED, OPEN_WORDS, ImportValueError, parse_duration_text

__all__ = [
    "OPEN_ENDED",
    "OPEN_WORDS",
    "ImportValueError",
    "decimal_text",
    "excel_number_text",
    "excel_serial_to_date",
    "format_date",
    "parse_boolean",
    "parse_date",
    "parse_decimal",
    "parse_duration_text",
    "parse_instant",
    "parse_integer",
    "years_before",
]


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


def years_before(reference: dt.date, years: int) -> dt.date:
    """`reference` minus whole years; 29 Feb falls back to 28 Feb."""
    if years < 0:
        raise ImportValueError(f"an age of {years} years is negative")
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)
