"""Reads about feature definitions and types."""

from __future__ import annotations

from django.db.models import QuerySet

from servanda.events.models import Event
from servanda.events.selectors import events_for


def feature_definition_history(definition_id: int) -> QuerySet[Event]:
    """Changes to a definition, its characteristics included (`characteristics.<code>`)."""
    return events_for(entity="feature_definition", entity_id=definition_id)


def contract_type_history(type_id: int) -> QuerySet[Event]:
    return events_for(entity="contract_type", entity_id=type_id)


def installation_type_history(type_id: int) -> QuerySet[Event]:
    return events_for(entity="installation_type", entity_id=type_id)
