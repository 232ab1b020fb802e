"""Typed feature queries (data-layer cases json-1..json-4) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from servanda.contracts.models import Contract
from servanda.contracts.selectors import contracts_filtered
from servanda.core.errors import ValidationFailed
from servanda.features.query import feature_filter, features_contain, index_name
from tests.conftest import load_cases
from tests.contracts.helpers import contract, contract_type, definition

pytestmark = pytest.mark.django_db

CASES = {c["id"]: c for c in load_cases("data-layer.json")}


def case(case_id: str) -> dict:
    if case_id not in CASES:
        pytest.skip(f"data-layer case {case_id} not found in ../shared/cases")
    return CASES[case_id]


def raw_rows(ctype, rows: dict[str, dict]) -> dict[int, str]:
    """Rows written as legacy/imported data would be: straight into the table, unvalidated."""
    objs = Contract.objects.bulk_create(
        [
            Contract(number=name, title=name, contract_type=ctype, features=features)
            for name, features in rows.items()
        ]
    )
    return {c.pk: c.number for c in objs}


def numbers(qs) -> list[str]:
    return sorted(qs.values_list("number", flat=True))


def test_json_1_string_true_is_not_boolean_true(personas) -> None:
    c = case("json-1")
    flag = definition(personas.admin, "flag", "boolean")
    ctype = contract_type(personas.admin, defs=[flag])
    raw_rows(ctype, c["input"]["rows"])
    got = feature_filter(Contract.objects.all(), definition=flag, op="eq", value=True)
    assert numbers(got) == sorted(c["expected"]["rows"])
    # and the query-string spelling takes the same path
    assert numbers(contracts_filtered(Contract.objects.all(), params={"feature.flag": "true"})) == ["a"]


def test_json_2_numeric_range_ignores_strings_and_null(personas) -> None:
    c = case("json-2")
    n = definition(personas.admin, "n", "decimal")
    ctype = contract_type(personas.admin, defs=[n])
    raw_rows(ctype, {name: {"n": value} for name, value in c["input"]["rows"].items()})
    got = feature_filter(Contract.objects.all(), definition=n, op="gt", value=9)
    assert numbers(got) == sorted(c["expected"]["rows"])
    assert numbers(contracts_filtered(Contract.objects.all(), params={"feature.n__gt": "9"})) == sorted(
        c["expected"]["rows"]
    )


def test_json_3_containment_works_on_both_databases(personas) -> None:
    case("json-3")
    v = definition(personas.admin, "voltage", "integer")
    ctype = contract_type(personas.admin, defs=[v])
    raw_rows(
        ctype,
        {
            "int400": {"voltage": 400},
            "real400": {"voltage": 400.0},
            "text400": {"voltage": "400"},
            "v230": {"voltage": 230},
            "none": {},
            "more": {
                "voltage": 400,
                "phase": "3",
                "tags": ["a", "b"],
                "price": {"amount": "1.00", "currency": "EUR"},
            },
        },
    )
    got = features_contain(Contract.objects.all(), entity="contract", values={"voltage": 400})
    # JSON containment: the number 400 (400.0 is the same JSON number), never the text "400"
    assert numbers(got) == ["int400", "more", "real400"]
    nested = {"tags": ["b"], "price": {"currency": "EUR"}, "phase": "3"}
    assert numbers(features_contain(Contract.objects.all(), values=nested)) == ["more"]
    assert numbers(features_contain(Contract.objects.all(), values={"tags": ["c"]})) == []


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        else:
            cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(" ".join(str(x) for x in row) for row in cursor.fetchall())


def test_json_4_index_is_used(personas) -> None:
    c = case("json-4")
    a = personas.admin
    code = definition(a, "code", "text")
    size = definition(a, "size", "integer")
    ctype = contract_type(a, defs=[code, size])
    n = c["input"]["rows"]
    Contract.objects.bulk_create(
        [
            Contract(
                number=f"N{i:05d}",
                title="t",
                contract_type=ctype,
                features={"code": f"v{i % 100}", "size": i},
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    text_q = feature_filter(Contract.objects.all(), definition=code, op="eq", value="v7")
    range_q = feature_filter(Contract.objects.all(), definition=size, op="gt", value=4990)
    assert text_q.count() == n // 100
    assert range_q.count() == 9
    assert index_name(code) in _plan(text_q)
    assert index_name(size) in _plan(range_q)
    # and through the API-style helper the pages and the API share
    api_q = contracts_filtered(Contract.objects.all(), params={"feature.size__gt": "4990"})
    assert index_name(size) in _plan(api_q)


def test_ranges_on_dates_and_money_and_multi_choice(personas) -> None:
    a = personas.admin
    since = definition(a, "since", "date")
    price = definition(a, "price", "money")
    tags = definition(a, "tags", "multi_choice", characteristics=[("x", "X"), ("y", "Y")])
    ctype = contract_type(a, defs=[since, price, tags])
    contract(
        a,
        ctype,
        number="A",
        features={"since": "2024-01-31", "price": {"amount": "99.99", "currency": "EUR"}},
    )
    contract(
        a,
        ctype,
        number="B",
        features={"since": "2024-02-01", "price": {"amount": "100", "currency": "EUR"}, "tags": ["x", "y"]},
    )
    contract(a, ctype, number="C", features={"tags": ["y"]})
    qs = Contract.objects.all()
    assert numbers(contracts_filtered(qs, params={"feature.since__gte": "2024-02-01"})) == ["B"]
    assert numbers(contracts_filtered(qs, params={"feature.since__lt": "2024-02-01"})) == ["A"]
    assert numbers(contracts_filtered(qs, params={"feature.price__gte": "100.00"})) == ["B"]
    assert numbers(contracts_filtered(qs, params={"feature.price__lt": "100"})) == ["A"]
    assert numbers(contracts_filtered(qs, params={"feature.tags__has": "x"})) == ["B"]
    assert numbers(contracts_filtered(qs, params={"feature.tags__has": "y"})) == ["B", "C"]
    assert numbers(contracts_filtered(qs, params={"feature.since__in": "2024-01-31,2024-02-01"})) == [
        "A",
        "B",
    ]


def test_unknown_feature_key_and_bad_value_are_named(personas) -> None:
    n = definition(personas.admin, "capacity", "integer")
    contract_type(personas.admin, defs=[n])
    with pytest.raises(ValidationFailed) as exc:
        contracts_filtered(Contract.objects.all(), params={"feature.nope": "1", "feature.other__gte": "2"})
    assert {e.field for e in exc.value.errors} == {"feature.nope", "feature.other"}
    with pytest.raises(ValidationFailed) as exc:
        contracts_filtered(Contract.objects.all(), params={"feature.capacity__gte": "ten"})
    assert exc.value.errors[0].field == "features.capacity" and "'ten'" in exc.value.errors[0].message


def test_filter_inside_a_subquery_uses_the_right_alias(personas) -> None:
    n = definition(personas.admin, "size", "integer")
    ctype = contract_type(personas.admin, defs=[n])
    parent = contract(personas.admin, ctype, number="P", features={"size": 1})
    contract(personas.admin, ctype, number="K", parent=parent, features={"size": 5})
    big_parents = feature_filter(Contract.objects.all(), definition=n, op="lt", value=2).values("pk")
    assert numbers(Contract.objects.filter(parent__in=big_parents)) == ["K"]
    joined = feature_filter(Contract.objects.select_related("parent"), definition=n, op="gt", value=2)
    assert numbers(joined) == ["K"]
