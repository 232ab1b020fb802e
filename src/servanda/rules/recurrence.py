"""Recurrences of planned work (DESIGN.md convention 4).

Two kinds:

* **Anchored interval** — "every N days/weeks/months/years from anchor A". The
  k-th occurrence is `A + k*N`, computed from A and clamped to the month's last
  day, never from occurrence k-1: "every month from 31 Jan 2024" gives 31 Jan,
  29 Feb, 31 Mar, 30 Apr (chaining would drift to the 29th for good).
* **RFC 5545 rule** — an RRULE (optionally with EXDATE / RDATE lines), expanded by
  python-dateutil. The text is stored exactly as given, so it loads back unchanged;
  the anchor date is its DTSTART. Planned work is date-only: instances are dates.

`Expander` memoises expansions per (rule, anchor, window) so a generation run
expands each distinct rule once and reuses it for every installation sharing it.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil import rrule as du

from .periods import add_months_clamped

UNITS = ("day", "week", "month", "year")


class RecurrenceError(ValueError):
    """A recurrence that cannot be used; the message says why."""


@dataclass(frozen=True)
class Interval:
    """Every `every` units (day, week, month, year)."""

    unit: str
    every: int

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise RecurrenceError(f"unknown unit {self.unit!r} (use one of {', '.join(UNITS)})")
        if self.every < 1:
            raise RecurrenceError("an interval is at least 1")

    @property
    def months(self) -> int:
        return self.every * (12 if self.unit == "year" else 1) if self.unit in ("month", "year") else 0

    @property
    def days(self) -> int:
        return self.every * (7 if self.unit == "week" else 1) if self.unit in ("day", "week") else 0

    def nth(self, anchor: date, k: int) -> date:
        """The k-th occurrence (k = 0 is the anchor itself), from the anchor."""
        if self.months:
            return add_months_clamped(anchor, k * self.months)
        return anchor + timedelta(days=k * self.days)

    def after(self, base: date) -> date:
        """One interval after `base` (floating mode: counted from the last completion)."""
        return self.nth(base, 1)

    def between(self, anchor: date, start: date, end: date) -> list[date]:
        """Occurrences in `[start, end]` (inclusive), never before the anchor."""
        start = max(start, anchor)
        if end < start:
            return []
        if self.days:
            step = self.days
            k0 = -(-(start - anchor).days // step)  # ceil: first k with anchor + k*step >= start
            first = anchor + timedelta(days=k0 * step)
            count = (end - first).days // step + 1 if first <= end else 0
            return [first + timedelta(days=i * step) for i in range(count)]
        months = self.months
        gap = (start.year - anchor.year) * 12 + start.month - anchor.month
        k = max(0, gap // months - 1)
        out: list[date] = []
        while True:
            day = add_months_clamped(anchor, k * months)
            if day > end:
                return out
            if day >= start:
                out.append(day)
            k += 1


def _as_datetime(day: date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


_VALUE_PARAM = re.compile(
    r"^((?:EX|R)DATE)((?:;[^:;]+)*?);VALUE=DATE(?:-TIME)?((?:;[^:;]+)*):", re.IGNORECASE
)


_TIME_PARTS = re.compile(r";?BY(?:HOUR|MINUTE|SECOND)=[^;]*", re.IGNORECASE)


def _normalise(text: str, *, date_only: bool = False) -> str:
    """What dateutil reads: a bare `FREQ=…` gets its `RRULE:` prefix, and the
    `VALUE=DATE` parameter of EXDATE/RDATE (which dateutil refuses) is dropped — a
    date value then reads as midnight, which is what date-only instances are.
    With a date-only DTSTART, BYHOUR/BYMINUTE/BYSECOND are dropped as RFC 5545 and
    libical do: otherwise COUNT would count several times of one day.
    The stored text is never rewritten; this is only the parser's copy."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        raise RecurrenceError("the rule is empty")
    out = []
    for ln in lines:
        if ln.upper().startswith("FREQ="):
            ln = f"RRULE:{ln}"
        if date_only and ln.upper().startswith(("RRULE:", "EXRULE:")):
            ln = _TIME_PARTS.sub("", ln).replace(":;", ":")
        out.append(_VALUE_PARAM.sub(r"\1\2\3:", ln))
    return "\n".join(out)


