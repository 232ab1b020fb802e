"""The audit trail: every write leaves who/what/old/new, and the obligations hook runs inside the write."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from servanda.contracts.models import Contract
from servanda.events.models import Event
from servanda.events.services import diff
from servanda.installations.services import coverage_create, installation_create
from tests.contracts.helpers import contract, contract_type, definition

pytestmark = pytest.mark.django_db


def test_diff_keeps_only_changes_in_json_form() -> None:
    got = diff({"a": 1, "d": date(2024, 1, 1), "same": "x"}, {"a": 2, "d": date(2024, 2, 1), "same": "x"})
    assert got == {"a": {"old": 1, "new": 2}, "d": {"old": "2024-01-01", "new": "2024-02-01"}}


def test_hook_called_in_the_transaction_for_contract_and_coverage_writes(personas, monkeypatch) -> None:
    calls: list[tuple[list[int], bool]] = []

    def spy(*, actor, contract_ids):
        calls.append((list(contract_ids), transaction.get_connection().in_atomic_block))

    monkeypatch.setattr("servanda.contracts.services.contracts_changed", spy)
    monkeypatch.setattr("servanda.installations.coverage.contracts_changed", spy)
    c = contract(personas.owner, contract_type(personas.admin))
    inst = installation_create(actor=personas.owner, serial_number="H-1")
    coverage_create(actor=personas.owner, contract=c, installation=inst, start=date(2024, 1, 1))
    assert [ids for ids, _ in calls] == [[c.pk], [c.pk]]
    assert all(inside for _, inside in calls)


def test_failed_hook_rolls_the_write_back(personas, monkeypatch) -> None:
    def boom(**kwargs):
        raise RuntimeError("schedule failed")

    monkeypatch.setattr("servanda.contracts.services.contracts_changed", boom)
    ctype = contract_type(personas.admin, defs=[definition(personas.admin, "v", "integer")])
    before = Event.objects.count()
    with pytest.raises(RuntimeError):
        contract(personas.owner, ctype, number="ROLLBACK", features={"v": 1})
    assert not Contract.objects.filter(number="ROLLBACK").exists()
    assert Event.objects.count() == before
