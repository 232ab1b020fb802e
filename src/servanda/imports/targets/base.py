"""The set-wise write path every import target shares.

Plan: look existing natural keys up in chunks, validate features, classify each
row as new, changed or unchanged. Apply: bulk_create, bulk_update and one
event per written object via event_record_many. No per-row queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import CharField, F, Model, TextField
from django.db.models.base import ModelState
from django.utils import timezone

from servanda.events.services import event_record_many, jsonable
from servanda.features.models import FeatureDefinition
from servanda.features.validation import spec_of
from servanda.rules.featurevalues import FeatureSpec, check_values

from ..report import Report, Row

CHUNK = 2000


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def lookup(model: type[Model], field_name: str, values: Iterable[Any], *, out: str = "pk") -> dict[Any, Any]:
    """{value: out} for the rows whose `field_name` is one of `values`, in chunks; first id wins."""
    wanted = sorted({v for v in values if v is not None}, key=str)
    found: dict[Any, Any] = {}
    for part in chunks(wanted):
        qs = model._default_manager.filter(**{f"{field_name}__in": part}).order_by("pk")  # type: ignore[attr-defined]
        for value, result in qs.values_list(field_name, out):
            found.setdefault(value, result)
    return found


@dataclass
class Plan:
    creates: list[Row] = field(default_factory=list)
    updates: list[tuple[Row, dict[str, Any], dict[str, dict]]] = field(default_factory=list)
    unchanged: int = 0


class Target:
    """One kind of object an import writes. Subclasses name fields and resolve references."""

    model: type[Model]
    entity = ""  # event entity
    fields: tuple[str, ...] = ()  # plain targets a mapping may name
    fk: dict[str, str] = {}  # target → attname for foreign keys resolved to ids
    has_features = False
    feature_entity = ""
    versioned = True
    # A unique natural key lets new rows go in with one executemany (fastinsert).
    fast_key: str | None = None

    def __init__(self, *, actor: Any, source: str, note: str) -> None:
        self.actor, self.source, self.note = actor, source, note
        self._specs: dict[Any, list[FeatureSpec]] = {}

    # -- per row, while parsing (no queries)
    def prepare(self, row: Row) -> None:
        blank = self._blank_text()
        for name in self.fields:
            if name in row.values and name not in self.fk:
                value = row.values[name]
                row.db[name] = "" if value is None and name in blank else value

    _blank: frozenset[str] | None = None

    def _blank_text(self) -> frozenset[str]:
        # Text columns that are NOT NULL store "no value" as "".
        if self._blank is None:
            self._blank = frozenset(
                f.name for f in self.model._meta.fields if isinstance(f, CharField | TextField) and not f.null
            )
        return self._blank

    # -- set-wise
    def resolve(self, rows: list[Row], report: Report) -> None:
        """Turn references into ids (one query per chunk), rejecting rows that point nowhere."""

    def key_of(self, row: Row) -> Any:
        raise NotImplementedError

    def fetch_existing(self, keys: list[Any]) -> dict[Any, dict[str, Any]]:
        raise NotImplementedError

    def specs_for(self, row: Row, current: dict[str, Any] | None) -> list[FeatureSpec]:
        return []

    def _definition_specs(self, qs: Any) -> list[FeatureSpec]:
        return [spec_of(d) for d in qs.prefetch_related("characteristics")]

    def all_specs(self) -> list[FeatureSpec]:
        return self._definition_specs(FeatureDefinition.objects.filter(entity=self.feature_entity))

    def check_new(self, row: Row) -> None:
        """Rules for rows that will be created (required fields)."""

    # -- plan and apply
    def plan(self, rows: list[Row], report: Report) -> Plan:
        by_key: dict[Any, Row] = {}
        for row in rows:
            key = self.key_of(row)
            if key is None:
                row.reject(self.key_target, "the natural key is empty")
            elif key in by_key:
                row.reject(self.key_target, f"{_show(key)} is already on row {by_key[key].number}")
            else:
                row.key = key
                by_key[key] = row
        existing = self.fetch_existing(list(by_key))
        plan = Plan()
        for key, row in by_key.items():
            if row.errors:
                continue
            current = existing.get(key)
            if self.has_features:
                self._check_features(row, current)
            if current is None:
                self.check_new(row)
            if row.errors:
                continue
            if current is None:
                plan.creates.append(row)
                continue
            changes = {
                name: {"old": current.get(name), "new": value}
                for name, value in row.db.items()
                if current.get(name) != value
            }
            changes.update(self.extra_changes(row, current))
            merged = dict(current.get("features") or {})
            for fkey, value in row.features.items():
                if merged.get(fkey) != value:
                    changes[f"features.{fkey}"] = {"old": merged.get(fkey), "new": value}
                    merged[fkey] = value
            if changes:
                plan.updates.append((row, {**current, **row.db, "features": merged}, changes))
            else:
                plan.unchanged += 1
        return plan

    key_target = ""

    def extra_changes(self, row: Row, current: dict[str, Any]) -> dict[str, dict]:
        return {}

    def _check_features(self, row: Row, current: dict[str, Any] | None) -> None:
        specs = self.specs_for(row, current)
        values = {k: v for k, v in row.features.items() if v is not None}
        out, errors = check_values(specs, values, partial=current is not None, apply_defaults=current is None)
        for fkey, message in errors.items():
            row.reject(f"features.{fkey}", message)
        row.features = {k: v for k, v in out.items() if v is not None}

    @cached_property
    def _has_source(self) -> bool:
        return any(f.name == "source" for f in self.model._meta.fields)

    def build_values(self, row: Row) -> dict[str, Any]:
        values = {self.fk.get(k, k): v for k, v in row.db.items()}
        if self.has_features:
            values["features"] = row.features
        if self.source and self._has_source:
            values.setdefault("source", self.source)
        return values

    def build(self, row: Row) -> Model:
        return self.model(**self.build_values(row))

    def created_changes(self, row: Row) -> dict[str, dict]:
        # event_record_many makes the values JSON-ready; nothing to convert twice here.
        changes = {k: {"old": None, "new": v} for k, v in row.db.items() if v is not None and v != ""}
        for fkey, value in row.features.items():
            changes[f"features.{fkey}"] = {"old": None, "new": value}
        return changes

    def build_many(self, rows: list[Row]) -> list[Model]:
        """`build` for rows the raw writer inserts, without `Model.__init__`'s per-field
        work (a tenth of a large import): the field defaults are taken once, then each
        row's values laid over them. Callable defaults are still called per row."""
        fixed: dict[str, Any] = {}
        called = []
        for f in self.model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                called.append(f)
            else:
                fixed[f.attname] = f.get_default()
        objs = []
        for row in rows:
            obj = self.model.__new__(self.model)
            obj._state = ModelState()
            state = obj.__dict__
            state.update(fixed)
            for f in called:
                state[f.attname] = f.get_default()
            state.update(self.build_values(row))
            objs.append(obj)
        return objs

    def create(self, rows: list[Row]) -> list[Model]:
        objs = self.build_many(rows) if self.fast_key else [self.build(r) for r in rows]
        if self.fast_key:
            from .fastinsert import insert_and_key

            insert_and_key(self.model, objs, self.fast_key)
        else:
            self.model._default_manager.bulk_create(objs, batch_size=1000)  # type: ignore[attr-defined]
        event_record_many(
            actor=self.actor,
            entity=self.entity,
            action="created",
            items=[(o.pk, self.created_changes(r)) for o, r in zip(objs, rows, strict=True)],
            note=self.note,
        )
        return objs

    def update(self, updates: list[tuple[Row, dict[str, Any], dict[str, dict]]]) -> None:
        if not updates:
            return
        now = timezone.now()
        names: set[str] = set()
        objs = []
        for _row, merged, changes in updates:
            values = {self.fk.get(k, k): v for k, v in merged.items() if k in self.fields or k in self.fk}
            obj = self.model(pk=merged["id"], **values)
            if self.has_features:
                obj.features = merged["features"]  # type: ignore[attr-defined]
            if self.versioned:
                obj.version = F("version") + 1  # type: ignore[attr-defined]
                obj.updated_at = now  # type: ignore[attr-defined]
            names |= {self.fk.get(c, c) for c in changes if not c.startswith("features.")}
            if any(c.startswith("features.") for c in changes):
                names.add("features")
            objs.append(obj)
        if self.versioned:
            names |= {"version", "updated_at"}
        self.model._default_manager.bulk_update(objs, sorted(names), batch_size=500)  # type: ignore[attr-defined]
        event_record_many(
            actor=self.actor,
            entity=self.entity,
            action="updated",
            items=[(m["id"], jsonable(ch)) for _r, m, ch in updates],
            note=self.note,
        )

    def apply(self, plan: Plan, report: Report) -> list[int]:
        """Write the plan; returns the ids written (for hooks)."""
        objs = self.create(plan.creates)
        self.update(plan.updates)
        return [o.pk for o in objs] + [m["id"] for _r, m, _c in plan.updates]


def _show(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join(str(k) for k in key)
    return repr(key)
