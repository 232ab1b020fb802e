"""Optimistic locking shared by every update service (API: missing version → 428, stale → 409)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import Model

from .errors import FieldError, ValidationFailed, VersionConflict, VersionRequired

M = TypeVar("M", bound=Model)


def lock_current(model: type[M], pk: Any, version: int | None, *, required: bool = True) -> M:
    """The row, locked for this transaction, when `version` is the stored one.

    The row lock (PostgreSQL) or the IMMEDIATE write transaction (SQLite) makes a
    second writer wait here, and then see the new version and get a conflict.
    """
    if version is None and required:
        raise VersionRequired("Send the version you read; updates without it are refused.")
    current = model._default_manager.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
    if version is not None and current.version != version:  # type: ignore[attr-defined]
        raise VersionConflict(current)
    return current


def refuse_unknown(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationFailed(
            [FieldError(name, "unknown field; it cannot be changed here") for name in unknown],
            f"Unknown fields: {', '.join(unknown)}",
        )


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain field values for event diffs; foreign keys as ids."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = getattr(obj, field.attname) if field.is_relation else getattr(obj, name)  # type: ignore[union-attr]
    return out


def resolve(model: type[Model], value: Any, field: str, errors: list[FieldError]) -> Any:
    """An instance from an instance or an id; a missing or malformed id becomes a field error."""
    if value is None or isinstance(value, model):
        return value
    try:
        found = model._default_manager.filter(pk=value).first()  # type: ignore[attr-defined]
    except (ValueError, TypeError):
        found = None
    if found is None:
        errors.append(FieldError(field, f"no {field.replace('_', ' ')} with id {value!r}"))
    return found


def assign(
    obj: Model, values: Mapping[str, Any], refs: Mapping[str, type[Model]], errors: list[FieldError]
) -> None:
    """Set fields on `obj`; foreign keys in `refs` accept an instance or an id (bad ids → field errors)."""
    for name, value in values.items():
        if name in refs:
            value = resolve(refs[name], value, name, errors)
        setattr(obj, name, value)
