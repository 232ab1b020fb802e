"""Who sees and changes which parties."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from servanda.core.scope import get_for, visible

from .models import Party


def parties_visible_to(user: Any) -> QuerySet[Party]:
    return visible(Party.objects.all(), user)


def get_party_for(user: Any, party_id: Any, *, write: bool = False, action: str = "change") -> Party:
    return get_for(parties_visible_to(user), user, party_id, write=write, action=action)
