"""A contract with an anchored role obligation and a floating personal one, dated around today.

The pages compute "today" from the site's calendar, so the world is built relative to it;
expected dates come from the recurrence rule (convention 4: months clamp at month end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.utils import timezone

from servanda.contracts.models import Contract, ContractType
from servanda.contracts.services import contract_create
from servanda.obligations.models import Obligation
from servanda.obligations.services import obligation_create
from servanda.work.models import Role, WorkItem
from servanda.work.services import role_create
from tests.personas import Personas


@dataclass
class WorkWorld:
    p: Personas
    today: dt.date
    role: Role
    contract: Contract
    other_contract: Contract
    anchored: Obligation
    floating: Obligation
    stranger_item: WorkItem

    def item(self, obligation: Obligation, due: dt.date) -> WorkItem:
        return WorkItem.objects.get(obligation=obligation, due_date=due)


def month_after(day: dt.date, n: int = 1) -> dt.date:
    """n months later, clamped to the month's last day (relativedelta does, as DESIGN convention 4 asks)."""
    return day + relativedelta(months=n)


@pytest.fixture
def ww(personas: Personas) -> WorkWorld:
    admin = personas.admin
    today = timezone.localdate()
    role = role_create(actor=admin, name="Service North", members=[personas.owner, personas.colleague])
    ctype = ContractType.objects.create(code="maint", name="Maintenance")
    contract = contract_create(
        actor=admin,
        number="M-100",
        title="Maintenance north plant",
        contract_type=ctype,
        status="active",
        commencement_date=today - dt.timedelta(days=400),
        initial_term="P5Y",
        team=personas.team,
    )
    other = contract_create(
        actor=admin,
        number="S-200",
        title="Southern maintenance",
        contract_type=ctype,
        status="active",
        commencement_date=today - dt.timedelta(days=400),
        initial_term="P5Y",
        team=personas.other_team,
    )
    anchored = obligation_create(
        actor=admin,
        contract=contract,
        description="Quarterly inspection",
        responsible_role=role.pk,
        scope="contract",
        interval_unit="month",
        interval=3,
        anchor_date=today - dt.timedelta(days=10),
        lead_days=14,
        estimated_minutes=90,
        mode="anchored",
    )
    floating = obligation_create(
        actor=admin,
        contract=contract,
        description="Filter change",
        responsible_user=personas.owner.pk,
        scope="contract",
        interval_unit="month",
        interval=1,
        anchor_date=today - dt.timedelta(days=3),
        lead_days=45,
        estimated_minutes=30,
        mode="floating",
    )
    southern = obligation_create(
        actor=admin,
        contract=other,
        description="Southern check",
        responsible_user=personas.stranger.pk,
        scope="contract",
        interval_unit="month",
        interval=6,
        anchor_date=today,
        lead_days=14,
        mode="anchored",
    )
    stranger_item = WorkItem.objects.get(obligation=southern, due_date=today)
    return WorkWorld(personas, today, role, contract, other, anchored, floating, stranger_item)


def login(client, user: User) -> None:
    client.force_login(user)
