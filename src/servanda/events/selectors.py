from __future__ import annotations

from django.db.models import QuerySet

from .models import Event


def events_for(*, entity: str, entity_id: int) -> QuerySet[Event]:
    """An object's history, newest first."""
    return Event.objects.filter(entity=entity, entity_id=entity_id).order_by("-at", "-id")
