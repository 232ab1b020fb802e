"""Contracts through the API: scope by persona, locking, validation, filters, questions."""

from __future__ import annotations

import pytest

from servanda.contracts.models import Contract

from .builders import a_contract, maintenance_type


@pytest.fixture
def world(personas):
    ctype = maintenance_type(personas.admin)
    contract = a_contract(
        personas.owner,
        ctype,
        personas.team,
        commencement_date=__import__("datetime").date(2024, 1, 1),
        initial_term="P1Y",
        notice_period="P3M",
        features={"voltage": 400, "level": "gold"},
    )
    return personas, ctype, contract


def new_contract(ctype, **extra):
    return {"number": "N-1", "title": "New", "type": ctype.pk, **extra}


# --- who may do what -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "colleague", "readonly", "admin"])
def test_team_members_and_admin_read(world, api_as, who) -> None:
    personas, _, contract = world
    r = api_as(getattr(personas, who)).get(f"/api/contracts/{contract.pk}")
    assert r.status_code == 200
    assert r.json_body["number"] == "C-1"
    assert r.json_body["features"] == {"voltage": 400, "level": "gold"}


def test_stranger_gets_404_and_an_empty_list(world, api_as) -> None:
    personas, _, contract = world
    api = api_as(personas.stranger)
    assert api.get(f"/api/contracts/{contract.pk}").status_code == 404
    assert api.patch(f"/api/contracts/{contract.pk}", {"title": "x", "version": 1}).status_code == 404
    assert api.delete(f"/api/contracts/{contract.pk}").status_code == 404
    assert api.get("/api/contracts").json_body == {"items": [], "count": 0}


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_team_members_write(world, api_as, who) -> None:
    personas, ctype, contract = world
    api = api_as(getattr(personas, who))
    r = api.patch(f"/api/contracts/{contract.pk}", {"title": f"by {who}", "version": 1})
    assert r.status_code == 200 and r.json_body["title"] == f"by {who}" and r.json_body["version"] == 2
    r = api.post("/api/contracts", new_contract(ctype))
    assert r.status_code == 201
    # A team member's new contract belongs to the team: the stranger cannot see it.
    assert r.json_body["team"] == personas.team.pk


def test_readonly_may_not_write(world, api_as) -> None:
    personas, ctype, contract = world
    api = api_as(personas.readonly)
    r = api.patch(f"/api/contracts/{contract.pk}", {"title": "x", "version": 1})
    assert r.status_code == 403 and r["Content-Type"].startswith("application/problem+json")
    assert api.post("/api/contracts", new_contract(ctype)).status_code == 403
    assert api.delete(f"/api/contracts/{contract.pk}").status_code == 403
    contract.refresh_from_db()
    assert contract.title == "Lift maintenance" and contract.version == 1


def test_referencing_another_teams_party_is_422(world, api_as) -> None:
    from servanda.parties.services import party_create

    personas, ctype, _ = world
    theirs = party_create(actor=personas.stranger, name="South Ltd", team=personas.other_team)
    r = api_as(personas.owner).post("/api/contracts", new_contract(ctype, party=theirs.pk))
    assert r.status_code == 422
    assert [e["field"] for e in r.json_body["errors"]] == ["party"]


# --- optimistic locking ----------------------------------------------------------------


def test_lock_1_second_writer_with_stale_version_gets_409_and_changes_nothing(world, api_as) -> None:
    personas, _, contract = world
    a, b = api_as(personas.owner), api_as(personas.colleague)
    url = f"/api/contracts/{contract.pk}"
    assert a.get(url).json_body["version"] == 1
    assert b.get(url).json_body["version"] == 1
    ra = a.patch(url, {"title": "Renamed by A", "version": 1})
    assert ra.status_code == 200
    rb = b.patch(url, {"notice_period": "P6M", "version": 1})
    assert rb.status_code == 409
    body = rb.json_body
    assert rb["Content-Type"].startswith("application/problem+json")
    assert body["current"]["title"] == "Renamed by A" and body["current"]["version"] == 2
    stored = Contract.objects.get(pk=contract.pk)
    assert stored.notice_period == "P3M" and stored.title == "Renamed by A" and stored.version == 2


def test_patch_without_version_is_428_and_changes_nothing(world, api_as) -> None:
    personas, _, contract = world
    r = api_as(personas.owner).patch(f"/api/contracts/{contract.pk}", {"title": "No version"})
    assert r.status_code == 428
    assert r.json_body["errors"][0]["field"] == "version"
    contract.refresh_from_db()
    assert contract.title == "Lift maintenance"


