"""Batch writing of generated rows straight into the tables, with a progress bar.

Generated data sets bypass the services on purpose: they are fixtures for
benchmarks, not user input, and writing a million rows through per-row
validation would make preparing a benchmark slower than running it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.db import connection, transaction
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

BATCH = 10_000
SQLITE_LOAD_CACHE_KIB = -512_000  # negative: KiB, i.e. 500 MB


class Adapt:
    """Converts Python values to what this connection's DB-API driver stores for Django's fields."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        ops = connection.ops
        self._dt: Callable[[dt.datetime], Any] = ops.adapt_datetimefield_value  # type: ignore[assignment]

    def date(self, value: dt.date | None) -> Any:
        if value is None:
            return None
        return value if self.vendor == "postgresql" else value.isoformat()

    def instant(self, value: dt.datetime) -> Any:
        return self._dt(value)

    def json(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))


def batches(rows: Iterable[Sequence[Any]], size: int = BATCH) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )
    with bar:
        yield bar


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    total: int,
    progress: Progress | None = None,
    label: str | None = None,
) -> int:
    """Write rows into `table` in batches; returns how many were written."""
    task = progress.add_task(label or table, total=total) if progress is not None else None
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for chunk in batches(rows):
                    for row in chunk:
                        copy.write_row(row)
                    written += len(chunk)
                    if progress is not None and task is not None:
                        progress.advance(task, len(chunk))
        else:
            # SQLite's default 2 MB page cache thrashes while a million keys go into the
            # indexes; a larger cache for the load only (restored below) keeps it linear.
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {SQLITE_LOAD_CACHE_KIB}")
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"
            for chunk in batches(rows):
                cursor.executemany(sql, chunk)
                written += len(chunk)
                if progress is not None and task is not None:
                    progress.advance(task, len(chunk))
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
    return written


def max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def reset_sequence(model: Any) -> None:
    """After writing explicit ids, move PostgreSQL's sequence past them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
