"""Contract, installation and coverage services take related objects or their ids, alike.

Import targets and scripts hold ids, pages hold objects: both must give the same result, and an
id that names nothing is a field error (422 through the API), never a ValueError or crash.
"""

from __future__ import annotations

from datetime import date

import pytest

from servanda.contracts.services import contract_create, contract_update
from servanda.core.errors import ValidationFailed
from servanda.features.kinds import installation_type_create
from servanda.installations.services import coverage_create, installation_create, installation_update
from servanda.parties.services import party_create
from tests.contracts.helpers import contract_type

pytestmark = pytest.mark.django_db


def test_contract_create_and_update_accept_ids(personas) -> None:
    a = personas.admin
    ctype = contract_type(a)
    party = party_create(actor=a, name="ACME")
    parent = contract_create(actor=a, number="P-1", title="Frame", contract_type=ctype)
    child = contract_create(
        actor=a, number="C-1", title="Call-off", contract_type=ctype.pk, party=party.pk, parent=parent.pk
    )
    child.refresh_from_db()
    assert (child.contract_type_id, child.party_id, child.parent_id) == (ctype.pk, party.pk, parent.pk)

    other = party_create(actor=a, name="Other")
    updated = contract_update(actor=a, contract=child, version=child.version, party=other.pk, parent=None)
    updated.refresh_from_db()
    assert (updated.party_id, updated.parent_id) == (other.pk, None)


@pytest.mark.parametrize("field", ["contract_type", "party", "parent"])
def test_contract_unknown_id_is_a_field_error(personas, field) -> None:
    a = personas.admin
    ctype = contract_type(a)
    kw = {"contract_type": ctype, field: 987654}
    with pytest.raises(ValidationFailed) as exc:
        contract_create(actor=a, number="X-1", title="X", **kw)
    assert field in {e.field for e in exc.value.errors}


def test_installation_and_coverage_accept_ids(personas) -> None:
    a = personas.admin
    pump = installation_type_create(actor=a, code="pump", name="Pump", feature_definitions=[])
    owner = party_create(actor=a, name="Owner")
    machine = installation_create(actor=a, serial_number="M-1")
    module = installation_create(
        actor=a, serial_number="M-1a", installation_type=pump.pk, owner=owner.pk, parent=machine.pk
    )
    module.refresh_from_db()
    assert (module.installation_type_id, module.owner_id, module.parent_id) == (pump.pk, owner.pk, machine.pk)

    moved = installation_update(actor=a, installation=module, version=module.version, parent=None, owner=None)
    moved.refresh_from_db()
    assert (moved.parent_id, moved.owner_id) == (None, None)

    ctype = contract_type(a)
    c = contract_create(actor=a, number="C-9", title="Maintenance", contract_type=ctype)
    cov = coverage_create(actor=a, contract=c.pk, installation=machine.pk, start=date(2025, 1, 1), end=None)
    assert (cov.contract_id, cov.installation_id) == (c.pk, machine.pk)


@pytest.mark.parametrize("field", ["installation_type", "owner", "parent"])
def test_installation_unknown_id_is_a_field_error(personas, field) -> None:
    with pytest.raises(ValidationFailed) as exc:
        installation_create(actor=personas.admin, serial_number="M-X", **{field: 987654})
    assert field in {e.field for e in exc.value.errors}
