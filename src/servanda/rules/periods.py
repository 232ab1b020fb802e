"""Periods of calendar dates (DESIGN.md conventions 2 and 3).

Users see inclusive end dates; internally a period is half-open
`[start, end_excl)` with `end_excl = end + 1 day`. Every overlap and containment
question in Servanda goes through these functions.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .durations import CalendarDuration

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Half-open `[start, end_excl)`; `end_excl is None` means open-ended."""

    start: date
    end_excl: date | None = None

    def __post_init__(self) -> None:
        if self.end_excl is not None and self.end_excl <= self.start:
            raise ValueError(
                f"a period must end on or after its start ({self.start} .. {self.end_excl - ONE_DAY})"
            )

    @classmethod
    def inclusive(cls, start: date, end: date | None) -> Period:
        return cls(start, None if end is None else end + ONE_DAY)

    @property
    def end(self) -> date | None:
        """The inclusive last day, as users see it."""
        return None if self.end_excl is None else self.end_excl - ONE_DAY

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end_excl is None or day < self.end_excl)

    def overlaps(self, other: Period) -> bool:
        return overlaps(self.start, self.end_excl, other.start, other.end_excl)


def overlaps(a_start: date, a_end_excl: date | None, b_start: date, b_end_excl: date | None) -> bool:
    """`a.start < b.end_excl and b.start < a.end_excl`, with None as open-ended."""
    return (b_end_excl is None or a_start < b_end_excl) and (a_end_excl is None or b_start < a_end_excl)


def add_months_clamped(day: date, months: int) -> date:
    """The same day number `months` later, clamped to the target month's last day."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def end_exclusive(start: date, duration: CalendarDuration) -> date:
    """First day after a period of `duration` beginning at the start of `start`.

    BGB §§ 187(2), 188(2)-(3): n months from day S end the day before day S of the
    target month, or on the target month's last day when it has no day S — so the
    exclusive end is day S of the target month, or the 1st of the month after.
    """
    if duration.months:
        total = start.year * 12 + (start.month - 1) + duration.months
        year, month0 = divmod(total, 12)
        last = calendar.monthrange(year, month0 + 1)[1]
        if start.day <= last:
            boundary = date(year, month0 + 1, start.day)
        else:
            boundary = date(year, month0 + 1, last) + ONE_DAY
    else:
        boundary = start
    return boundary + timedelta(days=duration.days)


def end_inclusive(start: date, duration: CalendarDuration) -> date:
    """The last day of a period of `duration` beginning on `start` (DESIGN convention 3)."""
    if duration.is_zero:
        raise ValueError("a period of zero length has no last day")
    return end_exclusive(start, duration) - ONE_DAY


def period_of(start: date, duration: CalendarDuration) -> Period:
    return Period(start, end_exclusive(start, duration))
