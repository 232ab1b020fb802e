"""`import_run`: read a file with a mapping and write it set-wise, in one transaction.

Strict (default): any rejected row → nothing is written, every bad row reported.
Lenient: the good rows are written, every bad one reported. Dry run: everything
is checked, nothing is kept. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from servanda.rules.durations import CalendarDuration
from servanda.rules.importvalues import OPEN_ENDED, ImportValueError

from .convert import converter
from .mapping import Mapping, MappingError
from .readers import Cell, read_table
from .report import Rejection, Report, Row
from .setup import apply_setup
from .targets.base import Target
from .targets.contracts import ContractTarget
from .targets.installations import CoverageTarget, InstallationTarget, MaintenanceTarget
from .targets.parties import PartyTarget

Progress = Callable[[int], None]


def make_target(mapping: Mapping, *, actor: Any, note: str) -> Target:
    options = {f.target: f.options for f in mapping.fields}
    source = mapping.source
    if mapping.entity == "contracts":
        return ContractTarget(actor=actor, source=source, note=note, options=options)
    if mapping.entity == "installations":
        return InstallationTarget(actor=actor, source=source, note=note, options=options)
    if mapping.entity == "parties":
        return PartyTarget(actor=actor, source=source, note=note, key=mapping.key)
    if mapping.entity == "coverages":
        return CoverageTarget(actor=actor, source=source, note=note)
    return MaintenanceTarget(actor=actor, source=source, note=note)


def _check_targets(mapping: Mapping, target: Target) -> None:
    allowed = set(target.fields) | set(target.fk)
    if isinstance(target, CoverageTarget):
        allowed |= {"end"}
    for spec in mapping.fields:
        if spec.is_feature:
            if not target.has_features:
                raise MappingError(f"{mapping.path}: {mapping.entity} have no features ({spec.target})")
        elif spec.target not in allowed:
            raise MappingError(
                f"{mapping.path}: {mapping.entity} have no field {spec.target!r}; fields: {', '.join(sorted(allowed))}"
            )


def _parse(
    table_rows: Any,
    header: list[str],
    mapping: Mapping,
    target: Target,
    today: dt.date,
    progress: Progress | None,
) -> tuple[list[Row], int]:
    index = {name: i for i, name in enumerate(header)}
    plan = []
    for spec in mapping.fields:
        positions = [index[c] for c in spec.columns]
        convert = converter(spec, today=today)
        default = spec.opt("default")
        if spec.opt("on_error", "reject") not in {"reject", "warn"}:
            raise MappingError(f"{spec.target}: on_error must be reject or warn")
        plan.append((spec, positions, convert, default, spec.is_feature, spec.label))
    # One shared column-label table: rows only read it (for their messages).
    columns = {spec.target: label for spec, *_rest, label in plan}
    rows: list[Row] = []
    count = 0
    for number, cells in table_rows:
        count += 1
        if progress is not None and count % 500 == 0:
            progress(500)
        width = len(cells)
        row = Row(number=number, values={}, features={}, columns=columns)
        for spec, positions, convert, default, is_feature, _label in plan:
            if not positions:
                value: Any = spec.value
            else:
                value = None
                for pos, column in zip(positions, spec.columns, strict=True):
                    cell: Cell = cells[pos] if pos < width else ""
                    if cell == "" or (isinstance(cell, str) and not cell.strip()):
                        continue
                    try:
                        value = convert(cell)
                    except ImportValueError as exc:
                        # on_error = "warn": keep the row, leave this value empty, and say so.
                        if spec.options.get("on_error") == "warn":
                            row.warnings.append(Rejection(number, column, f"{exc}; left empty"))
                        else:
                            row.errors.append(Rejection(number, column, str(exc)))
                        value = None
                        break
                    if value is not None:
                        break
                if value is None and default is not None:
                    value = default
            if is_feature:
                # Features hold plain values; "perpetual" has no length to keep (the terms say open-ended).
                if value is OPEN_ENDED:
                    value = None
                elif isinstance(value, CalendarDuration):
                    value = value.iso()
                row.features[spec.feature_key] = value
            else:
                row.values[spec.target] = value
        target.prepare(row)
        rows.append(row)
    if progress is not None:
        progress(count % 500)
    return rows, count


def import_run(
    *,
    actor: Any,
    entity: str,
    path: str | Path,
    mapping: Mapping,
    lenient: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_total: Callable[[int | None], None] | None = None,
    today: dt.date | None = None,
) -> Report:
    """Import `path` as `entity` with `mapping`; raises MappingError or FileError for whole-file problems."""
    if mapping.entity != entity:
        raise MappingError(f"{mapping.path} maps {mapping.entity}, not {entity}")
    table = read_table(path, delimiter=mapping.delimiter, encoding=mapping.encoding, sheet=mapping.sheet)
    missing = [c for c in mapping.columns() if c not in table.header]
    if missing:
        raise MappingError(f"{Path(path).name} has no column(s) {', '.join(repr(c) for c in missing)}")
    note = f"import {Path(path).name}"
    target = make_target(mapping, actor=actor, note=note)
    _check_targets(mapping, target)
    report = Report(file=Path(path).name, entity=entity, dry_run=dry_run, lenient=lenient)
    if on_total is not None:
        on_total(table.total)
    with transaction.atomic():
        apply_setup(actor=actor, setup=mapping.setup)
        rows, report.rows = _parse(
            table.rows, table.header, mapping, target, today or dt.date.today(), progress
        )
        good = [r for r in rows if not r.errors]
        target.resolve(good, report)
        plan = target.plan([r for r in good if not r.errors], report)
        for row in rows:
            # A column feeding a field and a feature fails once, not twice.
            report.rejected.extend(dict.fromkeys(row.errors))
        rejected_rows = {r.row for r in report.rejected}
        found = [w for r in rows for w in r.warnings] + list(getattr(target, "warnings", []))
        report.warnings.extend(sorted((w for w in found if w.row not in rejected_rows), key=lambda w: w.row))
        report.created, report.updated, report.unchanged = (
            len(plan.creates),
            len(plan.updates),
            plan.unchanged,
        )
        failing = bool(report.rejected) and not lenient
        if not failing and not dry_run:
            target.apply(plan, report)
            report.rejected.sort(key=lambda r: r.row)
        if failing or dry_run:
            transaction.set_rollback(True)
            if failing:
                report.created = report.updated = report.unchanged = report.placeholders = 0
        else:
            report.committed = True
    report.rejected.sort(key=lambda r: r.row)
    return report