# --- validation ------------------------------------------------------------------------


def _fields(r) -> list[str]:
    return [e["field"] for e in r.json_body["errors"]]


def test_feature_of_the_wrong_type_is_422_naming_it(world, api_as) -> None:
    personas, ctype, _ = world
    r = api_as(personas.owner).post("/api/contracts", new_contract(ctype, features={"voltage": "high"}))
    assert r.status_code == 422
    assert _fields(r) == ["features.voltage"]
    assert not Contract.objects.filter(number="N-1").exists()


def test_unknown_characteristic_is_422_naming_the_feature(world, api_as) -> None:
    personas, _, contract = world
    r = api_as(personas.owner).patch(
        f"/api/contracts/{contract.pk}", {"features": {"level": "platinum"}, "version": 1}
    )
    assert r.status_code == 422
    assert _fields(r) == ["features.level"] and "platinum" in r.json_body["errors"][0]["message"]
    contract.refresh_from_db()
    assert contract.features["level"] == "gold" and contract.version == 1


def test_unknown_feature_is_422_naming_it(world, api_as) -> None:
    personas, ctype, _ = world
    r = api_as(personas.owner).post("/api/contracts", new_contract(ctype, features={"colour": "red"}))
    assert r.status_code == 422 and _fields(r) == ["features.colour"]


def test_unknown_field_is_422(world, api_as) -> None:
    personas, ctype, contract = world
    api = api_as(personas.owner)
    r = api.post("/api/contracts", new_contract(ctype, is_admin=True))
    assert r.status_code == 422 and _fields(r) == ["is_admin"]
    r = api.patch(f"/api/contracts/{contract.pk}", {"version": 1, "team_owner": 3})
    assert r.status_code == 422 and _fields(r) == ["team_owner"]


def test_explicit_null_on_a_required_field_is_422(world, api_as) -> None:
    personas, ctype, contract = world
    api = api_as(personas.owner)
    r = api.patch(f"/api/contracts/{contract.pk}", {"title": None, "version": 1})
    assert r.status_code == 422 and _fields(r) == ["title"]
    r = api.post("/api/contracts", new_contract(ctype, title=None))
    assert r.status_code == 422 and _fields(r) == ["title"]
    contract.refresh_from_db()
    assert contract.title == "Lift maintenance"


def test_every_bad_field_is_named(world, api_as) -> None:
    personas, ctype, _ = world
    body = {
        "number": "N-2",
        "title": "x",
        "type": ctype.pk,
        "commencement_date": "2024-02-30",
        "notice_period": "3 months",
    }
    r = api_as(personas.owner).post("/api/contracts", body)
    assert r.status_code == 422
    assert sorted(_fields(r)) == ["commencement_date", "notice_period"]


def test_money_feature_round_trips_as_decimal_text(world, api_as) -> None:
    personas, ctype, _ = world
    fee = {"amount": "1234.50", "currency": "EUR"}
    r = api_as(personas.owner).post("/api/contracts", new_contract(ctype, features={"fee": fee}))
    assert r.status_code == 201, r.json_body
    assert r.json_body["features"]["fee"] == fee


# --- lists -----------------------------------------------------------------------------


def test_list_paginates_and_filters_by_feature_and_range(world, api_as) -> None:
    personas, ctype, _ = world
    for n, (volt, cap) in enumerate([(230, 5), (400, 10), (400, 20)]):
        a_contract(
            personas.owner, ctype, personas.team, number=f"L-{n}", features={"voltage": volt, "capacity": cap}
        )
    api = api_as(personas.owner)
    page = api.get("/api/contracts", limit=2, offset=0).json_body
    assert page["count"] == 4 and len(page["items"]) == 2
    page2 = api.get("/api/contracts", limit=2, offset=2).json_body
    assert {c["number"] for c in page["items"] + page2["items"]} == {"C-1", "L-0", "L-1", "L-2"}
    volt = api.get("/api/contracts", **{"feature.voltage": "400"}).json_body
    assert sorted(c["number"] for c in volt["items"]) == ["C-1", "L-1", "L-2"]
    big = api.get("/api/contracts", **{"feature.capacity__gte": "10"}).json_body
    assert sorted(c["number"] for c in big["items"]) == ["L-1", "L-2"]
    desc = api.get("/api/contracts", ordering="-number").json_body
    assert [c["number"] for c in desc["items"]] == ["L-2", "L-1", "L-0", "C-1"]
    assert api.get("/api/contracts", status="active").json_body["count"] == 0
    assert api.get("/api/contracts", type="maintenance").json_body["count"] == 4


