"""Real data: the Azure PdM machines' planned replacements against generated occurrences."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from servanda.contracts.models import Contract
from servanda.events.models import Event
from servanda.installations.models import Installation
from servanda.obligations.azure import CONTRACT_NUMBER, azure_match
from servanda.work.models import WorkItem

pytestmark = pytest.mark.realdata


def test_planned_replacements_match_the_15_day_schedule(db, shared_data) -> None:
    folder = shared_data / "azure_pdm"
    report = azure_match(folder)
    # Compared, then rolled back: a demo database gains no contract and no work items.
    assert not Contract.objects.exists() and not Installation.objects.exists()
    assert not WorkItem.objects.exists() and not Event.objects.exists()
    # The data's own verdicts, counted here straight from the files:
    with (folder / "PdM_failures.csv").open() as fh:
        failures = {(r["datetime"], r["machineID"], r["failure"]) for r in csv.DictReader(fh)}
    with (folder / "PdM_maint.csv").open() as fh:
        maint = [(r["datetime"], r["machineID"], r["comp"]) for r in csv.DictReader(fh)]
    planned = [m for m in maint if m not in failures]
    in_2015 = {(m[1], m[0][:10]) for m in planned if m[0] >= "2015"}
    assert report.recorded == len(in_2015)
    assert report.failures_not_in_maintenance == len(failures - set(maint)) == 18
    assert report.pre_contract_records == sum(1 for m in planned if m[0] < "2015")
    assert len(report.machines) == 100
    # The README: planned replacements lie on a 15-day grid — every recorded planned visit
    # day of the contract period falls on a generated occurrence, machine by machine.
    assert report.rate == 1.0, report.unmatched[:10]
    assert all(m.rate == 1.0 for m in report.machines)
    # Not every visit replaces something: the schedule has more occurrences than records.
    assert all(0 < m.used <= m.generated for m in report.machines)
    assert all(d >= date(2015, 1, 1) for _, d in report.unmatched)


def test_kept_comparison_plans_nothing_after_the_data(db, shared_data) -> None:
    folder = shared_data / "azure_pdm"
    with (folder / "PdM_maint.csv").open() as fh:
        last_record = max(r["datetime"][:10] for r in csv.DictReader(fh))
    report = azure_match(folder, keep=True)
    contract = Contract.objects.get(number=CONTRACT_NUMBER)
    items = WorkItem.objects.filter(contract=contract)
    assert items.count() == sum(m.generated for m in report.machines)
    # The contract ends with the data: no visits are planned after the last record.
    assert max(items.values_list("due_date", flat=True)).isoformat() <= last_record
    assert azure_match(folder).rate == report.rate  # the kept contract is reused, not doubled
    assert WorkItem.objects.filter(contract=contract).count() == items.count()
