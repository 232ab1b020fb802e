"""How dates read on the pages: "31 Dec 2026", "in 3 days", "overdue by 2 days".

Pure: no Django import, `today` is always passed in so the words are testable.
"""

from __future__ import annotations

import datetime as dt

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: dt.date | None) -> str:
    if d is None:
        return ""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def relative(d: dt.date, today: dt.date) -> str:
    """A neutral hint: "today", "tomorrow", "in 3 days", "yesterday", "3 days ago"."""
    delta = (d - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if delta > 0:
        return f"in {_days(delta)}"
    return f"{_days(-delta)} ago"


def deadline(d: dt.date, today: dt.date) -> str:
    """A hint for a last day to act: the day itself still counts, the day after is overdue."""
    delta = (d - today).days
    if delta == 0:
        return "due today"
    if delta < 0:
        return f"overdue by {_days(-delta)}"
    return relative(d, today)


def deadline_state(d: dt.date | None, today: dt.date, at_risk_days: int) -> str:
    """One of overdue / at-risk / ok / none; drives the status colour."""
    if d is None:
        return "none"
    delta = (d - today).days
    if delta < 0:
        return "overdue"
    if delta <= at_risk_days:
        return "at-risk"
    return "ok"


def until_including(d: dt.date | None) -> str:
    if d is None:
        return "open-ended"
    return f"until and including {day(d)}"


def period(start: dt.date | None, end_incl: dt.date | None) -> str:
    """An inclusive period as people say it: "1 Jan 2026 – 31 Dec 2026", open end "from …"."""
    if start is None and end_incl is None:
        return ""
    if end_incl is None:
        return f"from {day(start)}, open-ended"
    if start is None:
        return until_including(end_incl)
    return f"{day(start)} – {day(end_incl)}"
