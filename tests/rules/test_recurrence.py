"""DESIGN convention 4 through the pure recurrence functions: cases and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servanda.rules.durations import parse_iso_duration
from servanda.rules.recurrence import Expander, Interval, Recurrence, RecurrenceError, rule_between
from tests.conftest import case_params

D = date.fromisoformat


def _interval(iso: str) -> Interval:
    d = parse_iso_duration(iso)
    if d.months:
        return Interval("month", d.months)
    return Interval("week", d.days // 7) if d.days % 7 == 0 else Interval("day", d.days)


@pytest.mark.parametrize("case", case_params("date-rules.json", "recurrence from anchor"))
def test_recurrence_from_anchor_cases(case: dict) -> None:
    anchor = D(case["input"]["anchor"])
    interval = _interval(case["input"]["every"])
    expected = [D(x) for x in case["expected"]["dates"]]
    got = interval.between(anchor, anchor, expected[-1])
    assert got[: case["input"]["count"]] == expected
    assert [interval.nth(anchor, k) for k in range(case["input"]["count"])] == expected


@pytest.mark.parametrize("case", case_params("date-rules.json", "RFC 5545 rule"))
def test_rfc5545_rule_cases(case: dict) -> None:
    text = case["input"]["rrule"]
    dtstart = D(case["input"]["dtstart"])
    recurrence = Recurrence(rule=text)
    assert recurrence.rule == text  # stored as given, loads back unchanged
    got = recurrence.between(dtstart, dtstart, dtstart + timedelta(days=3 * 366))
    assert got == [D(x) for x in case["expected"]["dates"]]


def test_exdate_and_rdate_lines() -> None:
    text = "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3\nEXDATE;VALUE=DATE:20250201\nRDATE;VALUE=DATE:20250215"
    assert rule_between(text, D("2025-01-01"), D("2025-01-01"), D("2025-12-31")) == [
        D("2025-01-01"),
        D("2025-02-15"),
        D("2025-03-01"),
    ]


def test_bad_rule_is_refused_with_its_text() -> None:
    with pytest.raises(RecurrenceError, match="FREQ=SOMETIMES"):
        Recurrence(rule="FREQ=SOMETIMES")


def test_every_month_from_31_jan_is_not_chained() -> None:
    got = Interval("month", 1).between(D("2024-01-31"), D("2024-01-01"), D("2024-04-30"))
    assert got == [D("2024-01-31"), D("2024-02-29"), D("2024-03-31"), D("2024-04-30")]


def test_window_in_the_middle_matches_full_expansion() -> None:
    interval = Interval("month", 3)
    anchor = D("2019-08-31")
    full = interval.between(anchor, anchor, D("2030-12-31"))
    assert interval.between(anchor, D("2024-06-01"), D("2026-06-01")) == [
        d for d in full if D("2024-06-01") <= d <= D("2026-06-01")
    ]


def test_expander_expands_each_rule_and_anchor_once() -> None:
    expander = Expander()
    rec = Recurrence(rule="FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1")
    for _ in range(100):
        expander.between(rec, D("2025-01-01"), D("2025-01-01"), D("2026-12-31"))
    assert expander.expansions == 1


anchors = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
intervals = st.builds(Interval, st.sampled_from(["day", "week", "month", "year"]), st.integers(1, 24))


@given(anchor=anchors, interval=intervals, offset=st.integers(-400, 4000), span=st.integers(0, 2000))
def test_occurrences_never_before_anchor_and_strictly_increasing(
    anchor: date, interval: Interval, offset: int, span: int
) -> None:
    start = anchor + timedelta(days=offset)
    got = interval.between(anchor, start, start + timedelta(days=span))
    assert all(d >= anchor for d in got)
    assert all(a < b for a, b in zip(got, got[1:], strict=False))
    # Every occurrence is the k-th from the anchor for some k (never chained).
    nths = {interval.nth(anchor, k) for k in range(0, 1 + (offset + span) // max(1, interval.days or 28) + 2)}
    assert set(got) <= nths


@given(anchor=anchors, every=st.integers(1, 24))
def test_month_interval_keeps_the_anchor_day_when_the_month_has_it(anchor: date, every: int) -> None:
    interval = Interval("month", every)
    for k in range(1, 30):
        day = interval.nth(anchor, k)
        assert day.day == anchor.day or (day.day < anchor.day and (day + timedelta(days=1)).day == 1)


rules = st.sampled_from(
    [
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=DAILY;INTERVAL=15",
    ]
)


@given(anchor=anchors, rule=rules, offset=st.integers(-400, 2000))
def test_rule_occurrences_never_before_anchor_and_strictly_increasing(
    anchor: date, rule: str, offset: int
) -> None:
    start = anchor + timedelta(days=offset)
    got = Recurrence(rule=rule).between(anchor, start, start + timedelta(days=800))
    assert all(d >= anchor and d >= start for d in got)
    assert all(a < b for a, b in zip(got, got[1:], strict=False))


def test_expander_slices_one_expansion_for_many_windows() -> None:
    expander = Expander()
    rec = Recurrence(rule="FREQ=WEEKLY;BYDAY=MO,TH")
    anchor = D("2025-01-02")
    for offset in range(0, 300, 7):
        start = anchor + timedelta(days=offset)
        got = expander.between(rec, anchor, start, D("2026-06-30"))
        assert list(got) == rec.between(anchor, start, D("2026-06-30"))
    assert expander.expansions == 1
