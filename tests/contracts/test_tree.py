"""Contract hierarchies: subtree/ancestors by recursive CTE, cycles refused, deleting parents (tree-1, tree-2)."""

from __future__ import annotations

import pytest

from servanda.contracts.models import Contract
from servanda.contracts.selectors import contract_ancestor_ids, contract_subtree_ids
from servanda.contracts.services import contract_delete, contract_set_parent
from servanda.core.errors import Refused, ValidationFailed
from servanda.events.selectors import events_for
from tests.conftest import load_cases
from tests.contracts.helpers import contract, contract_type

pytestmark = pytest.mark.django_db
CASES = {c["id"]: c for c in load_cases("data-layer.json")}


def case(case_id: str) -> dict:
    if case_id not in CASES:
        pytest.skip(f"data-layer case {case_id} not found")
    return CASES[case_id]


@pytest.fixture
def chain(personas):
    """1 <- 2 <- 3 <- 4: 4 under 3 under 2 under 1 (tree-1)."""
    ctype = contract_type(personas.admin)
    nodes: list[Contract] = []
    for n in range(1, 5):
        nodes.append(contract(personas.owner, ctype, number=f"T{n}", parent=nodes[-1] if nodes else None))
    return nodes


def test_subtree_and_ancestors(chain) -> None:
    one, two, three, four = chain
    assert contract_subtree_ids(two.pk) == sorted([two.pk, three.pk, four.pk])
    assert contract_subtree_ids(four.pk) == [four.pk]
    assert contract_ancestor_ids(four.pk) == [three.pk, two.pk, one.pk]
    assert contract_ancestor_ids(one.pk) == []


def test_tree_1_cycle_refused(personas, chain) -> None:
    c = case("tree-1")
    one, two, three, four = chain
    with pytest.raises(ValidationFailed) as exc:
        contract_set_parent(actor=personas.owner, contract=two, version=two.version, parent=four)
    assert exc.value.errors[0].field == "parent" and "cycle" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed):
        contract_set_parent(actor=personas.owner, contract=two, version=two.version, parent=two)
    two.refresh_from_db()
    assert two.parent_id == one.pk and two.version == 1
    by_number = {n.pk: int(n.number[1:]) for n in chain}
    assert [by_number[i] for i in contract_subtree_ids(two.pk)] == c["expected"]["subtree of 2"]


def test_queries_stop_on_data_that_already_has_a_cycle(chain) -> None:
    one, two, three, four = chain
    Contract.objects.filter(pk=two.pk).update(parent=four)  # legacy data, bypassing the services
    assert contract_subtree_ids(two.pk) == sorted([two.pk, three.pk, four.pk])
    assert contract_subtree_ids(one.pk) == sorted([one.pk])
    assert contract_ancestor_ids(two.pk) == [four.pk, three.pk]


def test_moving_a_subtree_is_allowed(personas, chain) -> None:
    one, two, three, four = chain
    moved = contract_set_parent(actor=personas.owner, contract=three, version=1, parent=None)
    assert moved.parent_id is None and contract_subtree_ids(one.pk) == sorted([one.pk, two.pk])
    assert events_for(entity="contract", entity_id=three.pk).first().changes == {
        "parent": {"old": two.pk, "new": None}
    }


@pytest.fixture
def family(personas):
    """tree-2: P has children C1, C2; C2 has child G; P itself sits under a root R."""
    ctype = contract_type(personas.admin)
    root = contract(personas.owner, ctype, number="R")
    p = contract(personas.owner, ctype, number="P", parent=root)
    c1 = contract(personas.owner, ctype, number="C1", parent=p)
    c2 = contract(personas.owner, ctype, number="C2", parent=p)
    g = contract(personas.owner, ctype, number="G", parent=c2)
    return root, p, c1, c2, g


def test_tree_2_delete_parent_refused_naming_children(personas, family) -> None:
    case("tree-2")
    root, p, c1, c2, g = family
    with pytest.raises(Refused) as exc:
        contract_delete(actor=personas.owner, contract=p)
    assert "2 sub-contract" in exc.value.detail and "C1" in exc.value.detail and "C2" in exc.value.detail
    assert Contract.objects.filter(pk=p.pk).exists()


def test_tree_2_explicit_reparent(personas, family) -> None:
    root, p, c1, c2, g = family
    contract_delete(actor=personas.owner, contract=p, reparent_children=True)
    parents = dict(Contract.objects.values_list("number", "parent__number"))
    assert parents == {"R": None, "C1": "R", "C2": "R", "G": "C2"}
    assert events_for(entity="contract", entity_id=c1.pk).first().changes == {
        "parent": {"old": p.pk, "new": root.pk}
    }
    assert events_for(entity="contract", entity_id=p.pk).first().action == "deleted"
    assert Contract.objects.get(pk=c1.pk).version == 2  # a client holding version 1 must reload
