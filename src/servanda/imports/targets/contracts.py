"""Contracts: terms read as the contract services read them, parents and placeholder parents.

Decisions (docs/IMPORT.md): `perpetual` in the end date, initial or renewal term
makes the contract open-ended; an end before the commencement date rejects the
row; a renewal term with nothing to follow (no end, no initial term) is kept out
of the contract's terms with a warning. A parent number that is neither in the
database nor in the file gets a placeholder contract (is_placeholder=True), so
no sub-contract is lost.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from servanda.contracts.models import Contract, ContractType
from servanda.events.services import event_record_many
from servanda.features.models import Entity
from servanda.obligations.hooks import contracts_changed
from servanda.rules.durations import CalendarDuration
from servanda.rules.featurevalues import FeatureSpec
from servanda.rules.importvalues import OPEN_ENDED
from servanda.rules.periods import end_inclusive

from ..report import Rejection, Report, Row
from .base import Plan, Target, chunks, lookup
from .parties import PartyResolver

TERM_FIELDS = ("initial_term", "renewal_term", "notice_period")


class ContractTarget(Target):
    model = Contract
    entity = "contract"
    fields = (
        "number",
        "title",
        "status",
        "commencement_date",
        "initial_term",
        "renewal_term",
        "notice_period",
        "end_date",
        "is_placeholder",
        "source",
    )
    fk = {"contract_type": "contract_type_id", "party": "party_id", "parent": "parent_id"}
    has_features = True
    feature_entity = Entity.CONTRACT
    key_target = "number"
    fast_key = "number"

    def __init__(self, *, actor: Any, source: str, note: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(actor=actor, source=source, note=note)
        self.party_options = (options or {}).get("party", {})
        self.placeholders = bool((options or {}).get("parent", {}).get("placeholder", False))
        self.parent_of: dict[int, str] = {}
        self.warnings: list[Rejection] = []

    def prepare(self, row: Row) -> None:
        v = row.values
        open_ended = False
        for name in ("end_date", *TERM_FIELDS):
            if v.get(name) is OPEN_ENDED:
                if name == "notice_period":
                    row.reject(name, "a notice period cannot be perpetual")
                open_ended = True
                v[name] = None
        for name in TERM_FIELDS:
            if isinstance(v.get(name), CalendarDuration):
                v[name] = v[name].iso()
        start, end = v.get("commencement_date"), v.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            row.reject("end_date", f"the end date {end} is before the commencement date {start}")
        if v.get("initial_term"):
            if not isinstance(start, date):
                row.reject("initial_term", "an initial term needs a commencement date")
            else:
                from servanda.rules.durations import parse_iso_duration

                computed = end_inclusive(start, parse_iso_duration(v["initial_term"]))
                if isinstance(end, date) and end != computed:
                    row.reject("end_date", f"the initial term ends on {computed}, the end date says {end}")
                v["end_date"] = computed
        if open_ended:
            v["end_date"], v["initial_term"], v["renewal_term"] = None, "", ""
        elif v.get("renewal_term") and not v.get("initial_term") and v.get("end_date") is None:
            self.warnings.append(
                Rejection(
                    row.number,
                    row.columns.get("renewal_term", "renewal_term"),
                    f"renewal term {v['renewal_term']} left out of the contract's terms: "
                    "there is no end date or initial term for it to follow",
                )
            )
            v["renewal_term"] = ""
        for name in TERM_FIELDS:
            if name in v and v[name] is None:
                v[name] = ""
        status = v.get("status")
        if status is not None and status not in Contract.Status.values:
            row.reject("status", f"status {status!r} is not one of {', '.join(Contract.Status.values)}")
        if "parent" in v and v["parent"] == v.get("number"):
            v["parent"] = None
        super().prepare(row)

    def resolve(self, rows: list[Row], report: Report) -> None:
        types = lookup(ContractType, "code", (r.values.get("contract_type") for r in rows))
        for row in rows:
            code = row.values.get("contract_type")
            if code is None:
                continue
            if code in types:
                row.db["contract_type"] = types[code]
            else:
                row.reject("contract_type", f"no contract type with code {code!r}")
        PartyResolver(self.actor, self.party_options, self.note).resolve(rows, "party", report)

    def key_of(self, row: Row) -> Any:
        return row.db.get("number")

    def fetch_existing(self, keys: list[Any]) -> dict[Any, dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        names = ["id", "version", "features", *self.fields, *(f"{k}_id" for k in self.fk)]
        for part in chunks(keys):
            for item in Contract.objects.filter(number__in=part).values(*names):
                for k in self.fk:
                    item[k] = item.pop(f"{k}_id")
                out[item["number"]] = item
        return out

    def specs_for(self, row: Row, current: dict[str, Any] | None) -> list[FeatureSpec]:
        type_id: Any = row.db.get("contract_type") or (current or {}).get("contract_type")
        if type_id not in self._specs:
            self._specs[type_id] = self._definition_specs(
                ContractType.objects.get(pk=type_id).feature_definitions.filter(entity=Entity.CONTRACT)
            )
        return self._specs[type_id]

    def check_new(self, row: Row) -> None:
        if not row.db.get("title"):
            row.reject("title", "a contract needs a title")
        if not row.db.get("contract_type"):
            row.reject("contract_type", "a contract needs a type")

    # -- parents

    def extra_changes(self, row: Row, current: dict[str, Any]) -> dict[str, dict]:
        if "parent" not in row.values:
            return {}
        number = row.values["parent"]
        new_id = self.parent_ids.get(number) if number else None
        if (number and new_id is None) or new_id != current.get("parent"):
            return {"parent": {"old": current.get("parent"), "new": number}}
        return {}

    def plan(self, rows: list[Row], report: Report) -> Plan:
        # Parents are compared by number: ids of new parents are only known after creation.
        wanted: set[Any] = {r.values.get("parent") for r in rows if r.values.get("parent") and not r.errors}
        self.parent_ids = lookup(Contract, "number", wanted)
        plan = super().plan(rows, report)
        in_file = {r.db["number"] for r in plan.creates}
        self.missing_parents = sorted(wanted - set(self.parent_ids) - in_file)
        if self.missing_parents and not self.placeholders:
            bad = set(self.missing_parents)
            for row in rows:
                if row.values.get("parent") in bad:
                    row.reject("parent", f"no contract with number {row.values['parent']!r}")
            plan.creates = [r for r in plan.creates if not r.errors]
            plan.updates = [u for u in plan.updates if not u[0].errors]
            self.missing_parents = []
        report.placeholders = len(self.missing_parents)
        return plan

    def _placeholders(self, rows: list[Row]) -> None:
        if not self.missing_parents:
            return
        first: dict[Any, Row] = {}
        for row in rows:
            first.setdefault(row.values.get("parent"), row)
        objs = []
        for number in self.missing_parents:
            child = first[number]
            objs.append(
                Contract(
                    number=number,
                    title=f"{number} (original contract, known only through its sub-contracts)",
                    contract_type_id=child.db["contract_type"],
                    party_id=child.db.get("party"),
                    status=child.db.get("status", Contract.Status.ACTIVE),
                    is_placeholder=True,
                    source=self.source,
                )
            )
        Contract.objects.bulk_create(objs, batch_size=1000)
        event_record_many(
            actor=self.actor,
            entity=self.entity,
            action="created",
            items=[
                (
                    o.pk,
                    {"number": {"old": None, "new": o.number}, "is_placeholder": {"old": None, "new": True}},
                )
                for o in objs
            ],
            note=f"{self.note}: placeholder parent",
        )
        self.parent_ids.update({o.number: o.pk for o in objs})
        self.created_ids.extend(o.pk for o in objs)

    def apply(self, plan: Plan, report: Report) -> list[int]:
        self.created_ids: list[int] = []
        self._placeholders(plan.creates + [u[0] for u in plan.updates])
        pending = list(plan.creates)
        while pending:
            ready = [
                r for r in pending if not r.values.get("parent") or r.values["parent"] in self.parent_ids
            ]
            if not ready:
                for r in pending:
                    report.rejected.append(
                        Rejection(r.number, r.columns.get("parent", "parent"), "parent cycle")
                    )
                break
            for r in ready:
                if r.values.get("parent"):
                    r.db["parent"] = self.parent_ids[r.values["parent"]]
            objs = self.create(ready)
            self.parent_ids.update({o.number: o.pk for o in objs})  # type: ignore[attr-defined]
            self.created_ids.extend(o.pk for o in objs)
            done = {id(r) for r in ready}
            pending = [r for r in pending if id(r) not in done]
        for row, merged, changes in plan.updates:
            if "parent" in row.values:
                merged["parent"] = self.parent_ids.get(row.values["parent"]) if row.values["parent"] else None
                if "parent" in changes:
                    changes["parent"]["new"] = merged["parent"]
        self.update(plan.updates)
        ids = self.created_ids + [m["id"] for _r, m, _c in plan.updates]
        contracts_changed(actor=self.actor, contract_ids=ids, created_ids=self.created_ids)
        return ids
