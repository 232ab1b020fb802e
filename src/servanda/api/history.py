"""`GET /api/<resource>/{id}/history`: an object's events, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from servanda.events.models import Event
from servanda.events.selectors import events_for

from .pagination import PageParams, paginate


def _render(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "at": e.at,
            "actor": e.actor_name,
            "action": e.action,
            "note": e.note,
            "changes": [
                {"field": field, "old": (ch or {}).get("old"), "new": (ch or {}).get("new")}
                for field, ch in sorted((e.changes or {}).items())
            ],
        }
        for e in events
    ]


def history_page(*, entity: str, entity_id: int, params: PageParams) -> dict[str, Any]:
    return paginate(events_for(entity=entity, entity_id=entity_id), params, _render)
