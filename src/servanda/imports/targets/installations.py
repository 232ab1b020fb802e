"""Installations, their coverage by contracts, and their maintenance history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from servanda.contracts.models import Contract
from servanda.features.models import Entity
from servanda.installations.models import Coverage, Installation, InstallationType, MaintenanceRecord
from servanda.obligations.hooks import contracts_changed
from servanda.rules.featurevalues import FeatureSpec
from servanda.rules.periods import ONE_DAY, overlaps

from ..report import Report, Row
from .base import Plan, Target, chunks, lookup
from .parties import PartyResolver


def _resolve_refs(rows: list[Row], target: str, model: Any, field: str, what: str) -> None:
    found = lookup(model, field, (r.values.get(target) for r in rows if not r.errors))
    for row in rows:
        value = row.values.get(target)
        if value is None:
            continue
        if value in found:
            row.db[target] = found[value]
        else:
            row.reject(target, f"no {what} {value!r}")


class InstallationTarget(Target):
    model = Installation
    entity = "installation"
    fields = ("serial_number", "product", "model", "site", "installed_on", "status", "source")
    fk = {"installation_type": "installation_type_id", "owner": "owner_id", "parent": "parent_id"}
    has_features = True
    feature_entity = Entity.INSTALLATION
    key_target = "serial_number"
    fast_key = "serial_number"

    def __init__(self, *, actor: Any, source: str, note: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(actor=actor, source=source, note=note)
        self.owner_options = (options or {}).get("owner", {})

    def prepare(self, row: Row) -> None:
        status = row.values.get("status")
        if status is not None and status not in Installation.Status.values:
            row.reject("status", f"status {status!r} is not one of {', '.join(Installation.Status.values)}")
        super().prepare(row)

    def resolve(self, rows: list[Row], report: Report) -> None:
        _resolve_refs(rows, "installation_type", InstallationType, "code", "installation type with code")
        _resolve_refs(rows, "parent", Installation, "serial_number", "installation with serial number")
        PartyResolver(self.actor, self.owner_options, self.note).resolve(rows, "owner", report)

    def key_of(self, row: Row) -> Any:
        return row.db.get("serial_number")

    def fetch_existing(self, keys: list[Any]) -> dict[Any, dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        names = ["id", "version", "features", *self.fields, *(f"{k}_id" for k in self.fk)]
        for part in chunks(keys):
            for item in Installation.objects.filter(serial_number__in=part).values(*names):
                for k in self.fk:
                    item[k] = item.pop(f"{k}_id")
                out[item["serial_number"]] = item
        return out

    def specs_for(self, row: Row, current: dict[str, Any] | None) -> list[FeatureSpec]:
        type_id = row.db.get("installation_type") or (current or {}).get("installation_type")
        if type_id not in self._specs:
            if type_id is None:
                self._specs[None] = self.all_specs()
            else:
                definitions = InstallationType.objects.get(pk=type_id).feature_definitions
                self._specs[type_id] = self._definition_specs(definitions.filter(entity=Entity.INSTALLATION))
        return self._specs[type_id]


class CoverageTarget(Target):
    """Key: contract, installation and start. The same pair never overlaps itself."""

    model = Coverage
    entity = "coverage"
    fields = ("start", "end_excl", "note")
    fk = {"contract": "contract_id", "installation": "installation_id"}
    key_target = "start"

    def prepare(self, row: Row) -> None:
        end = row.values.pop("end", None)
        start = row.values.get("start")
        if start is None:
            row.reject("start", "a coverage needs a start date")
        row.values["end_excl"] = None if end is None else end + ONE_DAY
        if start is not None and end is not None and end < start:
            row.reject("end", f"the coverage ends on {end}, before it starts on {start}")
        row.columns.setdefault("end_excl", row.columns.get("end", "end"))
        super().prepare(row)

    def resolve(self, rows: list[Row], report: Report) -> None:
        _resolve_refs(rows, "contract", Contract, "number", "contract with number")
        _resolve_refs(rows, "installation", Installation, "serial_number", "installation with serial number")

    def key_of(self, row: Row) -> Any:
        parts = (row.db.get("contract"), row.db.get("installation"), row.db.get("start"))
        return None if None in parts else parts

    def fetch_existing(self, keys: list[Any]) -> dict[Any, dict[str, Any]]:
        self.by_pair: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        out: dict[Any, dict[str, Any]] = {}
        installations = sorted({k[1] for k in keys})
        for part in chunks(installations):
            qs = Coverage.objects.filter(installation_id__in=part)
            fields = ("id", "version", "contract_id", "installation_id", "start", "end_excl", "note")
            for raw in qs.values(*fields):
                item: dict[str, Any] = dict(raw)
                item["contract"], item["installation"] = item.pop("contract_id"), item.pop("installation_id")
                self.by_pair[(item["contract"], item["installation"])].append(item)
                out[(item["contract"], item["installation"], item["start"])] = item
        return out

    def plan(self, rows: list[Row], report: Report) -> Plan:
        plan = super().plan(rows, report)
        # Overlap of the same pair: against stored periods (other starts) and within the file.
        periods: dict[Any, list[tuple[Any, Any, int | None]]] = {
            pair: [(c["start"], c["end_excl"], None) for c in items] for pair, items in self.by_pair.items()
        }
        for row in [*plan.creates, *(u[0] for u in plan.updates)]:
            pair = (row.db["contract"], row.db["installation"])
            mine = (row.db["start"], row.db.get("end_excl"))
            for start, end_excl, other in periods.get(pair, []):
                if start == mine[0] and other is None:
                    continue  # the stored version of this same row
                if overlaps(mine[0], mine[1], start, end_excl):
                    shown = f"{start} – {end_excl - ONE_DAY if end_excl else 'open-ended'}"
                    where = f" (row {other})" if other else ""
                    row.reject("start", f"this contract already covers this installation {shown}{where}")
                    break
            periods.setdefault(pair, []).append((mine[0], mine[1], row.number))
        plan.creates = [r for r in plan.creates if not r.errors]
        plan.updates = [u for u in plan.updates if not u[0].errors]
        return plan

    def apply(self, plan: Plan, report: Report) -> list[int]:
        ids = super().apply(plan, report)
        contract_ids = {r.db["contract"] for r in plan.creates} | {
            m["contract"] for _r, m, _c in plan.updates
        }
        contracts_changed(actor=self.actor, contract_ids=sorted(contract_ids))
        return ids


class MaintenanceTarget(Target):
    """Key: installation, instant, kind and component; only the note can change."""

    model = MaintenanceRecord
    entity = "maintenance"
    fields = ("performed_at", "kind", "component", "note", "source")
    fk = {"installation": "installation_id"}
    versioned = False
    key_target = "performed_at"

    def prepare(self, row: Row) -> None:
        row.values.setdefault("kind", "maintenance")
        row.values["kind"] = row.values["kind"] or "maintenance"
        row.values["component"] = row.values.get("component") or ""
        if not isinstance(row.values.get("performed_at"), dt.datetime):
            row.reject("performed_at", "a maintenance record needs the instant it was performed")
        super().prepare(row)

    def resolve(self, rows: list[Row], report: Report) -> None:
        _resolve_refs(rows, "installation", Installation, "serial_number", "installation with serial number")

    def key_of(self, row: Row) -> Any:
        parts = (
            row.db.get("installation"),
            row.db.get("performed_at"),
            row.db.get("kind"),
            row.db.get("component"),
        )
        return None if None in parts else parts

    def fetch_existing(self, keys: list[Any]) -> dict[Any, dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        for part in chunks(sorted({k[0] for k in keys})):
            qs = MaintenanceRecord.objects.filter(installation_id__in=part)
            for item in qs.values("id", "installation_id", *self.fields):
                item["installation"] = item.pop("installation_id")
                out[(item["installation"], item["performed_at"], item["kind"], item["component"])] = item
        return out
