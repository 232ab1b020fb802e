"""`GET /api/contracts?feature.<key>…` for every data type, and installation hierarchies over the API.

Expected rows follow from the values each contract was given: equality per type, ranges for the
ordered types (numbers, dates, money amounts), membership for multi-choice, and a 422 naming the
feature for a value of the wrong type or an operator the type does not have.
"""

from __future__ import annotations

from typing import Any

import pytest

from servanda.features.services import feature_definition_create

pytestmark = pytest.mark.django_db

DEFS = [
    ("txt", "text", {}),
    ("n", "integer", {}),
    ("dec", "decimal", {}),
    ("flag", "boolean", {}),
    ("since", "date", {}),
    ("dur", "duration", {}),
    ("price", "money", {}),
    ("level", "choice", {"characteristics": [{"code": "gold"}, {"code": "silver"}]}),
    ("tags", "multi_choice", {"characteristics": [{"code": "x"}, {"code": "y"}]}),
]

ROWS = {
    "A": {
        "txt": "v7",
        "n": 5,
        "dec": 9.5,
        "flag": True,
        "since": "2024-01-31",
        "dur": "P3M",
        "price": {"amount": "99.50", "currency": "EUR"},
        "level": "gold",
        "tags": ["x"],
    },
    "B": {
        "txt": "v8",
        "n": 50,
        "dec": 100,
        "flag": False,
        "since": "2024-02-01",
        "dur": "P1Y",
        "price": {"amount": "1234.00", "currency": "EUR"},
        "level": "silver",
        "tags": ["x", "y"],
    },
    "C": {"n": 9, "price": {"amount": "-5", "currency": "USD"}},
}


@pytest.fixture
def api(personas, api_as) -> Any:
    admin = personas.admin
    for key, data_type, extra in DEFS:
        feature_definition_create(
            actor=admin, entity="contract", key=key, label=key, data_type=data_type, **extra
        )
    client = api_as(admin)
    r = client.post(
        "/api/contract-types",
        {"code": "svc", "name": "Service", "feature_definitions": [k for k, _, _ in DEFS]},
    )
    assert r.status_code == 201, r.json_body
    type_id = r.json_body["id"]
    for number, features in ROWS.items():
        r = client.post(
            "/api/contracts", {"number": number, "title": number, "type": type_id, "features": features}
        )
        assert r.status_code == 201, r.json_body
    return client


def numbers(client: Any, **params: str) -> list[str]:
    r = client.get("/api/contracts", **params)
    assert r.status_code == 200, r.json_body
    assert r.json_body["count"] == len(r.json_body["items"])
    return sorted(c["number"] for c in r.json_body["items"])


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("feature.txt", "v7", ["A"]),
        ("feature.n", "9", ["C"]),
        ("feature.n__gt", "5", ["B", "C"]),
        ("feature.n__lte", "9", ["A", "C"]),
        ("feature.n__in", "5,50", ["A", "B"]),
        ("feature.dec__gt", "9", ["A", "B"]),
        ("feature.dec", "9.5", ["A"]),
        ("feature.flag", "true", ["A"]),
        ("feature.flag", "false", ["B"]),
        ("feature.since", "2024-01-31", ["A"]),
        ("feature.since__gte", "2024-02-01", ["B"]),
        ("feature.since__lt", "2024-02-01", ["A"]),
        ("feature.dur", "P1Y", ["B"]),
        ("feature.price", "99.5", ["A"]),
        ("feature.price__gte", "100", ["B"]),
        ("feature.price__lt", "0", ["C"]),
        ("feature.level", "silver", ["B"]),
        ("feature.tags", "y", ["B"]),
        ("feature.tags__has", "x", ["A", "B"]),
    ],
)
def test_feature_filter_per_data_type(api, param, value, expected) -> None:
    assert numbers(api, **{param: value}) == expected


def test_date_range_with_both_bounds(api) -> None:
    assert numbers(api, **{"feature.since__gte": "2024-01-01", "feature.since__lte": "2024-01-31"}) == ["A"]


@pytest.mark.parametrize(
    ("param", "value", "field"),
    [
        ("feature.n", "many", "features.n"),
        ("feature.since__gte", "31/01/2024", "features.since"),
        ("feature.price__gte", "lots", "features.price"),
        ("feature.nope", "1", "feature.nope"),
    ],
)
def test_bad_feature_filter_is_422_naming_it(api, param, value, field) -> None:
    r = api.get("/api/contracts", **{param: value})
    assert r.status_code == 422
    assert [e["field"] for e in r.json_body["errors"]] == [field]


def test_installation_subtree_and_ancestors(personas, api_as) -> None:
    api = api_as(personas.owner)
    ids: dict[str, int] = {}
    for serial, parent in [("M", None), ("M.1", "M"), ("M.1.a", "M.1"), ("M.2", "M"), ("N", None)]:
        r = api.post("/api/installations", {"serial_number": serial, "parent": ids.get(parent or "")})
        assert r.status_code == 201, r.json_body
        ids[serial] = r.json_body["id"]

    sub = api.get(f"/api/installations/{ids['M']}/subtree").json_body
    assert sub["count"] == 4
    assert sorted(i["serial_number"] for i in sub["items"]) == ["M", "M.1", "M.1.a", "M.2"]
    up = api.get(f"/api/installations/{ids['M.1.a']}/ancestors").json_body
    assert [i["serial_number"] for i in up] == ["M.1", "M"]
    assert api.get("/api/installations/999999/subtree").status_code == 404

    r = api.patch(f"/api/installations/{ids['M']}", {"parent": ids["M.1.a"], "version": 1})
    assert r.status_code == 422 and [e["field"] for e in r.json_body["errors"]] == ["parent"]


def test_installation_tree_endpoints_need_auth(anonymous) -> None:
    assert anonymous.get("/api/installations/1/subtree").status_code == 401
    assert anonymous.get("/api/installations/1/ancestors").status_code == 401
