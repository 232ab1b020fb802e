"""Contract terms, tacit renewals and notice deadlines (DESIGN.md convention 5).

Renewal terms are counted from the commencement date, like recurrences: the k-th
boundary is `commencement + initial + (k-1) * renewal`, never chained from the
previous boundary, so month-end clamping never drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .durations import CalendarDuration
from .periods import ONE_DAY, Period, add_months_clamped, end_exclusive, end_inclusive


@dataclass(frozen=True)
class Terms:
    commencement: date
    initial_term: CalendarDuration | None = None
    renewal_term: CalendarDuration | None = None
    notice_period: CalendarDuration | None = None
    explicit_end: date | None = None  # inclusive; used when there is no initial term
    terminated_on: date | None = None  # inclusive last day after a termination

    @property
    def open_ended(self) -> bool:
        return self.initial_term is None and self.explicit_end is None


def initial_end(terms: Terms) -> date | None:
    """Inclusive end of the initial term (explicit, or computed), None when open-ended."""
    if terms.initial_term is not None and not terms.initial_term.is_zero:
        return end_inclusive(terms.commencement, terms.initial_term)
    return terms.explicit_end


def _boundary(terms: Terms, k: int) -> date:
    """Exclusive end of the k-th term (k = 0 is the initial term)."""
    if terms.initial_term is None:
        assert terms.explicit_end is not None
        if k == 0:
            return terms.explicit_end + ONE_DAY
        # An explicit end with a renewal term: renewals counted from the day after the end.
        assert terms.renewal_term is not None
        return end_exclusive(terms.explicit_end + ONE_DAY, terms.renewal_term * k)
    span = terms.initial_term
    if k:
        assert terms.renewal_term is not None
        span = span + terms.renewal_term * k
    return end_exclusive(terms.commencement, span)


def term_number_on(terms: Terms, on: date) -> int | None:
    """Index of the term containing `on` (0 = initial); None when open-ended or expired."""
    if terms.open_ended:
        return None
    if on < terms.commencement:
        return 0
    if on < _boundary(terms, 0):
        return 0
    renewal = terms.renewal_term
    if renewal is None or renewal.is_zero:
        return None
    # Estimate the index, then walk: each boundary is computed from the anchor.
    span_days = max(1, renewal.months * 28 + renewal.days)
    k = max(1, (on - _boundary(terms, 0)).days // (span_days + 3))
    while k > 1 and _boundary(terms, k - 1) > on:
        k -= 1
    while _boundary(terms, k) <= on:
        k += 1
    return k


def term(terms: Terms, k: int) -> Period:
    start = terms.commencement if k == 0 else _boundary(terms, k - 1)
    return Period(start, _boundary(terms, k))


def current_term(terms: Terms, on: date) -> Period | None:
    """The term containing `on` (or the first one before commencement).

    None when open-ended, or when the contract has expired (no renewal) or was
    terminated before `on`. A termination cuts the term it falls in.
    """
    if terms.terminated_on is not None and on > terms.terminated_on:
        return None
    k = term_number_on(terms, on)
    if k is None:
        return None
    period = term(terms, k)
    if terms.terminated_on is not None and period.contains(terms.terminated_on):
        return Period(period.start, terms.terminated_on + ONE_DAY)
    return period


def notice_deadline_for(term_end: date, notice: CalendarDuration) -> date:
    """Last day on which a notice of `notice`, running from the next day, ends by `term_end`.

    Term ending 31 Dec with 3 months' notice: 30 Sep (the notice runs 1 Oct .. 31 Dec).
    """
    if notice.is_zero:
        return term_end
    # Start a little before the naive answer and walk forward: end_inclusive is monotone.
    start = add_months_clamped(term_end, -notice.months) - ONE_DAY * (notice.days + 4)
    while end_inclusive(start + ONE_DAY, notice) <= term_end:
        start += ONE_DAY
    while end_inclusive(start, notice) > term_end:
        start -= ONE_DAY
    return start - ONE_DAY


@dataclass(frozen=True)
class TermStatus:
    open_ended: bool
    term: Period | None
    notice_deadline: date | None
    renews: bool


def status_on(terms: Terms, on: date) -> TermStatus:
    """Current term and notice deadline as of `on`, following tacit renewals.

    When the current term's notice deadline has already passed, the notice
    deadline shown is still that term's: the next chance to give notice is in
    the next term, which `next_notice_deadline` answers.
    """
    renews = terms.renewal_term is not None and not terms.renewal_term.is_zero
    if terms.open_ended:
        return TermStatus(True, None, None, renews)
    period = current_term(terms, on)
    if period is None:
        return TermStatus(False, None, None, renews)
    deadline = None
    if terms.notice_period is not None and period.end is not None and terms.terminated_on is None:
        deadline = notice_deadline_for(period.end, terms.notice_period)
    return TermStatus(False, period, deadline, renews)


def initial_end_or_none(terms: Terms) -> date | None:
    return initial_end(terms) if not terms.open_ended else None


__all__ = [
    "Terms",
    "TermStatus",
    "current_term",
    "initial_end",
    "notice_deadline_for",
    "status_on",
    "term",
    "term_number_on",
]
