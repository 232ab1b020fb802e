"""My work, the item page and its actions, the planner and the workload page, through the test client."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from servanda.work.models import WorkItem
from servanda.work.selectors import week_start

from .conftest import WorkWorld, month_after

S = WorkItem.Status
HX = {"HTTP_HX_REQUEST": "true"}


def as_user(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def action(client: Client, item: WorkItem, name: str, *, htmx: bool = True, **data):
    body = {"version": item.version, "view": "my-work", "query": "", **data}
    return client.post(f"/work/items/{item.pk}/{name}/", body, **(HX if htmx else {}))


@pytest.mark.parametrize(
    "url",
    ["/my-work/", "/planning/", "/planning/workload/", "/work/calendar/", "/work/items/1/"],
)
def test_anonymous_is_sent_to_login(db, url: str) -> None:
    r = Client().get(url)
    assert r.status_code == 302 and r["Location"].startswith(f"/login/?next={url}")


def test_my_work_lists_mine_and_my_roles_overdue_first(ww: WorkWorld) -> None:
    html = as_user(ww.p.owner).get("/my-work/").content.decode()
    inspection = html.index("Quarterly inspection — M-100")  # the role's, due 10 days ago
    filter_change = html.index("Filter change — M-100")  # mine, due 3 days ago
    assert inspection < filter_change
    assert "overdue by 10 days" in html and "overdue by 3 days" in html
    assert "Southern check" not in html
    # Why it exists, with links to the contract and the obligation.
    assert f"Occurrence of {(ww.today - dt.timedelta(days=3)):%-d %b %Y}, planned by" in html
    assert f'href="/contracts/{ww.contract.pk}/"' in html
    assert f"/contracts/{ww.contract.pk}/obligations/#obligation-{ww.floating.pk}" in html


def test_my_work_filters_live_in_the_url(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    mine = client.get("/my-work/?assigned=me").content.decode()
    assert "Filter change" in mine and "Quarterly inspection" not in mine
    by_text = client.get("/my-work/?q=inspection").content.decode()
    assert "Quarterly inspection" in by_text and "Filter change" not in by_text
    later = (ww.today - dt.timedelta(days=5)).isoformat()
    ranged = client.get(f"/my-work/?due_from={later}").content.decode()
    assert "Filter change" in ranged and "Quarterly inspection" not in ranged
    assert "Nothing matches these filters" in client.get("/my-work/?status=done").content.decode()


def test_stranger_sees_nothing_of_others_items(ww: WorkWorld) -> None:
    client = as_user(ww.p.stranger)
    html = client.get("/my-work/").content.decode()
    assert "Southern check" in html and "M-100" not in html
    theirs = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    assert client.get(f"/work/items/{theirs.pk}/").status_code == 404
    for name in ("complete", "start", "move", "reassign", "cancel"):
        assert action(client, theirs, name, due_date="2030-01-01", to="me").status_code == 404
    assert action(client, theirs, "claim").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.OPEN and theirs.version == 1 and not theirs.moved
    planner = client.get(f"/planning/?who=user:{ww.p.owner.pk}&span=month").content.decode()
    assert "Filter change" not in planner


def test_claim_start_complete_through_htmx(ww: WorkWorld) -> None:
    client = as_user(ww.p.colleague)
    item = ww.item(ww.anchored, ww.today - dt.timedelta(days=10))
    r = action(client, item, "claim")
    assert r.status_code == 200 and "You took" in r.content.decode()
    item.refresh_from_db()
    assert item.assignee_user == ww.p.colleague and item.assignee_role == ww.role
    action(client, item, "start")
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS
    r = action(client, item, "complete", note="all belts fine")
    item.refresh_from_db()
    assert item.status == S.DONE and item.completion_note == "all belts fine"
    assert item.completed_by == ww.p.colleague
    assert f'id="item-{item.pk}"' not in r.content.decode()  # done items leave the open list


def test_completing_a_floating_item_shows_the_next_occurrence(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    r = action(client, item, "complete", note="filters swapped")
    html = r.content.decode()
    # Floating: the next one counts from the completion (today), one month on.
    nxt = WorkItem.objects.get(obligation=ww.floating, status=S.OPEN)
    assert nxt.due_date == month_after(ww.today)
    assert f'id="item-{nxt.pk}"' in html and f'datetime="{nxt.due_date.isoformat()}"' in html


def test_stale_version_says_someone_else_changed_it_and_shows_current(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    moved_to = ww.today + dt.timedelta(days=4)
    assert action(as_user(ww.p.admin), item, "move", due_date=moved_to.isoformat()).status_code == 200
    r = action(client, item, "complete", note="late click")  # still carries version 1
    html = r.content.decode()
    assert "Someone else changed" in html and "Nothing of yours was saved" in html
    item.refresh_from_db()
    assert item.status == S.OPEN and item.due_date == moved_to
    assert f'datetime="{moved_to.isoformat()}"' in html  # the current state is shown
    # Without htmx: back to My work with the message.
    r = client.post(f"/work/items/{item.pk}/complete/", {"version": 1, "view": "my-work", "query": ""})
    assert r.status_code == 302 and r["Location"] == "/my-work/"
    assert "Someone else changed" in client.get("/my-work/").content.decode()


def test_refused_action_is_explained(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    action(client, item, "complete")
    item.refresh_from_db()
    r = action(client, item, "start")
    assert "Only an open work item can be started" in r.content.decode()


def test_readonly_member_of_the_team_may_look_but_not_act(ww: WorkWorld) -> None:
    client = as_user(ww.p.readonly)
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    page = client.get(f"/work/items/{item.pk}/")
    assert page.status_code == 200 and "Mark as done" not in page.content.decode()
    assert action(client, item, "complete").status_code == 403


def test_item_page_says_why_and_keeps_history(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    action(client, item, "move", htmx=False, due_date=(ww.today + dt.timedelta(days=1)).isoformat())
    r = client.get(f"/work/items/{item.pk}/")
    html = r.content.decode()
    assert "Why it exists" in html and f"The occurrence of {item.occurrence_date:%-d %b %Y}" in html
    assert "moved" in html and "Filter change" in html


def test_planner_groups_by_day_and_moves_and_reassigns(ww: WorkWorld) -> None:
    client = as_user(ww.p.owner)
    item = ww.item(ww.floating, ww.today - dt.timedelta(days=3))
    start = week_start(item.due_date)
    html = client.get(f"/planning/?who=me&start={start.isoformat()}").content.decode()
    assert f'id="day-{item.due_date.isoformat()}"' in html
    assert html.count('class="day') == 7  # a week shows every day, empty ones too
    target = item.due_date + dt.timedelta(days=9)
    r = client.post(
        f"/work/items/{item.pk}/move/",
        {
            "version": item.version,
            "due_date": target.isoformat(),
            "view": "planner",
            "query": f"who=me&start={target}",
        },
        **HX,
    )
    assert r.status_code == 200 and f'id="item-{item.pk}"' in r.content.decode()
    item.refresh_from_db()
    assert item.due_date == target and item.moved
    # Lead time travels with the move (visible_from keeps its distance).
    assert (item.due_date - item.visible_from).days == ww.floating.lead_days
    r = client.post(
        f"/work/items/{item.pk}/reassign/",
        {"version": item.version, "to": f"role:{ww.role.pk}", "view": "planner", "query": ""},
        **HX,
    )
    item.refresh_from_db()
    assert item.assignee_role == ww.role and item.assignee_user is None and item.reassigned


def test_planner_month_and_role_view(ww: WorkWorld) -> None:
    client = as_user(ww.p.colleague)
    due = ww.today - dt.timedelta(days=10)
    html = client.get(f"/planning/?who=role:{ww.role.pk}&span=month&start={due.isoformat()}").content.decode()
    assert "Quarterly inspection" in html and "Filter change" not in html
    assert client.get("/planning/?who=role:99999").status_code == 404


def test_workload_per_week_with_table_fallback(ww: WorkWorld) -> None:
    client = as_user(ww.p.colleague)
    item = ww.item(ww.anchored, ww.today - dt.timedelta(days=10))
    # Planned for two weeks ahead: the 90 minutes land in the third week shown (weeks run Monday-Sunday).
    target = ww.today + dt.timedelta(days=14)
    action(client, item, "move", due_date=target.isoformat())
    r = client.get(f"/planning/workload/?who=role:{ww.role.pk}")
    html = r.content.decode()
    data = json.loads(html.split('id="workload-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["hours"]) == len(data["items"]) == 12
    assert data["hours"][2] == 1.5 and data["items"][2] == 1
    assert "<table" in html and "chart-4.6.1.umd.min.js" in html and "1.5</td>" in html
