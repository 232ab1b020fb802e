"""Installations, coverage and the covering questions through the API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from servanda.installations.models import Coverage, MaintenanceRecord

from .builders import a_contract, an_installation, maintenance_type


@pytest.fixture
def world(personas):
    ctype = maintenance_type(personas.admin)
    contract = a_contract(personas.owner, ctype, personas.team)
    machine = an_installation(personas.owner, personas.team)
    return personas, contract, machine


def test_installation_crud_and_lock(world, api_as) -> None:
    personas, _, machine = world
    api = api_as(personas.owner)
    r = api.post(
        "/api/installations", {"serial_number": "M-2", "model": "model3", "installed_on": "2015-06-01"}
    )
    assert r.status_code == 201 and r.json_body["team"] == personas.team.pk
    url = f"/api/installations/{r.json_body['id']}"
    assert api.patch(url, {"site": "Hall 2"}).status_code == 428
    assert api.patch(url, {"site": "Hall 2", "version": 1}).json_body["site"] == "Hall 2"
    stale = api.patch(url, {"site": "Hall 3", "version": 1})
    assert stale.status_code == 409 and stale.json_body["current"]["site"] == "Hall 2"
    assert api.get("/api/installations", model="model3").json_body["count"] == 1
    assert api.delete(url).status_code == 204


def test_personas_on_installations(world, api_as) -> None:
    personas, _, machine = world
    url = f"/api/installations/{machine.pk}"
    assert api_as(personas.colleague).get(url).status_code == 200
    assert api_as(personas.stranger).get(url).status_code == 404
    assert api_as(personas.readonly).patch(url, {"site": "x", "version": 1}).status_code == 403


def test_coverage_end_is_inclusive_and_patch_needs_version(world, api_as) -> None:
    personas, contract, machine = world
    api = api_as(personas.owner)
    body = {"contract": contract.pk, "installation": machine.pk, "start": "2024-01-01", "end": "2024-12-31"}
    r = api.post("/api/coverages", body)
    assert r.status_code == 201 and r.json_body["end"] == "2024-12-31"
    stored = Coverage.objects.get(pk=r.json_body["id"])
    assert str(stored.end_excl) == "2025-01-01"  # half-open in storage
    url = f"/api/coverages/{stored.pk}"
    assert api.patch(url, {"end": "2025-06-30"}).status_code == 428
    assert api.patch(url, {"end": "2025-06-30", "version": 1}).json_body["end"] == "2025-06-30"
    assert api.get("/api/coverages", installation=machine.pk, on="2025-06-30").json_body["count"] == 1
    assert api.get("/api/coverages", installation=machine.pk, on="2025-07-01").json_body["count"] == 0
    history = api.get(f"{url}/history").json_body
    assert history["items"][0]["changes"] == [{"field": "end", "old": "2024-12-31", "new": "2025-06-30"}]


def test_stranger_cannot_cover_with_another_teams_contract(world, api_as) -> None:
    personas, contract, machine = world
    r = api_as(personas.stranger).post(
        "/api/coverages", {"contract": contract.pk, "installation": machine.pk, "start": "2024-01-01"}
    )
    assert r.status_code == 422 and r.json_body["errors"][0]["field"] == "contract"
    assert not Coverage.objects.exists()


def test_maintenance_history_newest_first(world, api_as) -> None:
    personas, _, machine = world
    MaintenanceRecord.objects.bulk_create(
        [
            MaintenanceRecord(
                installation=machine, performed_at=datetime(2015, 1, 5, 6, tzinfo=UTC), component="comp1"
            ),
            MaintenanceRecord(
                installation=machine, performed_at=datetime(2015, 3, 5, 6, tzinfo=UTC), component="comp2"
            ),
        ]
    )
    r = api_as(personas.owner).get(f"/api/installations/{machine.pk}/maintenance")
    assert r.status_code == 200 and r.json_body["count"] == 2
    assert [m["component"] for m in r.json_body["items"]] == ["comp2", "comp1"]
    assert r.json_body["items"][0]["performed_at"].startswith("2015-03-05T06:00:00")
    assert api_as(personas.stranger).get(f"/api/installations/{machine.pk}/maintenance").status_code == 404


def test_installation_features_filter_like_contracts(personas, api_as) -> None:
    from servanda.features.services import feature_definition_create

    feature_definition_create(
        actor=personas.admin, entity="installation", key="rpm", label="RPM", data_type="integer"
    )
    api = api_as(personas.owner)
    for serial, rpm in [("A", 900), ("B", 1500), ("C", 3000)]:
        assert (
            api.post("/api/installations", {"serial_number": serial, "features": {"rpm": rpm}}).status_code
            == 201
        )
    r = api.post("/api/installations", {"serial_number": "D", "features": {"rpm": "fast"}})
    assert r.status_code == 422 and [e["field"] for e in r.json_body["errors"]] == ["features.rpm"]
    fast = api.get("/api/installations", **{"feature.rpm__gte": "1500"}).json_body
    assert sorted(i["serial_number"] for i in fast["items"]) == ["B", "C"]
    exact = api.get("/api/installations", **{"feature.rpm": "900"}).json_body
    assert [i["serial_number"] for i in exact["items"]] == ["A"]
