"""Installation services: features by type, modules, versions, events, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from servanda.core.errors import Refused, ValidationFailed, VersionConflict
from servanda.events.selectors import events_for
from servanda.features.kinds import installation_type_create
from servanda.installations.models import Installation
from servanda.installations.selectors import (
    installation_ancestor_ids,
    installation_subtree_ids,
    installations_filtered,
)
from servanda.installations.services import (
    coverage_create,
    installation_create,
    installation_delete,
    installation_update,
)
from tests.contracts.helpers import contract, contract_type, definition

pytestmark = pytest.mark.django_db


def test_features_follow_the_type(personas) -> None:
    a = personas.admin
    kw = definition(a, "power", "decimal", entity="installation", unit="kW")
    age = definition(a, "age", "integer", entity="installation")
    pump = installation_type_create(actor=a, code="pump", name="Pump", feature_definitions=[kw])
    i = installation_create(
        actor=personas.owner, serial_number="P-1", installation_type=pump, features={"power": 7.5}
    )
    with pytest.raises(ValidationFailed) as exc:
        installation_create(
            actor=personas.owner, serial_number="P-2", installation_type=pump, features={"age": 3}
        )
    assert exc.value.errors[0].field == "features.age"
    # without a type, every installation definition applies
    untyped = installation_create(actor=personas.owner, serial_number="U-1", features={"age": 3, "power": 1})
    assert untyped.features == {"age": 3, "power": 1}
    i = installation_update(
        actor=personas.owner, installation=i, version=1, features={"power": 11}, site="Hall 2"
    )
    ev = events_for(entity="installation", entity_id=i.pk).first()
    assert ev.changes == {"features.power": {"old": 7.5, "new": 11}, "site": {"old": "", "new": "Hall 2"}}
    assert [
        x.serial_number
        for x in installations_filtered(Installation.objects.all(), params={"feature.power__gt": "5"})
    ] == ["P-1"]
    assert age.pk  # defined


def test_modules_tree_and_delete_refusals(personas) -> None:
    o = personas.owner
    machine = installation_create(actor=o, serial_number="M")
    module = installation_create(actor=o, serial_number="M.1", parent=machine)
    part = installation_create(actor=o, serial_number="M.1.a", parent=module)
    assert installation_subtree_ids(machine.pk) == sorted([machine.pk, module.pk, part.pk])
    assert installation_ancestor_ids(part.pk) == [module.pk, machine.pk]
    with pytest.raises(ValidationFailed) as exc:
        installation_update(actor=o, installation=machine, version=1, parent=part)
    assert exc.value.errors[0].field == "parent"
    with pytest.raises(Refused) as exc:
        installation_delete(actor=o, installation=machine)
    assert "M.1" in exc.value.detail
    c = contract(o, contract_type(personas.admin))
    coverage_create(actor=o, contract=c, installation=part, start=date(2024, 1, 1))
    with pytest.raises(Refused):
        installation_delete(actor=o, installation=part)
    installation_update(actor=o, installation=module, version=1, parent=None)
    with pytest.raises(VersionConflict):
        installation_update(actor=o, installation=module, version=1, site="x")
    installation_delete(actor=o, installation=machine)
    assert events_for(entity="installation", entity_id=machine.pk).first().action == "deleted"


def test_serial_number_unique(personas) -> None:
    installation_create(actor=personas.owner, serial_number="S")
    with pytest.raises(ValidationFailed) as exc:
        installation_create(actor=personas.owner, serial_number="S", status="broken")
    assert {e.field for e in exc.value.errors} == {"serial_number", "status"}
