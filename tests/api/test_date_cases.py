"""The shared date cases (../shared/cases/date-rules.json) through the API.

Expected values are read from the case file at test time.
"""

from __future__ import annotations

from datetime import date

import pytest

from servanda.installations.models import Coverage
from tests.conftest import case_params

from .builders import a_contract, an_installation, maintenance_type


@pytest.fixture
def ctx(personas, api_as):
    ctype = maintenance_type(personas.admin)
    return personas, ctype, api_as(personas.owner)


@pytest.mark.parametrize("case", case_params("date-rules.json", "period end"))
def test_period_end_through_the_api(ctx, case) -> None:
    personas, ctype, api = ctx
    i = case["input"]
    body = {
        "number": case["id"],
        "title": "t",
        "type": ctype.pk,
        "commencement_date": i["commencement"],
        "initial_term": i["duration"],
    }
    r = api.post("/api/contracts", body)
    assert r.status_code == 201, r.json_body
    assert r.json_body["end_date"] == case["expected"]["end_inclusive"]
    assert (
        api.get(f"/api/contracts/{r.json_body['id']}").json_body["end_date"]
        == case["expected"]["end_inclusive"]
    )


@pytest.mark.parametrize("case", case_params("date-rules.json", "notice deadline"))
def test_notice_deadline_through_the_api(ctx, case) -> None:
    personas, ctype, api = ctx
    i = case["input"]
    body = {
        "number": case["id"],
        "title": "t",
        "type": ctype.pk,
        "commencement_date": i["commencement"],
        "initial_term": i["initial_term"],
        "renewal_term": i["renewal_term"],
        "notice_period": i["notice"],
    }
    created = api.post("/api/contracts", body)
    assert created.status_code == 201, created.json_body
    r = api.get(f"/api/contracts/{created.json_body['id']}/term", on=i["today"])
    assert r.status_code == 200
    assert r.json_body["on"] == i["today"]
    assert r.json_body["current_term_end"] == case["expected"]["current_term_end_inclusive"]
    assert r.json_body["notice_deadline"] == case["expected"]["notice_deadline"]
    assert r.json_body["open_ended"] is False


@pytest.mark.parametrize("case", case_params("date-rules.json", "last day of coverage"))
def test_last_day_of_coverage_through_the_api(ctx, case) -> None:
    personas, ctype, api = ctx
    contract = a_contract(personas.owner, ctype, personas.team)
    machine = an_installation(personas.owner, personas.team)
    start, end = case["input"]["coverage"]
    r = api.post(
        "/api/coverages", {"contract": contract.pk, "installation": machine.pk, "start": start, "end": end}
    )
    assert r.status_code == 201, r.json_body
    assert (r.json_body["start"], r.json_body["end"]) == (start, end)
    got = []
    for day in case["input"]["ask"]:
        page = api.get(f"/api/installations/{machine.pk}/contracts", on=day).json_body
        got.append([c["id"] for c in page["items"]] == [contract.pk])
        machines = api.get(f"/api/contracts/{contract.pk}/installations", on=day).json_body
        assert ([m["id"] for m in machines["items"]] == [machine.pk]) is got[-1]
    assert got == case["expected"]["covered"]


@pytest.mark.parametrize("case", case_params("date-rules.json", ("overlap", "back-to-back")))
def test_second_coverage_of_the_same_pair(ctx, case) -> None:
    personas, ctype, api = ctx
    contract = a_contract(personas.owner, ctype, personas.team)
    machine = an_installation(personas.owner, personas.team)
    pair = {"contract": contract.pk, "installation": machine.pk}
    a_start, a_end = case["input"]["a"]
    b_start, b_end = case["input"]["b"]
    assert api.post("/api/coverages", {**pair, "start": a_start, "end": a_end}).status_code == 201
    r = api.post("/api/coverages", {**pair, "start": b_start, "end": b_end})
    if case["expected"]["overlap"]:
        assert r.status_code == 422
        assert r.json_body["errors"] and "overlap" in r.json_body["errors"][0]["message"]
        assert a_start in r.json_body["errors"][0]["message"]  # names the period it clashes with
        assert Coverage.objects.filter(contract=contract).count() == 1
    else:
        assert r.status_code == 201, r.json_body
        history = api.get(f"/api/installations/{machine.pk}/coverages").json_body
        assert [(c["start"], c["end"]) for c in history["items"]] == [(a_start, a_end), (b_start, b_end)]


def test_term_defaults_to_today_in_the_site_zone(ctx, monkeypatch) -> None:
    import servanda.contracts.api as contracts_api

    personas, ctype, api = ctx
    monkeypatch.setattr(contracts_api, "today", lambda: date(2024, 5, 1))
    body = {
        "number": "T-1",
        "title": "t",
        "type": ctype.pk,
        "commencement_date": "2024-01-01",
        "initial_term": "P1Y",
        "notice_period": "P3M",
    }
    created = api.post("/api/contracts", body).json_body
    r = api.get(f"/api/contracts/{created['id']}/term").json_body
    # DESIGN convention 5: term ending 31 Dec, 3 months' notice → deadline 30 Sep.
    assert (r["on"], r["current_term_end"], r["notice_deadline"]) == (
        "2024-05-01",
        "2024-12-31",
        "2024-09-30",
    )


def test_open_ended_contract_says_so(ctx) -> None:
    personas, ctype, api = ctx
    created = api.post(
        "/api/contracts", {"number": "O-1", "title": "t", "type": ctype.pk, "commencement_date": "2024-01-01"}
    ).json_body
    assert created["open_ended"] is True and created["end_date"] is None
    r = api.get(f"/api/contracts/{created['id']}/term", on="2030-01-01").json_body
    assert r["open_ended"] is True and r["current_term_end"] is None and r["notice_deadline"] is None
