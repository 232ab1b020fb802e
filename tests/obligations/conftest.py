"""A maintenance contract type with a half-yearly per-installation template, and helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User

from servanda.contracts.models import Contract, ContractType
from servanda.contracts.services import contract_create
from servanda.installations.coverage import coverage_create
from servanda.installations.models import Installation
from servanda.installations.services import installation_create
from servanda.obligations.generation import schedule_generate
from servanda.obligations.services import obligation_template_create
from servanda.work.models import Role, WorkItem
from servanda.work.services import role_create

D = date.fromisoformat
DAY0 = D("2024-01-01")


@dataclass
class World:
    admin: User
    engineer: User
    role: Role
    ctype: ContractType

    def contract(self, number: str = "M-1", **extra: object) -> Contract:
        fields: dict = {
            "status": "active",
            "commencement_date": DAY0,
            "initial_term": "P1Y",
            "renewal_term": "P1Y",
        }
        fields.update(extra)
        return contract_create(
            actor=self.admin, number=number, title="Maintenance", contract_type=self.ctype, **fields
        )

    def machine(self, serial: str) -> Installation:
        return installation_create(actor=self.admin, serial_number=serial)

    def cover(self, contract: Contract, inst: Installation, start: date, end: date | None = None):
        return coverage_create(actor=self.admin, contract=contract, installation=inst, start=start, end=end)


def schedule_clock(today: date) -> None:
    """The schedule's today: an (empty) tick, so changes regenerate to today + horizon."""
    schedule_generate(today=today)


def dates(qs) -> list[date]:
    return sorted(qs.values_list("due_date", flat=True))


def planned(**filters: object):
    return WorkItem.objects.filter(kind=WorkItem.Kind.PLANNED, **filters)


@pytest.fixture
def world(db: None, settings) -> World:
    settings.SERVANDA = {**settings.SERVANDA, "SCHEDULE_HORIZON_MONTHS": 18, "NOTICE_REMINDER_LEAD_DAYS": 30}
    admin = User.objects.create_superuser(username="admin", password="x-pw-12345", email="a@example.org")
    engineer = User.objects.create_user(username="eng", password="x-pw-12345")
    schedule_clock(DAY0)
    role = role_create(actor=admin, name="Service North", members=[engineer])
    ctype = ContractType.objects.create(code="maint", name="Maintenance")
    obligation_template_create(
        actor=admin,
        contract_type=ctype,
        description="Preventive maintenance",
        responsible_role=role,
        scope="installation",
        interval_unit="month",
        interval=6,
        lead_days=14,
        estimated_minutes=120,
    )
    return World(admin=admin, engineer=engineer, role=role, ctype=ctype)
