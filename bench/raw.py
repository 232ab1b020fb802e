"""The raw side: the same rows through the DB-API cursor, no ORM, same tables and indexes.

`executemany` of a one-row INSERT, batched, in one transaction. (A multi-row VALUES form
was tried on PostgreSQL: through Django's client-side-binding cursor psycopg re-parses
each long statement, and it lost to executemany, 71 s against 46 s for the import.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from servanda.core.datagen.bulk import batches

from .common import stopwatch

ROWS_PER_STATEMENT = 500


def empty(*tables: str) -> None:
    """Empty tables between the two sides. PostgreSQL gets TRUNCATE: after a DELETE the dead
    index entries would still be visited by every insert (uniqueness checks), slowing
    whichever side comes second; the bench database holds nothing else to cascade into."""
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Inside an outer transaction (the smoke test) deferred FK checks may be pending,
            # and PostgreSQL refuses TRUNCATE until they have run.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {qn(table)}")


def methods() -> list[str]:
    return ["executemany"]


def insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], method: str) -> float:
    """Seconds to write `rows` in one transaction with `method`."""
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with stopwatch() as t, transaction.atomic(), connection.cursor() as cursor:
        if method == "executemany":
            sql = f"INSERT INTO {qn(table)} ({cols}) VALUES {one}"
            for chunk in batches(rows):
                cursor.executemany(sql, chunk)
        else:
            for chunk in batches(rows, ROWS_PER_STATEMENT):
                sql = f"INSERT INTO {qn(table)} ({cols}) VALUES " + ", ".join([one] * len(chunk))
                cursor.execute(sql, [v for row in chunk for v in row])
    return t[0]
