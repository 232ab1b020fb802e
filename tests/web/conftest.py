"""A small world for the page tests, built through the services like any user would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from servanda.contracts.models import Contract
from servanda.contracts.services import contract_create
from servanda.features.kinds import contract_type_create, installation_type_create
from servanda.features.services import feature_definition_create
from servanda.installations.coverage import coverage_create
from servanda.installations.models import Installation
from servanda.installations.services import installation_create
from servanda.parties.services import party_create


@dataclass
class World:
    framework: Contract
    sub: Contract
    subsub: Contract
    other_team: Contract
    machine: Installation
    old_machine: Installation


@pytest.fixture
def world(personas) -> World:
    admin = personas.admin
    feature_definition_create(
        actor=admin,
        entity="contract",
        key="response_hours",
        label="Response time",
        data_type="integer",
        unit="h",
    )
    feature_definition_create(
        actor=admin,
        entity="contract",
        key="service_level",
        label="Service level",
        data_type="choice",
        characteristics=[("gold", "Gold, around the clock"), ("silver", "Silver, office hours")],
    )
    feature_definition_create(
        actor=admin, entity="contract", key="start_check", label="First check", data_type="date"
    )
    feature_definition_create(
        actor=admin, entity="installation", key="capacity", label="Capacity", data_type="decimal", unit="kW"
    )
    ctype = contract_type_create(
        actor=admin,
        code="maintenance",
        name="Maintenance",
        feature_definitions=["response_hours", "service_level", "start_check"],
    )
    itype = installation_type_create(actor=admin, code="pump", name="Pump", feature_definitions=["capacity"])
    party = party_create(actor=admin, name="Acme Pumps", team=personas.team)
    framework = contract_create(
        actor=admin,
        number="FW-1",
        title="Framework agreement pumps",
        contract_type=ctype,
        party=party,
        status="active",
        commencement_date=dt.date(2024, 1, 1),
        initial_term="P3Y",
        renewal_term="P1Y",
        notice_period="P3M",
        team=personas.team,
        features={"response_hours": 8, "service_level": "gold"},
    )
    sub = contract_create(
        actor=admin,
        number="FW-1.1",
        title="Call-off north plant",
        contract_type=ctype,
        party=party,
        status="active",
        commencement_date=dt.date(2025, 1, 1),
        initial_term="P1Y",
        renewal_term="P1Y",
        notice_period="P1M",
        parent=framework,
        team=personas.team,
        features={"response_hours": 24, "service_level": "silver"},
    )
    subsub = contract_create(
        actor=admin,
        number="FW-1.1.1",
        title="Amendment spare parts",
        contract_type=ctype,
        parent=sub,
        team=personas.team,
    )
    other = contract_create(
        actor=admin, number="S-9", title="Southern deal", contract_type=ctype, team=personas.other_team
    )
    machine = installation_create(
        actor=admin,
        serial_number="SN-100",
        model="P-400",
        installation_type=itype,
        owner=party,
        site="North plant",
        team=personas.team,
        features={"capacity": 7.5},
    )
    old = installation_create(actor=admin, serial_number="SN-050", model="P-200", team=personas.team)
    coverage_create(actor=admin, contract=sub, installation=machine, start=dt.date(2025, 1, 1))
    coverage_create(
        actor=admin,
        contract=framework,
        installation=old,
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
    )
    return World(framework, sub, subsub, other, machine, old)
