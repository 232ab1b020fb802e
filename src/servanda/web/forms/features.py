"""Feature inputs generated from the definitions, and posted values turned back into feature JSON.

Parsing here is deliberately shallow: what the browser sends is converted only as far as
it is unambiguous (digits to a number, a ticked box to true), and anything else is handed
on unchanged so that the domain validation (features.validation) judges it and its
message is the one the user reads, at the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from servanda.core.errors import ValidationFailed
from servanda.features.models import DataType, FeatureDefinition

PREFIX = "feature__"
_INT = re.compile(r"^[+-]?\d+$")

INPUT_KIND = {
    DataType.TEXT: "text",
    DataType.INTEGER: "number",
    DataType.DECIMAL: "number",
    DataType.BOOLEAN: "checkbox",
    DataType.DATE: "date",
    DataType.DURATION: "duration",
    DataType.MONEY: "money",
    DataType.CHOICE: "select",
    DataType.MULTI_CHOICE: "multiselect",
    DataType.REFERENCE: "reference",
}


@dataclass
class FeatureField:
    key: str
    label: str
    kind: str
    name: str
    required: bool
    unit: str = ""
    help: str = ""
    value: Any = ""
    currency: str = "EUR"
    step: str = "any"
    choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def html_id(self) -> str:
        return f"id_{self.name}"


def field_name(key: str) -> str:
    return f"{PREFIX}{key}"


def _stored_as_input(definition: FeatureDefinition, value: Any) -> tuple[Any, str]:
    """A stored JSON value as what the input shows (value, currency)."""
    if value is None:
        return ("" if definition.data_type != DataType.MULTI_CHOICE else []), "EUR"
    if definition.data_type == DataType.MONEY and isinstance(value, Mapping):
        return str(value.get("amount", "")), str(value.get("currency") or "EUR")
    if definition.data_type == DataType.BOOLEAN:
        return bool(value), "EUR"
    if definition.data_type == DataType.MULTI_CHOICE:
        return [str(v) for v in value] if isinstance(value, list) else [], "EUR"
    return str(value), "EUR"


def build_fields(
    definitions: Iterable[FeatureDefinition],
    *,
    stored: Mapping[str, Any] | None = None,
    data: QueryDict | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> list[FeatureField]:
    """One input per definition; on a re-render `data` (what was typed) wins over `stored`."""
    stored = stored or {}
    errors = errors or {}
    out = []
    for d in sorted(definitions, key=lambda d: (d.position, d.label)):
        name = field_name(d.key)
        if data is not None:
            if d.data_type == DataType.MULTI_CHOICE:
                value: Any = data.getlist(name)
            elif d.data_type == DataType.BOOLEAN:
                value = name in data
            else:
                value = data.get(name, "")
            currency = data.get(f"{name}__currency", "EUR")
        else:
            value, currency = _stored_as_input(d, stored.get(d.key, d.default if not stored else None))
        out.append(
            FeatureField(
                key=d.key,
                label=d.label,
                kind=INPUT_KIND.get(d.data_type, "text"),  # type: ignore[call-overload]
                name=name,
                required=d.required,
                unit=d.unit,
                help=d.help_text,
                value=value,
                currency=currency,
                step="1" if d.data_type in (DataType.INTEGER, DataType.REFERENCE) else "any",
                choices=[(c.code, c.label) for c in d.characteristics.all()],
                errors=list(errors.get(d.key, [])),
            )
        )
    return out


def _number(text: str, *, whole: bool) -> Any:
    if _INT.match(text):
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text  # the domain names it: "expects a number, got the text …"
    return number if number.is_finite() else text


def parse(
    definitions: Iterable[FeatureDefinition], data: QueryDict, *, stored: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Posted inputs → a features document; an emptied input is None (removes the value)."""
    stored = stored or {}
    out: dict[str, Any] = {}
    for d in definitions:
        name = field_name(d.key)
        dtype = d.data_type
        if dtype == DataType.BOOLEAN:
            # An unticked box is "no" once the feature has a value or must have one; else it stays unset.
            out[d.key] = (
                True if name in data else (False if d.required or stored.get(d.key) is not None else None)
            )
            continue
        if dtype == DataType.MULTI_CHOICE:
            picked = [v for v in data.getlist(name) if v]
            out[d.key] = picked or None
            continue
        raw = (data.get(name) or "").strip()
        if raw == "":
            out[d.key] = None
        elif dtype in (DataType.INTEGER, DataType.DECIMAL, DataType.REFERENCE):
            out[d.key] = _number(raw, whole=dtype != DataType.DECIMAL)
        elif dtype == DataType.MONEY:
            currency = (data.get(f"{name}__currency") or "").strip().upper()
            out[d.key] = {"amount": raw, "currency": currency}
        elif dtype == DataType.DURATION:
            out[d.key] = raw.upper()
        else:
            out[d.key] = raw
    return out


def split_errors(exc: ValidationFailed) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """`features.<key>` errors by key, and the rest as (field, message)."""
    features: dict[str, list[str]] = {}
    others: list[tuple[str, str]] = []
    for e in exc.errors:
        if e.field.startswith("features."):
            features.setdefault(e.field.split(".", 1)[1], []).append(e.message)
        else:
            others.append((e.field, e.message))
    return features, others