def test_bad_filters_are_422(world, api_as) -> None:
    personas, _, _ = world
    api = api_as(personas.owner)
    assert api.get("/api/contracts", **{"feature.nosuch": "1"}).status_code == 422
    assert api.get("/api/contracts", ordering="password").status_code == 422
    assert api.get("/api/contracts", limit=0).status_code == 422
    r = api.get("/api/contracts", status="bogus")
    assert r.status_code == 422 and _fields(r) == ["status"]


# --- delete, history, hierarchy ----------------------------------------------------------


def test_delete_with_sub_contracts_is_409_with_reason(world, api_as) -> None:
    personas, ctype, contract = world
    api = api_as(personas.owner)
    child = api.post("/api/contracts", new_contract(ctype, number="C-1.1", parent=contract.pk)).json_body
    r = api.delete(f"/api/contracts/{contract.pk}")
    assert r.status_code == 409 and "C-1.1" in r.json_body["reason"]
    assert Contract.objects.filter(pk=contract.pk).exists()
    assert api.delete(f"/api/contracts/{child['id']}").status_code == 204
    assert api.delete(f"/api/contracts/{contract.pk}").status_code == 204
    assert api.get(f"/api/contracts/{contract.pk}").status_code == 404


def test_history_newest_first_with_field_changes(world, api_as) -> None:
    personas, _, contract = world
    api = api_as(personas.owner)
    api.patch(f"/api/contracts/{contract.pk}", {"title": "T2", "features": {"voltage": 230}, "version": 1})
    page = api.get(f"/api/contracts/{contract.pk}/history").json_body
    assert page["count"] == 2
    newest = page["items"][0]
    assert newest["action"] == "updated" and newest["actor"] == "owner"
    changes = {c["field"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert changes == {"title": ("Lift maintenance", "T2"), "features.voltage": (400, 230)}
    assert page["items"][1]["action"] == "created"


def test_subtree_and_ancestors(world, api_as) -> None:
    personas, ctype, root = world
    api = api_as(personas.owner)
    child = api.post("/api/contracts", new_contract(ctype, number="C-1.1", parent=root.pk)).json_body
    grandchild = api.post(
        "/api/contracts", new_contract(ctype, number="C-1.1.1", parent=child["id"])
    ).json_body
    sub = api.get(f"/api/contracts/{root.pk}/subtree").json_body
    assert sorted(c["number"] for c in sub["items"]) == ["C-1", "C-1.1", "C-1.1.1"]
    up = api.get(f"/api/contracts/{grandchild['id']}/ancestors").json_body
    assert [c["number"] for c in up] == ["C-1.1", "C-1"]
    r = api.patch(f"/api/contracts/{root.pk}", {"parent": grandchild["id"], "version": 1})
    assert r.status_code == 422 and _fields(r) == ["parent"]


def test_detail_computes_the_term_as_of_on(world, api_as) -> None:
    personas, _, contract = world  # 2024-01-01 + P1Y, 3 months' notice, no renewal
    api = api_as(personas.owner)
    r = api.get(f"/api/contracts/{contract.pk}", on="2024-06-01").json_body
    assert (r["current_term_start"], r["current_term_end"], r["notice_deadline"]) == (
        "2024-01-01",
        "2024-12-31",
        "2024-09-30",
    )
    assert r["end_date"] == "2024-12-31" and r["open_ended"] is False
    # Without a renewal term the contract has no current term after it ended.
    after = api.get(f"/api/contracts/{contract.pk}", on="2025-01-01").json_body
    assert after["current_term_end"] is None and after["notice_deadline"] is None


def test_terminate_needs_version_and_sets_the_last_day(world, api_as) -> None:
    personas, _, contract = world
    api = api_as(personas.owner)
    url = f"/api/contracts/{contract.pk}/terminate"
    assert api.post(url, {"on": "2024-06-30"}).status_code == 428
    r = api.post(url, {"on": "2024-06-30", "version": 1})
    assert r.status_code == 200
    assert r.json_body["status"] == "terminated" and r.json_body["terminated_on"] == "2024-06-30"
    assert api.post(url, {"on": "2024-07-31", "version": 2}).status_code == 409
    assert api_as(personas.readonly).post(url, {"on": "2024-06-30", "version": 2}).status_code == 403
