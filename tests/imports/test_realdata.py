"""The shipped mappings on the real files in ../shared/data: every row accounted for."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from servanda.contracts.models import Contract
from servanda.imports.engine import import_run
from servanda.imports.mapping import load_mapping
from servanda.installations.models import Installation, MaintenanceRecord
from tests.conftest import requires_shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.realdata, requires_shared_data]
MAPPINGS = Path(settings.PROJECT_DIR) / "examples" / "mappings"
PHL = "philadelphia/philadelphia_professional_services_contracts_FY2013-FY2020.csv"


def run(entity: str, path: Path, mapping: str, **kw):
    return import_run(
        actor=None, entity=entity, path=path, mapping=load_mapping(MAPPINGS / mapping), lenient=True, **kw
    )


def _records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_cuad_every_row_imported_or_rejected_with_a_reason(shared_data):
    path = shared_data / "cuad/master_clauses.csv"
    records = _records(path)
    report = run("contracts", path, "cuad_contracts.toml")
    assert report.rows == len(records) == 510
    assert report.created + report.rejected_rows == 510
    assert Contract.objects.filter(contract_type__code="cuad").count() == report.created
    assert all(r.reason for r in report.rejected)

    # Expirations before the effective date (by the file's own dates) are reported, not kept.
    def mdy(text: str) -> dt.date | None:
        try:
            return dt.datetime.strptime(text, "%m/%d/%Y").date()
        except ValueError:
            return None

    backwards = {
        n
        for n, r in enumerate(records, start=2)
        if mdy(r["Expiration Date-Answer"])
        and (start := mdy(r["Effective Date-Answer"]) or mdy(r["Agreement Date-Answer"]))
        and mdy(r["Expiration Date-Answer"]) < start
    }
    assert backwards
    reported = {
        r.row for r in report.rejected if r.column == "Expiration Date-Answer" and "before" in r.reason
    }
    assert backwards <= reported | {r.row for r in report.rejected}
    assert backwards & reported
    # "perpetual" expirations of imported contracts are open-ended.
    perpetual = [
        n for n, r in enumerate(records, start=2) if r["Expiration Date-Answer"].lower() == "perpetual"
    ]
    rejected = {r.row for r in report.rejected}
    kept = [records[n - 2]["Filename"] for n in perpetual if n not in rejected]
    assert kept
    assert not Contract.objects.filter(features__source_file__in=kept, end_date__isnull=False).exists()
    again = run("contracts", path, "cuad_contracts.toml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.created)


def test_philadelphia_every_item_is_a_contract_under_its_original(shared_data):
    path = shared_data / PHL
    records = _records(path)
    report = run("contracts", path, "philadelphia_contracts.toml")
    assert report.rows == len(records)
    # No item is lost: unreadable cells are left empty and reported, the item is kept.
    assert report.rejected == []
    assert report.created == len(records)
    warned = {w.row for w in report.warnings}
    # The derived columns mark the rows whose dates the city's own conversion could not read.
    unreadable = {
        n
        for n, r in enumerate(records, start=2)
        if r["start_date_iso"].startswith("UNPARSED") or r["end_date_iso"].startswith("UNPARSED")
    }
    malformed_amount = {
        n
        for n, r in enumerate(records, start=2)
        if r["amt"].count(".") > 1 or r["tot_payments"].count(".") > 1
    }
    assert warned == unreadable | malformed_amount
    rejected: set[int] = set()
    kept = {r["current_item_id"]: r["original_contract_id"] for r in records}
    found = dict(Contract.objects.filter(number__in=list(kept)).values_list("number", "parent__number"))
    assert len(found) == len(kept)
    for item, original in kept.items():
        assert found[item] == (None if item == original else original)
    originals_in_file = {r["current_item_id"] for n, r in enumerate(records, start=2) if n not in rejected}
    placeholders = set(Contract.objects.filter(is_placeholder=True).values_list("number", flat=True))
    assert placeholders == {o for o in kept.values() if o not in originals_in_file}
    assert report.placeholders == len(placeholders)
    # Amounts: " -   " is zero, negatives kept.
    for n, r in enumerate(records, start=2):
        if n in rejected:
            continue
        if r["amt"].strip() == "-":
            assert Contract.objects.get(number=r["current_item_id"]).features["amount"]["amount"] == "0.00"
        if r["amt"].strip().startswith("-") and r["amt"].strip() != "-":
            assert (
                Contract.objects.get(number=r["current_item_id"]).features["amount"]["amount"].startswith("-")
            )


def test_azure_machines_and_their_history(shared_data):
    folder = shared_data / "azure_pdm"
    machines = run("installations", folder / "PdM_machines.csv", "azure_machines.toml")
    maint = run("maintenance", folder / "PdM_maint.csv", "azure_maintenance.toml")
    failures = run("maintenance", folder / "PdM_failures.csv", "azure_failures.toml")
    assert not machines.rejected and not maint.rejected and not failures.rejected
    assert Installation.objects.count() == len(_records(folder / "PdM_machines.csv")) == 100
    assert MaintenanceRecord.objects.filter(kind="maintenance").count() == len(
        _records(folder / "PdM_maint.csv")
    )
    assert MaintenanceRecord.objects.filter(kind="failure").count() == len(
        _records(folder / "PdM_failures.csv")
    )
    first = _records(folder / "PdM_machines.csv")[0]
    machine = Installation.objects.get(serial_number=f"PDM-{int(first['machineID']):03d}")
    assert machine.model == first["model"]
    assert machine.installed_on == dt.date(2014 - int(first["age"]), 6, 1)
    again = run("maintenance", folder / "PdM_maint.csv", "azure_maintenance.toml")
    assert again.created == 0 and again.unchanged == maint.created
