"""Free-text contract terms → calendar durations (`2 years`, `successive 1 year`, `perpetual`).

Pure, no Django. Part of the import value rules (rules.importvalues re-exports it).
"""

from __future__ import annotations

import re
from decimal import Decimal

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
