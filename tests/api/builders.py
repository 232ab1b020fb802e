"""Building blocks for API tests, made through the services (as a user would via the API)."""

from __future__ import annotations

from typing import Any

from servanda.contracts.services import contract_create
from servanda.features.kinds import contract_type_create
from servanda.features.services import feature_definition_create
from servanda.installations.services import installation_create


def maintenance_type(admin: Any) -> Any:
    """A contract type carrying voltage (integer), capacity (decimal), level (choice) and fee (money)."""
    feature_definition_create(
        actor=admin, entity="contract", key="voltage", label="Voltage", data_type="integer"
    )
    feature_definition_create(
        actor=admin, entity="contract", key="capacity", label="Capacity", data_type="decimal"
    )
    feature_definition_create(
        actor=admin,
        entity="contract",
        key="level",
        label="Service level",
        data_type="choice",
        characteristics=[{"code": "gold", "label": "Gold"}, {"code": "silver", "label": "Silver"}],
    )
    feature_definition_create(
        actor=admin, entity="contract", key="fee", label="Annual fee", data_type="money"
    )
    return contract_type_create(
        actor=admin,
        code="maintenance",
        name="Maintenance",
        feature_definitions=["voltage", "capacity", "level", "fee"],
    )


def a_contract(actor: Any, ctype: Any, team: Any, number: str = "C-1", **extra: Any) -> Any:
    return contract_create(
        actor=actor, number=number, title="Lift maintenance", contract_type=ctype, team=team, **extra
    )


def an_installation(actor: Any, team: Any, serial: str = "M-1") -> Any:
    return installation_create(actor=actor, serial_number=serial, team=team)
