"""Obligations are seen and changed through their contract's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from servanda.contracts.access import contracts_visible_to, get_contract_for

from .models import Obligation


def obligations_visible_to(user: Any) -> QuerySet[Obligation]:
    return Obligation.objects.filter(contract_id__in=contracts_visible_to(user).values("id"))


def get_obligation_for(user: Any, obligation_id: Any, *, write: bool = False) -> Obligation:
    try:
        obl = obligations_visible_to(user).get(pk=obligation_id)
    except (Obligation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such obligation, or not visible to you.") from None
    if write:
        get_contract_for(user, obl.contract_id, write=True)
    return obl
