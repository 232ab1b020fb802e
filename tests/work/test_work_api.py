"""Work items through the API: filters, actions with versions, access, workload, calendar feeds."""

from __future__ import annotations

import json
from datetime import date

import pytest
import vobject
from django.contrib.auth.models import Group, User
from django.test import Client

from servanda.api.services import token_create
from servanda.work.models import WorkItem
from tests.obligations.conftest import DAY0, World

D = date.fromisoformat
S = WorkItem.Status


def api_client(user: User) -> Client:
    _, raw = token_create(actor=user, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def scheduled(world: World):
    team = Group.objects.create(name="North")
    c = world.contract(team=team)
    m1, m2 = world.machine("SN-1"), world.machine("SN-2")
    world.cover(c, m1, DAY0)
    world.cover(c, m2, D("2024-02-15"))
    return c, m1, m2


def test_filters_by_installation_due_range_role_and_status(world: World, scheduled) -> None:
    c, m1, m2 = scheduled
    client = api_client(world.admin)
    r = client.get(f"/api/work-items?installation={m1.pk}&due_from=2024-06-01&due_to=2025-06-30")
    assert r.status_code == 200
    assert [i["due_date"] for i in r.json()["items"]] == ["2024-07-01", "2025-01-01"]
    r = client.get(f"/api/work-items?role={world.role.pk}&status=open&contract={c.pk}")
    assert r.json()["count"] == WorkItem.objects.filter(assignee_role=world.role, contract=c).count() > 0
    assert client.get("/api/work-items?status=done").json()["count"] == 0


def test_claim_complete_and_stale_version_conflict(world: World, scheduled) -> None:
    item = WorkItem.objects.filter(kind="planned").order_by("due_date", "id").first()
    eng = api_client(world.engineer)
    r = post(eng, f"/api/work-items/{item.pk}/claim", {"version": item.version})
    assert r.status_code == 200 and r.json()["assignee_user"] == world.engineer.pk
    stale = post(eng, f"/api/work-items/{item.pk}/complete", {"version": item.version, "note": "x"})
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == item.version + 1
    assert WorkItem.objects.get(pk=item.pk).status == S.OPEN  # nothing changed
    missing = post(eng, f"/api/work-items/{item.pk}/complete", {"note": "x"})
    assert missing.status_code == 428
    done = post(
        eng, f"/api/work-items/{item.pk}/complete", {"version": item.version + 1, "note": "oil changed"}
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    history = eng.get(f"/api/work-items/{item.pk}/history").json()["items"]
    assert {"claimed", "completed"} <= {h.get("action") for h in history}


def test_move_and_unknown_field(world: World, scheduled) -> None:
    item = WorkItem.objects.filter(kind="planned").first()
    client = api_client(world.admin)
    r = post(client, f"/api/work-items/{item.pk}/move", {"version": item.version, "due_date": "2024-03-03"})
    assert r.status_code == 200 and r.json()["due_date"] == "2024-03-03" and r.json()["moved"] is True
    bad = post(client, f"/api/work-items/{item.pk}/move", {"version": 2, "due_date": "2024-03-04", "x": 1})
    assert bad.status_code == 422


def test_role_member_sees_queue_stranger_gets_404(world: World, scheduled) -> None:
    item = WorkItem.objects.filter(kind="planned").first()
    stranger = User.objects.create_user(username="stranger", password="x-pw-12345")
    stranger.groups.add(Group.objects.create(name="South"))
    assert api_client(world.engineer).get(f"/api/work-items/{item.pk}").status_code == 200
    s = api_client(stranger)
    assert s.get(f"/api/work-items/{item.pk}").status_code == 404
    assert s.get("/api/work-items").json()["count"] == 0
    assert post(s, f"/api/work-items/{item.pk}/claim", {"version": item.version}).status_code == 404
    assert Client().get("/api/work-items").status_code == 401


def test_workload_sums_estimates_per_week(world: World, scheduled) -> None:
    client = api_client(world.admin)
    r = client.get(f"/api/work-items/workload?role={world.role.pk}&weeks=12&start=2024-01-01")
    weeks = r.json()
    assert len(weeks) == 12 and weeks[0]["week_start"] == "2024-01-01"
    # SN-1 is due 2024-01-01 (week 1), SN-2 2024-02-15 (week of 12 Feb): 120 minutes each.
    by_week = {w["week_start"]: w["minutes"] for w in weeks}
    assert by_week["2024-01-01"] == 120 and by_week["2024-02-12"] == 120
    assert sum(by_week.values()) == 240


def test_calendar_feed_reads_back_with_an_independent_reader(world: World, scheduled, settings) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    eng = api_client(world.engineer)
    r = post(eng, "/api/calendar-tokens", {"role": world.role.pk, "label": "phone"})
    assert r.status_code == 201
    url = r.json()["url"]
    path = url.split("testserver", 1)[1]
    feed = Client().get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    cal = vobject.readOne(feed.content.decode())
    events = list(cal.contents.get("vevent", []))
    expected = WorkItem.objects.filter(assignee_role=world.role)
    assert len(events) == expected.count() > 0
    by_uid = {e.uid.value: e for e in events}
    for item in expected:
        ev = by_uid[f"work-item-{item.pk}@testserver"]
        assert ev.dtstart.value == item.due_date and not hasattr(ev.dtstart.value, "hour")  # all-day
        assert ev.dtstart.params.get("VALUE") == ["DATE"]
        assert ev.dtend.value == date.fromordinal(item.due_date.toordinal() + 1)
        assert ev.url.value.endswith(f"/work/items/{item.pk}/")
        assert ev.status.value == "CONFIRMED" and "Status: Open" in ev.description.value
    token_id = r.json()["id"]
    assert eng.delete(f"/api/calendar-tokens/{token_id}").status_code == 204
    assert Client().get(path).status_code == 404  # revoked
    assert Client().get("/calendar/not-a-token.ics").status_code == 404


def test_roles_api_members(world: World) -> None:
    client = api_client(world.admin)
    r = post(client, "/api/roles", {"name": "Pensions desk", "members": [world.engineer.pk]})
    assert r.status_code == 201 and r.json()["members"] == [world.engineer.pk]
    rid, version = r.json()["id"], r.json()["version"]
    r = client.patch(
        f"/api/roles/{rid}",
        data=json.dumps({"version": version, "members": []}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["members"] == []
    assert post(api_client(world.engineer), "/api/roles", {"name": "Mine"}).status_code == 403
