"""Feature definition, characteristic and type services: refusals that protect stored values."""

from __future__ import annotations

import pytest
from django.db import connection

from servanda.contracts.models import Contract
from servanda.contracts.services import contract_update
from servanda.core.errors import Refused, ValidationFailed, VersionConflict
from servanda.events.selectors import events_for
from servanda.features.kinds import contract_type_update, installation_type_create
from servanda.features.models import Characteristic, FeatureDefinition
from servanda.features.query import index_name
from servanda.features.services import (
    characteristic_add,
    characteristic_remove,
    characteristic_update,
    feature_definition_delete,
    feature_definition_update,
)
from tests.contracts.helpers import contract, contract_type, definition

pytestmark = pytest.mark.django_db


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes")
        return {row[0] for row in cursor.fetchall()}


def test_definition_create_makes_its_index_and_event(personas) -> None:
    d = definition(personas.admin, "voltage", "integer", unit="V", required=True)
    assert index_name(d) in index_names()
    ev = events_for(entity="feature_definition", entity_id=d.pk).first()
    assert ev.action == "created" and ev.changes["data_type"] == {"old": None, "new": "integer"}
    unindexed = definition(personas.admin, "memo", "text", indexed=False)
    assert index_name(unindexed) not in index_names()


def test_definition_input_is_checked(personas) -> None:
    a = personas.admin
    with pytest.raises(ValidationFailed) as exc:
        definition(a, "bad key!", "colour")
    assert {e.field for e in exc.value.errors} == {"key", "data_type"}
    definition(a, "voltage", "integer")
    with pytest.raises(ValidationFailed):
        definition(a, "voltage", "text")  # same entity and key
    definition(a, "voltage", "text", entity="installation")  # another entity may reuse the key
    with pytest.raises(ValidationFailed) as exc:
        definition(a, "phase", "choice", default="9", characteristics=[("1", "One")])
    assert exc.value.errors[0].field == "default" and "'9'" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed):
        definition(a, "ref", "reference")  # names no entity


def test_data_type_fixed_once_values_exist(personas) -> None:
    a = personas.admin
    d = definition(a, "capacity", "integer")
    ctype = contract_type(a, defs=[d])
    old_index = index_name(d)
    d = feature_definition_update(actor=a, definition=d, version=1, data_type="text", label="Capacity (t)")
    assert index_name(d) in index_names() and old_index not in index_names()  # a text index now
    d = feature_definition_update(actor=a, definition=d, version=2, data_type="decimal")
    assert index_name(d) == old_index and old_index in index_names()  # numbers share one typed expression
    contract(a, ctype, features={"capacity": 10})
    with pytest.raises(Refused) as exc:
        feature_definition_update(actor=a, definition=d, version=d.version, data_type="text")
    assert "1 object" in exc.value.detail and "data_type" in exc.value.detail
    with pytest.raises(Refused):
        feature_definition_delete(actor=a, definition=d)
    d = feature_definition_update(actor=a, definition=d, version=d.version, label="Load")
    with pytest.raises(VersionConflict):
        feature_definition_update(actor=a, definition=d, version=1, label="stale")


def test_characteristics_in_use_are_kept(personas) -> None:
    a = personas.admin
    level = definition(a, "level", "choice", characteristics=[("gold", "Gold"), ("silver", "Silver")])
    tags = definition(a, "tags", "multi_choice", characteristics=[("x", "X"), ("y", "Y")])
    ctype = contract_type(a, defs=[level, tags])
    c = contract(a, ctype, features={"level": "gold", "tags": ["y"]})
    bronze = characteristic_add(actor=a, definition=level, code="bronze", label="Bronze")
    with pytest.raises(ValidationFailed):
        characteristic_add(actor=a, definition=level, code="gold", label="again")
    with pytest.raises(Refused) as exc:
        characteristic_remove(
            actor=a, characteristic=Characteristic.objects.get(definition=level, code="gold")
        )
    assert "'gold'" in exc.value.detail
    with pytest.raises(Refused):
        characteristic_remove(actor=a, characteristic=Characteristic.objects.get(definition=tags, code="y"))
    with pytest.raises(Refused):
        characteristic_update(
            actor=a, characteristic=Characteristic.objects.get(definition=level, code="gold"), code="au"
        )
    characteristic_update(
        actor=a, characteristic=Characteristic.objects.get(definition=level, code="gold"), label="Gold+"
    )
    characteristic_remove(actor=a, characteristic=bronze)
    characteristic_remove(actor=a, characteristic=Characteristic.objects.get(definition=tags, code="x"))
    history = [e.changes for e in events_for(entity="feature_definition", entity_id=level.pk)]
    assert {"characteristics.gold": {"old": "Gold", "new": "Gold+"}} in history
    assert {"characteristics.bronze": {"old": "Bronze", "new": None}} in history
    assert FeatureDefinition.objects.get(pk=level.pk).version == 4  # each change bumps the definition
    # the remaining values still validate; the removed code no longer does
    contract_update(actor=a, contract=c, version=c.version, features={"level": "silver"})
    with pytest.raises(ValidationFailed):
        contract_update(actor=a, contract=Contract.objects.get(pk=c.pk), version=2, features={"tags": ["x"]})


def test_types_choose_their_definitions(personas) -> None:
    a = personas.admin
    v = definition(a, "voltage", "integer")
    w = definition(a, "weight", "decimal", entity="installation")
    ctype = contract_type(a, defs=[v])
    with pytest.raises(ValidationFailed) as exc:
        contract_type_update(actor=a, contract_type=ctype, version=1, feature_definitions=[w])
    assert "installation.weight" in exc.value.errors[0].message
    ctype = contract_type_update(
        actor=a, contract_type=ctype, version=1, feature_definitions=[], name="Plain"
    )
    ev = events_for(entity="contract_type", entity_id=ctype.pk).first()
    assert ev.changes == {
        "feature_definitions": {"old": ["voltage"], "new": []},
        "name": {"old": "Maint", "new": "Plain"},
    }
    with pytest.raises(ValidationFailed) as exc:
        contract(a, ctype, features={"voltage": 400})
    assert "unknown feature 'voltage'" in exc.value.errors[0].message
    itype = installation_type_create(actor=a, code="pump", name="Pump", feature_definitions=["weight"])
    assert list(itype.feature_definitions.all()) == [w]


def test_indexes_can_be_recreated_for_all_definitions(personas) -> None:
    from servanda.features.query import feature_index_drop, feature_indexes_ensure_all

    d = definition(personas.admin, "voltage", "integer")
    tags = definition(personas.admin, "tags", "multi_choice", characteristics=[("a", "A")])
    feature_index_drop(d)
    assert index_name(d) not in index_names()
    names = feature_indexes_ensure_all()
    assert index_name(d) in names and index_name(d) in index_names()
    # list membership is indexable on PostgreSQL only (GIN); SQLite scans json_each
    assert (index_name(tags) in index_names()) == (connection.vendor == "postgresql")
