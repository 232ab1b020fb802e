"""Issue 3: (d) generating 800k work items vs raw inserts of the same rows, (e) an idle tick over
1M items, (f) one contract's change touching only that contract's items."""

from __future__ import annotations

import datetime as dt
import inspect
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from servanda.contracts.models import Contract
from servanda.core.datagen.schedule import write_schedule_inputs
from servanda.work.models import WorkItem

from . import raw
from .common import Result, Unavailable, log, servanda_function, stopwatch, unavailable
from .scales import Scale

TODAY = dt.date(2026, 1, 5)
# Coverage (and so each installation's quarterly anchor) starts the day after `today`:
# a 24-month horizon then holds exactly 8 occurrences per installation.
ANCHOR = TODAY + dt.timedelta(days=1)
HORIZON_MONTHS = 24

GEN = "generate schedule"
GEN_TARGET = "≤ 2× raw"
TICK = "idle tick"
TICK_TARGET = "≤ 2 s"
CHANGE = "one contract changed"
CHANGE_TARGET = "only its items"


def generator() -> Any:
    return servanda_function("servanda.obligations.generation", "schedule_generate")


def generate(fn: Any, contract_ids: list[int] | None = None) -> Any:
    kwargs: dict[str, Any] = {"today": TODAY, "contract_ids": contract_ids}
    params = inspect.signature(fn).parameters
    if "actor" in params:
        kwargs["actor"] = None
    return fn(**kwargs)


def _columns() -> list[str]:
    return [f.column for f in WorkItem._meta.concrete_fields]


def raw_reinsert() -> tuple[float, int, dict[str, float]]:
    """Read back what Servanda wrote; for each raw method empty the table and time writing them back."""
    qn = connection.ops.quote_name
    table = WorkItem._meta.db_table
    cols = _columns()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in cols)} FROM {qn(table)} ORDER BY id")
        rows = cursor.fetchall()
    times: dict[str, float] = {}
    for method in raw.methods():
        raw.empty(table)
        times[method] = raw.insert(table, cols, rows, method)
        log(f"raw {method} of the same {len(rows):,} rows: {times[method]:.1f} s")
    return min(times.values()), len(rows), times


def bench_generate(scale: Scale, fn: Any) -> tuple[Result, dict[str, Any]]:
    n = scale.schedule_installations
    info = write_schedule_inputs(n, per_contract=scale.per_contract, anchor=ANCHOR, seed=5)
    metric = f"{n:,} installations × quarterly × 2 y, total s"
    log(f"schedule inputs ready: {n:,} installations")
    with stopwatch() as t:
        generate(fn)
    made = WorkItem.objects.count()
    log(f"servanda generated {made:,} items in {t[0]:.1f} s")
    raw_t, raw_rows, raw_times = raw_reinsert()
    res = Result(GEN, metric, t[0], raw_t, GEN_TARGET, None)
    expected = n * 8
    res.extra = {"work_items": made, "expected": expected, "raw_by_method_s": raw_times}
    if made != expected:
        res.note = f"{made:,} work items made, {expected:,} expected: check the horizon"
    res.passed = t[0] <= 2 * raw_t
    res.note = (
        res.note + "; " if res.note else ""
    ) + f"{made:,} items; {made / t[0]:,.0f} vs {raw_rows / raw_t:,.0f} rows/s"
    return res, info


def bench_tick(scale: Scale, fn: Any) -> Result:
    have = WorkItem.objects.count()
    metric = f"{scale.tick_items:,} work items, s"
    if have < scale.tick_items:
        extra = -(-(scale.tick_items - have) // 8)
        info = write_schedule_inputs(extra, per_contract=scale.per_contract, anchor=ANCHOR, seed=6)
        lo, hi = info["contract_ids"]
        generate(fn, list(range(lo, hi + 1)))
    if "tick" not in get_commands():
        return unavailable(TICK, metric, TICK_TARGET, "the `servanda tick` command does not exist")
    items = WorkItem.objects.count()
    log(f"{items:,} items present; ticking")
    times = []
    for _ in range(3):
        with stopwatch() as t:
            call_command("tick", "--today", TODAY.isoformat(), stdout=io.StringIO(), stderr=io.StringIO())
        times.append(t[0])
    after = WorkItem.objects.count()
    median = sorted(times)[1]
    res = Result(TICK, f"{items:,} work items, median of 3, s", median, None, TICK_TARGET, median <= 2.0)
    res.extra = {"runs_s": times, "items_before": items, "items_after": after}
    res.note = f"runs {', '.join(f'{x:.2f}' for x in times)} s"
    if after != items:
        res.passed = False
        res.note += f"; NOT idle: {after - items:+,} items"
    return res


def _snapshot() -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, contract_id, status, due_date, version FROM {connection.ops.quote_name(WorkItem._meta.db_table)}"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def bench_change(scale: Scale) -> Result:
    try:
        hook = servanda_function("servanda.obligations.hooks", "contracts_changed")
    except Unavailable as exc:
        return unavailable(CHANGE, "items touched", CHANGE_TARGET, str(exc))
    ids = list(
        Contract.objects.filter(obligations__isnull=False).order_by("id").values_list("id", flat=True)[:1000]
    )
    contract_id = ids[len(ids) // 2]
    ends = TODAY + dt.timedelta(days=365)
    expected = set(
        WorkItem.objects.filter(
            contract_id=contract_id, due_date__gt=ends, status=WorkItem.Status.OPEN
        ).values_list("id", flat=True)
    )
    before = _snapshot()
    with CaptureQueriesContext(connection) as queries, stopwatch() as t, transaction.atomic():
        # What the contract service does on termination: change the row, then tell planned work.
        Contract.objects.filter(pk=contract_id).update(
            status=Contract.Status.TERMINATED, terminated_on=ends, version=models_F("version") + 1
        )
        hook(actor=None, contract_ids=[contract_id])
    after = _snapshot()
    changed = {i for i, row in after.items() if before.get(i) != row} | (set(before) - set(after))
    others = {i for i in changed if (after.get(i) or before.get(i), None)[0][0] != contract_id}
    res = Result(CHANGE, "terminate one contract: items touched, s", t[0], None, CHANGE_TARGET, None)
    res.extra = {
        "contract_items": sum(1 for row in before.values() if row[0] == contract_id),
        "touched": len(changed),
        "touched_other_contracts": len(others),
        "expected_cancelled": len(expected),
        "queries": len(queries.captured_queries),
    }
    res.passed = not others and changed == expected and bool(expected)
    res.note = (
        f"{len(changed)} items touched ({len(expected)} expected: the open ones after the termination date), "
        f"{len(others)} of other contracts, {len(queries.captured_queries)} queries"
    )
    return res


def models_F(name: str) -> Any:
    from django.db.models import F

    return F(name)


def run(scale: Scale, workdir: Path) -> list[Result]:
    old = dict(settings.SERVANDA)
    settings.SERVANDA["SCHEDULE_HORIZON_MONTHS"] = HORIZON_MONTHS
    try:
        try:
            fn = generator()
        except Unavailable as exc:
            return [
                unavailable(GEN, "total s", GEN_TARGET, str(exc)),
                unavailable(TICK, "s", TICK_TARGET, str(exc)),
                unavailable(CHANGE, "items touched", CHANGE_TARGET, str(exc)),
            ]
        gen, _ = bench_generate(scale, fn)
        return [gen, bench_tick(scale, fn), bench_change(scale)]
    finally:
        settings.SERVANDA.clear()
        settings.SERVANDA.update(old)
