"""Issue 2 (b) covering-contract lookup over 1M coverages, (c) feature query over 1M contracts."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.db import connection

from servanda.contracts.models import Contract
from servanda.core.datagen.catalogue import ensure_catalogue
from servanda.core.datagen.contracts import write_contracts
from servanda.core.datagen.coverages import analyze, write_coverages
from servanda.features.models import Entity, FeatureDefinition
from servanda.installations.models import Coverage, Installation

from .common import Result, Unavailable, log, servanda_function, stopwatch, summary, timed_each, unavailable
from .scales import Scale

COVER = "covering contracts lookup"
COVER_TARGET = "p99 ≤ 5 ms and ≤ 3× raw"
FEATURE = "feature query"
FEATURE_TARGET = "p50 ≤ 20 ms"

RAW_COVERING = """
SELECT c.* FROM {contract} c JOIN {coverage} v ON v.contract_id = c.id
WHERE v.installation_id = %s AND v.start <= %s AND (v.end_excl IS NULL OR v.end_excl > %s)
"""


def prepare(scale: Scale) -> dict[str, Any]:
    """1M contracts with features, then installations with 1M coverages under them (not timed)."""
    info: dict[str, Any] = {}
    # Only the queried features are indexed here: each indexed JSON feature costs every
    # one of the million rows an expression evaluation (~20 µs on SQLite) at load time.
    ensure_catalogue(indexes=False, indexed_keys=QUERIED)
    have = Contract.objects.count()
    if have < scale.feature_contracts:
        info.update(write_contracts(scale.feature_contracts - have, seed=2))
    if Coverage.objects.count() < scale.coverages:
        info.update(write_coverages(scale.coverages - Coverage.objects.count(), seed=3))
    analyze()
    return info


def _lookup_args(n: int, seed: int) -> list[tuple[int, dt.date]]:
    ids = list(Installation.objects.order_by("id").values_list("id", flat=True))
    rnd = random.Random(seed)
    first = dt.date(2019, 1, 1)
    return [(rnd.choice(ids), first + dt.timedelta(days=rnd.randint(0, 9 * 365))) for _ in range(n)]


def covering(scale: Scale) -> Result:
    metric = f"{scale.coverages:,} coverages, p99 ms"
    try:
        fn = servanda_function("servanda.installations.selectors", "contracts_covering")
    except Unavailable as exc:
        return unavailable(COVER, metric, COVER_TARGET, str(exc))
    args = _lookup_args(scale.lookups, seed=11)
    sql = RAW_COVERING.format(
        contract=connection.ops.quote_name(Contract._meta.db_table),
        coverage=connection.ops.quote_name(Coverage._meta.db_table),
    )
    found = {"servanda": 0, "raw": 0}

    with connection.cursor() as cursor:

        def raw(a: tuple[int, dt.date]) -> None:
            cursor.execute(sql, [a[0], a[1], a[1]])
            found["raw"] += len(cursor.fetchall())

        raw_t = timed_each(raw, args)

    def servanda(a: tuple[int, dt.date]) -> None:
        found["servanda"] += len(list(fn(installation_id=a[0], on=a[1])))

    sv_t = timed_each(servanda, args)
    s, r = summary(sv_t), summary(raw_t)
    res = Result(COVER, metric, s["p99"], r["p99"], COVER_TARGET, None)
    res.extra = {"servanda": s, "raw": r, "rows_found": found}
    # Both ran the warm-up once more than the measured set, so the totals must agree.
    if found["servanda"] != found["raw"]:
        res.note = f"results differ: Servanda found {found['servanda']} contracts, raw SQL {found['raw']}"
        res.passed = False
    else:
        res.passed = s["p99"] <= 0.005 and s["p99"] <= 3 * r["p99"]
        res.note = f"p50 {s['p50'] * 1e3:.2f} vs {r['p50'] * 1e3:.2f} ms; {found['raw']:,} rows found"
    return res


QUERIED = ("asset_ref", "region", "fleet_size")


# (label, feature key, op, value generator): equality on a near-unique text, equality on
# a choice shared by 1/40 of the rows (first page), and a narrow integer range (first page).
def _feature_cases(n_contracts: int) -> list[tuple[str, str, str, Any]]:
    return [
        ("eq text (1 row)", "asset_ref", "eq", lambda rnd: f"AR-{rnd.randint(1, n_contracts):07d}"),
        ("eq choice, page of 50", "region", "eq", lambda rnd: f"r{rnd.randint(0, 39):02d}"),
        ("integer range, page of 50", "fleet_size", "range", lambda rnd: rnd.randint(1, 4990)),
    ]


def features(scale: Scale) -> list[Result]:
    try:
        query = __import__("servanda.features.query", fromlist=["feature_filter", "typed_expression"])
        feature_filter = query.feature_filter
        typed_expression = query.typed_expression
    except (ImportError, AttributeError) as exc:
        return [
            unavailable(FEATURE, "p50 ms", FEATURE_TARGET, f"servanda.features.query.feature_filter: {exc}")
        ]
    table = connection.ops.quote_name(Contract._meta.db_table)
    n = Contract.objects.count()
    results = []
    for label, key, op, gen in _feature_cases(n):
        definition = FeatureDefinition.objects.get(entity=Entity.CONTRACT, key=key)
        expr = typed_expression('"features"', key, definition.data_type)
        rnd = random.Random(key)
        values = [gen(rnd) for _ in range(scale.feature_queries)]
        if op == "range":
            raw_sql = f"SELECT id FROM {table} WHERE {expr} >= %s AND {expr} <= %s ORDER BY number LIMIT 50"
            raw_params = [[v, v + 10] for v in values]
        else:
            raw_sql = f"SELECT id FROM {table} WHERE {expr} = %s ORDER BY number LIMIT 50"
            raw_params = [[v] for v in values]

        def page(v: Any, definition: FeatureDefinition = definition, op: str = op) -> Any:
            qs = Contract.objects.all()
            if op == "range":
                qs = feature_filter(qs, definition=definition, op="gte", value=v)
                qs = feature_filter(qs, definition=definition, op="lte", value=v + 10)
            else:
                qs = feature_filter(qs, definition=definition, op=op, value=v)
            return qs.order_by("number").values_list("id", flat=True)[:50]

        def servanda(v: Any, page: Any = page) -> int:
            return len(list(page(v)))

        with connection.cursor() as cursor:

            def raw(p: list[Any], sql: str = raw_sql) -> int:
                cursor.execute(sql, p)
                return len(cursor.fetchall())

            raw_t = timed_each(raw, raw_params)
        sv_t = timed_each(servanda, values)
        plan = page(values[0]).explain()
        s, r = summary(sv_t), summary(raw_t)
        res = Result(FEATURE, f"{label}, {n:,} contracts, p50 ms", s["p50"], r["p50"], FEATURE_TARGET, None)
        res.passed = s["p50"] <= 0.020
        res.extra = {"servanda": s, "raw": r}
        res.extra["plan"] = " | ".join(plan.splitlines())[:800]
        res.note = f"p99 {s['p99'] * 1e3:.2f} ms; plan {'uses the feature index' if 'feat_' in plan else 'does NOT use the feature index'}"
        results.append(res)
    return results


def run(scale: Scale, workdir: Path) -> list[Result]:
    with stopwatch() as t:
        prepare(scale)
    log(f"data set ready in {t[0]:.0f} s")
    cover = covering(scale)
    log(f"covering lookups done: {cover.note}")
    return [cover, *features(scale)]
