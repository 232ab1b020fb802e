"""Issue 2 (a): importing a generated contracts CSV vs a plain script inserting the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from servanda.contracts.models import Contract
from servanda.core.datagen.bulk import Adapt
from servanda.core.datagen.catalogue import ensure_catalogue
from servanda.core.datagen.contracts import CONTRACT_COLUMNS, CSV_DATE_FORMAT, write_contracts_csv
from servanda.core.datagen.mapping import MAPPING, write_mapping
from servanda.events.models import Event
from servanda.obligations.models import Obligation
from servanda.parties.models import Party
from servanda.rules.durations import parse_iso_duration
from servanda.rules.periods import end_inclusive
from servanda.work.models import WorkItem

from . import raw as raw_side
from .common import Result, Unavailable, log, stopwatch, unavailable
from .scales import Scale

BENCH = "import contracts CSV"
TARGET = "≤ 3× raw"
DURATIONS = {
    "": "",
    "1 year": "P1Y",
    "2 years": "P2Y",
    "3 years": "P3Y",
    "5 years": "P5Y",
    "6 months": "P6M",
    "3 months": "P3M",
    "1 month": "P1M",
}


def _day(text: str) -> dt.date:
    return dt.datetime.strptime(text, CSV_DATE_FORMAT).date()


def raw_import(path: Path, contract_type_id: int) -> dict[str, float]:
    """What a plain script does: read the CSV, convert each row, executemany into the same tables."""
    adapt = Adapt()
    now = adapt.instant(timezone.now())
    timings: dict[str, float] = {}
    with stopwatch() as parsing:
        with path.open(newline="", encoding="utf-8") as fh:
            records = list(csv.reader(fh))[1:]
        parties: dict[str, tuple[int, str]] = {}
        contracts: list[tuple[Any, ...]] = []
        for rec in records:
            # The mapping finds (or creates) parties by name, as the import does.
            ref = rec[3]
            if ref not in parties:
                parties[ref] = (len(parties) + 1, ref)
            start = _day(rec[5])
            initial = DURATIONS[rec[6]]
            features = {
                "service_level": rec[9],
                "region": rec[10],
                "cost_centre": rec[11],
                "fleet_size": int(rec[12]),
                "response_hours": json.loads(rec[13]),
                "annual_fee": {"amount": rec[14], "currency": "EUR"},
                "auto_invoice": rec[15] == "yes",
                "signed_on": _day(rec[16]).isoformat(),
                "warranty": rec[17],
                "asset_ref": rec[18],
            }
            contracts.append(
                (
                    len(contracts) + 1,
                    1,
                    now,
                    now,
                    rec[0],
                    rec[1],
                    contract_type_id,
                    parties[ref][0],
                    rec[4],
                    adapt.date(start),
                    initial,
                    DURATIONS[rec[7]],
                    DURATIONS[rec[8]],
                    adapt.date(end_inclusive(start, parse_iso_duration(initial))),
                    adapt.json(features),
                    False,
                    MAPPING["source"],
                )
            )
    pcols = ("id", "version", "created_at", "updated_at", "name", "kind", "reference")
    pcols += ("email", "phone", "address", "city", "country")
    party_rows = [
        (pid, 1, now, now, name, "organisation", None, "", "", "", "", "") for pid, name in parties.values()
    ]
    for method in raw_side.methods():
        clear()
        elapsed = raw_side.insert(Party._meta.db_table, pcols, party_rows, method)
        elapsed += raw_side.insert(Contract._meta.db_table, CONTRACT_COLUMNS, contracts, method)
        timings[f"insert_{method}"] = elapsed
    timings["parse"] = parsing[0]
    timings["insert_only"] = min(v for k, v in timings.items() if k.startswith("insert_"))
    timings["total"] = timings["parse"] + timings["insert_only"]
    timings["rows"] = len(contracts)
    return timings


def clear() -> None:
    """Empty what an import writes (the bench database is ours; deleting is not measured)."""
    raw_side.empty(*(m._meta.db_table for m in (WorkItem, Obligation, Event, Contract, Party)))


def servanda_import(path: Path, mapping: Path) -> float:
    if "import" not in _commands():
        raise Unavailable("the `servanda import` command does not exist")
    out = io.StringIO()
    with stopwatch() as t:
        call_command("import", "contracts", str(path), mapping=str(mapping), stdout=out, stderr=out)
    return t[0]


def _commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())


def run(scale: Scale, workdir: Path) -> list[Result]:
    n = scale.import_rows
    metric = f"{n:,} rows, total s"
    contract_type, _ = ensure_catalogue()
    path = workdir / f"contracts-{n}.csv"
    mapping = workdir / f"contracts-{n}.mapping.yaml"
    write_contracts_csv(path, n, seed=1)
    write_mapping(mapping)

    clear()
    raw = raw_import(path, contract_type.pk)
    log(f"raw import of {n:,} rows: {raw['total']:.1f} s ({raw})")
    clear()
    try:
        servanda = servanda_import(path, mapping)
    except Unavailable as exc:
        r = unavailable(BENCH, metric, TARGET, str(exc))
        r.raw = raw["total"]
        return [r]
    except Exception as exc:  # the import failed: a finding, not a number
        r = unavailable(BENCH, metric, TARGET, f"import raised {type(exc).__name__}: {str(exc)[:300]}")
        r.raw = raw["total"]
        return [r]
    log(f"servanda import of {n:,} rows: {servanda:.1f} s")
    imported = Contract.objects.count()
    events = Event.objects.count()
    r = Result(BENCH, metric, servanda, raw["total"], TARGET, None)
    r.extra = {
        "raw_parse_s": raw["parse"],
        "raw_insert_s": {k[7:]: v for k, v in raw.items() if k.startswith("insert_") and k != "insert_only"},
        "imported": imported,
        "events": events,
        "work_items": WorkItem.objects.count(),
    }
    if imported != n:
        r.note = f"only {imported:,} of {n:,} contracts imported: the figure is not comparable"
    else:
        r.passed = servanda <= 3 * raw["total"]
        r.note = f"rows/s {n / servanda:,.0f} vs {n / raw['total']:,.0f}; raw insert-only {raw['insert_only']:.2f}s"
    clear()
    return [r]
