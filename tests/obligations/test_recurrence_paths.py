"""The recurrence cases through the other code paths: generation, `servanda tick`, the API."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from servanda.api.services import token_create
from servanda.obligations.models import Obligation
from servanda.obligations.services import obligation_create
from servanda.work.models import WorkItem
from tests.conftest import case_params

from .conftest import schedule_clock

D = date.fromisoformat
UNITS = {"M": "month", "Y": "year", "D": "day", "W": "week"}


@pytest.mark.parametrize("case", case_params("date-rules.json", "recurrence from anchor"))
def test_anchored_cases_through_generation(world, case: dict) -> None:
    anchor = D(case["input"]["anchor"])
    every = case["input"]["every"]  # e.g. P1M, P3M
    schedule_clock(anchor)
    c = world.contract(number="R-1", commencement_date=anchor)
    obl = obligation_create(
        actor=world.admin,
        contract=c,
        description="Check",
        interval_unit=UNITS[every[-1]],
        interval=int(every[1:-1]),
        anchor_date=anchor,
    )
    got = sorted(WorkItem.objects.filter(obligation=obl).values_list("due_date", flat=True))
    assert got[: case["input"]["count"]] == [D(x) for x in case["expected"]["dates"]]


@pytest.mark.parametrize("case", case_params("date-rules.json", "RFC 5545 rule"))
def test_rrule_case_through_the_api_and_generation(world, case: dict) -> None:
    dtstart = D(case["input"]["dtstart"])
    schedule_clock(dtstart)
    c = world.contract(number="R-2", commencement_date=dtstart)
    _, raw = token_create(actor=world.admin, user=world.admin)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {
        "contract": c.pk,
        "description": "Last-Friday check",
        "rrule": case["input"]["rrule"],
        "anchor_date": dtstart.isoformat(),
    }
    r = client.post("/api/obligations", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    assert client.get(f"/api/obligations/{r.json()['id']}").json()["rrule"] == case["input"]["rrule"]
    assert Obligation.objects.get(pk=r.json()["id"]).rrule == case["input"]["rrule"]  # unchanged
    got = client.get(f"/api/work-items?obligation={r.json()['id']}").json()["items"]
    assert [i["due_date"] for i in got] == case["expected"]["dates"]


def test_obligation_api_validation_and_stale_version(world) -> None:
    schedule_clock(D("2024-01-01"))
    c = world.contract(number="R-3")
    _, raw = token_create(actor=world.admin, user=world.admin)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    bad = client.post(
        "/api/obligations",
        data=json.dumps({"contract": c.pk, "description": "x", "rrule": "FREQ=SOMETIMES"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "rrule"
    obl = Obligation.objects.filter(contract=c).get()  # the template's copy
    ok = client.patch(
        f"/api/obligations/{obl.pk}",
        data=json.dumps({"version": obl.version, "lead_days": 30}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["lead_days"] == 30
    stale = client.patch(
        f"/api/obligations/{obl.pk}",
        data=json.dumps({"version": obl.version, "lead_days": 7}),
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["current"]["lead_days"] == 30


def test_tick_command_is_idempotent(world) -> None:
    c = world.contract(number="T-1")
    world.cover(c, world.machine("SN-T"), D("2024-01-01"))
    out = io.StringIO()
    call_command("tick", "--today", "2024-08-01", stdout=out)
    assert "tick 2024-08-01" in out.getvalue()
    keys = sorted(WorkItem.objects.values_list("key", flat=True))
    call_command("tick", "--today", "2024-08-01", stdout=io.StringIO())
    assert sorted(WorkItem.objects.values_list("key", flat=True)) == keys
    # 2024-08-01 + 18 months = 2026-02-01: the 2026-01-01 occurrence is now in.
    assert D("2026-01-01") in set(WorkItem.objects.values_list("due_date", flat=True))
