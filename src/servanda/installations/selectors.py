"""Reads about installations and coverage. `contracts_covering` is THE covering question."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from servanda.contracts.models import Contract
from servanda.contracts.tree import ancestor_ids, subtree_ids
from servanda.core.errors import FieldError, ValidationFailed
from servanda.events.models import Event
from servanda.events.selectors import events_for
from servanda.features.models import Entity
from servanda.features.query import apply_feature_params

from .models import Coverage, Installation


def coverages_on(on: date) -> QuerySet[Coverage]:
    """Coverage rows whose half-open period contains `on`: start <= on < end_excl.

    The ORM twin of `_COVERED_ON` below; tests hold both to the same cases (cover-1).
    """
    return Coverage.objects.filter(start__lte=on).filter(Q(end_excl__isnull=True) | Q(end_excl__gt=on))


# The covering question is asked on every installation page and API call, and building it
# through the ORM costs ~1 ms of Python per call (filter resolution, compilation) against
# ~0.05 ms of SQL. So it is one fixed, vendor-neutral SQL text, built once; the WHERE
# matches the (installation, start, end_excl) index prefix.
_COVERED_ON = "v.installation_id = %s AND v.start <= %s AND (v.end_excl IS NULL OR v.end_excl > %s)"
_COVERING_IDS_SQL = f'SELECT DISTINCT v.contract_id FROM "{Coverage._meta.db_table}" v WHERE {_COVERED_ON}'
_CONTRACT_COLUMNS = ", ".join(f'c."{f.column}"' for f in Contract._meta.concrete_fields)
_FIELD_NAMES = [f.attname for f in Contract._meta.concrete_fields]
_COVERING_SQL = (
    f'SELECT {_CONTRACT_COLUMNS} FROM "{Contract._meta.db_table}" c '
    f"WHERE c.id IN ({_COVERING_IDS_SQL}) ORDER BY c.number, c.id"
)


_CONVERTERS: dict[str, list[tuple[int, list[Any], Any]]] = {}


def _row_converters() -> list[tuple[int, list[Any], Any]]:
    """Per column: the backend's and the field's from-DB converters (as the ORM applies them)."""
    vendor = connection.vendor
    if vendor not in _CONVERTERS:
        out = []
        for i, field in enumerate(Contract._meta.concrete_fields):
            col = field.get_col(Contract._meta.db_table)
            convs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if convs:
                out.append((i, convs, col))
        _CONVERTERS[vendor] = out
    return _CONVERTERS[vendor]


def contracts_covering(*, installation_id: int, on: date) -> list[Contract]:
    """Which contracts cover installation X on date D — the one answer used everywhere, by number."""
    with connection.cursor() as cursor:
        cursor.execute(_COVERING_SQL, [installation_id, on, on])
        rows = cursor.fetchall()
    converters = _row_converters()
    out = []
    for row in rows:
        values = list(row)
        for i, convs, col in converters:
            for conv in convs:
                values[i] = conv(values[i], col, connection)
        out.append(Contract.from_db(connection.alias, _FIELD_NAMES, values))
    return out


def covering_contract_ids(*, installation_id: int, on: date) -> list[int]:
    """Ids of `contracts_covering`, for callers that narrow further (visibility, select_related)."""
    with connection.cursor() as cursor:
        cursor.execute(_COVERING_IDS_SQL, [installation_id, on, on])
        return [row[0] for row in cursor.fetchall()]


def installations_covered_by(*, contract_id: int, on: date) -> QuerySet[Installation]:
    ids = coverages_on(on).filter(contract_id=contract_id).values("installation_id")
    return Installation.objects.filter(pk__in=ids)


def coverage_history(*, installation_id: int) -> QuerySet[Coverage]:
    """An installation's coverage over time, oldest first, with the contracts."""
    return (
        Coverage.objects.filter(installation_id=installation_id)
        .select_related("contract", "contract__contract_type")
        .order_by("start", "id")
    )


def coverages_of_contract(contract_id: int) -> QuerySet[Coverage]:
    return (
        Coverage.objects.filter(contract_id=contract_id)
        .select_related("installation")
        .order_by("start", "id")
    )


def installation_subtree_ids(root_id: int) -> list[int]:
    return subtree_ids(Installation, root_id)


def installation_ancestor_ids(installation_id: int) -> list[int]:
    return ancestor_ids(Installation, installation_id)


def installation_history(installation_id: int) -> QuerySet[Event]:
    return events_for(entity="installation", entity_id=installation_id)


def installations_filtered(
    qs: QuerySet[Installation], *, params: Mapping[str, Any]
) -> QuerySet[Installation]:
    """API-style filters: type (id or code), status, owner, model, q (serial/product/model/site),
    `feature.k=v` and `feature.k__op=v`. Paging and sorting parameters are ignored here."""
    errors: list[FieldError] = []
    if params.get("type"):
        raw = str(params["type"]).strip()
        qs = (
            qs.filter(installation_type_id=int(raw))
            if raw.isdigit()
            else qs.filter(installation_type__code=raw)
        )
    if params.get("status"):
        statuses = [s.strip() for s in str(params["status"]).split(",") if s.strip()]
        bad = [s for s in statuses if s not in Installation.Status.values]
        if bad:
            errors.append(FieldError("status", f"unknown status {', '.join(bad)}"))
        qs = qs.filter(status__in=statuses)
    if params.get("owner"):
        raw = str(params["owner"]).strip()
        if not raw.isdigit():
            errors.append(FieldError("owner", f"expected an id, got {raw!r}"))
        else:
            qs = qs.filter(owner_id=int(raw))
    if params.get("model"):
        qs = qs.filter(model=str(params["model"]))
    if params.get("q"):
        text = str(params["q"]).strip()
        qs = qs.filter(
            Q(serial_number__icontains=text)
            | Q(product__icontains=text)
            | Q(model__icontains=text)
            | Q(site__icontains=text)
        )
    if errors:
        raise ValidationFailed(errors, "; ".join(f"{e.field}: {e.message}" for e in errors))
    return apply_feature_params(qs, entity=Entity.INSTALLATION, params=params)
