"""A contract whose last term has ended expires at the first tick after its last day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from servanda.contracts.models import Contract
from servanda.contracts.services import contract_create
from servanda.events.models import Event
from servanda.features.kinds import contract_type_create

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def _contract(personas, number: str, **terms) -> Contract:
    ctype = contract_type_create(actor=personas.admin, code=f"t-{number}", name=f"Type {number}")
    return contract_create(
        actor=personas.owner, number=number, title=number, contract_type=ctype, status="active", **terms
    )


def test_fixed_term_contract_expires_after_its_last_day_once(personas) -> None:
    # 2024-01-01 + P1Y ends on 2024-12-31 (DESIGN convention 3): still active that day.
    fixed = _contract(personas, "FIX", commencement_date=D("2024-01-01"), initial_term="P1Y")
    renewing = _contract(
        personas, "REN", commencement_date=D("2024-01-01"), initial_term="P1Y", renewal_term="P1Y"
    )
    open_ended = _contract(personas, "OPEN", commencement_date=D("2024-01-01"))

    call_command("tick", today="2024-12-31", stdout=StringIO())
    assert Contract.objects.get(pk=fixed.pk).status == "active"

    for day in ("2025-01-01", "2025-01-09"):  # catch-up: a later second run changes nothing
        call_command("tick", today=day, stdout=StringIO())
    statuses = dict(Contract.objects.values_list("number", "status"))
    assert statuses == {"FIX": "expired", "REN": "active", "OPEN": "active"}
    events = Event.objects.filter(entity="contract", entity_id=fixed.pk, action="expired")
    assert events.count() == 1
    assert events.get().changes == {"status": {"old": "active", "new": "expired"}}
    assert Contract.objects.get(pk=fixed.pk).version == fixed.version + 1
    assert renewing.pk and open_ended.pk
