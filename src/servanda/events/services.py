"""Writing events. Every service writes its event inside its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

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
    """One event per (entity_id, changes), inserted set-wise."""
    who = _actor_fields(actor)
    now = timezone.now()
    rows = [
        Event(
            at=now,
            entity=entity,
            entity_id=eid,
            action=action,
            changes=jsonable(ch),
            note=note,
            **who,
        )
        for eid, ch in items
    ]
    Event.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
