"""`servanda generate {contracts-csv|contracts|coverages|schedule} --count N`: benchmark data sets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Build deterministic synthetic data sets (set-wise) for benchmarks and load tests."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="dataset", required=True, metavar="DATASET")
        kinds = {
            "contracts-csv": "a contracts CSV (10 features each) and its import mapping",
            "contracts": "parties and contracts with 10 features each, in the database",
            "coverages": "installations with a coverage history (4 periods each) under the contracts",
            "schedule": "contracts covering installations, each with a quarterly per-installation obligation",
        }
        for name, text in kinds.items():
            p = sub.add_parser(name, help=text, description=text)
            p.add_argument(
                "--count", type=int, required=True, help="how many rows (installations for schedule)"
            )
            p.add_argument(
                "--seed", type=int, default=1, help="the same seed gives the same data (default 1)"
            )
            p.add_argument("--quiet", action="store_true", help="no progress bar")
            if name == "contracts-csv":
                p.add_argument("--out", type=Path, required=True, help="CSV file to write")
                p.add_argument("--mapping-out", type=Path, help="mapping file (default: FILE.mapping.yaml)")
            if name == "schedule":
                p.add_argument("--per-contract", type=int, default=10, help="installations per contract")
                p.add_argument("--anchor", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **opts: Any) -> None:
        count = opts["count"]
        if count < 1:
            raise CommandError("--count must be at least 1")
        progress = not opts["quiet"]
        dataset = opts["dataset"]
        result: dict[str, Any]
        if dataset == "contracts-csv":
            from servanda.core.datagen.contracts import write_contracts_csv
            from servanda.core.datagen.mapping import write_mapping

            out: Path = opts["out"]
            write_contracts_csv(out, count, seed=opts["seed"], progress=progress)
            mapping = opts["mapping_out"] or out.with_suffix(".mapping.yaml")
            write_mapping(mapping)
            result = {"csv": str(out), "mapping": str(mapping), "rows": count}
        elif dataset == "contracts":
            from servanda.core.datagen.contracts import write_contracts

            result = write_contracts(count, seed=opts["seed"], progress=progress)
        elif dataset == "coverages":
            from servanda.core.datagen.coverages import write_coverages

            result = write_coverages(count, seed=opts["seed"], progress=progress)
        else:
            from servanda.core.datagen.schedule import write_schedule_inputs

            result = write_schedule_inputs(
                count,
                per_contract=opts["per_contract"],
                anchor=opts["anchor"],
                seed=opts["seed"],
                progress=progress,
            )
        self.stdout.write(json.dumps(result, default=str))
