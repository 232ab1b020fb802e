"""Who sees and changes which contracts and contract types."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from servanda.core.scope import get_for, visible
from servanda.features.access import administered, get_administered_for

from .models import Contract, ContractType


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    return visible(Contract.objects.all(), user)


def get_contract_for(user: Any, contract_id: Any, *, write: bool = False, action: str = "change") -> Contract:
    """Http404 outside the user's scope; PermissionDenied when `write` and the user may only read."""
    return get_for(contracts_visible_to(user), user, contract_id, write=write, action=action)


def contract_types_visible_to(user: Any) -> QuerySet[ContractType]:
    return administered(ContractType.objects.all(), user)


def get_contract_type_for(user: Any, type_id: Any, *, write: bool = False) -> ContractType:
    return get_administered_for(ContractType.objects.all(), user, type_id, write=write)
