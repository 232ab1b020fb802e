"""`servanda import {contracts|installations|coverages|parties|maintenance} FILE --mapping MAPPING`."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from servanda.imports.engine import import_run
from servanda.imports.mapping import ENTITIES, MappingError, load_mapping
from servanda.imports.readers import FileError


class Command(BaseCommand):
    help = "Import a CSV or XLSX file with a mapping (strict unless --lenient; see docs/IMPORT.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=ENTITIES)
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="mapping file (.toml, .yaml)")
        parser.add_argument("--lenient", action="store_true", help="write the good rows, report the bad")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--user", help="record the changes as this user (default: system)")

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"no user {opts['user']!r}")
        try:
            mapping = load_mapping(opts["mapping"])
            report = self._run(actor, mapping, opts)
        except (MappingError, FileError) as exc:
            if opts["json"]:
                self.stdout.write(json.dumps({"error": str(exc), "rows": 0, "created": 0, "updated": 0}))
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            for r in report.rejected:
                self.stdout.write(f"row {r.row}, column {r.column}: {r.reason}")
            for w in report.warnings:
                self.stdout.write(f"warning: row {w.row}, column {w.column}: {w.reason}")
            self.stdout.write(report.summary())
        if report.rejected and not opts["lenient"]:
            raise CommandError(
                f"{report.rejected_rows} row(s) rejected; nothing was imported (fix them, or use --lenient)"
            )

    def _run(self, actor: Any, mapping: Any, opts: dict[str, Any]) -> Any:
        kwargs = {
            "actor": actor,
            "entity": opts["entity"],
            "path": opts["file"],
            "mapping": mapping,
            "lenient": opts["lenient"],
            "dry_run": opts["dry_run"],
        }
        if opts["json"] or not sys.stdout.isatty():
            return import_run(**kwargs)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("reading {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
        ) as bar:
            task = bar.add_task(str(opts["file"]), total=None)
            return import_run(
                **kwargs,
                progress=lambda n: bar.advance(task, n),
                on_total=lambda total: bar.update(task, total=total),
            )
