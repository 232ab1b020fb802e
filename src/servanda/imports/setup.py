"""The `[setup]` of a mapping: feature definitions and types it needs, made idempotently.

Existing definitions and types are left as they are (an administrator may have
changed labels); a type only gains the features the mapping lists and it lacks.
Everything goes through the features services, so events and indexes follow.
"""

from __future__ import annotations

from typing import Any

from servanda.contracts.models import ContractType
from servanda.features.kinds import (
    contract_type_create,
    contract_type_update,
    installation_type_create,
    installation_type_update,
)
from servanda.features.models import FeatureDefinition
from servanda.features.services import feature_definition_create
from servanda.installations.models import InstallationType

from .mapping import MappingError

_DEFINITION_KEYS = {
    "entity",
    "key",
    "label",
    "data_type",
    "unit",
    "required",
    "default",
    "reference_entity",
    "help_text",
    "position",
    "indexed",
    "characteristics",
}


def ensure_feature_definitions(*, actor: Any, items: list[dict[str, Any]]) -> int:
    existing = set(FeatureDefinition.objects.values_list("entity", "key"))
    made = 0
    for position, item in enumerate(items):
        unknown = set(item) - _DEFINITION_KEYS
        if unknown:
            raise MappingError(f"setup.feature_definitions: unknown setting(s) {', '.join(sorted(unknown))}")
        if (item["entity"], item["key"]) in existing:
            continue
        values = {"position": position, **item}
        values["characteristics"] = [
            (c["code"], c["label"]) if isinstance(c, dict) else tuple(c)
            for c in item.get("characteristics", [])
        ]
        feature_definition_create(actor=actor, **values)
        existing.add((item["entity"], item["key"]))
        made += 1
    return made


def _ensure_types(
    *, actor: Any, model: Any, items: list[dict[str, Any]], create: Any, update: Any, arg: str
) -> int:
    made = 0
    for item in items:
        features = list(item.get("features", []))
        obj = model.objects.filter(code=item["code"]).first()
        if obj is None:
            create(
                actor=actor,
                code=item["code"],
                name=item.get("name", item["code"]),
                description=item.get("description", ""),
                feature_definitions=features,
                **({"number_prefix": item["number_prefix"]} if "number_prefix" in item else {}),
            )
            made += 1
            continue
        have = set(obj.feature_definitions.values_list("key", flat=True))
        if set(features) - have:
            update(
                actor=actor,
                version=obj.version,
                feature_definitions=sorted(have | set(features)),
                **{arg: obj},
            )
    return made


def apply_setup(*, actor: Any, setup: dict[str, Any]) -> dict[str, int]:
    """Create what the mapping's setup declares and is missing; returns how many of each."""
    return {
        "feature_definitions": ensure_feature_definitions(
            actor=actor, items=setup.get("feature_definitions", [])
        ),
        "contract_types": _ensure_types(
            actor=actor,
            model=ContractType,
            items=setup.get("contract_types", []),
            create=contract_type_create,
            update=contract_type_update,
            arg="contract_type",
        ),
        "installation_types": _ensure_types(
            actor=actor,
            model=InstallationType,
            items=setup.get("installation_types", []),
            create=installation_type_create,
            update=installation_type_update,
            arg="installation_type",
        ),
    }
