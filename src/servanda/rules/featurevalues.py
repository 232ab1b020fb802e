"""Checking one feature value against its definition, on plain data (no Django).

Values are kept JSON-ready: integers as JSON integers (never booleans), decimals
as JSON numbers, booleans only as true/false, dates as ISO text, durations as
canonical ISO 8601 text, money as {"amount": "<decimal text>", "currency": "EUR"},
choices by characteristic code. The query layer relies on these shapes: a value
of the wrong JSON type can never match a typed filter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .durations import DurationError, parse_iso_duration

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FeatureValueError(ValueError):
    """The message names the feature and says what is wrong."""


@dataclass(frozen=True)
class FeatureSpec:
    key: str
    label: str
    data_type: str
    required: bool = False
    default: Any = None
    codes: tuple[str, ...] = field(default=())
    reference_entity: str = ""

    @property
    def name(self) -> str:
        return f"{self.label} ({self.key})" if self.label and self.label != self.key else self.key


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float | Decimal):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _fail(spec: FeatureSpec, expected: str, value: Any) -> FeatureValueError:
    return FeatureValueError(f"{spec.name} expects {expected}, got {_kind(value)}")


def _decimal_text(spec: FeatureSpec, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _fail(spec, 'money as {"amount": "12.50", "currency": "EUR"}', value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _fail(spec, "a decimal amount such as '1234.50'", value) from None
    if not number.is_finite():
        raise _fail(spec, "a finite decimal amount", value)
    return format(number, "f")


def _check_text(spec: FeatureSpec, value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(spec, "text", value)
    return value


def _check_integer(spec: FeatureSpec, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float | Decimal) and Decimal(value).is_finite() and value == int(value):
            return int(value)
        raise _fail(spec, "a whole number", value)
    return value


def _check_decimal(spec: FeatureSpec, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _fail(spec, "a number", value)
    if isinstance(value, Decimal | float):
        if not Decimal(value).is_finite():
            raise _fail(spec, "a finite number", value)
        # JSON numbers: integral values stay integers so 10 and 10.0 store alike.
        return int(value) if value == int(value) else float(value)
    return value


def _check_boolean(spec: FeatureSpec, value: Any) -> Any:
    if not isinstance(value, bool):
        raise _fail(spec, "true or false", value)
    return value


def _check_date(spec: FeatureSpec, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise _fail(spec, "a date (YYYY-MM-DD), not an instant", value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not _DATE.match(value):
        raise _fail(spec, "a date as YYYY-MM-DD", value)
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise FeatureValueError(f"{spec.name}: {value!r} is not a date in the calendar") from None


def _check_duration(spec: FeatureSpec, value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(spec, "an ISO 8601 duration such as P1Y or P3M", value)
    try:
        return parse_iso_duration(value).iso()
    except DurationError as exc:
        raise FeatureValueError(f"{spec.name}: {exc}") from None


def _check_money(spec: FeatureSpec, value: Any) -> Any:
    if not isinstance(value, Mapping) or set(value) != {"amount", "currency"}:
        raise _fail(spec, 'money as {"amount": "12.50", "currency": "EUR"}', value)
    currency = value["currency"]
    if not isinstance(currency, str) or not _CURRENCY.match(currency):
        raise FeatureValueError(f"{spec.name}: currency must be a three-letter code such as EUR")
    return {"amount": _decimal_text(spec, value["amount"]), "currency": currency}


def _allowed(spec: FeatureSpec) -> str:
    return ", ".join(spec.codes) if spec.codes else "none defined yet"


def _check_choice(spec: FeatureSpec, value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(spec, f"one characteristic code ({_allowed(spec)})", value)
    if value not in spec.codes:
        raise FeatureValueError(f"{spec.name}: unknown characteristic {value!r}; allowed: {_allowed(spec)}")
    return value


def _check_multi_choice(spec: FeatureSpec, value: Any) -> Any:
    if not isinstance(value, list | tuple):
        raise _fail(spec, f"a list of characteristic codes ({_allowed(spec)})", value)
    unknown = [v for v in value if not isinstance(v, str) or v not in spec.codes]
    if unknown:
        shown = ", ".join(repr(v) for v in unknown)
        raise FeatureValueError(f"{spec.name}: unknown characteristic {shown}; allowed: {_allowed(spec)}")
    dupes = sorted({v for v in value if list(value).count(v) > 1})
    if dupes:
        raise FeatureValueError(f"{spec.name}: characteristic listed twice: {', '.join(dupes)}")
    return list(value)


def _check_reference(spec: FeatureSpec, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(spec, f"the id of a {spec.reference_entity or 'object'}", value)
    return value


CHECKS: dict[str, Callable[[FeatureSpec, Any], Any]] = {
    "text": _check_text,
    "integer": _check_integer,
    "decimal": _check_decimal,
    "boolean": _check_boolean,
    "date": _check_date,
    "duration": _check_duration,
    "money": _check_money,
    "choice": _check_choice,
    "multi_choice": _check_multi_choice,
    "reference": _check_reference,
}


def check_value(spec: FeatureSpec, value: Any) -> Any:
    """The normalized value, or FeatureValueError naming the feature."""
    check = CHECKS.get(spec.data_type)
    if check is None:
        raise FeatureValueError(f"{spec.name} has an unknown data type {spec.data_type!r}")
    return check(spec, value)


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def check_values(
    specs: Collection[FeatureSpec],
    values: Mapping[str, Any],
    *,
    partial: bool = False,
    apply_defaults: bool = True,
    existing_references: Callable[[str, set[int]], set[int]] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check a features document: (normalized values, {key: message}) — every bad key reported.

    `partial` checks only the keys given and keeps explicit nulls (they mean "remove");
    otherwise nulls are dropped, required features must have a value and missing
    ones get their default. `existing_references(entity, ids)` answers which ids exist.
    """
    by_key = {s.key: s for s in specs}
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in values.items():
        spec = by_key.get(key)
        if spec is None:
            known = ", ".join(sorted(by_key)) or "none for this type"
            errors[key] = f"unknown feature {key!r}; known features: {known}"
            continue
        if value is None:
            if partial:
                out[key] = None
            continue
        try:
            out[key] = check_value(spec, value)
        except FeatureValueError as exc:
            errors[key] = str(exc)
    if not partial:
        for spec in specs:
            if spec.key in errors:
                continue
            if spec.key not in values and apply_defaults and spec.default is not None:
                try:
                    out[spec.key] = check_value(spec, spec.default)
                except FeatureValueError as exc:
                    errors[spec.key] = f"default is invalid: {exc}"
                    continue
            if spec.required and _missing(out.get(spec.key)):
                errors[spec.key] = f"{spec.name} is required"
                out.pop(spec.key, None)
    if existing_references is not None:
        _check_references(by_key, out, errors, existing_references)
    return out, errors


def _check_references(
    by_key: Mapping[str, FeatureSpec],
    out: dict[str, Any],
    errors: dict[str, str],
    existing: Callable[[str, set[int]], set[int]],
) -> None:
    wanted: dict[str, set[int]] = {}
    for key, value in out.items():
        spec = by_key[key]
        if spec.data_type == "reference" and value is not None:
            wanted.setdefault(spec.reference_entity, set()).add(value)
    found = {entity: existing(entity, ids) for entity, ids in wanted.items()}
    for key, value in list(out.items()):
        spec = by_key[key]
        if spec.data_type == "reference" and value is not None and value not in found[spec.reference_entity]:
            errors[key] = f"{spec.name}: no {spec.reference_entity or 'object'} with id {value}"
            del out[key]
