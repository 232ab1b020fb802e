"""Every benchmark runs end to end at a tiny scale, so none of them can rot.

Times are never asserted; what is checked is that each benchmark measured the
same work on both sides (same rows found, same rows written, nothing else touched).
"""

from __future__ import annotations

import pytest

from bench import b_import, b_lookup, b_schedule
from bench.common import Result, percentile
from bench.scales import SCALES

pytestmark = pytest.mark.django_db
TINY = SCALES["tiny"]


def measured(results: list[Result]) -> list[Result]:
    assert results and all(isinstance(r, Result) for r in results)
    for r in results:
        if r.note.startswith("not available:"):
            assert r.servanda is None and r.passed is None
    return [r for r in results if not r.note.startswith("not available:")]


def test_percentile_is_nearest_rank():
    samples = [float(x) for x in range(1, 101)]  # 1..100
    assert percentile(samples, 0.50) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0


def test_import_benchmark(tmp_path):
    for r in measured(b_import.run(TINY, tmp_path)):
        assert r.servanda and r.servanda > 0 and r.raw and r.raw > 0
        assert r.extra["imported"] == TINY.import_rows, r.note


def test_lookup_benchmarks(tmp_path):
    results = b_lookup.run(TINY, tmp_path)
    names = [r.bench for r in results]
    assert names.count(b_lookup.COVER) == 1 and names.count(b_lookup.FEATURE) == 3
    for r in measured(results):
        assert r.servanda and r.servanda > 0 and r.raw and r.raw > 0
        if r.bench == b_lookup.COVER:
            found = r.extra["rows_found"]
            assert found["servanda"] == found["raw"] > 0


def test_schedule_benchmarks(tmp_path):
    results = b_schedule.run(TINY, tmp_path)
    assert [r.bench for r in results] == [b_schedule.GEN, b_schedule.TICK, b_schedule.CHANGE]
    for r in measured(results):
        if r.bench == b_schedule.GEN:
            assert r.extra["work_items"] == TINY.schedule_installations * 8, r.note
        if r.bench == b_schedule.TICK:
            assert r.extra["items_after"] == r.extra["items_before"], r.note
        if r.bench == b_schedule.CHANGE:
            assert r.extra["touched_other_contracts"] == 0, r.note
            assert r.extra["touched"] == r.extra["expected_cancelled"] > 0, r.note
