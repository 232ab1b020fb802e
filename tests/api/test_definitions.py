"""Feature definitions, characteristics and types: everyone reads, administrators change."""

from __future__ import annotations

from .builders import a_contract, maintenance_type


def test_definitions_list_with_characteristics_nested(personas, api_as) -> None:
    maintenance_type(personas.admin)
    r = api_as(personas.readonly).get("/api/feature-definitions", entity="contract")
    assert r.status_code == 200
    level = next(d for d in r.json_body["items"] if d["key"] == "level")
    assert [(c["code"], c["label"]) for c in level["characteristics"]] == [
        ("gold", "Gold"),
        ("silver", "Silver"),
    ]


def test_only_administrators_define_features(personas, api_as) -> None:
    body = {"entity": "installation", "key": "rpm", "label": "RPM", "data_type": "integer"}
    assert api_as(personas.readonly).post("/api/feature-definitions", body).status_code == 403
    r = api_as(personas.admin).post("/api/feature-definitions", body)
    assert r.status_code == 201 and r.json_body["key"] == "rpm" and r.json_body["characteristics"] == []


def test_characteristics_are_managed_on_their_definition(personas, api_as) -> None:
    maintenance_type(personas.admin)
    api = api_as(personas.admin)
    level = api.get("/api/feature-definitions", key="level").json_body["items"][0]
    base = f"/api/feature-definitions/{level['id']}/characteristics"
    r = api.post(base, {"code": "bronze", "label": "Bronze"})
    assert r.status_code == 201 and [c["code"] for c in r.json_body["characteristics"]][-1] == "bronze"
    assert api.patch(f"{base}/bronze", {"label": "Bronze+"}).status_code == 200
    assert api.patch(f"{base}/nosuch", {"label": "x"}).status_code == 404
    assert api.delete(f"{base}/bronze").status_code == 204


def test_a_definition_in_use_cannot_be_deleted(personas, api_as) -> None:
    ctype = maintenance_type(personas.admin)
    a_contract(personas.owner, ctype, personas.team, features={"voltage": 400})
    api = api_as(personas.admin)
    voltage = api.get("/api/feature-definitions", key="voltage").json_body["items"][0]
    r = api.delete(f"/api/feature-definitions/{voltage['id']}")
    assert r.status_code == 409 and "voltage" in r.json_body["reason"]


def test_contract_types(personas, api_as) -> None:
    maintenance_type(personas.admin)
    api = api_as(personas.admin)
    r = api.post("/api/contract-types", {"code": "lease", "name": "Lease", "feature_definitions": ["fee"]})
    assert r.status_code == 201 and r.json_body["feature_definitions"] == ["fee"]
    url = f"/api/contract-types/{r.json_body['id']}"
    assert api.patch(url, {"name": "Leasing"}).status_code == 428
    changed = api.patch(url, {"name": "Leasing", "feature_definitions": ["fee", "voltage"], "version": 1})
    assert changed.status_code == 200 and changed.json_body["feature_definitions"] == ["fee", "voltage"]
    assert api_as(personas.readonly).get(url).status_code == 200
    assert api_as(personas.readonly).patch(url, {"name": "x", "version": 2}).status_code == 403
    r = api.post("/api/installation-types", {"code": "lift", "name": "Lift"})
    assert r.status_code == 201


def test_parties_by_persona(personas, api_as) -> None:
    owner = api_as(personas.owner)
    r = owner.post("/api/parties", {"name": "Acme BV", "country": "nl"})
    assert r.status_code == 201 and r.json_body["country"] == "NL"
    url = f"/api/parties/{r.json_body['id']}"
    assert api_as(personas.colleague).patch(url, {"city": "Utrecht", "version": 1}).status_code == 200
    assert api_as(personas.readonly).patch(url, {"city": "x", "version": 2}).status_code == 403
    assert api_as(personas.stranger).get(url).status_code == 404
    assert owner.get("/api/parties", q="acme").json_body["count"] == 1
    assert owner.patch(url, {"name": None, "version": 2}).status_code == 422
    assert owner.delete(url).status_code == 204


def test_a_type_in_use_cannot_be_deleted(personas, api_as) -> None:
    ctype = maintenance_type(personas.admin)
    contract = a_contract(personas.owner, ctype, personas.team)
    api = api_as(personas.admin)
    r = api.delete(f"/api/contract-types/{ctype.pk}")
    assert r.status_code == 409 and "1 object" in r.json_body["reason"]
    assert api_as(personas.readonly).delete(f"/api/contract-types/{ctype.pk}").status_code == 403
    assert api.delete(f"/api/contracts/{contract.pk}").status_code == 204
    assert api.delete(f"/api/contract-types/{ctype.pk}").status_code == 204
    assert api.get(f"/api/contract-types/{ctype.pk}").status_code == 404
    spare = api.post("/api/installation-types", {"code": "spare", "name": "Spare"}).json_body
    assert api.delete(f"/api/installation-types/{spare['id']}").status_code == 204
