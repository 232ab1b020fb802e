"""Hierarchies (contracts, installations) through recursive CTEs on both databases.

`UNION` (not `UNION ALL`) drops rows already produced, so the recursion ends
even on data that already contains a cycle (imported or legacy; case tree-1).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def subtree_ids(model: type[Model], root_id: int) -> list[int]:
    """The root and all its descendants at any depth, sorted by id."""
    table = _table(model)
    sql = (
        f"WITH RECURSIVE sub(id) AS (SELECT id FROM {table} WHERE id = %s "
        f"UNION SELECT t.id FROM {table} t JOIN sub ON t.parent_id = sub.id) "
        "SELECT id FROM sub ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root_id])
        return [row[0] for row in cursor.fetchall()]


def ancestor_ids(model: type[Model], node_id: int) -> list[int]:
    """Ancestors from the parent up to the root (nearest first), stopping at a repeat."""
    table = _table(model)
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id = %s "
        f"UNION SELECT t.id, t.parent_id FROM {table} t JOIN up ON t.id = up.parent_id) "
        "SELECT id, parent_id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [node_id])
        parent_of = dict(cursor.fetchall())
    out: list[int] = []
    seen = {node_id}
    current = parent_of.get(node_id)
    while current is not None and current not in seen:
        out.append(current)
        seen.add(current)
        current = parent_of.get(current)
    return out


def cycle_path(model: type[Model], node_id: int, new_parent_id: int | None) -> list[int] | None:
    """The loop `node → new parent → … → node` that setting this parent would close, else None."""
    if new_parent_id is None:
        return None
    if new_parent_id == node_id:
        return [node_id, node_id]
    chain = [new_parent_id, *ancestor_ids(model, new_parent_id)]
    if node_id in chain:
        return [node_id, *chain[: chain.index(node_id) + 1]]
    return None
