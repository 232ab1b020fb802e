"""Writing events. Every service writes its event inside its own transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.utils import timezone

from .models import Event

_PLAIN = frozenset({str, int, float, bool})


def jsonable(value: Any) -> Any:
    """Values as the event log keeps them: dates ISO, decimals as strings."""
    if value is None or type(value) in _PLAIN:  # fast path: bulk imports log many plain values
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if type(value) is dict or isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


def _json_default(value: Any) -> Any:
    """`jsonable` for what the JSON encoder cannot write itself; it recurses into the result."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return list(value)
    if hasattr(value, "pk"):
        return value.pk
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def changes_json(changes: Mapping[str, Any]) -> str:
    """`json.dumps(jsonable(changes))` in one pass of the C encoder: plain values (nearly
    all of an import's) never reach Python code."""
    return json.dumps(changes, default=_json_default)


def diff(old: Mapping[str, Any], new: Mapping[str, Any], *, prefix: str = "") -> dict[str, dict]:
    """Field-level changes between two snapshots: {"field": {"old": …, "new": …}}."""
    changes: dict[str, dict] = {}
    for key in sorted(set(old) | set(new)):
        before, after = jsonable(old.get(key)), jsonable(new.get(key))
        if before != after:
            changes[f"{prefix}{key}"] = {"old": before, "new": after}
    return changes


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": getattr(actor, "username", "") or "system"}
    return {"actor": actor, "actor_name": actor.get_username()}


def event_record(
    *,
    actor: Any,
    entity: str,
    entity_id: int,
    action: str,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> Event:
    return Event.objects.create(
        entity=entity,
        entity_id=entity_id,
        action=action,
        changes=jsonable(changes or {}),
        note=note,
        **_actor_fields(actor),
    )


def event_record_many(
    *,
    actor: Any,
    entity: str,
    action: str,
    items: Iterable[tuple[int, Mapping[str, Any]]],
    note: str = "",
    batch_size: int = 2000,
) -> int:
    """One event per (entity_id, changes), inserted set-wise.

    One executemany rather than bulk_create: imports log one event per row, and
    bulk_create's per-value preparation (and SQLite's 999-parameter batches) cost
    more than the insert itself.
    """
    who = _actor_fields(actor)
    connection = connections[router.db_for_write(Event)]
    ops = connection.ops
    at = ops.adapt_datetimefield_value(timezone.now())
    actor_id = who["actor"].pk if who["actor"] is not None else None
    name = who["actor_name"]
    rows = [(at, actor_id, name, entity, eid, action, changes_json(ch), note) for eid, ch in items]
    if not rows:
        return 0
    names = ("at", "actor_id", "actor_name", "entity", "entity_id", "action", "changes", "note")
    columns = ", ".join(ops.quote_name(str(Event._meta.get_field(n).column)) for n in names)  # type: ignore[union-attr]
    # The changes arrive as JSON text, serialized once; PostgreSQL is told it is jsonb.
    json_mark = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    marks = ", ".join(json_mark if n == "changes" else "%s" for n in names)
    sql = f"INSERT INTO {ops.quote_name(Event._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])
    return len(rows)
