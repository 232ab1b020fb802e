"""Obligations are seen and changed through their contract's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from servanda.contracts.access import (
    contract_types_visible_to,
    contracts_visible_to,
    get_contract_for,
    get_contract_type_for,
)

from .models import Obligation, ObligationTemplate


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


def templates_visible_to(user: Any) -> QuerySet[ObligationTemplate]:
    return ObligationTemplate.objects.filter(
        contract_type_id__in=contract_types_visible_to(user).values("id")
    )


def get_template_for(user: Any, template_id: Any, *, write: bool = False) -> ObligationTemplate:
    """Templates are administered with their contract type: writing needs its change permission."""
    try:
        tpl = templates_visible_to(user).get(pk=template_id)
    except (ObligationTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such obligation template, or not visible to you.") from None
    if write:
        get_contract_type_for(user, tpl.contract_type_id, write=True)
    return tpl
