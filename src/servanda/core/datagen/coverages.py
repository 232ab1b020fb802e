"""Generated installations and their coverage history under existing (or generated) contracts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from servanda.contracts.models import Contract
from servanda.installations.models import Coverage, Installation

from .bulk import Adapt, insert_rows, max_id, progress_bar, reset_sequence
from .catalogue import ensure_catalogue
from .contracts import write_contracts

PER_INSTALLATION = 4
HISTORY_START = dt.date(2019, 1, 1)
MODELS = ("model1", "model2", "model3", "model4")

INSTALLATION_COLUMNS = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "serial_number",
    "product",
    "model",
    "installation_type_id",
    "site",
    "installed_on",
    "status",
    "features",
    "source",
)
COVERAGE_COLUMNS = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "contract_id",
    "installation_id",
    "start",
    "end_excl",
    "note",
)


def contract_ids() -> list[int]:
    return list(Contract.objects.order_by("id").values_list("id", flat=True))


def write_installations(
    count: int, *, seed: int = 1, installed_on: dt.date | None = None, progress: Any = None
) -> int:
    """`count` installations with ids after the existing ones; returns the first id."""
    _, installation_type = ensure_catalogue()
    adapt = Adapt()
    now = adapt.instant(timezone.now())
    first = max_id(Installation._meta.db_table) + 1
    rnd = random.Random(seed)

    def rows() -> Iterator[tuple]:
        for i in range(count):
            day = installed_on or HISTORY_START - dt.timedelta(days=rnd.randint(0, 1500))
            yield (
                first + i,
                1,
                now,
                now,
                f"SN-{first + i:08d}",
                "Generated machine",
                MODELS[i % len(MODELS)],
                installation_type.pk,
                f"Site {i % 997}",
                adapt.date(day),
                "active",
                "{}",
                "generated",
            )

    insert_rows(
        Installation._meta.db_table,
        INSTALLATION_COLUMNS,
        rows(),
        total=count,
        progress=progress,
        label="installations",
    )
    reset_sequence(Installation)
    return first


def coverage_periods(rnd: random.Random, n: int) -> list[tuple[dt.date, dt.date | None]]:
    """`n` back-to-back periods from 2019 on; the last is open-ended (today's contract)."""
    periods: list[tuple[dt.date, dt.date | None]] = []
    start = HISTORY_START + dt.timedelta(days=rnd.randint(0, 180))
    for k in range(n):
        if k == n - 1:
            periods.append((start, None))
        else:
            end = start + dt.timedelta(days=rnd.randint(200, 700))
            periods.append((start, end))
            start = end
    return periods


def write_coverages(count: int, *, seed: int = 1, progress: bool = False) -> dict[str, int]:
    """`count` coverages: installations (count / 4) each with a history of four back-to-back periods."""
    contracts = contract_ids()
    with progress_bar(progress) as bar:
        if not contracts:
            write_contracts(max(1, count // 10), seed=seed, progress=False)
            contracts = contract_ids()
        ninst = -(-count // PER_INSTALLATION)
        first_inst = write_installations(ninst, seed=seed, progress=bar)
        adapt = Adapt()
        now = adapt.instant(timezone.now())
        first_cov = max_id(Coverage._meta.db_table) + 1
        rnd = random.Random(seed + 7)

        def rows() -> Iterator[tuple]:
            made = 0
            for i in range(ninst):
                per = min(PER_INSTALLATION, count - made)
                for start, end in coverage_periods(rnd, per):
                    yield (
                        first_cov + made,
                        1,
                        now,
                        now,
                        rnd.choice(contracts),
                        first_inst + i,
                        adapt.date(start),
                        adapt.date(end),
                        "",
                    )
                    made += 1

        insert_rows(
            Coverage._meta.db_table, COVERAGE_COLUMNS, rows(), total=count, progress=bar, label="coverages"
        )
    reset_sequence(Coverage)
    analyze()
    return {"installations": ninst, "coverages": count, "first_installation_id": first_inst}


def analyze(tables: Sequence[str] = ()) -> None:
    """Fresh planner statistics after a bulk load, as a DBA would run (autovacuum lags behind)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables or (
                "contracts_contract",
                "installations_installation",
                "installations_coverage",
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        else:
            cursor.execute("ANALYZE")
