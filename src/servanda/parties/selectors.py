"""Reads about parties."""

from __future__ import annotations

from django.db.models import QuerySet

from servanda.events.models import Event
from servanda.events.selectors import events_for


def party_history(party_id: int) -> QuerySet[Event]:
    return events_for(entity="party", entity_id=party_id)
