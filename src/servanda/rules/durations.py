"""Calendar durations as contracts write them: ISO 8601 `P1Y`, `P3M`, `P2W`, `P30D`.

A calendar duration is (months, days): years fold into months because civil-law
period arithmetic counts months, and weeks fold into days. Time parts are refused:
contract terms are whole days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ISO = re.compile(r"^P(?!$)(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")


class DurationError(ValueError):
    """A duration that cannot be read; the message quotes the text."""


@dataclass(frozen=True, order=True)
class CalendarDuration:
    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0:
            raise DurationError("a duration is never negative")

    @property
    def is_zero(self) -> bool:
        return self.months == 0 and self.days == 0

    def __mul__(self, k: int) -> CalendarDuration:
        return CalendarDuration(self.months * k, self.days * k)

    def __add__(self, other: CalendarDuration) -> CalendarDuration:
        return CalendarDuration(self.months + other.months, self.days + other.days)

    def iso(self) -> str:
        """Canonical ISO 8601 text: whole years as Y, whole weeks as W."""
        if self.is_zero:
            return "P0D"
        out = "P"
        years, months = divmod(self.months, 12)
        if years and not months:
            out += f"{years}Y"
        elif self.months:
            out += f"{self.months}M"
        if self.days:
            weeks, rest = divmod(self.days, 7)
            out += f"{weeks}W" if weeks and not rest and not self.months else f"{self.days}D"
        return out

    def __str__(self) -> str:
        return self.iso()


def parse_iso_duration(text: str) -> CalendarDuration:
    """Read `P1Y`, `P18M`, `P1Y6M`, `P2W`, `P30D`; anything else is an error quoting it."""
    raw = (text or "").strip().upper()
    match = _ISO.match(raw)
    if not match:
        raise DurationError(f"not an ISO 8601 calendar duration: {text!r} (use e.g. P1Y, P3M, P30D)")
    y, m, w, d = (int(match.group(g) or 0) for g in "ymwd")
    return CalendarDuration(months=12 * y + m, days=7 * w + d)


def iso_or_none(text: str | None) -> CalendarDuration | None:
    if text is None or not str(text).strip():
        return None
    return parse_iso_duration(str(text))
