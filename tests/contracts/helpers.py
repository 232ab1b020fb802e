"""Small builders for domain tests: everything goes through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from servanda.contracts.models import Contract, ContractType
from servanda.contracts.services import contract_create
from servanda.features.kinds import contract_type_create
from servanda.features.models import FeatureDefinition
from servanda.features.services import feature_definition_create

D = date.fromisoformat


def definition(
    actor: Any, key: str, data_type: str, *, entity: str = "contract", **kw: Any
) -> FeatureDefinition:
    return feature_definition_create(
        actor=actor, entity=entity, key=key, label=kw.pop("label", key.title()), data_type=data_type, **kw
    )


def contract_type(
    actor: Any, code: str = "maint", defs: list[FeatureDefinition] | None = None
) -> ContractType:
    return contract_type_create(actor=actor, code=code, name=code.title(), feature_definitions=defs or [])


_counter = {"n": 0}


def contract(actor: Any, ctype: ContractType, **kw: Any) -> Contract:
    _counter["n"] += 1
    kw.setdefault("number", f"C-{_counter['n']:05d}")
    kw.setdefault("title", f"Contract {kw['number']}")
    return contract_create(actor=actor, contract_type=ctype, **kw)