def parse_rule(text: str, dtstart: date | dt.datetime) -> du.rruleset:
    """Parse an RRULE (with optional EXDATE / RDATE / EXRULE lines) for DTSTART `dtstart`.

    Raises RecurrenceError quoting the text when dateutil cannot read it.
    """
    date_only = not isinstance(dtstart, dt.datetime)
    start = dtstart if isinstance(dtstart, dt.datetime) else _as_datetime(dtstart)
    try:
        parsed = du.rrulestr(
            _normalise(text, date_only=date_only), dtstart=start, forceset=True, ignoretz=start.tzinfo is None
        )
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"not a valid RFC 5545 rule: {text!r} ({exc})") from exc
    assert isinstance(parsed, du.rruleset)
    return parsed


def validate_rule(text: str) -> None:
    parse_rule(text, date(2000, 1, 1))


def rule_between(text: str, dtstart: date, start: date, end: date) -> list[date]:
    """Dates of the rule's instances in `[start, end]`, DTSTART = `dtstart`."""
    if end < start:
        return []
    ruleset = parse_rule(text, dtstart)
    hits = ruleset.between(_as_datetime(start), _as_datetime(end), inc=True)
    # A rule with a time part (BYHOUR…) can hit one date several times: one item per date.
    return sorted({h.date() for h in hits})


@dataclass(frozen=True)
class Recurrence:
    """What an obligation stores: an anchored interval or an RFC 5545 rule text."""

    interval: Interval | None = None
    rule: str = ""

    def __post_init__(self) -> None:
        if (self.interval is None) == (not self.rule):
            raise RecurrenceError("give either an interval or a rule, not both")
        if self.rule:
            validate_rule(self.rule)

    def between(self, anchor: date, start: date, end: date) -> list[date]:
        if self.interval is not None:
            return self.interval.between(anchor, start, end)
        return [d for d in rule_between(self.rule, anchor, max(start, anchor), end) if d >= anchor]

    def first_on_or_after(self, anchor: date, day: date, *, limit_days: int = 3660) -> date | None:
        found = self.between(anchor, day, day + timedelta(days=limit_days))
        return found[0] if found else None

    def after(self, base: date) -> date | None:
        """Floating mode: the next date one period after `base`."""
        if self.interval is not None:
            return self.interval.after(base)
        # A rule counted from `base`: its first instance strictly after base.
        found = rule_between(self.rule, base, base + timedelta(days=1), base + timedelta(days=3660))
        return found[0] if found else None


@dataclass
class Expander:
    """Memoised expansion: each distinct RFC 5545 (rule, anchor) is expanded once per run.

    One dateutil expansion per installation would cost several times the insert of the
    rows; installations sharing an obligation's anchor share one expansion (up to the
    furthest end asked for), and each window is a slice of it. Anchored intervals are
    plain arithmetic and need no cache.
    """

    _cache: dict[tuple[Recurrence, date], tuple[date, tuple[date, ...]]] = field(default_factory=dict)
    expansions: int = 0

    def between(self, recurrence: Recurrence, anchor: date, start: date, end: date) -> tuple[date, ...]:
        start = max(start, anchor)
        if end < start:
            return ()
        if recurrence.interval is not None:
            return tuple(recurrence.interval.between(anchor, start, end))
        key = (recurrence, anchor)
        hit = self._cache.get(key)
        if hit is None or hit[0] < end:
            self.expansions += 1
            hit = (end, tuple(recurrence.between(anchor, anchor, end)))
            self._cache[key] = hit
        days = hit[1]
        return days[bisect_left(days, start) : bisect_right(days, end)]
