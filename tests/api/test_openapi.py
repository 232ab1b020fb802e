"""The OpenAPI document is the contract: every operation needs auth and documents its answers."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from .builders import a_contract, maintenance_type
from .conftest import Api

PUBLIC = {"/api/openapi.json", "/api/docs"}
REFUSABLE = {
    "contracts",
    "installations",
    "parties",
    "feature-definitions",
    "contract-types",
    "installation-types",
}


@pytest.fixture(scope="module")
def schema() -> dict:
    """The document as /api/openapi.json serves it (built once: it is slow to build)."""
    from servanda.api.urls import api

    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_openapi_and_docs_are_public(db: None, schema: dict) -> None:
    for url in PUBLIC:
        assert Client().get(url).status_code == 200, url
    assert Client().get("/api/openapi.json").json()["paths"] == schema["paths"]


def test_docs_page_loads_nothing_from_elsewhere(db: None) -> None:
    """Installs work offline: the Swagger UI is served from our static files, not a CDN."""
    import re

    html = Client().get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle" in a for a in assets)
    assert [a for a in assets if re.match(r"(https?:)?//", a)] == []


def test_every_resource_of_the_issue_is_documented(schema: dict) -> None:
    for path in [
        "/api/contracts",
        "/api/installations",
        "/api/coverages",
        "/api/parties",
        "/api/feature-definitions",
        "/api/contract-types",
        "/api/installation-types",
    ]:
        assert set(schema["paths"][path]) >= {"get", "post"}, path
        assert set(schema["paths"][path + "/{id}"]) >= {"get", "patch", "delete"}, path
        assert "get" in schema["paths"][path + "/{id}/history"], path
    for question in [
        "/api/contracts/{id}/subtree",
        "/api/contracts/{id}/ancestors",
        "/api/contracts/{id}/term",
        "/api/contracts/{id}/installations",
        "/api/installations/{id}/contracts",
        "/api/installations/{id}/coverages",
        "/api/installations/{id}/maintenance",
    ]:
        assert "get" in schema["paths"][question], question


def test_every_operation_answers_anonymous_callers_401(db: None, schema: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    seen = 0
    for path, method, _ in operations(schema):
        url = re.sub(r"\{id\}", "1", path)
        url = re.sub(r"\{[a-z_]+\}", "x", url)
        if method == "get":
            r = client.get(url)
        else:
            r = getattr(client, method)(url, data=json.dumps({}), content_type="application/json")
        assert r.status_code == 401, f"{method.upper()} {path} → {r.status_code}"
        assert r["Content-Type"].startswith("application/problem+json")
        seen += 1
    assert seen >= 40


def test_every_operation_documents_its_error_answers(schema: dict) -> None:
    for path, method, op in operations(schema):
        codes = set(op["responses"])
        where = f"{method.upper()} {path}"
        assert op.get("security"), where  # auth is declared in the document
        assert "401" in codes, where
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in codes, where
        if "{" in path:
            assert {"403", "404"} <= codes, where
        if method == "post":
            assert codes & {"200", "201"}, where
        if method == "patch":
            assert {"200", "409", "428"} <= codes, where
        if method == "delete":
            assert "204" in codes, where
            # Deleting these can be refused (in use, sub-contracts, coverage…), saying why.
            if path.split("/")[2] in REFUSABLE:
                assert "409" in codes, where


def test_answers_given_are_documented(personas, api_as, schema: dict) -> None:
    """Drive the usual failures and check each status code is one the document lists."""
    ctype = maintenance_type(personas.admin)
    contract = a_contract(personas.owner, ctype, personas.team)
    owner, readonly = api_as(personas.owner), api_as(personas.readonly)
    url = f"/api/contracts/{contract.pk}"
    cases: list[tuple[str, str, Api, str, object]] = [
        ("get", "/api/contracts/{id}", owner, url, None),
        ("get", "/api/contracts/{id}", owner, "/api/contracts/999999", None),
        ("patch", "/api/contracts/{id}", owner, url, {"title": "x"}),
        ("patch", "/api/contracts/{id}", owner, url, {"title": "x", "version": 7}),
        ("patch", "/api/contracts/{id}", owner, url, {"nope": 1, "version": 1}),
        ("patch", "/api/contracts/{id}", readonly, url, {"title": "x", "version": 1}),
        ("post", "/api/contracts", owner, "/api/contracts", {"number": "N", "title": "t", "type": ctype.pk}),
        ("get", "/api/contracts", owner, "/api/contracts?limit=0", None),
        ("delete", "/api/contracts/{id}", owner, url, None),
    ]
    got = set()
    for method, path, api, concrete, body in cases:
        r = api.call(method, concrete, body)
        documented = set(schema["paths"][path][method]["responses"])
        assert str(r.status_code) in documented, f"{method} {concrete} → {r.status_code}"
        got.add(r.status_code)
    assert got == {200, 201, 204, 403, 404, 409, 422, 428}


def test_problem_schema_documented_for_errors(schema: dict) -> None:
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) >= {"type", "title", "status", "detail", "errors"}


def test_money_amount_is_documented_as_decimal_text(schema: dict) -> None:
    money = schema["components"]["schemas"].get("Money")
    if money is None:
        pytest.fail("the Money schema (amount as decimal text) is missing from the document")
    assert money["properties"]["amount"]["type"] == "string"
