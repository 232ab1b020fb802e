"""Typed, indexed feature queries on SQLite and PostgreSQL.

Each feature filter compares one typed expression, e.g. on SQLite
`CASE WHEN json_type(features,'$."k"') IN ('integer','real') THEN json_extract(...) END`.
The same text is used for the expression index (`feature_index_ensure`) and in
the query, because both databases use an expression index only when the query
repeats the indexed expression exactly. The CASE also keeps JSON types apart: the
text "true" never equals the boolean true, and the text "10" or a JSON null never
falls inside a numeric range (data-layer cases json-1, json-2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Model, Q, QuerySet
from django.db.models.expressions import Expression

from servanda.core.errors import FieldError, ValidationFailed
from servanda.rules.durations import DurationError, parse_iso_duration

from .models import DataType, Entity, FeatureDefinition

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
NUMERIC = {DataType.INTEGER, DataType.DECIMAL, DataType.REFERENCE, DataType.MONEY}
TEXTUAL = {DataType.TEXT, DataType.DATE, DataType.CHOICE, DataType.DURATION}
ORDERED = NUMERIC | {DataType.TEXT, DataType.DATE}
OPS = ("eq", "gt", "gte", "lt", "lte", "in", "has")
_SQL_OP = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def entity_model(entity: str) -> type[Model] | None:
    """The model whose `features` column holds this entity's values (None: no table yet)."""
    from servanda.contracts.models import Contract
    from servanda.installations.models import Installation

    models: dict[str, type[Model]] = {Entity.CONTRACT: Contract, Entity.INSTALLATION: Installation}
    return models.get(entity)


def _key(key: str) -> str:
    # Keys go into SQL text (an index only matches literal paths), so only slug keys pass.
    if not KEY_PATTERN.match(key):
        raise ValidationFailed.one(f"features.{key}", f"invalid feature key {key!r}")
    return key


def _postgres() -> bool:
    return connection.vendor == "postgresql"


class FeatureSQL(Expression):
    """A boolean SQL condition over the `features` column, `{col}` standing for the column.

    The column is compiled by Django, so it carries the right alias inside subqueries and joins.
    """

    conditional = True

    def __init__(self, template: str, params: list[Any], column: Any = None) -> None:
        super().__init__(output_field=BooleanField())
        self.template = template
        self.params = list(params)
        self.column = column if column is not None else F("features")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.column,) = exprs

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> FeatureSQL:
        clone = self.copy()
        clone.column = self.column.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        col_sql, col_params = compiler.compile(self.column)
        if col_params:
            raise ValueError("the features column compiles without parameters")
        return self.template.replace("{col}", col_sql), list(self.params)


def typed_expression(col: str, key: str, data_type: str) -> str:
    """SQL for the typed value of feature `key` in column `col` (NULL when absent or of another JSON type)."""
    k = _key(key)
    if _postgres():
        node = f"({col} -> '{k}')"
        if data_type == DataType.MONEY:
            amount = f"({col} -> '{k}' -> 'amount')"
            return f"(CASE WHEN jsonb_typeof({amount}) = 'string' THEN ({col} -> '{k}' ->> 'amount')::numeric END)"
        if data_type in NUMERIC:
            return f"(CASE WHEN jsonb_typeof({node}) = 'number' THEN ({col} ->> '{k}')::numeric END)"
        if data_type == DataType.BOOLEAN:
            return f"(CASE WHEN jsonb_typeof({node}) = 'boolean' THEN ({col} ->> '{k}')::boolean END)"
        return f"(CASE WHEN jsonb_typeof({node}) = 'string' THEN ({col} ->> '{k}') END)"
    path = f"'$.\"{k}\"'"
    if data_type == DataType.MONEY:
        apath = f"'$.\"{k}\".amount'"
        return (
            f"(CASE WHEN json_type({col}, {apath}) = 'text' "
            f"THEN CAST(json_extract({col}, {apath}) AS REAL) END)"
        )
    if data_type in NUMERIC:
        return (
            f"(CASE WHEN json_type({col}, {path}) IN ('integer', 'real') "
            f"THEN json_extract({col}, {path}) END)"
        )
    if data_type == DataType.BOOLEAN:
        return f"(CASE json_type({col}, {path}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)"
    return f"(CASE WHEN json_type({col}, {path}) = 'text' THEN json_extract({col}, {path}) END)"


# Each index ends with the list's default order column, so "feature = v, first page" is one
# index range read in order instead of collecting and sorting every match.
_ORDER_COLUMN: dict[str, str] = {Entity.CONTRACT: "number", Entity.INSTALLATION: "serial_number"}


def index_name(definition: FeatureDefinition, *, legacy: bool = False) -> str:
    # `legacy`: the name of the earlier single-column index, dropped when the composite is made.
    composite = not legacy and definition.data_type != DataType.MULTI_CHOICE
    suffix = f":{_ORDER_COLUMN.get(definition.entity, '')}" if composite else ""
    digest = hashlib.sha1(  # noqa: S324 - a name, not security
        f"{definition.entity}:{definition.key}:{_index_kind(definition.data_type)}{suffix}".encode()
    ).hexdigest()[:10]
    return f"feat_{definition.entity[:5]}_{definition.key[:30]}_{digest}".replace("-", "_")


