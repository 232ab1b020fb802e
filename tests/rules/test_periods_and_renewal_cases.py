"""DESIGN conventions 2, 3 and 5 through the pure functions, case by case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servanda.rules.durations import CalendarDuration, parse_iso_duration
from servanda.rules.periods import Period, end_exclusive, end_inclusive, overlaps
from servanda.rules.renewal import Terms, status_on
from tests.conftest import case_params

D = date.fromisoformat


@pytest.mark.parametrize("case", case_params("date-rules.json", "period end"))
def test_period_end_cases(case: dict) -> None:
    got = end_inclusive(D(case["input"]["commencement"]), parse_iso_duration(case["input"]["duration"]))
    assert got == D(case["expected"]["end_inclusive"]), case["id"]


@pytest.mark.parametrize("case", case_params("date-rules.json", "notice deadline"))
def test_renewal_cases(case: dict) -> None:
    i = case["input"]
    terms = Terms(
        commencement=D(i["commencement"]),
        initial_term=parse_iso_duration(i["initial_term"]),
        renewal_term=parse_iso_duration(i["renewal_term"]),
        notice_period=parse_iso_duration(i["notice"]),
    )
    status = status_on(terms, D(i["today"]))
    assert status.term is not None and status.term.end == D(case["expected"]["current_term_end_inclusive"])
    assert status.notice_deadline == D(case["expected"]["notice_deadline"]), case["id"]
    if "reminder_due" in case["expected"]:
        lead = parse_iso_duration(i["reminder_before_deadline"])
        assert status.notice_deadline - timedelta(days=lead.days) == D(case["expected"]["reminder_due"])


@pytest.mark.parametrize("case", case_params("date-rules.json", "last day of coverage"))
def test_last_day_of_coverage_cases(case: dict) -> None:
    start, end = (D(x) for x in case["input"]["coverage"])
    period = Period.inclusive(start, end)
    assert [period.contains(D(x)) for x in case["input"]["ask"]] == case["expected"]["covered"]


@pytest.mark.parametrize("case", case_params("date-rules.json", ("overlap", "back-to-back")))
def test_overlap_cases(case: dict) -> None:
    a = Period.inclusive(*(D(x) for x in case["input"]["a"]))
    b = Period.inclusive(*(D(x) for x in case["input"]["b"]))
    assert a.overlaps(b) is case["expected"]["overlap"], case["id"]


def test_term_end_31_dec_three_months_notice_deadline_30_sep() -> None:
    terms = Terms(D("2024-01-01"), parse_iso_duration("P1Y"), None, parse_iso_duration("P3M"))
    status = status_on(terms, D("2024-05-01"))
    assert status.term is not None and status.term.end == D("2024-12-31")
    assert status.notice_deadline == D("2024-09-30")


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
durations = st.builds(CalendarDuration, months=st.integers(0, 60), days=st.integers(0, 400)).filter(
    lambda d: not d.is_zero
)


@given(start=days, step=durations, k=st.integers(1, 30))
def test_terms_counted_from_anchor_tile(start: date, step: CalendarDuration, k: int) -> None:
    # Consecutive terms [anchor + j*step, anchor + (j+1)*step) leave no gap and no overlap.
    prev = end_exclusive(start, step * (k - 1)) if k > 1 else start
    nxt = end_exclusive(start, step * k)
    assert prev < nxt
    a = Period(prev, nxt)
    b = Period(nxt, end_exclusive(start, step * (k + 1)))
    assert not a.overlaps(b)
    assert a.end_excl == b.start


@given(a=days, b=days, la=st.integers(1, 500), lb=st.integers(1, 500))
def test_overlap_is_symmetric_and_matches_day_sets(a: date, b: date, la: int, lb: int) -> None:
    ea, eb = a + timedelta(days=la), b + timedelta(days=lb)
    shared = max(a, b) < min(ea, eb)
    assert overlaps(a, ea, b, eb) is shared is overlaps(b, eb, a, ea)
