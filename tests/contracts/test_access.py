"""The scope model through access.py: 404 outside scope, 403 when read-only (personas)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from servanda.contracts.access import contracts_visible_to, get_contract_for, get_contract_type_for
from servanda.features.access import feature_definitions_visible_to, get_feature_definition_for
from servanda.installations.access import coverages_visible_to, get_coverage_for, get_installation_for
from servanda.installations.services import coverage_create, installation_create
from servanda.parties.access import get_party_for, parties_visible_to
from servanda.parties.services import party_create
from tests.contracts.helpers import contract, contract_type, definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(personas):
    a = personas.admin
    ctype = contract_type(a)
    mine = contract(a, ctype, number="MINE", team=personas.team)
    theirs = contract(a, ctype, number="THEIRS", team=personas.other_team)
    shared = contract(a, ctype, number="SHARED")  # no team: everyone with the perm sees it
    inst = installation_create(actor=a, serial_number="I-1", team=personas.team)
    cov = coverage_create(
        actor=a, contract=mine, installation=inst, start=__import__("datetime").date(2024, 1, 1)
    )
    party = party_create(actor=a, name="Acme", team=personas.team)
    return {
        "mine": mine,
        "theirs": theirs,
        "shared": shared,
        "inst": inst,
        "cov": cov,
        "party": party,
        "ctype": ctype,
    }


def test_visibility_per_persona(personas, objects) -> None:
    def seen(user):
        return sorted(contracts_visible_to(user).values_list("number", flat=True))

    assert seen(personas.owner) == ["MINE", "SHARED"]
    assert seen(personas.readonly) == ["MINE", "SHARED"]
    assert seen(personas.stranger) == ["SHARED", "THEIRS"]
    assert seen(personas.admin) == ["MINE", "SHARED", "THEIRS"]
    from django.contrib.auth.models import AnonymousUser

    assert seen(AnonymousUser()) == []


def test_stranger_gets_404_and_readonly_403(personas, objects) -> None:
    mine, cov, inst, party = objects["mine"], objects["cov"], objects["inst"], objects["party"]
    for getter, obj in [
        (get_contract_for, mine),
        (get_coverage_for, cov),
        (get_installation_for, inst),
        (get_party_for, party),
    ]:
        with pytest.raises(Http404):
            getter(personas.stranger, obj.pk)
        with pytest.raises(Http404):
            getter(personas.stranger, obj.pk, write=True)
        assert getter(personas.readonly, obj.pk) == obj
        with pytest.raises(PermissionDenied):
            getter(personas.readonly, obj.pk, write=True)
        assert getter(personas.colleague, obj.pk, write=True) == obj
        assert getter(personas.admin, obj.pk, write=True) == obj
    with pytest.raises(Http404):
        get_contract_for(personas.owner, 999_999)
    with pytest.raises(Http404):
        get_contract_for(personas.owner, "not-an-id")


def test_coverage_visible_when_its_contract_is(personas, objects) -> None:
    assert list(coverages_visible_to(personas.owner)) == [objects["cov"]]
    assert list(coverages_visible_to(personas.stranger)) == []
    assert list(parties_visible_to(personas.stranger)) == []


def test_definitions_and_types_readable_by_all_written_by_admins(personas, objects) -> None:
    d = definition(personas.admin, "voltage", "integer")
    for user in (personas.stranger, personas.readonly, personas.owner):
        assert list(feature_definitions_visible_to(user)) == [d]
        assert get_feature_definition_for(user, d.pk) == d
        with pytest.raises(PermissionDenied):
            get_feature_definition_for(user, d.pk, write=True)
        with pytest.raises(PermissionDenied):
            get_contract_type_for(user, objects["ctype"].pk, write=True)
    assert get_feature_definition_for(personas.admin, d.pk, write=True) == d
    personas.stranger.is_staff = True
    personas.stranger.save()
    assert get_contract_type_for(personas.stranger, objects["ctype"].pk, write=True) == objects["ctype"]
