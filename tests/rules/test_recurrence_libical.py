"""libical's recurrence vectors (../shared/data/rrule_libical) through Servanda's rule parser.

Every case matches, or is listed in DEVIATIONS with the reason; docs/RECURRENCE_DEVIATIONS.md
explains each group. A listed case that starts matching fails too, so the list stays true.
Date-only DTSTARTs go through the product's date path (`rule_between`), which is what
planned work uses; timed ones through the parsed rule set.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from servanda.rules.recurrence import parse_rule, rule_between

WEEKNO_WEEKDAY = "BYWEEKNO without BYDAY: libical keeps DTSTART's weekday, dateutil expands the whole week"
WEEKNO_YEAR = "BYWEEKNO 53/-1/-2 with INTERVAL: which year owns a week at the year boundary differs"
MONTHDAY_YEARLY = (
    "YEARLY with BYMONTHDAY and no BYMONTH: libical limits to DTSTART's month, dateutil expands every month"
)
SETPOS_FIRST_WEEK = "WEEKLY BYSETPOS with a mid-week DTSTART: dateutil builds the first week's set from DTSTART, not from WKST"
UNIMPLEMENTED = "libical answers UNIMPLEMENTED; dateutil gives instances, there is nothing to compare"

DEVIATIONS: dict[int, str] = {
    54: WEEKNO_WEEKDAY,
    101: WEEKNO_WEEKDAY,
    102: WEEKNO_WEEKDAY,
    103: WEEKNO_WEEKDAY,
    104: WEEKNO_WEEKDAY,
    105: WEEKNO_WEEKDAY,
    106: WEEKNO_WEEKDAY,
    107: WEEKNO_WEEKDAY,
    108: WEEKNO_WEEKDAY,
    109: WEEKNO_WEEKDAY,
    110: WEEKNO_WEEKDAY,
    129: WEEKNO_WEEKDAY,
    141: WEEKNO_WEEKDAY,
    142: WEEKNO_YEAR,
    143: WEEKNO_YEAR,
    145: WEEKNO_YEAR,
    76: MONTHDAY_YEARLY,
    77: MONTHDAY_YEARLY,
    111: SETPOS_FIRST_WEEK,
    122: SETPOS_FIRST_WEEK,
    79: UNIMPLEMENTED,
}


def _vectors() -> list:
    from tests.conftest import DATA_DIR

    path = Path(DATA_DIR) / "rrule_libical" / "icalrecur_test.json"
    if not path.exists():
        return [pytest.param(None, marks=pytest.mark.skipif(True, reason=f"{path} is absent"))]
    return [pytest.param(c, id=f"libical-{c['id']}") for c in json.loads(path.read_text())]


def _instances(case: dict) -> list[str]:
    raw = case["dtstart"]
    rule = case["rrule"].rstrip(";")
    want = len(case["instances"])
    if len(raw) == 8:  # a DATE value: the product's date-only path
        start = dt.datetime.strptime(raw, "%Y%m%d").date()
        days = rule_between(rule, start, start, start + dt.timedelta(days=366 * 120))
        return [d.strftime("%Y%m%d") for d in days[: want + 3]]
    if raw.endswith("Z"):
        begin = dt.datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        fmt = "%Y%m%dT%H%M%SZ"
    else:
        begin = dt.datetime.strptime(raw, "%Y%m%dT%H%M%S")
        fmt = "%Y%m%dT%H%M%S"
    return [x.strftime(fmt) for x in itertools.islice(iter(parse_rule(rule, begin)), want + 3)]


@pytest.mark.realdata
@pytest.mark.parametrize("case", _vectors())
def test_libical_vector(case: dict) -> None:
    expected = case["instances"]
    unbounded = "COUNT=" not in case["rrule"] and "UNTIL=" not in case["rrule"]
    got = _instances(case)
    if unbounded:
        got = got[: len(expected)]
    matches = got == expected
    if case["id"] in DEVIATIONS:
        assert not matches, f"case {case['id']} matches now: remove it from DEVIATIONS"
    else:
        assert matches, f"{case['comment']}: expected {expected[:6]}…, got {got[:6]}…"


def test_every_deviation_names_a_real_case_and_reason() -> None:
    from tests.conftest import DATA_DIR

    path = Path(DATA_DIR) / "rrule_libical" / "icalrecur_test.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    ids = {c["id"] for c in json.loads(path.read_text())}
    assert set(DEVIATIONS) <= ids
    assert all(reason for reason in DEVIATIONS.values())
    assert len(DEVIATIONS) < len(ids) // 5  # deviations are the exception
