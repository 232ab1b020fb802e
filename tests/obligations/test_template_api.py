"""Obligation templates through the API: an administrator models them, new contracts get copies."""

from __future__ import annotations

import json
from datetime import date

from django.test import Client

from servanda.api.services import token_create
from servanda.contracts.models import ContractType
from servanda.obligations.models import Obligation
from servanda.rules.periods import add_months_clamped
from servanda.work.models import WorkItem

from .conftest import schedule_clock

D = date.fromisoformat


def _client(user) -> Client:
    _, raw = token_create(actor=user, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_template_created_by_api_is_copied_onto_a_new_contract_and_planned(world) -> None:
    schedule_clock(D("2025-01-01"))
    admin = _client(world.admin)
    ctype = ContractType.objects.create(code="lift", name="Lift inspection")
    r = _post(
        admin,
        "/api/obligation-templates",
        {
            "contract_type": ctype.pk,
            "description": "Statutory lift inspection",
            "responsible_role": world.role.pk,
            "interval_unit": "month",
            "interval": 3,
            "lead_days": 10,
        },
    )
    assert r.status_code == 201, r.content
    tpl = r.json()
    assert admin.get(f"/api/obligation-templates?contract_type={ctype.pk}").json()["count"] == 1
    c = _post(
        admin,
        "/api/contracts",
        {
            "number": "L-1",
            "title": "Lifts",
            "type": ctype.pk,
            "status": "active",
            "commencement_date": "2025-01-31",
            "initial_term": "P1Y",
            "renewal_term": "P1Y",
        },
    )
    assert c.status_code == 201, c.content
    copy = Obligation.objects.get(contract_id=c.json()["id"])
    assert copy.template_id == tpl["id"] and copy.interval == 3 and copy.responsible_role == world.role
    due = sorted(WorkItem.objects.filter(obligation=copy).values_list("due_date", flat=True))
    # Every 3 months from the commencement (convention 4), up to the last tick + 18 months.
    horizon = add_months_clamped(D("2025-01-01"), 18)
    expected = [d for d in (add_months_clamped(D("2025-01-31"), 3 * k) for k in range(8)) if d <= horizon]
    assert due == expected


def test_template_changes_need_the_version_and_an_administrator(world) -> None:
    admin = _client(world.admin)
    ctype = ContractType.objects.create(code="lift", name="Lift inspection")
    body = {"contract_type": ctype.pk, "description": "Check", "rrule": "FREQ=YEARLY;BYMONTH=3"}
    tpl = _post(admin, "/api/obligation-templates", body).json()
    url = f"/api/obligation-templates/{tpl['id']}"
    ok = admin.patch(
        url, data=json.dumps({"version": tpl["version"], "lead_days": 3}), content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["lead_days"] == 3 and ok.json()["rrule"] == body["rrule"]
    stale = admin.patch(
        url, data=json.dumps({"version": tpl["version"], "lead_days": 9}), content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["current"]["lead_days"] == 3
    bad = _post(admin, "/api/obligation-templates", {**body, "rrule": "FREQ=SOMETIMES"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "rrule"
    engineer = _client(world.engineer)  # no permission to administer contract types
    # Contract types are visible to everyone, changed by administrators: 403, not 404.
    assert _post(engineer, "/api/obligation-templates", body).status_code == 403
    assert engineer.delete(url).status_code == 403
    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404
