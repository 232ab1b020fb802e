"""Helpers the detail pages share: the 'on' date, feature rows, history rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from servanda.events.models import Event
from servanda.features.models import FeatureDefinition
from servanda.web.display import feature_text, plain_value

HISTORY_LIMIT = 200


def on_date(request: HttpRequest) -> dt.date:
    """`?on=YYYY-MM-DD` when given and valid, else today in the site's zone."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@dataclass
class FeatureRow:
    key: str
    label: str
    text: str
    code: str
    help: str
    defined: bool


def _labels(definition: FeatureDefinition) -> dict[str, str]:
    return {c.code: c.label for c in definition.characteristics.all()}


def feature_rows(definitions: Iterable[FeatureDefinition], values: dict[str, Any]) -> list[FeatureRow]:
    """Every defined feature (empty ones too, so a reader sees what is missing), then leftovers."""
    rows = []
    defs = list(definitions)
    for d in sorted(defs, key=lambda d: (d.position, d.label)):
        value = values.get(d.key)
        code = ""
        if d.data_type == "choice" and value is not None:
            code = str(value)
        elif d.data_type == "multi_choice" and isinstance(value, list):
            code = ", ".join(str(v) for v in value)
        rows.append(
            FeatureRow(
                key=d.key,
                label=d.label,
                text=feature_text(value, data_type=d.data_type, unit=d.unit, labels=_labels(d)),
                code=code,
                help=d.help_text,
                defined=True,
            )
        )
    known = {d.key for d in defs}
    for key in sorted(set(values) - known):
        rows.append(FeatureRow(key, key, plain_value(values[key]), "", "not defined for this type", False))
    return rows


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    at: dt.datetime
    who: str
    action: str
    note: str
    changes: list[Change]


FIELD_LABELS = {
    "contract_type": "Type",
    "installation_type": "Type",
    "commencement_date": "Commencement",
    "initial_term": "Initial term",
    "renewal_term": "Renewal term",
    "notice_period": "Notice period",
    "end_date": "End of initial term",
    "terminated_on": "Terminated on",
    "serial_number": "Serial number",
    "installed_on": "Installed on",
    "end_excl": "End (exclusive)",
}


def _field_label(field: str, definitions: dict[str, FeatureDefinition]) -> str:
    if field.startswith("features."):
        key = field.split(".", 1)[1]
        d = definitions.get(key)
        return f"Feature: {d.label}" if d else f"Feature: {key}"
    if field.startswith("characteristics."):
        return f"Characteristic: {field.split('.', 1)[1]}"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


DURATIONS = {"initial_term", "renewal_term", "notice_period"}


def _value(
    field: str, value: Any, definitions: dict[str, FeatureDefinition], names: dict[str, dict[Any, str]]
) -> str:
    if field.startswith("features."):
        d = definitions.get(field.split(".", 1)[1])
        if d is not None:
            return feature_text(value, data_type=d.data_type, unit=d.unit, labels=_labels(d))
    if field in names and value is not None:
        return names[field].get(value, f"#{value}")
    if field in DURATIONS and isinstance(value, str) and value:
        return feature_text(value, data_type="duration")
    return plain_value(value)


def _related_names(events: list[Event]) -> dict[str, dict[Any, str]]:
    """Foreign keys in the log are ids; people read names (one query per kind of reference)."""
    from django.contrib.auth.models import Group

    from servanda.contracts.models import Contract, ContractType
    from servanda.installations.models import Installation, InstallationType
    from servanda.parties.models import Party

    sources: dict[str, tuple[Any, str]] = {
        "contract_type": (ContractType, "name"),
        "installation_type": (InstallationType, "name"),
        "party": (Party, "name"),
        "owner": (Party, "name"),
        "team": (Group, "name"),
        "contract": (Contract, "number"),
        "installation": (Installation, "serial_number"),
    }
    wanted: dict[str, set] = {}
    for e in events:
        for f, c in (e.changes or {}).items():
            if (f in sources or f == "parent") and isinstance(c, dict):
                wanted.setdefault(f, set()).update(
                    v for v in (c.get("old"), c.get("new")) if isinstance(v, int)
                )
    out: dict[str, dict[Any, str]] = {}
    for f, ids in wanted.items():
        if f == "parent":
            model, attr = (
                (Installation, "serial_number")
                if events[0].entity == "installation"
                else (Contract, "number")
            )
        else:
            model, attr = sources[f]
        out[f] = dict(model.objects.filter(pk__in=ids).values_list("pk", attr))
    return out


def history_rows(events: QuerySet[Event], *, entity: str) -> list[HistoryRow]:
    """Newest first, each with its field-level old → new values."""
    rows_ = list(events[:HISTORY_LIMIT])
    keys = {f.split(".", 1)[1] for e in rows_ for f in (e.changes or {}) if f.startswith("features.")}
    definitions = {
        d.key: d
        for d in FeatureDefinition.objects.filter(entity=entity, key__in=keys).prefetch_related(
            "characteristics"
        )
    }
    names = _related_names(rows_)
    out = []
    for e in rows_:
        changes = [
            Change(
                _field_label(f, definitions),
                _value(f, c.get("old"), definitions, names),
                _value(f, c.get("new"), definitions, names),
            )
            for f, c in sorted((e.changes or {}).items())
            if isinstance(c, dict)
        ]
        out.append(HistoryRow(e.at, e.actor_name or "system", e.action, e.note, changes))
    return out