def _index_kind(data_type: str) -> str:
    if data_type in NUMERIC - {DataType.MONEY}:
        return "num"
    return data_type if data_type in {DataType.MONEY, DataType.BOOLEAN, DataType.MULTI_CHOICE} else "text"


def feature_index_ensure(definition: FeatureDefinition) -> str | None:
    """Create the expression index for an indexed definition; returns its name (None: none needed)."""
    model = entity_model(definition.entity)
    if model is None or not definition.indexed:
        return None
    table = model._meta.db_table
    name = index_name(definition)
    if definition.data_type == DataType.MULTI_CHOICE:
        if not _postgres():
            return None  # SQLite cannot index list membership; `has` scans json_each
        sql = (
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin '
            f"((\"features\" -> '{_key(definition.key)}') jsonb_path_ops)"
        )
    else:
        expr = typed_expression('"features"', definition.key, definition.data_type)
        order = _ORDER_COLUMN[definition.entity]
        sql = f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({expr}, "{order}")'
        _run_ddl(f'DROP INDEX IF EXISTS "{index_name(definition, legacy=True)}"')
    _run_ddl(sql)
    return name


def _run_ddl(sql: str) -> None:
    if _postgres() and connection.in_atomic_block:
        # PostgreSQL refuses DDL on a table with pending deferred FK checks in this transaction;
        # running them now (as Django's check_constraints does) lets the index be created.
        connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(sql)


def feature_indexes_ensure_all() -> list[str]:
    """Every indexed definition's index (e.g. after loading a database dump without them)."""
    names = [feature_index_ensure(d) for d in FeatureDefinition.objects.filter(indexed=True)]
    return [n for n in names if n]


def feature_index_drop(definition: FeatureDefinition) -> None:
    if entity_model(definition.entity) is None:
        return
    for name in (index_name(definition), index_name(definition, legacy=True)):
        _run_ddl(f'DROP INDEX IF EXISTS "{name}"')


def coerce_query_value(definition: FeatureDefinition, raw: Any) -> Any:
    """A filter value (often query-string text) as the feature's JSON type; ValidationFailed if impossible."""
    dtype, field = definition.data_type, f"features.{definition.key}"
    name = f"{definition.label} ({definition.key})"
    try:
        if dtype in {DataType.INTEGER, DataType.REFERENCE}:
            if isinstance(raw, bool):
                raise ValueError
            return int(raw) if not isinstance(raw, str) else int(raw.strip())
        if dtype in {DataType.DECIMAL, DataType.MONEY}:
            if isinstance(raw, bool):
                raise ValueError
            if isinstance(raw, Mapping):
                raw = raw.get("amount")
            number = Decimal(str(raw).strip())
            if not number.is_finite():
                raise ValueError
            return number
        if dtype == DataType.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            if str(raw).strip().lower() in {"true", "false"}:
                return str(raw).strip().lower() == "true"
            raise ValueError
        if dtype == DataType.DATE:
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                return raw.isoformat()
            return dt.date.fromisoformat(str(raw).strip()).isoformat()
        if dtype == DataType.DURATION:
            return parse_iso_duration(str(raw)).iso()
    except (ValueError, InvalidOperation, DurationError):
        raise ValidationFailed.one(field, f"{name}: {raw!r} is not a valid {dtype} value") from None
    if not isinstance(raw, str):
        raise ValidationFailed.one(field, f"{name}: {raw!r} is not a valid {dtype} value")
    return raw


def _sql_param(value: Any) -> Any:
    # SQLite's adapter turns Decimal into text, which never compares equal to a number.
    if isinstance(value, Decimal) and not _postgres():
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def feature_condition(definition: FeatureDefinition, op: str, value: Any) -> FeatureSQL:
    """A boolean SQL condition on one feature, usable in `QuerySet.filter`."""
    dtype, field = definition.data_type, f"features.{definition.key}"
    if op not in OPS:
        raise ValidationFailed.one(field, f"unknown filter {op!r}; use one of {', '.join(OPS)}")
    if op == "has" or dtype == DataType.MULTI_CHOICE:
        if dtype != DataType.MULTI_CHOICE or op not in {"has", "eq"}:
            raise ValidationFailed.one(
                field, f"{definition.key}: 'has' applies to multiple-choice features only"
            )
        code = str(value)
        if _postgres():
            sql = f"({{col}} -> '{_key(definition.key)}') @> %s::jsonb"
            return FeatureSQL(sql, [json.dumps([code])])
        sql = (
            f"EXISTS (SELECT 1 FROM json_each({{col}}, '$.\"{_key(definition.key)}\"') "
            "WHERE json_each.type = 'text' AND json_each.value = %s)"
        )
        return FeatureSQL(sql, [code])
    if op not in {"eq", "in"} and dtype not in ORDERED:
        raise ValidationFailed.one(field, f"{definition.key} ({dtype}) supports only eq and in")
    expr = typed_expression("{col}", definition.key, dtype)
    if op == "in":
        raws = value.split(",") if isinstance(value, str) else list(value)
        values = [_typed_param(definition, v) for v in raws]
        if not values:
            return FeatureSQL("1 = 0", [])
        marks = ", ".join(["%s"] * len(values))
        return FeatureSQL(f"{expr} IN ({marks})", values)
    cond = f"{expr} {_SQL_OP[op]} %s"
    if op != "eq" and not _postgres():
        # SQLite keeps no range statistics on expressions; without the hint it prefers walking
        # the ORDER BY index over the whole table to a selective feature range.
        cond = f"unlikely({cond})"
    return FeatureSQL(cond, [_typed_param(definition, value)])


