"""One `executemany` for many new rows: bulk_create without its per-value overhead.

Django's bulk_create splits inserts by the database's parameter limit (45 contracts
per statement on SQLite) and prepares every value through the field API. For
imports of 100,000 rows that costs several times the insert itself, so new rows
are written the way a plain script would, with the database's own adapters;
ids are then read back by the natural key, in chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import AutoField, BigAutoField, DateField, DateTimeField, JSONField, Model
from django.utils import timezone

from .base import chunks


def _adapter(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, DateField):
        return ops.adapt_datefield_value
    if isinstance(field, JSONField):
        return lambda value: None if value is None else ops.adapt_json_value(value, field.encoder)
    if field.get_internal_type() in {"CharField", "TextField", "SlugField", "BooleanField", "EmailField"}:
        return None
    if field.is_relation or field.get_internal_type() in {
        "IntegerField",
        "PositiveIntegerField",
        "BigIntegerField",
    }:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _constant(value: Any) -> Callable[[Any], Any]:
    return lambda _obj: value


def _reader(attname: str, adapt: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    if adapt is None:
        return lambda obj: getattr(obj, attname)
    return lambda obj: adapt(getattr(obj, attname))


def insert_and_key(model: type[Model], objs: Sequence[Model], key: str) -> dict[Any, int]:
    """Insert `objs` (without pks) and return {natural key: id}."""
    if not objs:
        return {}
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField | BigAutoField)]
    now = timezone.now()
    columns: list[str] = []
    getters: list[Callable[[Any], Any]] = []
    for f in fields:
        columns.append(connection.ops.quote_name(str(f.column)))
        adapt = _adapter(f, connection)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            getters.append(_constant(adapt(now) if adapt else now))
        else:
            getters.append(_reader(f.attname, adapt))
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for part in chunks(list(objs), 5000):
            cursor.executemany(sql, [tuple(get(obj) for get in getters) for obj in part])
    keys = [getattr(o, key) for o in objs]
    found: dict[Any, int] = {}
    manager = model._default_manager  # type: ignore[attr-defined]
    for part in chunks(keys):
        found.update(manager.filter(**{f"{key}__in": part}).values_list(key, "pk"))
    for obj in objs:
        obj.pk = found[getattr(obj, key)]
    return found
