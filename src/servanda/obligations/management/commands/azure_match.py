"""`servanda azure_match [--tolerance DAYS]`: generated planned work vs the Azure PdM records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from servanda.obligations.azure import azure_match


class Command(BaseCommand):
    help = "Model the Azure PdM machines' planned replacements and report the match rate per machine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", default=str(Path(settings.SHARED_DATA_DIR) / "azure_pdm"))
        parser.add_argument("--tolerance", type=int, default=0, help="days either side that still match")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="keep the contract and its generated work items (default: compare, then roll back)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["data"])
        if not (folder / "PdM_maint.csv").exists():
            raise CommandError(f"no Azure PdM data in {folder}")
        report = azure_match(folder, tolerance_days=options["tolerance"], keep=options["keep"])
        out = self.stdout
        out.write(f"{'machine':>8} {'recorded':>9} {'matched':>8} {'rate':>7} {'generated':>10} {'used':>6}")
        for m in report.machines:
            out.write(
                f"{m.machine:>8} {m.recorded:>9} {m.matched:>8} {m.rate:>7.1%} {m.generated:>10} {m.used:>6}"
            )
        out.write(
            f"overall: {report.matched}/{report.recorded} planned visit days matched ({report.rate:.1%})"
        )
        out.write(
            f"not compared: {report.pre_contract_records} records from 2014 (before the contract, off the grid), "
            f"{report.failure_replacements} failure replacements (found by joining PdM_failures.csv); "
            f"{report.failures_not_in_maintenance} failures have no maintenance record at all"
        )
        for machine, day in report.unmatched[:20]:
            out.write(f"unmatched: machine {machine} on {day}")