def _typed_param(definition: FeatureDefinition, raw: Any) -> Any:
    value = coerce_query_value(definition, raw)
    if definition.data_type == DataType.BOOLEAN and not _postgres():
        return 1 if value else 0
    return _sql_param(value)


def feature_filter(qs: QuerySet, *, definition: FeatureDefinition, op: str, value: Any) -> QuerySet:
    """Rows of `qs` whose feature `definition.key` satisfies `op value`, typed and indexed."""
    return qs.filter(feature_condition(definition, op, value))


def _contain_sqlite(col: str, path: str, value: Any) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    jtype = f"json_type({col}, '{path}')"
    if isinstance(value, Mapping):
        where.append(f"{jtype} = 'object'")
        for k, v in value.items():
            w, p = _contain_sqlite(col, f'{path}."{_key(str(k))}"', v)
            where += w
            params += p
    elif isinstance(value, list | tuple):
        where.append(f"{jtype} = 'array'")
        for item in value:
            w, p = _scalar_match("json_each.type", "json_each.value", item)
            where.append(f"EXISTS (SELECT 1 FROM json_each({col}, '{path}') WHERE {' AND '.join(w)})")
            params += p
    else:
        w, p = _scalar_match(jtype, f"json_extract({col}, '{path}')", value)
        where += w
        params += p
    return where, params


def _scalar_match(type_sql: str, value_sql: str, value: Any) -> tuple[list[str], list[Any]]:
    if value is None:
        return [f"{type_sql} = 'null'"], []
    if isinstance(value, bool):
        return [f"{type_sql} = '{'true' if value else 'false'}'"], []
    if isinstance(value, int | float | Decimal):
        return [f"{type_sql} IN ('integer', 'real')", f"{value_sql} = %s"], [_sql_param(Decimal(str(value)))]
    if isinstance(value, str):
        return [f"{type_sql} = 'text'", f"{value_sql} = %s"], [value]
    raise ValidationFailed.one("features", f"cannot match a value of type {type(value).__name__}")


def features_contain(qs: QuerySet, *, entity: str | None = None, values: Mapping[str, Any]) -> QuerySet:
    """Rows whose features contain `values` (JSON containment, as PostgreSQL's @>), on both databases.

    Django's `features__contains` raises on SQLite (data-layer case json-3).
    """
    if not isinstance(values, Mapping):
        raise ValidationFailed.one("features", "containment needs an object keyed by feature key")
    if _postgres():
        return qs.filter(FeatureSQL("{col} @> %s::jsonb", [json.dumps(_jsonable(values))]))
    if not values:
        return qs
    where, params = _contain_sqlite("{col}", "$", dict(values))
    return qs.filter(FeatureSQL("(" + " AND ".join(where) + ")", params))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def feature_params(params: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(key, op, raw value) for every `feature.<key>` / `feature.<key>__<op>` parameter."""
    out = []
    for name in params:
        if not name.startswith("feature."):
            continue
        rest = name[len("feature.") :]
        key, _, op = rest.partition("__")
        out.append((key, op or "eq", params[name]))
    return out


def apply_feature_params(qs: QuerySet, *, entity: str, params: Mapping[str, Any]) -> QuerySet:
    """Apply API-style `feature.k=v` / `feature.k__gte=v` filters; unknown keys are named in the error."""
    wanted = feature_params(params)
    if not wanted:
        return qs
    keys = {k for k, _, _ in wanted}
    defs = {d.key: d for d in FeatureDefinition.objects.filter(entity=entity, key__in=keys)}
    errors = [
        FieldError(f"feature.{k}", f"unknown feature {k!r} for {entity}s") for k in sorted(keys - set(defs))
    ]
    if errors:
        raise ValidationFailed(errors, "; ".join(e.message for e in errors))
    for key, op, raw in wanted:
        qs = feature_filter(qs, definition=defs[key], op=op, value=raw)
    return qs


def any_feature_q(qs: QuerySet, key: str) -> QuerySet:
    """Rows that hold any value for feature `key` (used to refuse destructive definition changes)."""
    return qs.filter(Q(features__has_key=_key(key)))
