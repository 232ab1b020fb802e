"""Azure predictive-maintenance data (../shared/data/azure_pdm) against generated planned work.

How it is modelled (the data README: planned replacements on a 15-day grid, failures
not flagged as such in the maintenance file, 18 failures missing from it):

* A maintenance record is *planned* unless the same machine, component and instant
  appears in PdM_failures.csv (a failure replacement).
* One maintenance contract (`AZURE-PDM-MAINT`, from 2015-01-01 until the last recorded
  planned visit) covers every
  machine from its first planned visit of 2015; its obligation is "planned component
  replacement visit every 15 days", scope each covered installation, anchored on the
  coverage start. (Per component the gaps are 15, 30, 45 … days — a component is not
  replaced at every visit — so the visit, not the component, is what recurs.)
* The 4 records per machine dated 2014 lie before the contract and on no common grid:
  the machines' history, reported separately, not compared.
* Match rate per machine = recorded planned visit days (in the contract period) that
  fall on a generated occurrence, ± `tolerance_days` / all such recorded days.
  Utilisation = generated occurrences that saw a replacement / all generated ones.

The comparison runs the real generation (contract, coverage, obligation, `schedule_generate`)
inside a transaction that is rolled back, unless `keep=True`: a demo database would
otherwise gain a contract and thousands of long-overdue, unassigned work items. The
contract ends with the data, so even a kept one plans nothing after 2016.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from servanda.contracts.models import Contract, ContractType
from servanda.contracts.services import contract_create
from servanda.installations.coverage import coverage_create
from servanda.installations.models import Installation
from servanda.installations.services import installation_create
from servanda.work.models import WorkItem

from .generation import schedule_generate
from .models import Obligation
from .services import obligation_create

CONTRACT_NUMBER = "AZURE-PDM-MAINT"
COMMENCEMENT = date(2015, 1, 1)


def serial(machine_id: str) -> str:
    return f"PDM-{int(machine_id):03d}"  # as examples/mappings/azure_machines.toml names them


@dataclass
class MachineMatch:
    machine: str
    recorded: int
    matched: int
    generated: int
    used: int

    @property
    def rate(self) -> float:
        return self.matched / self.recorded if self.recorded else 1.0


@dataclass
class AzureReport:
    machines: list[MachineMatch] = field(default_factory=list)
    pre_contract_records: int = 0
    failure_replacements: int = 0
    failures_not_in_maintenance: int = 0
    unmatched: list[tuple[str, date]] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return sum(m.recorded for m in self.machines)

    @property
    def matched(self) -> int:
        return sum(m.matched for m in self.machines)

    @property
    def rate(self) -> float:
        return self.matched / self.recorded if self.recorded else 1.0


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _stamp(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")


def load_records(folder: Path) -> tuple[list[str], dict[str, list[date]], AzureReport]:
    """Machines, and per machine the days of planned visits; the report's data-side counts."""
    machines = [r["machineID"] for r in _read(folder / "PdM_machines.csv")]
    failures = {
        (_stamp(r["datetime"]), r["machineID"], r["failure"]) for r in _read(folder / "PdM_failures.csv")
    }
    report = AzureReport()
    planned: dict[str, set[date]] = defaultdict(set)
    seen: set[tuple[datetime, str, str]] = set()
    for r in _read(folder / "PdM_maint.csv"):
        key = (_stamp(r["datetime"]), r["machineID"], r["comp"])
        seen.add(key)
        if key in failures:
            report.failure_replacements += 1
        elif key[0].date() < COMMENCEMENT:
            report.pre_contract_records += 1
        else:
            planned[r["machineID"]].add(key[0].date())
    report.failures_not_in_maintenance = len(failures - seen)
    return machines, {m: sorted(days) for m, days in planned.items()}, report


def build_contract(*, actor: Any, machines: list[str], planned: dict[str, list[date]]) -> Contract:
    """The maintenance contract, its coverages and its 15-day obligation (idempotent).

    The contract ends on the last recorded planned visit: the data stops there, and an
    open-ended contract would plan (and leave overdue) visits up to today's horizon.
    """
    with transaction.atomic():
        existing = Contract.objects.filter(number=CONTRACT_NUMBER).first()
        if existing is not None:
            return existing
        ctype, _ = ContractType.objects.get_or_create(
            code="azure-pdm-maintenance", defaults={"name": "Azure PdM maintenance"}
        )
        contract = contract_create(
            actor=actor,
            number=CONTRACT_NUMBER,
            title="Planned component replacements, Azure PdM machines",
            contract_type=ctype,
            status=Contract.Status.ACTIVE,
            commencement_date=COMMENCEMENT,
            end_date=max(d for days in planned.values() for d in days),
        )
        have = dict(
            Installation.objects.filter(serial_number__in=[serial(m) for m in machines]).values_list(
                "serial_number", "pk"
            )
        )
        for m in machines:
            if not planned.get(m):
                continue
            pk = have.get(serial(m)) or installation_create(actor=actor, serial_number=serial(m)).pk
            coverage_create(actor=actor, contract=contract, installation=pk, start=planned[m][0], end=None)
        obligation_create(
            actor=actor,
            contract=contract,
            description="Planned component replacement visit",
            scope="installation",
            interval_unit="day",
            interval=15,
            lead_days=7,
            estimated_minutes=60,
        )
    return contract


def azure_match(
    folder: Path, *, actor: Any = None, tolerance_days: int = 0, keep: bool = False
) -> AzureReport:
    """The match report; nothing stays in the database unless `keep`."""
    machines, planned, report = load_records(folder)
    with transaction.atomic():
        generated = _generate(actor=actor, machines=machines, planned=planned)
        if not keep:
            transaction.set_rollback(True)
    slack = [timedelta(days=k) for k in range(-tolerance_days, tolerance_days + 1)]
    for m in machines:
        recorded = planned.get(m, [])
        gen = generated.get(serial(m), set())
        hits = [d for d in recorded if any(d + s in gen for s in slack)]
        report.unmatched.extend((m, d) for d in recorded if d not in hits)
        used = sum(1 for g in gen if any(g + s in set(recorded) for s in slack))
        report.machines.append(MachineMatch(m, len(recorded), len(hits), len(gen), used))
    return report


def _generate(*, actor: Any, machines: list[str], planned: dict[str, list[date]]) -> dict[str, set[date]]:
    """Per machine serial, the occurrence dates the schedule generates for the contract period."""
    contract = build_contract(actor=actor, machines=machines, planned=planned)
    last = max(d for days in planned.values() for d in days)
    schedule_generate(today=COMMENCEMENT, contract_ids=[contract.pk], actor=actor)
    obligation = Obligation.objects.filter(contract=contract).first()
    generated: dict[str, set[date]] = defaultdict(set)
    for sn, day in WorkItem.objects.filter(obligation=obligation, due_date__lte=last).values_list(
        "installation__serial_number", "occurrence_date"
    ):
        if day is not None:
            generated[sn].add(day)
    return generated
