"""Party services: validation, versions, events, refusing deletes that would orphan."""

from __future__ import annotations

from datetime import date

import pytest

from servanda.core.errors import Refused, ValidationFailed, VersionConflict, VersionRequired
from servanda.events.selectors import events_for
from servanda.parties.models import Party
from servanda.parties.services import party_create, party_delete, party_update
from tests.contracts.helpers import contract, contract_type

pytestmark = pytest.mark.django_db


def test_create_update_delete_with_events(personas) -> None:
    p = party_create(actor=personas.owner, name="Acme BV", reference="K-1", country="nl", team=personas.team)
    assert p.country == "NL" and p.version == 1
    p = party_update(actor=personas.colleague, party=p, version=1, name="Acme B.V.", birth_date=None)
    assert p.version == 2
    ev = events_for(entity="party", entity_id=p.pk).first()
    assert ev.changes == {"name": {"old": "Acme BV", "new": "Acme B.V."}} and ev.actor_name == "colleague"
    created = events_for(entity="party", entity_id=p.pk).last()
    assert created.changes["team"] == {"old": None, "new": personas.team.pk}
    pk = p.pk
    party_delete(actor=personas.owner, party=p)
    assert not Party.objects.filter(pk=pk).exists()
    assert events_for(entity="party", entity_id=pk).first().changes["name"] == {
        "old": "Acme B.V.",
        "new": None,
    }


def test_no_op_update_writes_nothing(personas) -> None:
    p = party_create(actor=personas.owner, name="Same")
    p = party_update(actor=personas.owner, party=p, version=1, name="Same")
    assert p.version == 1 and events_for(entity="party", entity_id=p.pk).count() == 1


def test_validation_and_versions(personas) -> None:
    party_create(actor=personas.owner, name="A", reference="R-1")
    with pytest.raises(ValidationFailed) as exc:
        party_create(actor=personas.owner, name=" ", reference="R-1", kind="robot", country="NLD")
    assert {e.field for e in exc.value.errors} == {"name", "reference", "kind", "country"}
    p = party_create(actor=personas.owner, name="B", birth_date=date(1956, 2, 29), kind="person")
    with pytest.raises(VersionRequired):
        party_update(actor=personas.owner, party=p, version=None, name="C")
    party_update(actor=personas.owner, party=p, version=1, name="C")
    with pytest.raises(VersionConflict):
        party_update(actor=personas.owner, party=p, version=1, name="D")
    assert Party.objects.get(pk=p.pk).name == "C"
    with pytest.raises(ValidationFailed):
        party_update(actor=personas.owner, party=p, version=2, id=5)


def test_delete_refused_while_contracts_refer(personas) -> None:
    p = party_create(actor=personas.owner, name="Customer")
    contract(personas.owner, contract_type(personas.admin), party=p)
    with pytest.raises(Refused) as exc:
        party_delete(actor=personas.owner, party=p)
    assert "1 contract" in exc.value.detail
